# Broken input: every unit yields a record or an error naming file and line; --errors
# writes the error objects to a file and a readable line to stderr; exit 1.
S=../../corpora/samples/channels
err="$TMPDIR/vocmine-errors-$$.jsonl"
"$VOCMINE" analyze --output-format csv --errors "$err" $S/broken.jsonl; echo "exit $?"
cat "$err"
"$VOCMINE" analyze --output-format csv --errors "$err" $S/broken.csv; echo "exit $?"
cat "$err"
rm -f "$err"
# a CSV whose header names no text column: the file fails (exit 3), nothing is guessed
printf 'a,b\n1,2\n' | "$VOCMINE" analyze --format csv; echo "exit $?"
# an mbox cut in the middle of a message: the part that is there is still read
head -c 1500 ../../corpora/samples/mail/four_messages.mbox | "$VOCMINE" analyze --format mbox --output-format csv; echo "exit $?"
