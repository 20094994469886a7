"""Partner API against a bare Django view: `python -m bench.api` (not a timed test).

Builds (once; reused while the sizes match) the matching benchmark's synthetic data set
(bench/synthetic.py through bench.matching.build: 100,000 experts, 2,000 needs) in its own
PostgreSQL database — DATABASE_URL, else postgres://postgres@127.0.0.1:5432/jusur_bench_api —
lets 90 % of the experts consent to partner sharing, and makes a partner token with
`read:public` and `read:experts`. Then it serves the project with gunicorn (2 workers, sync,
persistent database connections) on 127.0.0.1 and measures, side by side, page-of-50 requests
alternating between the needs and the experts lists:

- the API (`/api/v1/needs/?limit=50`, `/api/v1/experts/?limit=50`, token authentication,
  throttling counted in Redis, filters, serializers, pagination), and
- a bare Django view returning the same rows, with the same columns and nested skills, as
  plain JSON (`/bench/bare/needs/`, `/bench/bare/experts/`, same middleware, no DRF);

first closed-loop throughput (CLIENTS threads for SECONDS each), then latency at a fixed
50 req/s. The client runs on the same 2-core machine as the server: absolute figures are low
bounds. The last line printed is one JSON object (see bench/README.md).

In the server processes this module is also the settings module (JUSUR_BENCH_API_SERVER=1):
portal.settings plus a URLconf with the bare views in front of the project's, and a throttle
rate high enough not to refuse the benchmark (the Redis count is still made on every request).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jusur_bench_api"
DEFAULT_REDIS = "redis://127.0.0.1:6379/8"
HOST, PORT = "127.0.0.1", 8765

# --- server role: settings module and URLconf ----------------------------------------------

if os.environ.get("JUSUR_BENCH_API_SERVER") == "1":
    from portal.settings import *  # noqa: F403

    ROOT_URLCONF = "bench.api"
    REST_FRAMEWORK = {
        **REST_FRAMEWORK,  # noqa: F405
        "DEFAULT_THROTTLE_RATES": {"token": "10000000/min", "user": "10000000/min", "anon": "10000000/min"},
    }


def _skill_columns(ids: set[int], column: str) -> dict:
    # By primary key, as the API does, not joined: joined, the planner hashes the whole
    # taxonomy (13,502 skills) for a page's few hundred.
    from taxonomy.models import Skill

    return dict(Skill.objects.filter(pk__in=ids).order_by().values_list("pk", column))


def _need_rows(limit: int) -> list[dict]:
    from regions.models import Need, NeedLanguage, NeedSkill

    fields = [
        "id", "title", "description", "text_language", "region_id", "region__code", "roadmap_id", "axis_id",
        "axis__kind", "axis__title", "sector_id", "format", "work_mode", "province_id", "commune_id", "start_date",
        "duration_days", "end_date", "experts_wanted", "status", "response_deadline", "published_at",
    ]  # fmt: skip
    rows = list(Need.objects.public().order_by("-id").values(*fields)[:limit])
    ids = [row["id"] for row in rows]
    needed = list(
        NeedSkill.objects.filter(need_id__in=ids).values_list("need_id", "skill_id", "weight", "essential", "min_level")
    )
    uris = _skill_columns({row[1] for row in needed}, "uri")
    skills: dict[int, list] = {}
    for need_id, skill_id, weight, essential, level in needed:
        skills.setdefault(need_id, []).append(
            {"skill": {"id": skill_id, "uri": uris[skill_id]}, "weight": weight, "essential": essential,
             "min_level": level}
        )  # fmt: skip
    languages: dict[int, list] = {}
    for need_id, language, level in NeedLanguage.objects.filter(need_id__in=ids).values_list(
        "need_id", "language", "min_level"
    ):
        languages.setdefault(need_id, []).append({"language": language, "min_level": level})
    for row in rows:
        row["skills"] = skills.get(row["id"], [])
        row["languages"] = languages.get(row["id"], [])
    return rows


def _expert_rows(limit: int) -> list[dict]:
    from diaspora.models import ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill
    from portal.api.pseudonyms import pseudonyms_for

    fields = [
        "id", "country_of_residence", "origin_region__code", "work_mode", "hours_per_month", "available_from",
        "available_until",
    ]  # fmt: skip
    rows = list(ExpertProfile.objects.for_partners().order_by("-confirmed_at").values(*fields)[:limit])
    ids = [row["id"] for row in rows]
    held = list(ExpertSkill.objects.filter(profile_id__in=ids).values_list("profile_id", "skill_id", "level", "years"))
    labels = _skill_columns({row[1] for row in held}, "labels")
    skills: dict[int, list] = {}
    for profile_id, skill_id, level, years in held:
        skills.setdefault(profile_id, []).append(
            {"skill_id": skill_id, "label": labels[skill_id].get("fr", ""), "level": level, "years": years}
        )
    languages: dict[int, list] = {}
    for profile_id, language, level in ExpertLanguage.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "language", "level"
    ):
        languages.setdefault(profile_id, []).append({"language": language, "level": level})
    formats: dict[int, list] = {}
    for profile_id, format_ in ExpertFormat.objects.filter(profile_id__in=ids).values_list("profile_id", "format"):
        formats.setdefault(profile_id, []).append(format_)
    for row in rows:
        pk = row.pop("id")
        row["id"] = pseudonyms_for(None).public_id(pk)
        row["skills"] = skills.get(pk, [])
        row["languages"] = languages.get(pk, [])
        row["formats"] = formats.get(pk, [])
    return rows


def bare_needs(request):
    from django.http import JsonResponse

    return JsonResponse({"results": _need_rows(50)})


def bare_experts(request):
    from django.http import JsonResponse

    return JsonResponse({"results": _expert_rows(50)})


def __getattr__(name: str):
    # PEP 562: the URLconf is built when Django first resolves a URL, after the apps are ready
    # (this module is imported earlier, as the settings module).
    if name == "urlpatterns":
        from django.urls import path

        from portal.urls import urlpatterns as project  # i18n_patterns cannot be include()d

        globals()["urlpatterns"] = patterns = [
            path("bench/bare/needs/", bare_needs),
            path("bench/bare/experts/", bare_experts),
            *project,
        ]
        return patterns
    raise AttributeError(name)


# --- runner role ---------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DB)
    env.setdefault("REDIS_URL", DEFAULT_REDIS)
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    env["DJANGO_ALLOWED_HOSTS"] = HOST
    env["DJANGO_SSL_REDIRECT"] = "0"
    env["DJANGO_SECURE_COOKIES"] = "0"
    env["DJANGO_LOG_LEVEL"] = "ERROR"
    env["DJANGO_CONN_MAX_AGE"] = "600"
    return env


def prepare(n_experts: int, n_needs: int, seed: int) -> str:
    """Build the data set (bench.matching.build), partner sharing consent, and a token."""
    env = _environment()
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SECRET_KEY")})
    os.environ.pop("REDIS_URL", None)  # building calls services directly: no broker
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench import matching

    matching.build(n_experts, n_needs, seed)

    from django.db import connection
    from django.db.models.functions import Mod

    from diaspora.models import ExpertProfile
    from partners.enums import Scope
    from partners.services import api_token_create
    from portal.models import PartnerOrganisation

    # 90 % of the experts share with partners (every tenth does not): idempotent.
    ExpertProfile.objects.update(consent_partner_sharing=True)
    ExpertProfile.objects.alias(tenth=Mod("id", 10)).filter(tenth=0).update(consent_partner_sharing=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the bulk load and the update
    partner, _ = PartnerOrganisation.objects.get_or_create(name="Bench partner")
    _token, plaintext = api_token_create(
        partner=partner, created_by=None, name="bench", scopes=[Scope.READ_PUBLIC, Scope.READ_EXPERTS]
    )
    print(
        f"data set: {ExpertProfile.objects.count()} experts "
        f"({ExpertProfile.objects.for_partners().count()} shared with partners)",
        flush=True,
    )
    return plaintext


def _serve() -> subprocess.Popen:
    env = _environment()
    env["JUSUR_BENCH_API_SERVER"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "bench.api"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [gunicorn, "portal.wsgi", "-w", "2", "-b", f"{HOST}:{PORT}", "--log-level", "warning", "--keep-alive", "30"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


class Client:
    def __init__(self, headers: dict[str, str]):
        self.headers = headers
        self.connection = http.client.HTTPConnection(HOST, PORT, timeout=30)

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
            status = 0
        return status, (time.perf_counter() - started) * 1000


def throughput(paths: list[str], headers: dict, clients: int, seconds: float) -> dict:
    """Closed loop: `clients` threads sending back to back, alternating `paths`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        nonlocal errors
        client, n, mine, bad = Client(headers), offset, [], 0
        while time.perf_counter() < stop:
            status, ms = client.get(paths[n % len(paths)])
            n += 1
            mine.append(ms)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {"rps": round(len(latencies) / elapsed, 1), "requests": len(latencies), "errors": errors}


