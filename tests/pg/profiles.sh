#!/usr/bin/env bash
# tests/pg/profiles.sh STORE... — customer profiles, exact and idempotent, on each store
# given (a SQLite path prefix "sqlite:DIR" or "pg"; pg uses the server of with-postgres.sh,
# one database per step).  Run by tests/golden/profiles.cmd (SQLite) and profiles_pg.cmd.
#   1. the sample messages analyzed in two partitions into two stores, profiles exported
#      from each and merged (vocmine profile --merge) = the profiles of one run over all;
#   2. re-running the whole batch changes no profile, updated_at included;
#   3. a record re-analyzed with another text (same id) moves its customer's profile;
#      deleting a customer's records (SQL) and refreshing removes the profile.
set -uo pipefail
msgs=../../corpora/samples/messages.jsonl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vocmine-profiles.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
kind=$1
newdb() { # newdb N: a fresh store for one step (numbered: $(...) is a subshell)
  local n=$1
  if [ "$kind" = pg ]; then
    local port=${VOCMINE_TEST_PG_URL##*port=}
    port=${port%%&*}
    "$VOCMINE_TEST_PG_BIN/createdb" -h "$VOCMINE_TEST_PG_DIR" -p "$port" -U postgres "p$n" || exit 1
    echo "postgresql:///p$n?host=$VOCMINE_TEST_PG_DIR&port=$port&user=postgres"
  else
    echo "$tmp/p$n.db"
  fi
}
sql() { # run SQL on a store
  if [ "$kind" = pg ]; then "$VOCMINE_TEST_PG_BIN/psql" -XAtq -v ON_ERROR_STOP=1 "$1" -c "$2"
  else sqlite3 "$1" "$2"; fi
}

lines=$(wc -l < "$msgs")
head -n $((lines / 2)) "$msgs" > "$tmp/part1.jsonl"
tail -n +$((lines / 2 + 1)) "$msgs" > "$tmp/part2.jsonl"
all=$(newdb 1); p1=$(newdb 2); p2=$(newdb 3)
"$VOCMINE" analyze --db "$all" "$msgs" > /dev/null || echo "analyze all: exit $?"
"$VOCMINE" analyze --db "$p1" "$tmp/part1.jsonl" > /dev/null || echo "analyze part 1: exit $?"
"$VOCMINE" analyze -j 1 --db "$p2" "$tmp/part2.jsonl" > /dev/null || echo "analyze part 2: exit $?"
"$VOCMINE" profile --db "$all" > "$tmp/all.jsonl" 2> "$tmp/all.err"; echo "profile all: exit $? ($(cat "$tmp/all.err"))"
"$VOCMINE" profile --db "$p1" > "$tmp/p1.jsonl" 2>/dev/null || echo "profile part 1: exit $?"
"$VOCMINE" profile --db "$p2" > "$tmp/p2.jsonl" 2>/dev/null || echo "profile part 2: exit $?"
echo "== 1. partitions: $(wc -l < "$tmp/p1.jsonl") + $(wc -l < "$tmp/p2.jsonl") profiles, $(wc -l < "$tmp/all.jsonl") in one run"
"$VOCMINE" profile --merge "$tmp/p2.jsonl" "$tmp/p1.jsonl" > "$tmp/merged.jsonl"; echo "merge: exit $?"
cmp "$tmp/merged.jsonl" "$tmp/all.jsonl" && echo "merged partitions = one run, byte for byte"

echo "== 2. a re-run changes nothing"
before=$(sql "$all" "SELECT customer_id || ' ' || updated_at || ' ' || records FROM customer_profiles ORDER BY customer_id" | md5sum)
sleep 1
"$VOCMINE" analyze --db "$all" "$msgs" > /dev/null || echo "analyze again: exit $?"
"$VOCMINE" profile --db "$all" > "$tmp/again.jsonl" 2>/dev/null || echo "profile again: exit $?"
after=$(sql "$all" "SELECT customer_id || ' ' || updated_at || ' ' || records FROM customer_profiles ORDER BY customer_id" | md5sum)
cmp -s "$tmp/again.jsonl" "$tmp/all.jsonl" && echo "profiles identical after re-running the batch"
[ "$before" = "$after" ] && echo "updated_at unchanged for every customer ($(sql "$all" "SELECT count(*) FROM customer_profiles") profiles)"

echo "== 3. a re-analyzed record and deleted records"
cust=$(head -1 "$msgs" | sed 's/.*"customer_id": "\([^"]*\)".*/\1/')
"$VOCMINE" profile --db "$all" --customer "$cust" 2>/dev/null | grep -o '"records":[0-9]*,\|"labels":{[^}]*}'
head -1 "$msgs" | sed 's/"text": "[^"]*"/"text": "Thank you so much, the new router works perfectly and the agent was wonderful!"/' > "$tmp/changed.jsonl"
"$VOCMINE" analyze --db "$all" "$tmp/changed.jsonl" > /dev/null
"$VOCMINE" profile --db "$all" --customer "$cust" 2>/dev/null | grep -o '"records":[0-9]*,\|"labels":{[^}]*}'
sql "$all" "DELETE FROM records WHERE customer_id = '$cust'"
"$VOCMINE" profile --db "$all" --customer "$cust"; echo "exit $?"
echo "profiles left: $(sql "$all" "SELECT count(*) FROM customer_profiles"), customers with records: $(sql "$all" "SELECT count(DISTINCT customer_id) FROM records")"

echo "== CSV export of two customers"
"$VOCMINE" profile --db "$all" --output-format csv > "$tmp/profiles.csv" 2>/dev/null || echo "profile csv: exit $?"
head -3 "$tmp/profiles.csv"
