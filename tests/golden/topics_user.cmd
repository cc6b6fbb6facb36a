# --topics DIR replaces the default taxonomy: user topics with a parent, terms and a pattern;
# aspect sentiment per clause; a broken pattern stops loading with file, line and PCRE2's
# message (exit 3).
printf '%s\n' '{"id":"U-1","text":"The staff were great but the parking fee was 300 dollars, a ripoff"}' \
  '{"id":"U-2","text":"店員很親切，停車費要200元太貴了"}' \
  '{"id":"U-3","text":"The refund took six weeks"}' |
  "$VOCMINE" analyze --topics topics_user --explain | grep -E '^──|^   topic '
"$VOCMINE" analyze --topics topics_bad /dev/null; echo "exit $?"