def paced(paths: list[str], headers: dict, rate: float, seconds: float) -> dict:
    """Open loop at `rate` requests per second (scheduled send times, 8 sender threads)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    next_index = 0

    def worker() -> None:
        nonlocal errors, next_index
        client = Client(headers)
        while True:
            with lock:
                index = next_index
                next_index += 1
            if index >= total:
                return
            delay = start + index / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, ms = client.get(paths[index % len(paths)])
            with lock:
                latencies.append(ms)
                errors += status != 200

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=4, help="closed-loop client threads")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each measurement")
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second of the latency run")
    args = parser.parse_args(argv)

    token = prepare(args.experts, args.needs, args.seed)
    api = (["/api/v1/needs/?limit=50", "/api/v1/experts/?limit=50"], {"Authorization": f"Bearer {token}"})
    bare = (["/bench/bare/needs/", "/bench/bare/experts/"], {})
    server = _serve()
    try:
        for paths, headers in (api, bare):  # warm both workers' connections and caches
            throughput(paths, headers, args.clients, 2)
        results = {}
        for name, (paths, headers) in (("api", api), ("bare", bare)):
            results[name] = {
                "throughput": throughput(paths, headers, args.clients, args.seconds),
                "at_rate": paced(paths, headers, args.rate, args.seconds),
            }
            print(name, json.dumps(results[name]), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    api_r, bare_r = results["api"], results["bare"]
    summary = {
        "api_rps": api_r["throughput"]["rps"],
        "bare_rps": bare_r["throughput"]["rps"],
        "rps_ratio": round(api_r["throughput"]["rps"] / bare_r["throughput"]["rps"], 3),
        "api_p50_ms": api_r["at_rate"]["p50_ms"],
        "api_p95_ms": api_r["at_rate"]["p95_ms"],
        "api_p99_ms": api_r["at_rate"]["p99_ms"],
        "bare_p95_ms": bare_r["at_rate"]["p95_ms"],
        "errors": sum(r[k]["errors"] for r in results.values() for k in ("throughput", "at_rate")),
        "rate": args.rate,
        "clients": args.clients,
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
