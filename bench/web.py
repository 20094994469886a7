"""Load test through the reverse proxy: `python -m bench.web` (not a timed test; issue 15).

The production path on one machine, loopback only: locust (headless, bounded) → nginx with the
shipped site (deploy/nginx/jusur.conf, its ports, paths and certificate moved into a temporary
folder) over HTTPS → gunicorn with the shipped configuration (deploy/gunicorn.conf.py, sync
workers) → Django → PostgreSQL and Redis. Three kinds of client, each kind loaded on its own
(issue 19: each target is met, or not, by its own pages):

- `public`: anonymous visitors, each looping over the roadmap page of region 05 (`roadmap`),
  the region's page (`region`) and one of its open needs (`need`) — the pages of the page cache
  (portal/pagecache.py, decision 0022);
- `api`: the partner API's needs list, 50 a page, with a partner token;
- `dashboard`: the regional dashboard of an official of region 05, with a session that passed
  the second sign-in step.

at 10, 25 and 50 concurrent clients (`--clients`), each kind at each level for `--seconds`
(default 15) after the clients have started. Before the load, the same pages in one process
(Django's test client, no proxy): server time and queries uncached, as a cache miss, as a hit
and as a 304, side by side. The data set is the demo's (`manage.py demo_seed`) in its own
database — DATABASE_URL, else postgres://postgres@127.0.0.1:5432/jusur_bench_web — built once
and reused. Prints throughput and p50/p95 per page and level, the machine's load, and as its
last line one JSON object (bench/README.md).

In the server process this module is also the settings module (JUSUR_BENCH_WEB_SERVER=1):
portal.settings with throttle rates high enough not to refuse the benchmark (the Redis count is
still made on every request). Everything else is production's: JSON logs at INFO (to a file),
metrics in multiprocess mode, DEBUG off.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jusur_bench_web"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
HOST = "127.0.0.1"
APP_PORT, HTTP_PORT, HTTPS_PORT = 8781, 8782, 8783
PAGES = ("roadmap", "region", "need", "api", "dashboard")
# The locust user class of each kind of client and the pages it requests (bench/_web_locust.py).
KINDS = {"public": ("PublicVisitor", ("roadmap", "region", "need")), "api": ("Partner", ("api",)),
         "dashboard": ("Official", ("dashboard",))}  # fmt: skip
METRICS_TOKEN = secrets.token_urlsafe(32)  # this run only

if os.environ.get("JUSUR_BENCH_WEB_SERVER") == "1":
    from portal.settings import *  # noqa: F403

    REST_FRAMEWORK = {
        **REST_FRAMEWORK,  # noqa: F405
        "DEFAULT_THROTTLE_RATES": {"token": "10000000/min", "user": "10000000/min", "anon": "10000000/min"},
    }


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.setdefault("REDIS_URL", DEFAULT_REDIS)
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    env["DJANGO_CONN_MAX_AGE"] = "600"
    env["JUSUR_TRUSTED_PROXIES"] = "1"  # behind the shipped nginx site, as the README says
    env.pop("DJANGO_DEBUG", None)
    return env


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_environment(), check=True)


def prepare() -> dict:
    """Create and fill the database once (demo data); return a partner token and a verified
    session of the official of region 05 (fresh at every run)."""
    env = _environment()
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    createdb = shutil.which("createdb") or "/usr/lib/postgresql/15/bin/createdb"
    server = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    created = subprocess.run(
        [createdb, "--maintenance-db", server, "-T", "template0", "-E", "UTF8", "--locale=C.UTF-8", database],
        capture_output=True,
        text=True,
    )
    if created.returncode != 0 and "already exists" not in created.stderr:
        raise SystemExit(created.stderr)
    _manage("migrate", "--noinput", "-v0")
    _manage("load_territories")
    _manage("load_starter_taxonomy")
    _manage("demo_seed")
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "from partners.enums import Scope; from partners.services import api_token_create\n"
        "from portal.models import PartnerOrganisation, User\n"
        # The same verified-session transition the tests use (second step done with a device).
        "from tests.auth import force_login_verified\n"
        "partner, _ = PartnerOrganisation.objects.get_or_create(name='Bench web partner')\n"
        "_, token = api_token_create(partner=partner, created_by=None, name='bench-web', scopes=[Scope.READ_PUBLIC])\n"
        "client = force_login_verified(Client(), User.objects.get(email='official.bmk@demo.jusur.ma'))\n"
        "from regions.models import Need\n"
        "need = Need.objects.filter(region__code='05', status='open').order_by('pk').first()\n"
        "print(json.dumps({'token': token, 'cookie': settings.SESSION_COOKIE_NAME,"
        " 'session': client.cookies[settings.SESSION_COOKIE_NAME].value, 'need': need.pk}))\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _nginx_site(folder: Path) -> Path:
    """The shipped site on loopback ports, with a throwaway certificate, in `folder`."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jusur.example.org",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (
        (ROOT / "deploy" / "nginx" / "jusur.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/jusur.example.org/", f"{folder}/")
        .replace("/srv/jusur/", f"{folder}/")
        .replace("server 127.0.0.1:8000;", f"server {HOST}:{APP_PORT};")
        .replace("listen 80;", f"listen {HOST}:{HTTP_PORT};")
        .replace("listen 443 ssl http2;", f"listen {HOST}:{HTTPS_PORT} ssl http2;")
        .replace("listen [::]:80;", "")
        .replace("listen [::]:443 ssl http2;", "")
        # Recommended for the shipped site too: Django takes the proxy's id (portal/logs.py).
        .replace(
            "proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_buffering on;",
            "proxy_set_header X-Forwarded-Proto $scheme;\n        proxy_set_header X-Request-ID $request_id;\n"
            "        proxy_buffering on;",
        )
    )
    (folder / "jusur.conf").write_text(site)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nworker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {folder}/body;\n  proxy_temp_path {folder}/proxy;\n"
        f"  include {folder}/jusur.conf;\n}}\n"
    )
    return conf


