#!/usr/bin/env bash
# tests/pathological/cli.sh VOCMINE [PEAK_MIB] — the command line on pathological files.
#
#   1. one JSONL line of 20 MB (a 20 MB text field): exactly one record, cut to the document limit with
#      the "truncated" warning, exit 0; the same line read with --format text;
#   2. a file with a 0-byte line, a line of only "\r", a bad line and a last line without
#      a newline: in JSONL blank lines are not units (tests/golden/analyze_errors.cmd) and
#      every other line gives exactly one record (stdout) or one vocmine.error/1 (stderr);
#      in --format text every line is a document; exit status 1 when a line failed, 0 when
#      none did (main.c: "0 ok, 1 some lines failed").
#   3. a 130 MB line (beyond VOC_MAX_UNIT_BYTES): an error record for it, the lines around
#      it analyzed, peak memory bounded by the limit, not the line;
#   4. a 20 MB quoted CSV field with line breaks: one record, the next row intact.
# Generated files go to a temporary directory removed on exit.  Needs bash, coreutils, grep.
set -uo pipefail
vocmine=${1:?usage: cli.sh VOCMINE [PEAK_MIB]}
peak_mib=${2:-160}   # memory allowed while a 130 MB line is skipped (more under sanitizers)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vocmine-pathological.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_eq() { # what expected actual
  if [ "$2" != "$3" ]; then fail "$1: expected '$2', got '$3'"; else echo "ok: $1 = $3"; fi
}
count() { grep -c -- "$1" "$2" || true; }

# ---- 1. a 20 MB line ------------------------------------------------------------------------
unit='The app keeps crashing 服務很差 😡 refund please '   # 55 bytes, no JSON escapes needed
unit_bytes=$(printf '%s' "$unit" | wc -c)
reps=$(( 20 * 1024 * 1024 / unit_bytes ))
{
  printf '{"id":"big","channel":"chat","text":"'
  yes "$unit" | head -n "$reps" | tr -d '\n'
  printf '"}\n'
} > "$tmp/big.jsonl"
big_bytes=$(wc -c < "$tmp/big.jsonl")
echo "big.jsonl: $big_bytes bytes, $(wc -l < "$tmp/big.jsonl") line"
[ "$big_bytes" -gt $((20 * 1000 * 1000)) ] || fail "big.jsonl is only $big_bytes bytes"

"$vocmine" analyze -j 2 "$tmp/big.jsonl" > "$tmp/big.out" 2> "$tmp/big.err"
expect_eq "20MB jsonl: exit status" 0 $?
expect_eq "20MB jsonl: records" 1 "$(wc -l < "$tmp/big.out")"
expect_eq "20MB jsonl: error records" 0 "$(count vocmine.error/1 "$tmp/big.err")"
expect_eq "20MB jsonl: record id" 1 "$(count '"id":"big"' "$tmp/big.out")"
expect_eq "20MB jsonl: truncated warning" 1 "$(count '"warnings":\["truncated"\]' "$tmp/big.out")"
expect_eq "20MB jsonl: label" 1 "$(count '"label":"negative"' "$tmp/big.out")"

"$vocmine" tokenize --format text -j 1 "$tmp/big.jsonl" > "$tmp/bigt.out" 2> "$tmp/bigt.err"
expect_eq "20MB text line: exit status" 0 $?
expect_eq "20MB text line: token objects" 1 "$(wc -l < "$tmp/bigt.out")"
expect_eq "20MB text line: truncated warning" 1 "$(count '"warnings":\["truncated"\]' "$tmp/bigt.out")"

# ---- 2. empty, CR-only and unterminated lines -------------------------------------------
# line 1: 0 bytes; 2: "\r"; 3: good; 4: "\r\n" ending; 5: NUL inside the JSON; 6: last line,
# no newline
printf '\n\r\n{"id":"L3","text":"good service"}\n{"id":"L4","text":"slow delivery"}\r\n{"id":"L5","text":"nul\000byte"}\n{"id":"L6","text":"no newline at the end"}' \
  > "$tmp/edges.jsonl"
"$vocmine" analyze -j 1 "$tmp/edges.jsonl" > "$tmp/edges.out" 2> "$tmp/edges.err"
expect_eq "edge lines jsonl: exit status" 0 $?
expect_eq "edge lines jsonl: records (blank lines are not units)" 4 "$(wc -l < "$tmp/edges.out")"
expect_eq "edge lines jsonl: errors" 0 "$(count vocmine.error/1 "$tmp/edges.err")"
for id in L3 L4 L5 L6; do
  expect_eq "edge lines jsonl: one record for $id" 1 "$(count "\"id\":\"$id\"" "$tmp/edges.out")"
done

