#!/usr/bin/env bash
# tests/model_reproduces.sh — the committed n-gram weights (lexicons/*/ngrams.tsv) are what
# `vocmine train` makes of the dev data with today's code and lexicons.  A change to the
# features, the tokenizer or a lexicon that the model reads must come with retrained weights
# (the command is in each file's comment); this test says when it did not.
#
#   tests/model_reproduces.sh VOCMINE REPO_ROOT
# Needs ../shared/data/dev beside the repository (CI has it); without it the test reports
# itself skipped (exit 77, shown by ctest as "Skipped"), never passed.
set -euo pipefail
bin=$1
root=$2
data="$root/../shared/data/dev"
files=(en_airline_tweets en_goemotions_train en_vader_tweets zh_hans_chnsenticorp_htl_all
       zh_hans_waimai_10k zh_hant_sighan2024_train)
for f in "${files[@]}"; do
  if [ ! -f "$data/$f.jsonl" ]; then
    echo "skipped: $data/$f.jsonl is not there (the dev data lives beside the repository)"
    exit 77
  fi
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=()
for f in "${files[@]}"; do args+=("$data/$f.jsonl"); done
if ! VOCMINE_LEXICON_DIR="$root/lexicons" "$bin" train --split train --output "$out" "${args[@]}" 2> "$out/train.log"; then
  echo "vocmine train failed:"; cat "$out/train.log"; exit 1
fi
status=0
for lang in en zh-Hant; do
  # the command line (paths) and the date differ from run to run; the weights must not
  if ! diff <(grep -v -e '^# reproduce' -e '^#   vocmine train' -e '^# trained ' "$root/lexicons/$lang/ngrams.tsv") \
            <(grep -v -e '^# reproduce' -e '^#   vocmine train' -e '^# trained ' "$out/$lang/ngrams.tsv") > "$out/diff.txt"; then
    echo "lexicons/$lang/ngrams.tsv differs from what vocmine train makes now ($(grep -c '^[<>]' "$out/diff.txt") lines); retrain:"
    head -5 "$out/diff.txt"
    status=1
  fi
done
[ $status -eq 0 ] && echo "both models reproduce"
exit $status
