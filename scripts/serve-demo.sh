#!/usr/bin/env bash
# Serve the demo. With REDIS_URL set, a Celery worker (with beat) runs beside the web
# server; without it, tasks run in-process and no worker is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
worker_pid=""
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A portal worker -B -l warning &
  worker_pid=$!
  trap 'kill $worker_pid 2>/dev/null || true' EXIT
fi
echo
echo "Jusur demo: http://127.0.0.1:8000/  (Ctrl-C to stop)"
echo "Demo accounts are listed above (password: jusur-demo-2026)."
.venv/bin/python manage.py runserver 127.0.0.1:8000 --noreload
