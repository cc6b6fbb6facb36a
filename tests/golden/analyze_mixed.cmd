# Records for a hand-picked mix of languages, rules and token types.
"$VOCMINE" analyze -j 2 analyze_mixed.jsonl
