# Usage errors exit 2; a missing file exits 3 with an error record; --help exits 0.
"$VOCMINE" frobnicate; echo "exit $?"
"$VOCMINE" analyze -j 0 /dev/null; echo "exit $?"
"$VOCMINE" analyze no-such-file.jsonl; echo "exit $?"
"$VOCMINE" analyze --format xml /dev/null; echo "exit $?"
"$VOCMINE" analyze --lexicon-dir /nonexistent /dev/null; echo "exit $?"
"$VOCMINE" analyze --help | head -3
