#!/usr/bin/env bash
# `make prod`: run the Procfile's three processes (web, worker, beat) with honcho on one
# machine. honcho stops all three when one exits; this loop then starts them again after a
# pause, so a crashed process comes back (Ctrl-C stops for good). For a real server prefer the
# systemd units in deploy/systemd/ (docs/operations.md "Running it").
set -uo pipefail
cd "$(dirname "$0")/.."
for name in DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS DATABASE_URL REDIS_URL; do
  if [ -z "${!name:-}" ]; then
    echo "make prod: set $name (README, 'Running in production')" >&2
    exit 2
  fi
done
stopping=0
honcho_pid=""
# Ctrl-C or a TERM to this script stops honcho, which stops the three gracefully.
trap 'stopping=1; [ -n "$honcho_pid" ] && kill -TERM "$honcho_pid" 2>/dev/null' INT TERM
while :; do
  .venv/bin/honcho start -f Procfile &
  honcho_pid=$!
  while kill -0 "$honcho_pid" 2>/dev/null; do wait "$honcho_pid"; done
  honcho_pid=""
  [ "$stopping" = 1 ] && exit 0
  echo "make prod: a process exited; restarting all three in 5 s (Ctrl-C to stop)" >&2
  sleep 5
  [ "$stopping" = 1 ] && exit 0
done
