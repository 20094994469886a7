#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a NEW, empty database, put the media files
# back, then replay the erasures made since (manage.py replay_erasures reads JUSUR_ERASURE_LOG,
# which the restore does not touch). Open the site only after it printed "restore: done".
#
#   createdb -T template0 -E UTF8 --locale=C.UTF-8 jusur_restored
#   DATABASE_URL=postgres://…/jusur_restored JUSUR_MEDIA_ROOT=/srv/jusur/media \
#     JUSUR_ERASURE_LOG=/srv/jusur-state/erasure-log.jsonl DJANGO_SECRET_KEY=… \
#     scripts/restore.sh /var/backups/jusur/20261204T020000Z
#
# docs/operations.md ("Backups and restore"); run for real by tests/portal/test_backup.py.
set -euo pipefail
umask 077

backup=${1:?usage: scripts/restore.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL (a new, empty database)}"
root=$(cd "$(dirname "$0")/.." && pwd)
media=${JUSUR_MEDIA_ROOT:-$root/media}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_restore=$(command -v pg_restore || echo "$pg_bin/pg_restore")
python=${PYTHON:-$root/.venv/bin/python}

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
# All or nothing: a restore that fails half-way leaves the new database empty.
"$pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$backup/jusur.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$backup/media.tar.gz"
# Everyone erased after the backup was taken comes back with it: erase them again (and their
# files), before anyone can see them.
(cd "$root" && "$python" manage.py replay_erasures)
echo "restore: done"
