"""Matching size sweep (issue 19): `python -m bench.sweep` or `python -m bench.matching --sweep`.

For each size (default 25k, 100k, 250k, 500k and 1,000,000 experts; needs at 2 % of the experts,
at most 5,000) a data set is built once in its own database — the DATABASE_URL database name
with `_<experts>` appended (default jusur_sweep_<experts>) — and reused while its size matches;
then, each in a fresh process:
- the full re-match (`_full_rematch`: wall time and the peak RSS of the process doing it);
- incremental re-scoring of single experts and single needs (p50/p95);
- rank agreement: the engine's top K against tests/matching/reference.py on a few needs.
One JSON line per size (see bench/README.md, "sweep"). Not part of `make test`.

The data set is streamed (bench/synthetic.py `expert_chunks`): NumPy chunks of 100,000
experts, each sent as a binary COPY of int4 columns into staging tables, then turned into the
real rows by a few INSERT … SELECT in PostgreSQL — no Python object per row.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jusur_sweep"
SIZES = (25_000, 100_000, 250_000, 500_000, 1_000_000)
NEEDS_SHARE, NEEDS_MAX = 0.02, 5_000


def needs_for(n_experts: int) -> int:
    return min(round(n_experts * NEEDS_SHARE), NEEDS_MAX)


def database_url(n_experts: int) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_DB))
    return urlunsplit(base._replace(path=f"{base.path.rstrip('/')}_{n_experts}"))


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.pop("REDIS_URL", None)  # the services are called directly: no broker
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- building a data set (streamed) --------------------------------------------------------


def _copy_ints(cursor, table: str, rows: np.ndarray) -> None:
    from bench import synthetic

    cursor.copy_expert(f"COPY {table} FROM STDIN (FORMAT binary)", io.BytesIO(synthetic.binary_copy(rows)))


def _comment(cursor) -> dict:
    cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
    text = cursor.fetchone()[0]
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return {}


def build(n_experts: int, n_needs: int, seed: int) -> float | None:
    """Build the data set unless present; returns the build's seconds (None if none recorded)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import synthetic
    from bench.matching import _ensure_database, needs_copy, reference_maps, region_owners
    from diaspora.models import ExpertProfile
    from portal.enums import EngagementFormat, Language, WorkMode
    from regions.models import Need

    _ensure_database()
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        recorded = _comment(cursor)
    if (
        recorded.get("experts") == n_experts
        and recorded.get("needs") == n_needs
        and recorded.get("seed") == seed
        and ExpertProfile.objects.count() == n_experts
        and Need.objects.count() == n_needs
    ):
        print(f"data set present: {n_experts} experts, {n_needs} needs", flush=True)
        return recorded.get("build_s")
    started = time.perf_counter()
    taxonomy, row_to_skill, regions, province_of = reference_maps()
    languages, formats = list(Language.values), list(EngagementFormat.values)
    modes = {1: WorkMode.REMOTE, 2: WorkMode.ON_SITE, 3: WorkMode.BOTH}
    now = timezone.now().isoformat()

    def sql_array(values) -> str:  # our own constants only
        return "ARRAY[" + ", ".join(f"'{v}'" for v in values) + "]"

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE matching_match, matching_engagement, matching_matchrun, regions_needskill,"
            " regions_needlanguage, regions_needinterest, regions_needreminder, diaspora_expertskill,"
            " diaspora_expertlanguage, diaspora_expertformat CASCADE"
        )
        Need.objects.all().delete()
        cursor.execute("DELETE FROM diaspora_expertprofile")
        cursor.execute("DELETE FROM portal_user WHERE email LIKE %s", ["%@bench.jusur"])
        owners = region_owners()
        # staging tables of int4 columns, filled chunk by chunk by binary COPY
        for table, columns in (
            ("s_expert", "i int4, region int4, province int4, mode int4, hours int4, eligible int4"),
            ("s_skill", "i int4, skill int4, level int4, years int4"),
            ("s_language", "i int4, language int4, level int4"),
            ("s_format", "i int4, format int4"),
            ("s_region", "idx int4, pk int4"),
            ("s_province", "idx int4, pk int4"),
            ("s_skillmap", "idx int4, pk int4"),
        ):
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns}) ON COMMIT DROP")
        _copy_ints(cursor, "s_region", np.column_stack((np.arange(len(regions)), regions)))
        _copy_ints(cursor, "s_province", np.column_stack((np.arange(len(province_of)), province_of)))
        _copy_ints(cursor, "s_skillmap", np.column_stack((np.arange(len(row_to_skill)), row_to_skill)))
        for chunk in synthetic.expert_chunks(n_experts, seed=seed, taxonomy=taxonomy):
            n = len(chunk.formats)
            i = chunk.start + np.arange(n)
            _copy_ints(
                cursor,
                "s_expert",
                np.column_stack(
                    (i, chunk.region, chunk.province, chunk.work_mode, chunk.hours, chunk.eligible.astype(np.int64))
                ),
            )
            _copy_ints(cursor, "s_skill", np.column_stack((chunk.skill_owner, chunk.skill, chunk.level, chunk.years)))
            e, lang = np.nonzero(chunk.languages)
            _copy_ints(cursor, "s_language", np.column_stack((chunk.start + e, lang, chunk.languages[e, lang])))
            bits = chunk.formats[:, None] & (1 << np.arange(len(formats)))[None, :]
            e, f = np.nonzero(bits)
            _copy_ints(cursor, "s_format", np.column_stack((chunk.start + e, f)))
            print(f"  generated {chunk.start + n:,} experts ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute(
            "INSERT INTO portal_user (email, full_name, role, preferred_language, is_active, is_staff,"
            " is_superuser, password, date_joined)"
            " SELECT 'expert-' || i || '@bench.jusur', 'Expert ' || i, 'member', 'fr', true, false, false, '!', %s"
            " FROM s_expert ORDER BY i",
            [now],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE s_user ON COMMIT DROP AS SELECT substring(email from 8 for"
            " position('@' in email) - 8)::int4 AS i, id FROM portal_user WHERE email LIKE 'expert-%%@bench.jusur'"
        )
        cursor.execute(
            "INSERT INTO diaspora_expertprofile (user_id, display_name, phone, country_of_residence, city,"  # noqa: S608 (our own constants)
            " origin_region_id, origin_province_id, bio, work_mode, hours_per_month, cv, consent_matching,"
            " consent_contact, consent_partner_sharing, consent_statistics, is_active, confirmed_at, is_stale,"
            " created_at, updated_at, consent_public_contributions)"
            f" SELECT u.id, 'Expert ' || x.i, '', 'FR', '', r.pk, p.pk, '', ({sql_array(modes.values())})[x.mode],"
            " x.hours, '', x.eligible = 1, true, false, false, true, %s, false, %s, %s, false"
            " FROM s_expert x JOIN s_user u USING (i) JOIN s_region r ON r.idx = x.region"
            " JOIN s_province p ON p.idx = x.province ORDER BY x.i",
            [now, now, now],
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE s_profile ON COMMIT DROP AS SELECT u.i, e.id"
            " FROM diaspora_expertprofile e JOIN s_user u ON u.id = e.user_id"
        )
        print(f"  users and profiles inserted ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute(
            "INSERT INTO diaspora_expertskill (profile_id, skill_id, level, years)"
            " SELECT p.id, m.pk, s.level, s.years FROM s_skill s JOIN s_profile p USING (i)"
            " JOIN s_skillmap m ON m.idx = s.skill ORDER BY p.id, m.pk"
        )
        cursor.execute(
            "INSERT INTO diaspora_expertlanguage (profile_id, language, level)"  # noqa: S608 (our own constants)
            f" SELECT p.id, ({sql_array(languages)})[s.language + 1], s.level FROM s_language s"
            " JOIN s_profile p USING (i) ORDER BY p.id, s.language"
        )
        cursor.execute(
            "INSERT INTO diaspora_expertformat (profile_id, format)"  # noqa: S608 (our own constants)
            f" SELECT p.id, ({sql_array(formats)})[s.format + 1] FROM s_format s JOIN s_profile p USING (i)"
            " ORDER BY p.id, s.format"
        )
        print(f"  expert skills, languages, formats inserted ({time.perf_counter() - started:.0f} s)", flush=True)
        data = synthetic.streamed_needs(n_needs, seed=seed, taxonomy=taxonomy)
        needs_copy(data, n_needs, owners=owners, regions=regions, province_of=province_of, row_to_skill=row_to_skill)
    build_s = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        build_s = round(time.perf_counter() - started, 1)
        meta = json.dumps({"experts": n_experts, "needs": n_needs, "seed": seed, "build_s": build_s})
        cursor.execute(f"COMMENT ON DATABASE {connection.settings_dict['NAME']} IS %s", [meta])
    print(f"data set built: {n_experts} experts, {n_needs} needs ({build_s:.0f} s)", flush=True)
    return build_s


# --- measuring ------------------------------------------------------------------------------


def _full_rematch(workers: int) -> dict:
    """The full re-match of the loaded data set: {"full_rematch_s", "peak_rss_mb", …}.

    The ONE place the sweep runs it, in a fresh process: with `workers` ≥ 1,
    `bench.matching.rematch_with_workers(workers)` — the sharded run on that many real Celery
    workers (REDIS_URL), peak RSS being the largest worker's; with 0, today's in-process
    `matching.services.full_rematch()`, peak RSS that child's own (`ru_maxrss` via `os.wait4`).
    """
    command = [sys.executable, "-m", "bench.sweep", "--phase", "rematch", "--workers", str(workers)]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"full re-match failed ({child.returncode}): {out[-2000:]}")
    print(out.rstrip(), file=sys.stderr, flush=True)
    result = json.loads(out.strip().splitlines()[-1])
    if not workers:
        result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
        result["workers"] = 0  # in process
    return result


