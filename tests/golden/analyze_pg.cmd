# --db postgresql://… against a throw-away server: re-runs upsert, summary equals SQLite's,
# JSONB records, exit 3 naming an unreachable server, a refused row rolls back its batch.
# tests/pg/cli.sh holds the commands; without PostgreSQL this fails and says what to install.
../pg/with-postgres.sh ../pg/cli.sh
