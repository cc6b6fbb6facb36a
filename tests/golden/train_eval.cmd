# vocmine train on a small labeled set written for this test (made-up product names decide
# the label), then eval with and without the learned model, and analyze with it: the dense
# rows of the written model, the figures (sentiment, topics, emotions), one record's label.
dir="$TMPDIR/vocmine-golden-train-$$"
rm -rf "$dir"
"$VOCMINE" train --output "$dir" --seed 3 --epochs 8 --min-docs 1 --holdout 0 train_eval.jsonl 2>&1 |
  sed "s#$dir#DIR#g"
grep -E '^(feature|@)' "$dir/en/ngrams.tsv"
grep -cE '^[wnibc]:' "$dir/zh-Hant/ngrams.tsv"
"$VOCMINE" eval --no-model train_eval.jsonl
"$VOCMINE" eval --lexicons "$dir" train_eval.jsonl
echo '{"id":"N-1","text":"my new flumox is here"}' | "$VOCMINE" analyze --lexicons "$dir" --explain | head -1
"$VOCMINE" train --output "$dir" --split nope train_eval.jsonl; echo "exit $?"
"$VOCMINE" train train_eval.jsonl; echo "exit $?"
rm -rf "$dir"
