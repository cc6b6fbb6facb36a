# E-mail: MIME, charsets (Big5 quoted-printable, GBK subject, base64 UTF-8), HTML-only
# mail, quoted replies and signatures removed; mbox with ">From " escaping.  The id is the
# Message-ID, the customer the sender, the time the Date header in UTC.
M=../../corpora/samples/mail
for f in $M/big5_alternative_qp.eml $M/html_only_utf8.eml $M/base64_utf8_quote.eml $M/gbk_subject.eml $M/broken_truncated.eml; do
  "$VOCMINE" analyze --output-format csv "$f" | tail -n +2; echo "exit ${PIPESTATUS[0]}"
done
"$VOCMINE" analyze --output-format csv $M/four_messages.mbox; echo "exit $?"
# what is analyzed: subject, a blank line, the customer's own words
"$VOCMINE" analyze --explain $M/big5_alternative_qp.eml | sed -n '2,/^   tokens:/p' | sed '$d'; echo "exit ${PIPESTATUS[0]}"
"$VOCMINE" analyze --explain $M/base64_utf8_quote.eml | sed -n '2,/^   tokens:/p' | sed '$d'; echo "exit ${PIPESTATUS[0]}"
