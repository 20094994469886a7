"""A real server for tests that must run against one (schemathesis): gunicorn in a subprocess,
on a fresh database of either backend the project supports, migrated and seeded with the
territories, the starter taxonomy and a partner token holding every scope.

`live_server(database_url)` is a context manager yielding (base_url, token); with None, the
database is a SQLite file in the server's temporary folder (which also holds its log). With
`demo=True` the demo data set is loaded too, and `manage(server, *args)` runs a management
command against the server's database (e.g. to open sessions for the demo accounts).
"""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import requests

ROOT = Path(__file__).resolve().parent.parent
SEED = """
from partners.enums import Scope
from partners.services import api_token_create
from portal.enums import Role
from portal.models import PartnerOrganisation, User

partner = PartnerOrganisation.objects.create(name="Schemathesis")
user = User.objects.create_user("live@example.org", "live-tests-2026", role=Role.PARTNER, partner=partner)
_token, plaintext = api_token_create(partner=partner, created_by=user, name="live", scopes=list(Scope.values))
print("TOKEN=" + plaintext)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_admin(database_url: str):
    parts = urlsplit(database_url)
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    return connection, parts.path.lstrip("/")


@contextlib.contextmanager
def _database(database_url: str):
    if not database_url.startswith("postgres"):
        yield
        return
    connection, name = _postgres_admin(database_url)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def live_server(database_url: str | None, *, demo: bool = False):
    # Not pytest's tmp_path: pytest prunes old base folders whenever another run starts.
    with tempfile.TemporaryDirectory(prefix="jusur-live-") as workdir:
        yield from _serve(database_url or f"sqlite:///{workdir}/live.sqlite3", Path(workdir), demo=demo)


class LiveServer(tuple):
    """(base_url, token), plus the environment its management commands run in."""

    env: dict


def manage(server: LiveServer, *args: str) -> str:
    return _run(server.env, *args)


def _serve(database_url: str, workdir: Path, *, demo: bool):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.live_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": "",  # tasks in-process, cache in memory: nothing shared with the test run
        "DJANGO_CONN_MAX_AGE": "0",
        "PYTHONPATH": str(ROOT),
    }
    port = _free_port()
    with _database(database_url):
        _run(env, "migrate", "--noinput", "-v0")
        _run(env, "load_territories")
        _run(env, "load_starter_taxonomy")
        token = _run(env, "shell", "-c", SEED).rsplit("TOKEN=", 1)[1].strip()
        if demo:
            _run(env, "demo_seed")
        log = (workdir / f"server-{port}.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "60", "--no-control-socket",  # its socket path is per user
             # The application is under test: gunicorn's own 414 for a request line past 4 KB
             # (a plain-text answer before Django) is the front server's, as nginx's would be.
             "--limit-request-line", "0"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"{base_url}/healthz", timeout=2).raise_for_status()
                    break
                except requests.RequestException:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"the live server did not start: see {log.name}") from None
                    time.sleep(0.3)
            server_handle = LiveServer((base_url, token))
            server_handle.env = env
            yield server_handle
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
