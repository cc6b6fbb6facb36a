# Broken input: every unit yields a record or an error naming file and line; --errors
# writes the error objects to a file and a readable line to stderr; exit 1.
# Known wrong and kept visible: B-0010 網路又斷了 ("the network dropped again") comes out
# positive (0.07): 斷了 is in no lexicon and the model's 網路 n-grams lean positive.  The JSON
# reader tolerates the trailing comma of line 4 (a record, not an error), as json-c did.
# Line 15's 307 KB contact log is cut at the 256 KiB document limit (truncated warning).
S=../../corpora/samples/channels
err="$TMPDIR/vocmine-errors-$$.jsonl"
"$VOCMINE" analyze --output-format csv --errors "$err" $S/broken.jsonl; echo "exit $?"
cat "$err"
"$VOCMINE" analyze --output-format csv --errors "$err" $S/broken.csv; echo "exit $?"
cat "$err"
rm -f "$err"
# a CSV whose header names no text column: the file fails (exit 3), nothing is guessed
printf 'a,b\n1,2\n' | "$VOCMINE" analyze --format csv; echo "exit $?"
# an mbox cut inside the last message's body: the part that is there is still read
head -c 1900 ../../corpora/samples/mail/four_messages.mbox | "$VOCMINE" analyze --format mbox --output-format csv; echo "exit $?"
# cut inside the last message's separator line: that message is empty, an error record
head -c 1500 ../../corpora/samples/mail/four_messages.mbox | "$VOCMINE" analyze --format mbox --output-format csv; echo "exit $?"
