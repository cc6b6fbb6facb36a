# vocmine flag: only flagged records, most severe first (input order within a severity),
# filtered by flag and severity; the text form a support lead reads; a pipe is answered in
# input order as records come.
M=../../corpora/samples/messages.jsonl
NO_COLOR=1 "$VOCMINE" flag --output-format text "$M"; echo "exit $?"
"$VOCMINE" flag --flags churn_risk,escalation --min-severity high --output-format text "$M"; echo "exit $?"
echo "jsonl: $("$VOCMINE" flag "$M" | grep -c '"schema":"vocmine.record/1"') flagged records of $(wc -l < "$M")"
"$VOCMINE" flag --flags dismay --output-format csv "$M" | head -3
cat "$M" | "$VOCMINE" flag --min-severity high --output-format text | cut -d' ' -f1 | uniq -c | head -4
"$VOCMINE" flag --flags nonsense "$M"; echo "exit $?"
"$VOCMINE" flag --min-severity urgent "$M"; echo "exit $?"