# the same lines plus a broken one (line 7): one error naming file:7, exit status 1
{ cat "$tmp/edges.jsonl"; printf '\n{"id":"L7","text":\n'; } > "$tmp/edges_bad.jsonl"
"$vocmine" analyze -j 2 "$tmp/edges_bad.jsonl" > "$tmp/bad.out" 2> "$tmp/bad.err"
expect_eq "edge lines + bad line: exit status" 1 $?
expect_eq "edge lines + bad line: records" 4 "$(wc -l < "$tmp/bad.out")"
expect_eq "edge lines + bad line: errors" 1 "$(count vocmine.error/1 "$tmp/bad.err")"
expect_eq "edge lines + bad line: error names the line" 1 "$(count 'edges_bad.jsonl:7"' "$tmp/bad.err")"

# --format text: every line is a document, the empty ones included (empty_text warning)
"$vocmine" analyze --format text -j 1 "$tmp/edges.jsonl" > "$tmp/text.out" 2> "$tmp/text.err"
expect_eq "edge lines text: exit status" 0 $?
expect_eq "edge lines text: records" 6 "$(wc -l < "$tmp/text.out")"
expect_eq "edge lines text: errors" 0 "$(count vocmine.error/1 "$tmp/text.err")"
expect_eq "edge lines text: empty_text records (lines 1, 2)" 2 "$(count '"warnings":\["empty_text"\]' "$tmp/text.out")"
for n in 1 2 3 4 5 6; do
  expect_eq "edge lines text: one record for line $n" 1 "$(count "\"id\":\"$tmp/edges.jsonl:$n\"" "$tmp/text.out")"
done
expect_eq "edge lines text: NUL byte warned" 1 "$(count '"nul_bytes"' "$tmp/text.out")"

# a file of nothing but a 0-byte line and a CR line: no units, no output, exit 0
printf '\n\r' > "$tmp/blank.jsonl"
"$vocmine" analyze -j 1 "$tmp/blank.jsonl" > "$tmp/blank.out" 2> "$tmp/blank.err"
expect_eq "blank lines only: exit status" 0 $?
expect_eq "blank lines only: output bytes" 0 "$(wc -c < "$tmp/blank.out")"
expect_eq "blank lines only: stderr bytes" 0 "$(wc -c < "$tmp/blank.err")"

# ---- 3. a unit beyond VOC_MAX_UNIT_BYTES (64 MiB) ----------------------------------------
# A 130 MB line is not held: it becomes an error record naming its line, the lines around
# it are analyzed, and memory is bounded by the 64 MiB limit, not by the line's size.
{
  printf '{"id":"before","text":"fine"}\n{"id":"huge","text":"'
  yes "$unit" | head -n $(( 130 * 1024 * 1024 / unit_bytes )) | tr -d '\n'
  printf '"}\n{"id":"after","text":"still here"}\n'
} > "$tmp/huge.jsonl"
"$vocmine" analyze -j 2 "$tmp/huge.jsonl" > "$tmp/huge.out" 2> "$tmp/huge.err" &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  rss=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.05
done
wait "$pid"
expect_eq ">64 MiB line: exit status" 1 $?
expect_eq ">64 MiB line: records (the lines around it)" 2 "$(wc -l < "$tmp/huge.out")"
expect_eq ">64 MiB line: error names line 2" 1 "$(count 'huge.jsonl:2","error":"line longer than 64 MiB: skipped"' "$tmp/huge.err")"
echo "peak resident memory while reading a 130 MB line: $((peak / 1024)) MiB"
[ "$peak" -gt 0 ] || fail ">64 MiB line: no memory sample was taken"
[ "$peak" -lt $((peak_mib * 1024)) ] || fail ">64 MiB line: peak memory ${peak} KiB, expected < ${peak_mib} MiB"

# ---- 4. a CSV field of 20 MB in quotes, with line breaks inside ---------------------------
{
  printf 'id,comment\r\nC1,"'
  yes "$unit" | head -n "$reps"
  printf '"\r\nC2,short and sweet\r\n'
} > "$tmp/big.csv"
"$vocmine" analyze -j 2 --output-format csv "$tmp/big.csv" > "$tmp/bigcsv.out" 2> "$tmp/bigcsv.err"
expect_eq "20MB CSV field: exit status" 0 $?
expect_eq "20MB CSV field: header + 2 rows" 3 "$(wc -l < "$tmp/bigcsv.out")"
expect_eq "20MB CSV field: the row after it" 1 "$(count ',C2,' "$tmp/bigcsv.out")"

if [ "$failures" -ne 0 ]; then
  echo "pathological_cli: $failures check(s) failed" >&2
  exit 1
fi
echo "pathological_cli: all checks passed"
