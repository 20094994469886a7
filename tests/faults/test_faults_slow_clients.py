"""Issue 15: slow uploaders behind the proxy. nginx with deploy/nginx/jusur.conf in front of
gunicorn with its two sync workers: clients trickling request bodies (more of them than there
are workers) do not hold a worker, so other visitors keep being served meanwhile."""

import os
import shutil
import socket
import ssl
import threading
import time

import pytest
import requests
from django.conf import settings

from tests.faults.servers import record_fault, stop_process
from tests.faults.web import start_gunicorn, start_nginx
from tests.workers import database_url

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (scripts/apt-install.sh)"),
]

SLOW_CLIENTS = 6  # three times gunicorn's two workers
BODY_BYTES = 64 * 1024
TRICKLE_SECONDS = 20  # each slow client sends its body over this long, in 1 KB pieces
FAST_TIMEOUT = 10  # a fast request waiting on a worker held by a slow one would take ~TRICKLE_SECONDS


def _trickle(port: int, done: list, tick: float) -> None:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=60) as raw, context.wrap_socket(raw) as sock:
        head = (
            "POST /fr/diaspora/signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {BODY_BYTES}\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        for _ in range(BODY_BYTES // 1024):
            sock.sendall(b"a" * 1024)
            time.sleep(tick)
        answer = sock.recv(64)
    done.append(answer.split(b"\r\n", 1)[0].decode(errors="replace"))


def test_slow_uploaders_behind_nginx_do_not_block_other_requests(fault_dir, territories):
    env = {"DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL}
    web, base = start_gunicorn(env=env, log=fault_dir / "gunicorn.log", workers=2)
    (fault_dir / "nginx").mkdir()
    proxy, port = start_nginx(upstream=base.removeprefix("http://"), folder=fault_dir / "nginx")
    certificate = fault_dir / "nginx" / "fullchain.pem"
    finished: list[str] = []
    slow = [
        threading.Thread(target=_trickle, args=(port, finished, TRICKLE_SECONDS / (BODY_BYTES // 1024)), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    statuses, slowest = [], 0.0
    try:
        for thread in slow:
            thread.start()
        time.sleep(2)  # every slow client is connected and trickling
        started = time.monotonic()
        while time.monotonic() - started < TRICKLE_SECONDS - 6 and len(statuses) < 40:
            for path in ("/fr/", "/healthz/ready"):
                began = time.monotonic()
                try:
                    code = requests.get(
                        f"https://127.0.0.1:{port}{path}", timeout=FAST_TIMEOUT, verify=certificate
                    ).status_code
                except requests.RequestException:
                    code = 0
                statuses.append(code)
                slowest = max(slowest, time.monotonic() - began)
            time.sleep(0.25)
        still_uploading = sum(thread.is_alive() for thread in slow)
        for thread in slow:
            thread.join(timeout=TRICKLE_SECONDS + 30)
    finally:
        stop_process(proxy)
        stop_process(web)

    record_fault(
        f"{SLOW_CLIENTS} slow uploaders ({BODY_BYTES // 1024} KB in {TRICKLE_SECONDS} s each), nginx, 2 sync workers",
        requests=len(statuses) + SLOW_CLIENTS,
        errors_5xx=sum(code >= 500 for code in statuses),
        recovery_seconds=0,
        changes_lost=0,
        duplicates=0,
        detail={
            "fast_requests": len(statuses),
            "fast_failed": sum(code != 200 for code in statuses),
            "slowest_fast_request_s": round(slowest, 2),
            "slow_clients_still_uploading_at_end": still_uploading,
            "slow_answers": sorted(set(finished)),
        },
    )
    assert still_uploading == SLOW_CLIENTS  # the fast requests were all made while every slow body was arriving
    assert statuses and all(code == 200 for code in statuses)
    assert len(finished) == SLOW_CLIENTS  # and each slow client got its answer in the end (403: no CSRF token)
    assert os.path.exists(fault_dir / "nginx" / "error.log")
