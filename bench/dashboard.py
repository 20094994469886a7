"""Regional dashboard at national scale: `python -m bench.dashboard --experts 100000 --needs 2000`.

Builds (once; reused while the sizes match) the matching benchmark's synthetic data set
(bench/synthetic.py through bench.matching.build) in its own PostgreSQL database — the
DATABASE_URL database, else postgres://postgres@127.0.0.1:5432/jusur_bench_dashboard — and adds
what a dashboard counts and the generator does not make: statistics consent (90 %), countries
of residence, sectors, registration dates over two years, candidates for every need (20 each,
some invited, accepted, completed), response deadlines, investment projects, meetings and
decisions. Then it measures the regional dashboard of a pilot region (05) as its official sees
it, through the Django test client against the real cache (Redis, REDIS_URL, default db 7):
one request on an empty cache in a warmed-up process (cold; the process's very first request
is reported apart), then repeated requests (warm, what visitors get
between two refreshes). The last line printed is one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jusur_bench_dashboard"
ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["FR", "ES", "IT", "BE", "NL", "DE", "CA", "AE", "US", "GB", "SA", "QA", "CH", "SE"]


def _django_setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def enrich() -> None:
    """Add the dashboard's rows to the matching data set (idempotent: skipped when present)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from matching.models import Match
    from portal.models import User
    from projects.enums import ProjectStage, ProjectStatus
    from projects.models import Project
    from regions.models import ConsultationMeeting, Decision, Region
    from taxonomy.models import Sector

    if Match.objects.exists() and Project.objects.filter(title__startswith="Bench ").exists():
        print("dashboard rows present", flush=True)
        return
    started = time.perf_counter()
    if not Sector.objects.exists():
        from taxonomy.services import sectors_load

        sectors_load()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            "UPDATE diaspora_expertprofile SET consent_statistics = (random() < 0.9),"
            " country_of_residence = (%s::text[])[1 + floor(random() * %s)::int],"
            " created_at = now() - random() * interval '730 days'",
            [COUNTRIES, len(COUNTRIES)],
        )
        cursor.execute("DELETE FROM diaspora_expertprofile_sectors")
        cursor.execute(
            "INSERT INTO diaspora_expertprofile_sectors (expertprofile_id, sector_id)"
            " SELECT p.id, s.ids[1 + (p.id * 7) % array_length(s.ids, 1)] FROM diaspora_expertprofile p,"
            " (SELECT array_agg(id ORDER BY code) AS ids FROM taxonomy_sector) s"
            " UNION SELECT p.id, s.ids[1 + (p.id * 13) % array_length(s.ids, 1)] FROM diaspora_expertprofile p,"
            " (SELECT array_agg(id ORDER BY code) AS ids FROM taxonomy_sector) s WHERE p.id % 3 = 0"
        )
        cursor.execute(
            "UPDATE regions_need SET response_deadline = (published_at + interval '14 days')::date,"
            " published_at = now() - random() * interval '300 days', created_at = published_at"
        )
        cursor.execute("DELETE FROM matching_engagement")
        cursor.execute("DELETE FROM matching_match")
        # 20 candidates per need among the experts of its region (a deterministic spread).
        cursor.execute(
            "INSERT INTO matching_match (need_id, profile_id, score, rank, parts, status, interested,"
            " invitation_message, created_at, updated_at)"
            " SELECT n.id, c.id, 0.3 + 0.7 * random(), c.r, '{}'::jsonb, 'suggested', false, '', now(), now()"
            " FROM regions_need n CROSS JOIN LATERAL ("
            "   SELECT p.id, row_number() OVER () AS r FROM diaspora_expertprofile p"
            "   WHERE p.origin_region_id = n.region_id AND p.id % 53 = n.id % 53 LIMIT 20) c"
        )
        cursor.execute(
            "UPDATE matching_match m SET status = 'invited',"
            " invited_at = n.published_at + random() * interval '20 days'"
            " FROM regions_need n WHERE n.id = m.need_id AND m.rank <= 3 AND n.id % 10 < 6"
        )
        cursor.execute("UPDATE matching_match SET status = 'accepted' WHERE status = 'invited' AND rank = 1")
        cursor.execute(
            "INSERT INTO matching_engagement (match_id, status, deliverable_note, started_at)"
            " SELECT id, CASE WHEN need_id % 2 = 0 THEN 'completed' ELSE 'started' END, '', now()"
            " FROM matching_match WHERE status = 'accepted'"
        )
    now = timezone.now()
    sectors = list(Sector.objects.order_by("code"))
    investors = list(User.objects.filter(email__startswith="expert-").order_by("pk")[:2000])
    regions = list(Region.objects.order_by("code").prefetch_related("provinces"))
    stages, statuses = list(ProjectStage.values), list(ProjectStatus.values)
    Project.objects.filter(title__startswith="Bench ").delete()
    Project.objects.bulk_create(
        Project(
            investor=investor,
            title=f"Bench project {k}",
            description="Synthetic",
            sector=sectors[k % len(sectors)],
            region=regions[k % len(regions)],
            province=regions[k % len(regions)].provinces.all()[0],
            amount_mad=100_000 + (k * 7919) % 9_000_000,
            share_from_abroad_pct=50,
            own_contribution_mad=50_000,
            expected_jobs=k % 40,
            stage=stages[k % len(stages)],
            status=statuses[(k // 3) % len(statuses)],
        )
        for k, investor in enumerate(investors)
    )
    meetings = ConsultationMeeting.objects.bulk_create(
        ConsultationMeeting(
            region=region,
            title=f"Bench meeting {k}",
            starts_at=now - timezone.timedelta(days=30 * k),
            ends_at=now - timezone.timedelta(days=30 * k) + timezone.timedelta(hours=2),
            status="held" if k else "planned",
        )
        for region in regions
        for k in range(12)
    )
    Decision.objects.bulk_create(
        Decision(meeting=m, region_id=m.region_id, title=f"Decision {k}", follow_up_status=f)
        for m in meetings
        for k, f in enumerate(["pending", "in_progress", "done"])
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"dashboard rows added ({time.perf_counter() - started:.0f} s)", flush=True)


def measure(requests: int, code: str) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from diaspora.models import ExpertProfile
    from portal.models import User
    from regions.models import Need

    official = User.objects.get(email=f"owner-{code}@bench.jusur")
    client = Client()
    client.force_login(official)
    url = f"/fr/dashboards/region/{code}/"
    # The process's very first request also loads templates, URL patterns and catalogues:
    # reported apart, because a web worker pays it once, not once per filter combination.
    cache.clear()
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    first_ms = (time.perf_counter() - started) * 1000
    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        started = time.perf_counter()
        response = client.get(url)
        cold_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    timings, queries = [], 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = max(queries, len(captured))
    timings.sort()
    return {
        "region": code,
        "requests": requests,
        "first_request_ms": round(first_ms, 1),
        "dashboard_cold_ms": round(cold_ms, 1),
        "dashboard_cold_queries": len(cold_queries),
        "dashboard_p50_ms": round(statistics.median(timings), 1),
        "dashboard_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "dashboard_queries": queries,
        "experts": ExpertProfile.objects.count(),
        "needs": Need.objects.count(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--region", default="05")
    args = parser.parse_args(argv)
    _django_setup()
    from bench.matching import build

    build(args.experts, args.needs, args.seed)
    enrich()
    print(json.dumps(measure(args.requests, args.region)), flush=True)


if __name__ == "__main__":
    main()
