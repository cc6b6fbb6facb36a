# -j 2 writes the same bytes in the same order as -j 1, across several batches (1,470 lines).
in="$TMPDIR/vocmine-jobs-$$.jsonl"
for i in $(seq 15); do cat ../../corpora/samples/messages.jsonl; done > "$in"
"$VOCMINE" analyze -j 1 "$in" > "$in.j1"
"$VOCMINE" analyze -j 2 "$in" > "$in.j2"
cmp "$in.j1" "$in.j2" && echo "identical: $(wc -l < "$in.j1") records"
rm -f "$in" "$in.j1" "$in.j2"