def _rematch_phase(workers: int) -> None:
    if workers:
        from bench.matching import rematch_with_workers

        print(json.dumps(rematch_with_workers(workers)), flush=True)
        return
    from matching import services

    timings: dict = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    run = services.full_rematch(timings=timings)
    full_s = time.perf_counter() - started
    timings["cpu_s"] = time.process_time() - cpu_started  # this process only, not PostgreSQL's
    print(
        json.dumps(
            {
                "full_rematch_s": round(full_s, 3),
                "matches": run.matches_count,
                **{k: round(v, 3) for k, v in timings.items()},
            }
        ),
        flush=True,
    )


def _incremental_phase(samples: int, reference_needs: int, seed: int) -> None:
    """Incremental p50/p95 and rank agreement, printed as one JSON object."""
    from django.db import reset_queries

    from bench.matching import _reference_records
    from matching import engine, loaders, services
    from matching.conf import matching_conf
    from taxonomy.models import SkillRelation
    from tests.matching import reference

    rng = np.random.default_rng(seed)
    conf = matching_conf()
    hierarchy = loaders.hierarchy_load(conf)
    experts, needs = loaders.experts_load(n_skills=hierarchy.n_skills), loaders.needs_load()
    expert_times, need_times = [], []
    for pid in rng.choice(experts.ids, size=samples, replace=False).tolist():
        t = time.perf_counter()
        services.expert_rematch(profile_id=pid)
        expert_times.append((time.perf_counter() - t) * 1000)
        reset_queries()
    for nid in rng.choice(needs.ids, size=samples, replace=False).tolist():
        t = time.perf_counter()
        services.need_rematch(need_id=nid)
        need_times.append((time.perf_counter() - t) * 1000)
        reset_queries()
    # Reference: a few needs, against every expert who holds a concept crediting one of their
    # skills (the reference itself rules out anyone else: a candidate needs a skill part > 0).
    sample = np.sort(rng.choice(len(needs), size=reference_needs, replace=False))
    sub_needs = loaders.needs_load(needs.ids[sample].tolist())
    crediting = np.asarray(loaders.candidate_skill_ids(sub_needs, hierarchy), np.int64)
    held = np.isin(experts.skills.indices, crediting)
    rows = np.flatnonzero(np.add.reduceat(held, experts.skills.indptr[:-1]) if len(held) else [])
    rows = rows[np.diff(experts.skills.indptr)[rows] > 0]
    subset = engine.Experts(
        ids=experts.ids[rows],
        skills=experts.skills[rows],
        years=experts.years[rows],
        languages=experts.languages[rows],
        formats=experts.formats[rows],
        work_mode=experts.work_mode[rows],
        region=experts.region[rows],
        province=experts.province[rows],
        availability=experts.availability[rows],
        eligible=experts.eligible[rows],
    )
    records, need_record = _reference_records(loaders.Inputs(subset, needs, hierarchy))
    links = list(SkillRelation.objects.values_list("narrower_id", "broader_id"))
    relations = reference.skill_relations(hierarchy.n_skills, links, conf)
    expected = [reference.top_k(records, need_record(int(n)), relations, conf) for n in sample]
    # the engine on those needs against all the experts, as the full re-match scores them
    topk = engine.match_needs(experts, needs, hierarchy, conf, need_rows=sample)
    agree = 0
    for n, ref in zip(sample.tolist(), expected, strict=True):
        mask = topk.need_row == n
        got = list(zip(experts.ids[topk.expert_row[mask]].tolist(), topk.score[mask].tolist(), strict=True))
        agree += got == ref
    print(
        json.dumps(
            {
                "incremental_expert_p50_ms": round(float(np.percentile(expert_times, 50)), 1),
                "incremental_expert_p95_ms": round(float(np.percentile(expert_times, 95)), 1),
                "incremental_need_p50_ms": round(float(np.percentile(need_times, 50)), 1),
                "incremental_need_p95_ms": round(float(np.percentile(need_times, 95)), 1),
                "rank_agreement": agree / reference_needs,
                "reference_needs": reference_needs,
                "reference_candidates": len(rows),
            }
        ),
        flush=True,
    )