def _wait_for(port: int, path: str, tls: bool = False) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if tls:
                context = ssl._create_unverified_context()  # noqa: S323 - our throwaway certificate
                connection = http.client.HTTPSConnection(HOST, port, timeout=5, context=context)
            else:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answered on {HOST}:{port}{path}")


def _paths(secrets: dict) -> dict[str, str]:
    return {
        "roadmap": "/fr/regions/05/roadmap/",
        "region": "/fr/regions/05/",
        "need": f"/fr/regions/05/needs/{secrets['need']}/",
        "api": "/api/v1/needs/?limit=50",
    }


def page_costs(secrets: dict, repeat: int = 30) -> dict:
    """In this process (the server's settings, no proxy): each public page's server time and
    query count uncached, as a miss, as a hit and as a 304; the API list's too, with its token."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from portal.pagecache import GLOBAL, public_pages_changed

    def measure(client, path, headers=None, before=None) -> dict:
        times, queries, status = [], set(), None
        for _ in range(repeat):
            if before:
                before()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, headers=headers or {}, secure=True)
                times.append((time.perf_counter() - started) * 1000)
            queries.add(len(captured))
            status = response.status_code
        times.sort()
        return {"status": status, "queries": sorted(queries), "median_ms": round(times[len(times) // 2], 2),
                "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}  # fmt: skip

    costs = {}
    for page, path in _paths(secrets).items():
        # The API list with the partner token (cached per token); the pages as an anonymous visitor.
        headers = {"host": HOST, **({"authorization": f"Bearer {secrets['token']}"} if page == "api" else {})}
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            uncached = measure(Client(), path, headers)
        visitor = Client()
        # Outside a transaction the bump is immediate: every request of this series is a miss.
        miss = measure(visitor, path, headers, before=lambda: public_pages_changed(GLOBAL))
        hit = measure(visitor, path, headers)
        etag = visitor.get(path, headers=headers, secure=True)["ETag"]
        not_modified = measure(visitor, path, {**headers, "if-none-match": etag})
        costs[page] = {"uncached": uncached, "miss": miss, "hit": hit, "not_modified": not_modified}
    return costs


def _page_costs(secrets: dict) -> dict:
    env = _environment()
    env.update({"JUSUR_BENCH_WEB_SERVER": "1", "DJANGO_SETTINGS_MODULE": "bench.web", "DJANGO_LOG_LEVEL": "WARNING"})
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    output = subprocess.run(
        [sys.executable, "-m", "bench.web", "--page-costs", json.dumps(secrets)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def _print_costs(costs: dict) -> None:
    print("\nServer time per request in one process (median / p95 ms) and queries, uncached vs cached:")
    print(f"  {'page':<8} {'uncached':>22} {'cache miss':>22} {'cache hit':>22} {'304':>22}")
    for page, figures in costs.items():
        cells = []
        for state in ("uncached", "miss", "hit", "not_modified"):
            f = figures.get(state)
            queries = ",".join(map(str, f["queries"])) if f else ""
            cells.append(f"{f['median_ms']:>6.1f} / {f['p95_ms']:>6.1f}, {queries:>3} q" if f else "-")
        print(f"  {page:<8} " + " ".join(f"{cell:>22}" for cell in cells))


def _load(users: int, seconds: int, folder: Path, secrets: dict, kind: str) -> dict:
    user_class, pages = KINDS[kind]
    prefix = folder / f"locust-{kind}-{users}"
    env = {
        **os.environ,
        "BENCH_WEB_TOKEN": secrets["token"],
        "BENCH_WEB_SESSION_COOKIE": secrets["cookie"],
        "BENCH_WEB_SESSION": secrets["session"],
        "BENCH_WEB_NEED": str(secrets["need"]),
    }
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    started = time.time()
    subprocess.run(
        [locust, "-f", str(ROOT / "bench" / "_web_locust.py"), "--headless", "--host", f"https://{HOST}:{HTTPS_PORT}",
         "-u", str(users), "-r", str(users), "-t", f"{seconds + 2}s", "--stop-timeout", "10", "--csv", str(prefix),
         "--only-summary", "--loglevel", "ERROR", "--exit-code-on-error", "0", user_class],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=seconds + 120,
    )  # fmt: skip
    load = os.getloadavg()
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    result = {"clients": users, "seconds": round(time.time() - started, 1), "load_average_1m": round(load[0], 2)}
    for page in (*pages, "Aggregated"):
        row = rows[page]
        result[page] = {
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
        }
    return result


def _scraped_requests() -> dict:
    connection = http.client.HTTPConnection(HOST, APP_PORT, timeout=30)
    connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    text = connection.getresponse().read().decode()
    counted: dict[str, int] = {}
    for line in text.splitlines():
        if line.startswith("jusur_http_request_duration_seconds_count{") and 'status="200"' in line:
            view = line.split('view="', 1)[1].split('"', 1)[0]
            counted[view] = counted.get(view, 0) + int(float(line.rsplit(" ", 1)[1]))
    return dict(sorted(counted.items(), key=lambda item: -item[1])[:4])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="10,25,50", help="concurrency levels, comma-separated")
    parser.add_argument("--seconds", type=int, default=15, help="seconds of load per level (at most 60)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--kinds", default=",".join(KINDS), help="kinds of client, comma-separated")
    parser.add_argument("--page-costs", help=argparse.SUPPRESS)  # internal: the in-process figures
    args = parser.parse_args(argv)
    if args.page_costs:
        print(json.dumps(page_costs(json.loads(args.page_costs))))
        return
    kinds = [kind for kind in args.kinds.split(",") if kind in KINDS]
    levels = [int(n) for n in args.clients.split(",")]
    seconds = min(max(args.seconds, 5), 60)  # bounded: this is a shared machine
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed (apt-get install nginx-light; `make test` installs it)")

    secrets = prepare()
    costs = _page_costs(secrets)
    _print_costs(costs)
    folder = Path(tempfile.mkdtemp(prefix="jusur-bench-web-"))
    (folder / "metrics").mkdir()
    env = _environment()
    env.update(
        {
            "JUSUR_BENCH_WEB_SERVER": "1",
            "DJANGO_SETTINGS_MODULE": "bench.web",
            "GUNICORN_BIND": f"{HOST}:{APP_PORT}",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_CONTROL_SOCKET": str(folder / "gunicorn.ctl"),
            "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
            "JUSUR_LOG_FORMAT": "json",
            "JUSUR_METRICS_TOKEN": METRICS_TOKEN,
            "DJANGO_LOG_LEVEL": "INFO",
        }
    )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = open(folder / "gunicorn.log", "wb")  # noqa: SIM115 - open for the server's whole life
    server = subprocess.Popen(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    proxy = None
    try:
        _wait_for(APP_PORT, "/healthz/live")
        conf = _nginx_site(folder)
        proxy = subprocess.Popen(
            [nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"], start_new_session=True
        )
        _wait_for(HTTPS_PORT, "/healthz/live", tls=True)
        print(f"gunicorn ({args.workers} sync workers) behind nginx, https://{HOST}:{HTTPS_PORT}; {os.getloadavg()}")
        results = []
        for users in levels:
            result = {"clients": users}
            for kind in kinds:
                measured = _load(users, seconds, folder, secrets, kind)
                result.update({page: measured[page] for page in KINDS[kind][1]})
                if kind == "public":  # the three pages together: the figure
                    result["public"] = measured["Aggregated"]
                result[f"{kind}_load_average_1m"] = measured["load_average_1m"]
            result["load_average_1m"] = max(result[f"{kind}_load_average_1m"] for kind in kinds)
            results.append(result)
            print(f"\n{users} clients, {seconds} s per kind, load average (1 min) {result['load_average_1m']}")
            shown = [page for kind in kinds for page in KINDS[kind][1]] + (["public"] if "public" in kinds else [])
            for page in shown:
                figures = result[page]
                print(
                    f"  {page:<10} {figures['rps']:>7.1f} req/s  p50 {figures['p50_ms']:>6.0f} ms  "
                    f"p95 {figures['p95_ms']:>6.0f} ms  {figures['requests']} requests, {figures['errors']} errors"
                )
        # Cross-check, as Prometheus would scrape it (on the private address, with the token):
        # the requests every gunicorn worker counted, added up in multiprocess mode.
        counted = _scraped_requests()
        print("\n/metrics, 200 answers per view (all levels):", json.dumps(counted))
    finally:
        for process in (proxy, server):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=40)
        log.close()
    # The figures at 25 clients (the level) when it was run, else at the highest level.
    busiest = next((r for r in results if r["clients"] == 25), results[-1])
    summary = {"clients": busiest["clients"]}
    for page in ("public", *PAGES):
        if page in busiest:
            summary[f"{page}_rps"] = busiest[page]["rps"]
            summary[f"{page}_p95_ms"] = busiest[page]["p95_ms"]
    summary.update(
        {
            "errors": sum(r[page]["errors"] for r in results for page in PAGES if page in r),
            "load_average_1m": busiest["load_average_1m"],
            "workers": args.workers,
            "page_costs": costs,
            "levels": results,
        }
    )
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
