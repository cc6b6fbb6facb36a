# Customer profiles in SQLite: merged partitions equal one run, a re-run changes nothing
# (updated_at included), a re-analyzed record and deleted records update their customer.
../pg/profiles.sh sqlite
