# vocmine flag: only flagged records, most severe first (input order within a severity),
# filtered by flag and severity; the text form a support lead reads; a pipe is answered in
# input order as records come.
M=../../corpora/samples/messages.jsonl
NO_COLOR=1 "$VOCMINE" flag --output-format text "$M"; echo "exit $?"
"$VOCMINE" flag --flags churn_risk,escalation --min-severity high --output-format text "$M"; echo "exit $?"
echo "jsonl: $("$VOCMINE" flag "$M" | grep -c '"schema":"vocmine.record/1"') flagged records of $(wc -l < "$M")"
"$VOCMINE" flag --flags dismay --output-format csv "$M" | head -3
# from a pipe: input order, so the severities interleave (a sorted run would give three runs)
cat "$M" | "$VOCMINE" flag --output-format text | cut -d' ' -f1 | uniq -c | head -6
"$VOCMINE" flag --flags nonsense "$M"; echo "exit $?"
"$VOCMINE" flag --min-severity urgent "$M"; echo "exit $?"
