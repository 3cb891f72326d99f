#!/bin/sh
# Back up Duka's PostgreSQL database to one timestamped pg_dump file (custom format, compressed).
#
#   DUKA_DATABASE_URL=postgresql://duka:...@127.0.0.1:5432/duka deploy/backup.sh /var/backups/duka
#
# The URL may be the backend's own (postgresql+asyncpg://...): the driver suffix is dropped.
# Writes duka-YYYYMMDDTHHMMSSZ.dump and a .sha256 beside it, prints the dump's path, and keeps the
# newest DUKA_BACKUP_KEEP dumps (default 14; 0 keeps all). A dump is written under a temporary
# name and renamed only when pg_dump succeeded, so a half-written file never looks like a backup.
# Exits non-zero on any failure: cron or systemd then reports it.
set -eu

out_dir="${1:-${DUKA_BACKUP_DIR:-./backups}}"
keep="${DUKA_BACKUP_KEEP:-14}"
url="${DUKA_DATABASE_URL:?set DUKA_DATABASE_URL to the database to back up}"
# libpq does not know SQLAlchemy's driver suffix.
url="$(printf '%s' "$url" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#' -e 's#^postgres://#postgresql://#')"
case "$url" in
  postgresql://*) ;;
  *) echo "backup.sh: DUKA_DATABASE_URL must be a PostgreSQL URL (SQLite: copy the file with sqlite3 .backup)" >&2; exit 2 ;;
esac

umask 077
mkdir -p "$out_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
dump="$out_dir/duka-$stamp.dump"
partial="$dump.partial"
trap 'rm -f "$partial"' EXIT INT TERM

pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$url" --file="$partial"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$partial" >/dev/null
mv "$partial" "$dump"
( cd "$out_dir" && sha256sum "duka-$stamp.dump" > "duka-$stamp.dump.sha256" )

if [ "$keep" -gt 0 ]; then
  # The glob lists dumps oldest first (names sort by time): drop all but the newest $keep.
  set -- "$out_dir"/duka-[0-9]*T[0-9]*Z.dump
  excess=$(($# - keep))
  for old in "$@"; do
    [ "$excess" -gt 0 ] || break
    rm -f "$old" "$old.sha256"
    excess=$((excess - 1))
  done
fi
echo "$dump"
