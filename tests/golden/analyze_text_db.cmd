# --format text ids are FILE:LINE; --db upserts, so a second run adds nothing.
db="$TMPDIR/vocmine-golden-$$.db"
rm -f "$db"*
"$VOCMINE" analyze --format text --channel survey --db "$db" ../../corpora/samples/edge_cases.txt > /dev/null
"$VOCMINE" analyze --format text --channel survey --db "$db" ../../corpora/samples/edge_cases.txt > /dev/null
"$VOCMINE" summary --db "$db" --examples 3
rm -f "$db"*