def _phase(phase: str, n_experts: int, extra: list[str]) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(n_experts)}
    command = [sys.executable, "-m", "bench.sweep", "--phase", phase, *extra]
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    print(out.rstrip(), file=sys.stderr, flush=True)
    return json.loads(out.strip().splitlines()[-1])


def measure_size(n_experts: int, *, seed: int, samples: int, workers: int) -> dict:
    n_needs = needs_for(n_experts)
    built = _phase("build", n_experts, ["--experts", str(n_experts), "--needs", str(n_needs), "--seed", str(seed)])
    load = os.getloadavg()[0]
    os.environ["_SWEEP_DB"] = database_url(n_experts)
    saved = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = database_url(n_experts)
    try:
        full = _full_rematch(workers)
    finally:
        if saved is None:
            os.environ.pop("DATABASE_URL")
        else:
            os.environ["DATABASE_URL"] = saved
    reference_needs = 5 if n_experts <= 250_000 else 3 if n_experts <= 500_000 else 2
    incremental = _phase(
        "incremental",
        n_experts,
        ["--samples", str(samples), "--reference-needs", str(reference_needs), "--seed", str(seed)],
    )
    return {
        "experts": n_experts,
        "needs": n_needs,
        "full_rematch_s": full["full_rematch_s"],
        "peak_rss_mb": full["peak_rss_mb"],
        # context: CPU seconds of the re-matching process (PostgreSQL's work is elsewhere) and
        # its phases; with 6–12 runnable processes on 2 cores, wall time is mostly waiting
        **{f"full_rematch_{k}": full[k] for k in ("cpu_s", "read_s", "scoring_s", "write_s") if k in full},
        **{k: full[k] for k in ("peak_rss_mb_per_worker", "workers_cpu_s") if k in full},
        **{k: incremental[k] for k in incremental if k.startswith("incremental_")},
        "build_s": built.get("build_s"),
        "rank_agreement": incremental["rank_agreement"],
        "workers": full.get("workers", workers),  # 0: in process
        "load_average_1m": round(load, 2),
    }


