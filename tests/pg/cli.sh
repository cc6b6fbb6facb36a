#!/usr/bin/env bash
# tests/pg/cli.sh — the command line against PostgreSQL; run by tests/golden/analyze_pg.cmd
# as `with-postgres.sh cli.sh` from tests/golden/, with $VOCMINE the binary, and compared
# with analyze_pg.out.  Temporary paths and port numbers are masked (TMP, PORT).
set -uo pipefail
url=$VOCMINE_TEST_PG_URL
tmp=$VOCMINE_TEST_PG_DIR
psql() { "$VOCMINE_TEST_PG_BIN/psql" -XAtq -F ' ' -v ON_ERROR_STOP=1 "$url" "$@"; }
mask() { sed -e "s|$tmp|TMP|g" -e 's/port=[0-9]*/port=PORT/g' -e 's/port [0-9]*/port PORT/g' \
             -e 's/PGSQL\.[0-9]*/PGSQL.PORT/g'; }

echo "== a re-run upserts: the row count stays"
for run in 1 2; do
  "$VOCMINE" analyze --db "$url" ../../corpora/samples/messages.jsonl > /dev/null
  echo "run $run: exit $?, $(psql -c 'SELECT count(*) FROM records') rows"
done

echo "== summary reads PostgreSQL as it reads SQLite"
"$VOCMINE" summary --db "$url" --examples 3 > "$tmp/pg.txt"
echo "exit $?"
head -2 "$tmp/pg.txt"
"$VOCMINE" analyze --db "$tmp/sqlite.db" ../../corpora/samples/messages.jsonl > /dev/null
"$VOCMINE" summary --db "$tmp/sqlite.db" --examples 3 > "$tmp/sqlite.txt"
cmp -s "$tmp/sqlite.txt" "$tmp/pg.txt" && echo "the SQLite store's summary is identical" ||
  diff "$tmp/sqlite.txt" "$tmp/pg.txt"

echo "== the record column is JSONB"
psql -c "SELECT record->>'channel', count(*) FROM records GROUP BY 1 ORDER BY 1"

echo "== an unreachable server, a missing database: exit 3, the server named"
"$VOCMINE" analyze --db "postgresql:///vocmine?host=$tmp&port=1&user=postgres" \
  ../../corpora/samples/messages.jsonl 2>&1 >/dev/null | mask
echo "exit ${PIPESTATUS[0]}"
"$VOCMINE" summary --db "postgresql:///nosuchdb?host=$tmp&port=${url##*&port=}" 2>&1 | mask
echo "exit ${PIPESTATUS[0]}"

echo "== a row the server refuses: its whole batch of 1000 is rolled back, exit 3"
psql -c 'DELETE FROM records' -c "
  CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS \$\$
  BEGIN
    IF NEW.id = '<stdin>:1500' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
    RETURN NEW;
  END \$\$" -c 'CREATE TRIGGER refuse_one BEFORE INSERT ON records
                FOR EACH ROW EXECUTE FUNCTION refuse_one()'
seq 1 2500 | sed 's/.*/message & was great/' |
  "$VOCMINE" analyze --format text --db "$url" 2>&1 >/dev/null | mask
echo "exit ${PIPESTATUS[2]}"
echo "rows kept, last line kept: $(psql -c "SELECT count(*), max(split_part(id, ':', 2)::int) FROM records")"
