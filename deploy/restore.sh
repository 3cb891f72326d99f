#!/bin/sh
# Restore a dump made by deploy/backup.sh into a PostgreSQL database, then check it.
#
#   DUKA_DATABASE_URL=postgresql://duka:...@127.0.0.1:5432/duka_restored deploy/restore.sh FILE.dump
#
# The target should be a freshly created, empty database (`createdb duka_restored`): restoring
# over a live one would mix two histories. The script refuses a target that already has a
# payments table unless --force is given first, in which case existing objects are dropped.
# Stop the backend (or point it elsewhere) while restoring. Afterwards it prints the number of
# payments and the migration revision, so the operator can compare them with the source.
set -eu

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
dump="${1:?usage: restore.sh [--force] FILE.dump}"
url="${DUKA_DATABASE_URL:?set DUKA_DATABASE_URL to the database to restore into}"
url="$(printf '%s' "$url" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#' -e 's#^postgres://#postgresql://#')"

[ -r "$dump" ] || { echo "restore.sh: cannot read $dump" >&2; exit 2; }
if [ -r "$dump.sha256" ]; then
  ( cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256" ) ||
    { echo "restore.sh: $dump does not match its .sha256: refusing a damaged backup" >&2; exit 2; }
fi

existing="$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align \
  --command="select count(*) from information_schema.tables where table_name = 'payments'")"
clean=""
if [ "$existing" != "0" ]; then
  if [ "$force" -ne 1 ]; then
    echo "restore.sh: the target already holds a payments table; restore into a new database" \
         "or pass --force to replace it" >&2
    exit 3
  fi
  clean="--clean --if-exists"
fi

# One transaction: either the whole backup is restored or nothing changes.
# shellcheck disable=SC2086 # $clean is deliberately split into two options
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error $clean \
  --dbname="$url" "$dump"

payments="$(psql --dbname="$url" --no-psqlrc -tA -c 'select count(*) from payments')"
revision="$(psql --dbname="$url" --no-psqlrc -tA -c 'select version_num from alembic_version')"
echo "restored $dump: $payments payments, migration revision $revision"
