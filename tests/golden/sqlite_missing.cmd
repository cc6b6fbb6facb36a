# SQLite is opened (dlopen) by the first store, not at start-up.  A process that cannot load
# it still analyzes (without --db); asked for a store, it stops with exit 3 and a message
# naming the library and its package.  An empty file found first through LD_LIBRARY_PATH
# stands in for the library (its SONAME from ctest; Debian 12's when run by hand).
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT
: > "$fake/${VOCMINE_SQLITE_SONAME:-libsqlite3.so.0}"
echo '{"id":"a","text":"Great service, thanks!"}' | LD_LIBRARY_PATH=$fake "$VOCMINE" analyze --output-format csv
echo "exit $?"
echo '{"id":"a","text":"Great service, thanks!"}' | LD_LIBRARY_PATH=$fake "$VOCMINE" analyze --db "$fake/store.db" 2>&1 |
  sed "s|$fake|<tmp>|g"
echo "exit ${PIPESTATUS[1]}"
