#!/usr/bin/env bash
# tests/pg/with-postgres.sh — run a command beside a throw-away PostgreSQL server.
#
#   with-postgres.sh CMD [ARG...]
#
# Makes a private directory under /tmp, creates a cluster there with initdb (as the
# `postgres` system user when run as root, since initdb refuses root; as the caller
# otherwise), starts it with pg_ctl listening on a Unix socket in that directory only (no
# TCP), creates the database `vocmine`, exports its URL as VOCMINE_TEST_PG_URL
# (postgresql:///vocmine?host=DIR&port=PORT&user=postgres), the directory as
# VOCMINE_TEST_PG_DIR and the server's bin directory (for psql) as VOCMINE_TEST_PG_BIN,
# runs CMD, then stops the server and removes the directory whatever CMD did (Ctrl-C
# too).  Exits with CMD's status.  Without PostgreSQL it fails and says what to install:
# the PostgreSQL tests are never skipped silently.  Server binaries are looked up in
# /usr/lib/postgresql/<version>/bin (Debian; the newest version), then on PATH.
set -uo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

missing() {
  echo "with-postgres.sh: $1" >&2
  echo "with-postgres.sh: the PostgreSQL tests need a local PostgreSQL server: apt-get install postgresql (tools/check installs it)" >&2
  exit 1
}

bindir=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
if [ -z "$bindir" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  bindir=$(dirname "$(command -v initdb)")
fi
[ -n "$bindir" ] || missing "initdb and pg_ctl not found (looked in /usr/lib/postgresql/*/bin and PATH)"

# As root, the server runs as `postgres` (created by Debian's postgresql package).
as_server=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || missing "running as root, but there is no 'postgres' user to run the server as"
  if command -v runuser >/dev/null; then
    as_server=(runuser -u postgres --)
  else
    as_server=(su postgres -s /bin/sh -c '"$0" "$@"')
  fi
fi

dir=$(mktemp -d /tmp/vocmine-pg.XXXXXX) || exit 1
cleanup() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    (cd "$dir" && "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1)
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# The server's user owns the directory; the caller (root) can reach it anyway.  A port
# number still names the socket file (.s.PGSQL.PORT); in a private directory any is free.
[ ${#as_server[@]} -gt 0 ] && chown postgres: "$dir"
chmod 700 "$dir"
port=$((20000 + RANDOM % 20000))

server() { (cd "$dir" && "${as_server[@]}" "$@"); }

if ! server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
     >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  echo "with-postgres.sh: initdb failed" >&2
  exit 1
fi
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
EOF
# A throw-away server need not survive a crash; VOCMINE_TEST_PG_DURABLE=1 keeps the
# defaults (to measure speed as a real server would give it).
if [ "${VOCMINE_TEST_PG_DURABLE:-0}" != 1 ]; then
  printf '%s\n' 'fsync = off' 'synchronous_commit = off' 'full_page_writes = off' \
    >>"$dir/data/postgresql.conf"
fi
if ! server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 start >/dev/null; then
  cat "$dir/data/server.log" >&2
  echo "with-postgres.sh: the server did not start" >&2
  exit 1
fi
if ! server "$bindir/createdb" -h "$dir" -p "$port" -U postgres -E UTF8 vocmine; then
  echo "with-postgres.sh: createdb failed" >&2
  exit 1
fi

export VOCMINE_TEST_PG_URL="postgresql:///vocmine?host=$dir&port=$port&user=postgres"
export VOCMINE_TEST_PG_DIR=$dir VOCMINE_TEST_PG_BIN=$bindir
# In the background, so that a signal stops it and the server at once (bash runs traps only
# between commands); stdin stays the caller's.
"$@" <&0 &
child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 130' INT
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 143' TERM
wait $child
