"""The member's home ("needs for you", issue 18) at national scale:
`python -m bench.member_home --experts 100000 --needs 2000`.

Reuses bench/matching.py's synthetic data set (built once, kept while the sizes match) and its
stored ranking (a full re-match is run if none is stored), then requests `/fr/matching/home/`
through Django's test client — middleware, session, selectors, template — as `--samples`
members ranked for at least one open need: half of them the members with the most suggestions
(the heaviest pages), half drawn at random among the ranked. Each member's page is requested
twice: the first view finds the database's caches cold for that member's rows, the second is
the everyday one (the "viewed" beacon the page's script posts is a separate, tiny request and
is not measured). Reports p50/p95/max of each and the number of queries per page (constant).
The last line printed is one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from bench.matching import _django_setup, build


def _ranked_members(n_samples: int, seed: int) -> list[int]:
    from django.db.models import Count

    from matching.models import Match
    from regions.enums import NeedStatus

    counts = list(
        Match.objects.filter(rank__isnull=False, need__status=NeedStatus.OPEN, profile__consent_contact=True)
        .values("profile__user_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "profile__user_id")
        .values_list("profile__user_id", "n")
    )
    heaviest = [user_id for user_id, _n in counts[: n_samples // 2]]
    rest = [user_id for user_id, _n in counts[n_samples // 2 :]]
    rng = np.random.default_rng(seed)
    drawn = rng.choice(rest, size=min(n_samples - len(heaviest), len(rest)), replace=False).tolist() if rest else []
    print(
        f"{len(counts)} members ranked for an open need; most suggestions {counts[0][1] if counts else 0}",
        flush=True,
    )
    return heaviest + drawn


def measure(n_samples: int, seed: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from matching import services
    from matching.enums import MatchRunKind, MatchRunStatus
    from matching.models import Match, MatchRun
    from portal.models import User

    if not MatchRun.objects.filter(kind=MatchRunKind.FULL, status=MatchRunStatus.DONE).exists():
        started = time.perf_counter()
        services.full_rematch()
        print(f"full re-match for the stored ranking: {time.perf_counter() - started:.1f} s", flush=True)
    load_before = os.getloadavg()[0]
    first, second, queries, shown = [], [], set(), []
    for user_id in _ranked_members(n_samples, seed):
        client = Client()
        client.force_login(User.objects.get(pk=user_id))  # the session is not what is measured
        for times in (first, second):
            with CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                response = client.get("/fr/matching/home/", secure=True)
                times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
            queries.add(len(captured))
        shown.append(response.content.count(b'class="suggested-need card"'))

    def pct(values, q):
        return round(float(np.percentile(values, q)), 1)

    return {
        "home_first_view_p50_ms": pct(first, 50),
        "home_first_view_p95_ms": pct(first, 95),
        "home_first_view_max_ms": round(max(first), 1),
        "home_p50_ms": pct(second, 50),
        "home_p95_ms": pct(second, 95),
        "home_max_ms": round(max(second), 1),
        "queries_per_page": sorted(queries),
        "suggestions_shown_max": max(shown),
        "samples": len(first),
        "experts": User.objects.filter(role="member").count(),
        "stored_suggestions": Match.objects.count(),
        "load_average_1m": round(load_before, 2),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=int, default=200, help="members whose home is requested")
    args = parser.parse_args(argv)
    # The test client's host; the page is requested over "https" so the SSL redirect stays out.
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    _django_setup()
    build(args.experts, args.needs, args.seed)
    print(json.dumps(measure(args.samples, args.seed)), flush=True)


if __name__ == "__main__":
    main()
