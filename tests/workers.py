"""A real Celery worker for integration tests: a subprocess against the test database and
Redis, consuming a queue private to this test run (other runs may share the Redis)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
QUEUE = f"tests-{os.getpid()}"


def database_url() -> str:
    """The test database (test_…), which the worker must use instead of the configured one."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    *,
    concurrency: int = 1,
    extra_env: dict | None = None,
    include: str | None = None,
    log_path: Path | None = None,
    log_level: str = "warning",
    eager: bool = True,
    name: str | None = None,
):
    """Start a worker; with `log_path`, its whole output (stdout and stderr) goes to that file.
    `name` is its node name (`-n a@%h`), as two hosts' workers would have distinct ones.

    The worker runs the tasks its tasks publish in-process, as unit tests do, unless `eager` is
    False: then they go through Redis like in production (a task's own retries, for instance).
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        **({} if eager else {"JUSUR_TEST_WORKER_QUEUE": QUEUE}),
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-l", log_level, "-c", str(concurrency)]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", QUEUE]
    if include:
        command += ["--include", include]
    if name:
        command += ["-n", name]
    # Its own process group, so that a test can kill the worker and its pool children at once.
    if log_path is None:
        return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    with open(log_path, "ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
        )


def stop_worker(process, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def wait_for(condition, timeout: float = 45.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def pool_children(process) -> list[int]:
    """The pids of a prefork worker's pool processes (Linux)."""
    pid = process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def wait_until_ready(log_path: Path, timeout: float = 60.0) -> bool:
    """True once a worker started with `log_path` and log level info reports it is ready."""
    return wait_for(lambda: log_path.exists() and " ready." in log_path.read_text(errors="replace"), timeout)


@contextmanager
def relay_ticking(every: float = 15.0):
    """Beat's outbox relay, run from a thread of the test at beat's cadence (the first tick
    at once), for tests that need recovery to happen without a beat process."""
    from portal.outbox import outbox_relay

    stop = threading.Event()

    def tick():
        try:
            while True:
                outbox_relay()
                if stop.wait(every):
                    return
        finally:
            connection.close()

    thread = threading.Thread(target=tick, name="test-relay", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


class PrivateRedisServer:
    """A redis-server of the test's own, without persistence, that the test may stop and start
    again on the same port (a restart loses every message it held)."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        if not wait_for(lambda: _answers(client), timeout=10):
            raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def use_broker(app, url: str) -> str:
    """Point this process's Celery app at the broker `url` (read, write and default URL alike:
    `broker_write_url`, once set, would win over `broker_url`), with new connections on its next
    publish. Returns the URL it used before, to point it back.

    kombu keeps the producer pools in a process-wide group keyed by the broker: they are closed
    and dropped, or a later publish — in any later test — acquires from a pool closed here."""
    from kombu import pools

    previous = app.conf.broker_write_url or app.conf.broker_url
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    return previous
