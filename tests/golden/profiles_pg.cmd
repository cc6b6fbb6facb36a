# The same profile checks on PostgreSQL (a throw-away server; fails without PostgreSQL).
../pg/with-postgres.sh ../pg/profiles.sh pg
