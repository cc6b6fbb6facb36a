# What a run writes does not depend on how its units fall into batches or which worker
# renders them (pipeline.c keeps each batch's bytes in shared buffers by offset): 2,616 lines
# with bad lines among them, cut into batches of 256 units on 1 thread and of 768 on 3, give
# the same records, explanations, error objects and eval figures on both, and the same
# records and explanations as when every 250 lines are a run of their own.
d="$TMPDIR/vocmine-batches-$$"
mkdir -p "$d"
for i in $(seq 24); do sed '$a\' ../../corpora/samples/messages.jsonl analyze_errors.jsonl; done > "$d/all.jsonl"
split -l 250 -d "$d/all.jsonl" "$d/part."
for args in "analyze" "analyze --explain" "tokenize" "flag" "eval"; do
  "$VOCMINE" $args -j 1 --errors "$d/e1" "$d/all.jsonl" > "$d/o1" 2>/dev/null
  "$VOCMINE" $args -j 3 --errors "$d/e3" "$d/all.jsonl" > "$d/o3" 2>/dev/null
  cmp -s "$d/o1" "$d/o3" && cmp -s "$d/e1" "$d/e3" \
    && echo "$args: -j 1 = -j 3 ($(wc -l < "$d/o1") lines, $(wc -l < "$d/e1") errors)" \
    || echo "$args: -j 1 and -j 3 DIFFER"
  case $args in analyze*)
    for p in "$d"/part.*; do "$VOCMINE" $args -j 2 "$p" 2>/dev/null; done > "$d/chunks"
    cmp -s "$d/o1" "$d/chunks" && echo "$args: = runs of 250 lines" || echo "$args: runs of 250 lines DIFFER";;
  esac
done
rm -rf "$d"
