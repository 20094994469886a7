#!/usr/bin/env bash
# Serve the demo on PORT (default 8000): `PORT=8080 make demo`. The e-mails' links follow it
# (JUSUR_SITE_URL defaults to http://127.0.0.1:$PORT). With REDIS_URL set, a Celery worker
# (with beat) runs beside the web server; without it, tasks run in-process and no worker is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
  echo "PORT must be a port number (1-65535), not '$port'" >&2
  exit 2
fi
export PORT="$port"
worker_pid=""
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A portal worker -B -l warning &
  worker_pid=$!
  trap 'kill $worker_pid 2>/dev/null || true' EXIT
fi
echo
echo "Jusur demo: http://127.0.0.1:$port/  (Ctrl-C to stop)"
echo "Demo accounts are listed above (password: jusur-demo-2026)."
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload
