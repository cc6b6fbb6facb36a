# Every line accounted for: records for good lines, vocmine.error/1 naming file and line for
# bad ones (stderr), a warning for repaired bytes, blank lines skipped, exit status 1.
"$VOCMINE" analyze -j 1 analyze_errors.jsonl
