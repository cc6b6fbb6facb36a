# Every reader gives the same bytes on 1 and 2 threads, in input order.
S=../../corpora/samples/channels
M=../../corpora/samples/mail
for args in "--text-field 意見 --score-field 推薦分數 $S/survey_excel_big5.csv" "$S/survey_unicode_text.tsv" \
            "$S/chat.jsonl" "--format social $S/social.jsonl" "$S/broken.jsonl" "$S/broken.csv" \
            "$M/four_messages.mbox"; do
  a=$("$VOCMINE" analyze -j 1 $args 2>&1; echo "exit $?")
  b=$("$VOCMINE" analyze -j 2 $args 2>&1; echo "exit $?")
  # the same bytes, and something to compare: how many lines and how it ended
  [ "$a" = "$b" ] && echo "same: ${args##*/} ($(printf '%s\n' "$a" | wc -l) lines, $(printf '%s\n' "$a" | tail -1))" \
                  || echo "DIFFERENT: $args"
done
