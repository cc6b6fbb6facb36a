# vocmine flag: only flagged records, most severe first (input order within a severity),
# filtered by flag and severity; the text form a support lead reads; a pipe is answered in
# input order as records come.
M=../../corpora/samples/messages.jsonl
NO_COLOR=1 "$VOCMINE" flag --output-format text "$M"; echo "exit $?"
"$VOCMINE" flag --flags churn_risk,escalation --min-severity high --output-format text "$M"; echo "exit $?"
t=$(mktemp)
"$VOCMINE" flag "$M" > "$t"; echo "exit $?"
echo "jsonl: $(grep -c '"schema":"vocmine.record/1"' "$t") flagged records of $(wc -l < "$M")"
"$VOCMINE" flag --flags dismay --output-format csv "$M" > "$t"; echo "exit $?"
head -3 "$t"
# from a pipe: input order, so the severities interleave (a sorted run would give three runs)
"$VOCMINE" flag --output-format text < "$M" > "$t"; echo "exit $?"
cut -d' ' -f1 "$t" | uniq -c | head -6
"$VOCMINE" flag --flags nonsense "$M"; echo "exit $?"
"$VOCMINE" flag --min-severity urgent "$M"; echo "exit $?"
rm -f "$t"
