"""Gunicorn settings for the Jusur web process (issue 15). Used by the Procfile and
deploy/systemd/jusur-web.service: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Environment (documented in the README's settings table):
- GUNICORN_BIND: where to listen; default 127.0.0.1:8000, the upstream deploy/nginx/jusur.conf
  proxies to. Never a public address: only the proxy talks to gunicorn.
- GUNICORN_WORKERS: worker processes; default 2 × CPUs + 1.
- GUNICORN_CONTROL_SOCKET: the control socket (gunicornc); default var/gunicorn.ctl in the
  checkout, so that two instances on one machine do not share ~/.gunicorn/gunicorn.ctl.
"""

import multiprocessing
import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
_workers = os.environ.get("GUNICORN_WORKERS", "").strip() or str(2 * multiprocessing.cpu_count() + 1)
if not _workers.isdigit() or int(_workers) < 1:
    raise SystemExit(f"GUNICORN_WORKERS must be a whole number of at least 1 (got {_workers!r}).")
workers = int(_workers)

# Sync workers: one request per process at a time. That is the right class only behind a
# buffering proxy: nginx (deploy/nginx/jusur.conf) reads the whole request body from the
# client before it opens the upstream connection, and reads our whole answer into its
# buffers, so a slow client never holds a gunicorn worker — the worker only ever talks to
# nginx on the loopback. Without such a proxy, use gthread (threads) instead.
worker_class = "sync"
# A request that has not answered in 30 s is killed and its worker replaced (the nginx
# proxy_read_timeout is longer, so the client gets our 502/504, not a hung connection).
# Slow work belongs in Celery tasks, never in a request.
timeout = 30
# On SIGTERM (deploy, systemd stop) running requests get this long to finish.
graceful_timeout = 30
# Keep-alive only matters towards nginx on the loopback; short, as sync workers are blocked
# while a connection is kept open.
keepalive = 2
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100

control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", str(_ROOT / "var" / "gunicorn.ctl"))
Path(control_socket).parent.mkdir(parents=True, exist_ok=True)

# No access log of gunicorn's own: Django writes one JSON line per request (`jusur.request`:
# request id, user id, view, status, duration; decision 0013) and nginx logs what reaches it.
accesslog = None
errorlog = "-"  # standard error: the journal (systemd) or honcho's output
forwarded_allow_ips = "127.0.0.1,::1"
