#!/usr/bin/env bash
# Back up Jusur: the database (pg_dump, custom format) and the private media files (CVs,
# documents), into a new folder DEST/<UTC time>/ whose path is printed last.
#
#   DATABASE_URL=postgres://… JUSUR_MEDIA_ROOT=/srv/jusur/media scripts/backup.sh /var/backups/jusur
#
# The erasure log (JUSUR_ERASURE_LOG) is NOT in it: it must outlive every restore (keep it, and
# its own copies, apart). docs/operations.md ("Backups and restore"); run for real by
# tests/portal/test_backup.py.
set -euo pipefail
umask 077  # a backup holds every member's personal data

dest_root=${1:?usage: scripts/backup.sh DEST_DIR}
: "${DATABASE_URL:?set DATABASE_URL}"
root=$(cd "$(dirname "$0")/.." && pwd)
media=${JUSUR_MEDIA_ROOT:-$root/media}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_dump=$(command -v pg_dump || echo "$pg_bin/pg_dump")

dest="$dest_root/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dest"
# One consistent snapshot of the whole database (pg_dump runs in one repeatable-read transaction).
"$pg_dump" --format=custom --no-owner --no-privileges --file="$dest/jusur.dump" "$DATABASE_URL"
# Files after the database: a file the dump refers to was written before the dump began.
mkdir -p "$media"
tar -C "$media" -czf "$dest/media.tar.gz" .
(cd "$dest" && sha256sum jusur.dump media.tar.gz > SHA256SUMS)
echo "$dest"