# --- the plot (hand-written SVG: no plotting dependency) -------------------------------------

PLOT = ROOT / "bench" / "sweep.svg"


def plot(results: list[dict], path: Path = PLOT) -> None:
    """Three panels against the number of experts: full re-match time, peak RSS, incremental
    p95; each with a dotted line proportional to the number of experts (through the smallest
    size) so that growth faster than linear shows."""
    results = sorted(results, key=lambda r: r["experts"])
    panels = [
        (
            "Full re-match (s)",
            [
                ("full_rematch_s", "#1f5fa8", "wall time"),
                ("full_rematch_cpu_s", "#5fa0d8", "CPU s of the process"),
                ("workers_cpu_s", "#5fa0d8", "CPU s of all workers"),
            ],
            True,
        ),
        ("Peak RSS (MB)", [("peak_rss_mb", "#b8461b", "peak RSS, largest worker (or the process)")], False),
        (
            "Incremental p95 (ms)",
            [
                ("incremental_expert_p95_ms", "#2c8a3a", "expert p95"),
                ("incremental_need_p95_ms", "#7b3fa0", "need p95"),
            ],
            False,
        ),
    ]
    width, height, pad_l, pad_r, pad_t, pad_b = 330, 260, 58, 14, 34, 48
    xmax = max(r["experts"] for r in results)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width * len(panels)}" height="{height + 40}"'
        ' font-family="sans-serif" font-size="11">',
        f'<rect width="{width * len(panels)}" height="{height + 40}" fill="white"/>',
    ]
    for p, (title, series, linear) in enumerate(panels):
        x0 = p * width
        values = [r.get(key) for key, _, _ in series for r in results if r.get(key) is not None]
        ymax = max(values) * 1.1 if values else 1
        if linear and values:
            ymax = max(ymax, series and results[0][series[0][0]] * xmax / results[0]["experts"] * 1.05)

        def sx(v, x0=x0):
            return x0 + pad_l + v / xmax * (width - pad_l - pad_r)

        def sy(v, ymax=ymax):
            return pad_t + (1 - v / ymax) * (height - pad_t - pad_b)

        out.append(f'<text x="{x0 + width / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>')
        out.append(
            f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(xmax)}" y2="{sy(0)}" stroke="black"/>'
            f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(0)}" y2="{sy(ymax)}" stroke="black"/>'
        )
        for i in range(5):
            v = ymax * i / 4
            out.append(f'<text x="{sx(0) - 4}" y="{sy(v) + 4}" text-anchor="end">{v:,.0f}</text>')
            out.append(f'<line x1="{sx(0)}" y1="{sy(v)}" x2="{sx(xmax)}" y2="{sy(v)}" stroke="#ddd"/>')
        for r in results:
            x = r["experts"]
            label = f"{x // 1000}k" if x < 1_000_000 else f"{x / 1e6:g}M"
            out.append(f'<text x="{sx(x)}" y="{sy(0) + 14}" text-anchor="middle">{label}</text>')
        out.append(f'<text x="{x0 + width / 2}" y="{height - 6}" text-anchor="middle">experts</text>')
        for s_i, (key, colour, name) in enumerate(series):
            points = [(r["experts"], r[key]) for r in results if r.get(key) is not None]
            if not points:
                continue
            path_d = " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for i, (x, y) in enumerate(points))
            out.append(f'<path d="{path_d}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y in points:
                out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>')
            out.append(f'<text x="{sx(0) + 6}" y="{pad_t + 12 + 13 * s_i}" fill="{colour}">{name}</text>')
            if linear and s_i == 0:
                x1, y1 = points[0]
                out.append(
                    f'<path d="M{sx(x1):.1f},{sy(y1):.1f} L{sx(xmax):.1f},{sy(y1 * xmax / x1):.1f}"'
                    ' fill="none" stroke="#888" stroke-dasharray="3,3"/>'
                )
                out.append(
                    f'<text x="{sx(0) + 6}" y="{pad_t + 12 + 13 * len(series)}" fill="#888">'
                    "wall time proportional to experts</text>"
                )
    loads = ", ".join(f"{r.get('load_average_1m')}" for r in results)
    out.append(
        f'<text x="8" y="{height + 30}" fill="#555">Sizes {", ".join(str(r["experts"]) for r in results)};'
        f" needs 2 % of experts, at most 5,000; 1-minute load average at each size: {loads}"
        " (2 shared vCPUs).</text>"
    )
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="experts per size, comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=int, default=40, help="incremental re-scorings of each kind")
    parser.add_argument("--workers", type=int, default=2, help="Celery workers for the full re-match; 0: in process")
    parser.add_argument("--phase", choices=["sweep", "build", "rematch", "incremental"], default="sweep")
    parser.add_argument("--experts", type=int)
    parser.add_argument("--needs", type=int)
    parser.add_argument("--reference-needs", type=int, default=5)
    parser.add_argument("--plot", metavar="JSONL", help="only draw bench/sweep.svg from saved JSON lines")
    args = parser.parse_args(argv)
    if args.plot:
        lines = Path(args.plot).read_text(encoding="utf-8").splitlines()
        plot([json.loads(line) for line in lines if line.startswith("{")])
        return
    if args.phase == "sweep":
        for size in (int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()):
            print(
                json.dumps(measure_size(size, seed=args.seed, samples=args.samples, workers=args.workers)), flush=True
            )
        return
    if args.phase == "rematch" and args.workers:
        from bench.matching import _django_setup as setup_with_broker

        setup_with_broker(broker=True)
    else:
        _django_setup()
    if args.phase == "build":
        build_s = build(args.experts, args.needs, args.seed)
        print(json.dumps({"build_s": build_s}), flush=True)
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.phase == "rematch":
        _rematch_phase(args.workers)
    else:
        _incremental_phase(args.samples, args.reference_needs, args.seed)


if __name__ == "__main__":
    main()
