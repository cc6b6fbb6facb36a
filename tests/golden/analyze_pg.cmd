# --db postgresql://…, against a throw-away server (tests/pg/with-postgres.sh; fails, never
# skips, without PostgreSQL).  A re-run upserts, so the row count stays; the summary of the
# same input equals the SQLite store's; the record column is JSONB.  An unreachable server
# is exit 3 with a message naming it.  A row the server refuses (a test trigger rejects one
# record) rolls back the whole batch of 1000 it was in and exits 3; earlier batches stay.
../pg/with-postgres.sh bash -c '
url=$VOCMINE_TEST_PG_URL
psql() { "$VOCMINE_TEST_PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 "$url" "$@"; }
for run in 1 2; do
  "$VOCMINE" analyze --db "$url" ../../corpora/samples/messages.jsonl > /dev/null
  echo "run $run: exit $?, $(psql -c "SELECT count(*) FROM records") rows"
done
"$VOCMINE" summary --db "$url" --examples 3 > "$VOCMINE_TEST_PG_DIR/pg.txt"; echo "summary: exit $?"
head -2 "$VOCMINE_TEST_PG_DIR/pg.txt"
db=$VOCMINE_TEST_PG_DIR/sqlite.db
"$VOCMINE" analyze --db "$db" ../../corpora/samples/messages.jsonl > /dev/null
"$VOCMINE" summary --db "$db" --examples 3 | cmp -s - "$VOCMINE_TEST_PG_DIR/pg.txt" && echo "SQLite summary: identical"
echo "JSONB:"
psql -F " " -c "SELECT record->>'"'"'channel'"'"', count(*) FROM records GROUP BY 1 ORDER BY 1"

echo "unreachable:"
"$VOCMINE" analyze --db "postgresql:///vocmine?host=$VOCMINE_TEST_PG_DIR&port=1&user=postgres" \
  ../../corpora/samples/messages.jsonl 2>&1 >/dev/null | sed "s|$VOCMINE_TEST_PG_DIR|TMP|g"
echo "exit ${PIPESTATUS[0]}"
"$VOCMINE" summary --db "postgresql:///nosuchdb?host=$VOCMINE_TEST_PG_DIR&port=${url##*&port=}" 2>&1 |
  sed -e "s|$VOCMINE_TEST_PG_DIR|TMP|g" -e "s|port=[0-9]*|port=PORT|g" -e "s|port [0-9]*|port PORT|g" \
      -e "s|PGSQL\.[0-9]*|PGSQL.PORT|g"
echo "exit ${PIPESTATUS[0]}"

echo "a refused row:"
psql -c "DELETE FROM records" -c "
  CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS \$\$
  BEGIN
    IF NEW.id = '"'"'<stdin>:1500'"'"' THEN RAISE EXCEPTION '"'"'refused by the test trigger'"'"'; END IF;
    RETURN NEW;
  END \$\$" -c "CREATE TRIGGER refuse_one BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION refuse_one()"
seq 1 2500 | sed "s/.*/message & was great/" | "$VOCMINE" analyze --format text --db "$url" 2>&1 >/dev/null |
  sed -e "s|$VOCMINE_TEST_PG_DIR|TMP|g" -e "s|port=[0-9]*|port=PORT|g"
echo "exit ${PIPESTATUS[2]}"
psql -F " " -c "SELECT count(*), max(split_part(id, '"'"':'"'"', 2)::int) FROM records"
'
