"""Matching at national scale: `python -m bench.matching --experts 100000 --needs 2000`.

Builds (once; reused while the sizes match) a synthetic data set in PostgreSQL — the
DATABASE_URL database, else postgres://postgres@127.0.0.1:5432/jusur_bench — with skills from
the full ESCO v1.0 taxonomy (bench/synthetic.py), then measures, in a fresh process:
- the full re-match end to end (DB read + scoring + DB write), as the Celery task runs it;
- incremental re-scoring of single experts and single needs (the services the tasks call);
- the plain Python reference on a sample of needs: speed-up and top-K agreement.
With `--workers N`, the full re-match is measured instead as it runs in production: real
Celery worker processes (1, then N, in the same run) on the real Redis and PostgreSQL, the
coordinator planning shards and the workers scoring them (matching/services/sharded.py).
The last line printed is one JSON object (see bench/README.md).
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/jusur_bench"
ROOT = Path(__file__).resolve().parents[1]


DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _django_setup(*, broker: bool = False) -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if broker:  # --workers: tasks go through Redis to real workers
        os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    else:
        os.environ.pop("REDIS_URL", None)  # the benchmark calls the services directly: no broker
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _ensure_database() -> None:
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    try:
        psycopg2.connect(
            dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"]
        ).close()
    except psycopg2.OperationalError:
        conn = psycopg2.connect(
            dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"], password=db["PASSWORD"]
        )
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE \"{db['NAME']}\" TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8'")
        conn.close()


# --- building the data set ----------------------------------------------------------------


def _copy(model, columns: list[str], rows) -> None:
    """COPY rows (tuples in `columns` order; None is NULL) into the model's table."""
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN",
            buffer,
        )


def region_owners() -> dict[int, tuple[int, int, int]]:
    """Per region, the (official, adopted roadmap, axis) every bench need is filed under."""
    from django.contrib.auth import get_user_model

    from portal.enums import Role
    from regions.enums import RoadmapStatus
    from regions.models import Region, Roadmap, RoadmapAxis

    User = get_user_model()
    owners = {}
    for region in Region.objects.order_by("code"):
        owner = User.objects.create_user(email=f"owner-{region.code}@bench.jusur", password=None, role=Role.OFFICIAL)
        owner.regions.set([region])
        roadmap = Roadmap.objects.filter(region=region, status=RoadmapStatus.ADOPTED).first()
        if roadmap is None:
            roadmap = Roadmap.objects.create(
                region=region,
                version=Roadmap.objects.filter(region=region).count() + 1,
                title="Bench",
                period_start="2025-01-01",
                period_end="2030-12-31",
                status=RoadmapStatus.ADOPTED,
            )
        axis = RoadmapAxis.objects.create(roadmap=roadmap, kind="diaspora_skills", title="Bench")
        owners[region.pk] = (owner.pk, roadmap.pk, axis.pk)
    return owners


def reference_maps():
    """Territories and ESCO v1.0 in the database (loaded if missing), and the maps from the
    generator's indexes to their ids: (taxonomy, skill ids by taxonomy row, region ids by
    region index, province ids by province index)."""
    from django.core.management import call_command

    from bench import synthetic
    from regions.models import Province, Region
    from regions.services import territories_load
    from taxonomy.models import Skill

    started = time.perf_counter()
    if not Region.objects.exists():
        territories_load()
    if Skill.objects.count() < 13000:
        call_command("import_esco", str(synthetic.ESCO_DIR), "--no-progress", verbosity=0)
    print(f"territories and ESCO ready ({time.perf_counter() - started:.0f} s)", flush=True)
    taxonomy = synthetic.esco_taxonomy()
    skill_id = dict(Skill.objects.values_list("uri", "pk"))
    row_to_skill = np.array([skill_id[uri] for uri in taxonomy.uris], np.int64)
    regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
    provinces = []
    for region in regions:
        ids = list(Province.objects.filter(region_id=region).order_by("code").values_list("pk", flat=True))
        provinces.append((ids * synthetic.PROVINCES_PER_REGION)[: synthetic.PROVINCES_PER_REGION])
    province_of = np.array([p for group in provinces for p in group], np.int64)
    return taxonomy, row_to_skill, regions, province_of


def needs_copy(data, n_needs: int, *, owners, regions, province_of, row_to_skill) -> None:
    """The data set's open needs with their skills and languages, by COPY (a few thousand rows)."""
    from django.utils import timezone

    from portal.enums import EngagementFormat, Language, WorkMode
    from regions.enums import NeedStatus
    from regions.models import Need, NeedLanguage, NeedSkill

    languages, formats = Language.values, EngagementFormat.values
    modes = {1: WorkMode.REMOTE, 2: WorkMode.ON_SITE, 3: WorkMode.BOTH}
    now = timezone.now().isoformat()
    need_rows = []
    for n in range(n_needs):
        region = regions[data.need_region[n]]
        owner_id, roadmap_id, axis_id = owners[region]
        province = province_of[data.need_province[n]] if data.need_province[n] >= 0 else None
        need_rows.append(
            (
                *(roadmap_id, region, axis_id, f"Need {n}", "Synthetic need", "fr", formats[data.need_format[n]]),
                *(modes[int(data.need_work_mode[n])], province, 1, owner_id, NeedStatus.OPEN),
                *(now, now, now, now, "{}"),  # translations: none, the original text only
            )
        )
    _copy(
        Need,
        [
            *("roadmap_id", "region_id", "axis_id", "title", "description", "text_language", "format"),
            *("work_mode", "province_id", "experts_wanted", "owner_id", "status", "published_at"),
            *("status_changed_at", "created_at", "updated_at", "translations"),
        ],
        need_rows,
    )
    need_ids = np.array(Need.objects.order_by("pk").values_list("pk", flat=True), np.int64)
    owner = np.repeat(np.arange(n_needs), np.diff(data.need_skill_ptr))
    _copy(
        NeedSkill,
        ["need_id", "skill_id", "weight", "essential", "min_level"],
        zip(
            need_ids[owner].tolist(),
            row_to_skill[data.need_skill].tolist(),
            data.need_weight.astype(int).tolist(),
            ["t" if x else "f" for x in data.need_essential],
            data.need_min_level.tolist(),
            strict=True,
        ),
    )
    owner = np.repeat(np.arange(n_needs), np.diff(data.need_lang_ptr))
    _copy(
        NeedLanguage,
        ["need_id", "language", "min_level"],
        zip(
            need_ids[owner].tolist(),
            [languages[i] for i in data.need_lang.tolist()],
            data.need_lang_min.tolist(),
            strict=True,
        ),
    )


def build(n_experts: int, n_needs: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bench import synthetic
    from diaspora.models import ExpertFormat, ExpertLanguage, ExpertProfile, ExpertSkill
    from portal.enums import EngagementFormat, Language, WorkMode
    from portal.models import User
    from regions.models import Need
    from taxonomy.models import Skill

    _ensure_database()
    call_command("migrate", verbosity=0)
    if (
        ExpertProfile.objects.count() == n_experts
        and Need.objects.count() == n_needs
        and Skill.objects.count() >= 13000
    ):
        print(f"data set present: {n_experts} experts, {n_needs} needs", flush=True)
        return
    started = time.perf_counter()
    taxonomy, row_to_skill, regions, province_of = reference_maps()
    data = synthetic.generate(n_experts, n_needs, seed=seed, taxonomy=taxonomy)
    languages = Language.values
    formats = EngagementFormat.values
    modes = {1: WorkMode.REMOTE, 2: WorkMode.ON_SITE, 3: WorkMode.BOTH}
    now = timezone.now().isoformat()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE matching_match, matching_engagement, matching_matchrun, regions_needskill,"
                " regions_needlanguage, regions_needinterest, regions_needreminder, diaspora_expertskill,"
                " diaspora_expertlanguage, diaspora_expertformat CASCADE"
            )
        Need.objects.all().delete()
        ExpertProfile.objects.all().delete()
        User.objects.filter(email__endswith="@bench.jusur").delete()
        owners = region_owners()
        _copy(
            User,
            [
                "email",
                "full_name",
                "role",
                "preferred_language",
                "is_active",
                "is_staff",
                "is_superuser",
                "password",
                "date_joined",
            ],
            (
                (f"expert-{i}@bench.jusur", f"Expert {i}", "member", "fr", "t", "f", "f", "!", now)
                for i in range(n_experts)
            ),
        )
        user_ids = dict(User.objects.filter(email__startswith="expert-").values_list("email", "pk"))
        _copy(
            ExpertProfile,
            [
                "user_id",
                "display_name",
                "phone",
                "country_of_residence",
                "city",
                "origin_region_id",
                "origin_province_id",
                "bio",
                "work_mode",
                "hours_per_month",
                "cv",
                "consent_matching",
                "consent_contact",
                "consent_partner_sharing",
                "consent_statistics",
                "is_active",
                "confirmed_at",
                "is_stale",
                "created_at",
                "updated_at",
            ],
            (
                (
                    user_ids[f"expert-{i}@bench.jusur"],
                    f"Expert {i}",
                    "",
                    "FR",
                    "",
                    regions[data.expert_region[i]],
                    province_of[data.expert_province[i]],
                    "",
                    modes[int(data.expert_work_mode[i])],
                    int(data.expert_availability[i] * 20),
                    "",
                    "t" if data.expert_eligible[i] else "f",
                    "t",
                    "f",
                    "f",
                    "t",
                    now,
                    "f",
                    now,
                    now,
                )
                for i in range(n_experts)
            ),
        )
        profile_ids = np.array(
            ExpertProfile.objects.order_by("user_id").values_list("pk", flat=True), np.int64
        )  # users were created in expert order, so user id order is expert order
        owner = np.repeat(np.arange(n_experts), np.diff(data.expert_skill_ptr))
        _copy(
            ExpertSkill,
            ["profile_id", "skill_id", "level", "years"],
            zip(
                profile_ids[owner].tolist(),
                row_to_skill[data.expert_skill].tolist(),
                data.expert_level.tolist(),
                np.round(data.expert_years).astype(int).tolist(),
                strict=True,
            ),
        )
        e, lang = np.nonzero(data.expert_languages)
        _copy(
            ExpertLanguage,
            ["profile_id", "language", "level"],
            zip(
                profile_ids[e].tolist(),
                [languages[i] for i in lang.tolist()],
                data.expert_languages[e, lang].tolist(),
                strict=True,
            ),
        )
        bits = [(i, f) for f in range(len(formats)) for i in np.flatnonzero(data.expert_formats & (1 << f)).tolist()]
        _copy(ExpertFormat, ["profile_id", "format"], ((profile_ids[i], formats[f]) for i, f in bits))
        needs_copy(data, n_needs, owners=owners, regions=regions, province_of=province_of, row_to_skill=row_to_skill)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"data set built: {n_experts} experts, {n_needs} needs ({time.perf_counter() - started:.0f} s)", flush=True)


# --- measuring ----------------------------------------------------------------------------


def _reference_records(inputs):
    """The loaded engine inputs as the plain records tests/matching/reference.py reads."""
    experts, needs = inputs.experts, inputs.needs
    xs = experts.skills
    records = []
    for i in range(len(experts)):
        a, b = xs.indptr[i], xs.indptr[i + 1]
        records.append(
            {
                "id": int(experts.ids[i]),
                "skills": {
                    int(k): (int(level), float(y))
                    for k, level, y in zip(xs.indices[a:b], xs.data[a:b], experts.years.data[a:b], strict=True)
                },
                "languages": {int(j): int(v) for j, v in enumerate(experts.languages[i]) if v},
                "formats": int(experts.formats[i]),
                "work_mode": int(experts.work_mode[i]),
                "region": int(experts.region[i]),
                "province": int(experts.province[i]),
                "availability": float(experts.availability[i]),
                "eligible": bool(experts.eligible[i]),
            }
        )
    declined = {(int(k >> 32), int(k & 0xFFFFFFFF)) for k in needs.declined.tolist()}

    def need(n):
        a, b = needs.skill_ptr[n], needs.skill_ptr[n + 1]
        la, lb = needs.lang_ptr[n], needs.lang_ptr[n + 1]
        return {
            "id": int(needs.ids[n]),
            "skills": [
                (int(s), float(w), bool(ess), int(m))
                for s, w, ess, m in zip(
                    needs.skill_idx[a:b],
                    needs.skill_weight[a:b],
                    needs.skill_essential[a:b],
                    needs.skill_min_level[a:b],
                    strict=True,
                )
            ],
            "languages": [(int(x), int(m)) for x, m in zip(needs.lang_idx[la:lb], needs.lang_min[la:lb], strict=True)],
            "format_bits": int(needs.format_bits[n]),
            "work_mode": int(needs.work_mode[n]),
            "region": int(needs.region[n]),
            "province": int(needs.province[n]),
            "declined": declined,
        }

    return records, need


def measure(n_samples: int, n_reference: int, seed: int) -> dict:
    from django.db import reset_queries

    from matching import engine, loaders, services
    from matching.conf import matching_conf
    from matching.models import Match
    from taxonomy.models import SkillRelation
    from tests.matching import reference

    timings: dict = {}
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    run = services.full_rematch(timings=timings)
    full_s = time.perf_counter() - started
    full_cpu_s = time.process_time() - cpu_started
    rss_full = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"full re-match: {full_s:.2f} s, {run.matches_count} suggestions, phases {timings}", flush=True)
    assert Match.objects.count() == run.matches_count

    rng = np.random.default_rng(seed)
    conf = matching_conf()
    hierarchy = loaders.hierarchy_load(conf)
    inputs = loaders.Inputs(loaders.experts_load(n_skills=hierarchy.n_skills), loaders.needs_load(), hierarchy)
    expert_times, need_times = [], []
    for pid in rng.choice(inputs.experts.ids, size=n_samples, replace=False).tolist():
        t = time.perf_counter()
        services.expert_rematch(profile_id=pid)
        expert_times.append((time.perf_counter() - t) * 1000)
        reset_queries()
    for nid in rng.choice(inputs.needs.ids, size=n_samples, replace=False).tolist():
        t = time.perf_counter()
        services.need_rematch(need_id=nid)
        need_times.append((time.perf_counter() - t) * 1000)
        reset_queries()
    e50, e95, n50, n95 = (*np.percentile(expert_times, [50, 95]), *np.percentile(need_times, [50, 95]))
    print(f"incremental: expert p50 {e50:.0f} ms p95 {e95:.0f} ms; need p50 {n50:.0f} ms p95 {n95:.0f} ms", flush=True)

    # Reference on a sample of needs, against every expert; the engine on the same needs.
    records, need_record = _reference_records(inputs)
    links = list(SkillRelation.objects.values_list("narrower_id", "broader_id"))
    relations = reference.skill_relations(hierarchy.n_skills, links, conf)
    sample = rng.choice(len(inputs.needs), size=n_reference, replace=False)
    # CPU time on both sides: the ratio holds even when other jobs share the machine.
    t = time.process_time()
    expected = [reference.top_k(records, need_record(int(n)), relations, conf) for n in sample]
    reference_per_need = (time.process_time() - t) / n_reference
    t = time.process_time()
    everything = engine.match_needs(inputs.experts, inputs.needs, hierarchy, conf)
    engine_per_need = (time.process_time() - t) / max(len(inputs.needs), 1)
    del everything
    topk = engine.match_needs(inputs.experts, inputs.needs, hierarchy, conf, need_rows=np.sort(sample))
    agree = 0
    for n, ref in zip(sample.tolist(), expected, strict=True):
        mask = topk.need_row == n
        got = list(zip(inputs.experts.ids[topk.expert_row[mask]].tolist(), topk.score[mask].tolist(), strict=True))
        agree += got == ref
    return {
        "full_rematch_s": round(full_s, 3),
        "scoring_s": round(timings["scoring_s"], 3),
        "peak_rss_mb": round(rss_full, 1),
        "incremental_expert_p50_ms": round(float(np.percentile(expert_times, 50)), 1),
        "incremental_expert_p95_ms": round(float(np.percentile(expert_times, 95)), 1),
        "incremental_need_p50_ms": round(float(np.percentile(need_times, 50)), 1),
        "incremental_need_p95_ms": round(float(np.percentile(need_times, 95)), 1),
        "speedup_vs_reference": round(reference_per_need / engine_per_need, 1),
        "rank_agreement": agree / n_reference,
        "experts": services_experts_total(),
        "needs": len(inputs.needs),
        # context: this process's CPU seconds for the full re-match (the database's own work
        # is in the server process) and the machine's load when it started
        "full_rematch_cpu_s": round(full_cpu_s, 3),
        "load_average_1m": round(load_before, 2),
    }


# --- the full re-match on real Celery workers (--workers) -----------------------------------


def _start_workers(n_workers: int, log_dir: Path, queue: str, *, warm: bool = False) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "JUSUR_BENCH_QUEUE": queue}
    env["JUSUR_BENCH_WARM"] = "1" if warm else "0"
    workers = []
    for i in range(n_workers):
        log = log_dir / f"worker{i}.log"
        log.write_text("")
        command = [sys.executable, "-m", "celery", "-A", "bench._matching_worker", "worker", "-l", "info", "-c", "1"]
        command += ["-n", f"bench{i}@%h", "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"]
        with open(log, "ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
            )
        workers.append((process, log))
    deadline = time.monotonic() + 120
    while not all(" ready." in log.read_text(errors="replace") for _, log in workers):
        if time.monotonic() > deadline or any(p.poll() is not None for p, _ in workers):
            _stop_workers(workers)
            raise RuntimeError("workers did not start: " + workers[0][1].read_text()[-2000:])
        time.sleep(0.2)
    return workers


def _stop_workers(workers: list) -> None:
    import signal

    for process, _log in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process, _log in workers:
        process.wait(timeout=60)


def _process_tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(q for child in children for q in _process_tree(int(child)))]


def _peak_rss_mb(pid: int) -> float:
    """The largest peak resident size among a worker's processes (its pool child works)."""
    peaks = []
    for q in _process_tree(pid):
        for line in Path(f"/proc/{q}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def _cpu_s(pid: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for q in _process_tree(pid):
        fields = Path(f"/proc/{q}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _one_distributed_run(shards: int | None) -> dict:
    from matching.enums import MatchRunStatus
    from matching.models import MatchRun, MatchShard
    from matching.services import match_run_request

    requested = time.perf_counter()
    run = match_run_request(shards=shards)
    while MatchRun.objects.filter(pk=run.pk, status__in=[MatchRunStatus.PENDING, MatchRunStatus.RUNNING]).exists():
        time.sleep(0.05)
    elapsed = time.perf_counter() - requested
    run.refresh_from_db()
    if run.status != MatchRunStatus.DONE:
        raise RuntimeError(f"run {run.pk} {run.status}: {run.error}")
    shards_done = list(MatchShard.objects.filter(run=run).values_list("done_at", "duration_ms", "hostname"))
    first_start = min(done - timedelta_ms(ms) for done, ms, _ in shards_done)
    last_done = max(done for done, _, _ in shards_done)
    return {
        "full_rematch_s": round(elapsed, 3),
        # from the coordinator's claim to the first shard starting: planning and queueing
        "plan_s": round((first_start - run.started_at).total_seconds(), 3),
        # from the first shard starting to the last one staged (each process builds the
        # national matrix in its first shard)
        "shards_s": round((last_done - first_start).total_seconds(), 3),
        "swap_s": round((run.finished_at - last_done).total_seconds(), 3),
        "shards": len(shards_done),
        "shards_per_worker": dict(collections.Counter(h for _, _, h in shards_done)),
        "matches": run.matches_count,
    }


def timedelta_ms(ms: int):
    from datetime import timedelta

    return timedelta(milliseconds=ms)


def rematch_with_workers(n_workers: int, *, repeat: int = 1, shards: int | None = None, warm: bool = False) -> dict:
    """A full re-match of the data set in the database, on `n_workers` real Celery workers
    (one process each) started here and stopped after: {"full_rematch_s" (the best of
    `repeat` runs), "peak_rss_mb" (max over workers), "runs": [...], …}. Needs Django set up
    with a Redis broker (`_django_setup(broker=True)`) and the database migrated."""
    import tempfile

    from portal.celery import app

    queue = f"bench-matching-{os.getpid()}"
    app.conf.task_default_queue = queue  # the coordinator's message; the workers' own go there too
    with tempfile.TemporaryDirectory() as tmp:
        workers = _start_workers(n_workers, Path(tmp), queue, warm=warm)
        try:
            runs = [_one_distributed_run(shards) for _ in range(repeat)]
            rss = [_peak_rss_mb(p.pid) for p, _ in workers]
            cpu = sum(_cpu_s(p.pid) for p, _ in workers)
        finally:
            _stop_workers(workers)
    best = min(runs, key=lambda r: r["full_rematch_s"])
    return {
        "workers": n_workers,
        "full_rematch_s": best["full_rematch_s"],
        "peak_rss_mb": round(max(rss), 1),
        "peak_rss_mb_per_worker": [round(r, 1) for r in rss],
        "workers_cpu_s": round(cpu, 3),
        "runs": runs,
    }


def measure_workers(n_workers: int, repeat: int) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()[0]
    results = {n: rematch_with_workers(n, repeat=repeat) for n in sorted({1, n_workers})}
    for n, result in results.items():
        print(f"{n} worker(s): {json.dumps(result)}", flush=True)
    # The alternative of decision 0020: matrices kept warm between runs (second run measured).
    warm = rematch_with_workers(n_workers, repeat=2, warm=True)
    print(f"{n_workers} worker(s), warm matrices: {json.dumps(warm)}", flush=True)
    one, many = results[1], results[n_workers]
    return {
        "experts": services_experts_total(),
        "needs": _open_needs(),
        "workers_1_s": one["full_rematch_s"],
        f"workers_{n_workers}_s": many["full_rematch_s"],
        "parallel_speedup": round(one["full_rematch_s"] / many["full_rematch_s"], 2),
        "peak_rss_mb_per_worker": many["peak_rss_mb_per_worker"],
        "peak_rss_mb_workers_1": one["peak_rss_mb"],
        "breakdown_workers_1": {
            k: min(one["runs"], key=lambda r: r["full_rematch_s"])[k] for k in ("plan_s", "shards_s", "swap_s")
        },
        f"breakdown_workers_{n_workers}": {
            k: min(many["runs"], key=lambda r: r["full_rematch_s"])[k]
            for k in ("plan_s", "shards_s", "swap_s", "shards", "shards_per_worker")
        },
        "workers_cpu_s": {"1": one["workers_cpu_s"], str(n_workers): many["workers_cpu_s"]},
        f"workers_{n_workers}_warm_s": warm["runs"][-1]["full_rematch_s"],
        "load_average_1m": round(load_before, 2),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
    }


def _open_needs() -> int:
    from regions.models import Need

    return Need.objects.open().count()


def services_experts_total() -> int:
    from diaspora.models import ExpertProfile

    return ExpertProfile.objects.count()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--samples", type=int, default=40, help="incremental re-scorings of each kind")
    parser.add_argument("--reference-needs", type=int, default=5, help="needs scored by the reference")
    parser.add_argument("--phase", choices=["all", "build", "measure", "measure-workers"], default="all")
    parser.add_argument("--workers", type=int, default=0, help="measure on 1 then N real Celery workers")
    parser.add_argument("--repeat", type=int, default=2, help="--workers: runs per worker count (best kept)")
    parser.add_argument("--sweep", action="store_true", help="the size sweep instead (bench/sweep.py)")
    args, rest = parser.parse_known_args(argv)
    if args.sweep:
        from bench import sweep

        sweep.main(
            [*rest, "--seed", str(args.seed), "--samples", str(args.samples), "--workers", str(args.workers or 2)]
        )
        return
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.workers and args.phase == "all":
        args.phase = "all-workers"
    _django_setup(broker=args.phase in ("all-workers", "measure-workers"))
    if args.phase in ("all", "build", "all-workers"):
        build(args.experts, args.needs, args.seed)
    if args.phase == "all-workers":
        command = [sys.executable, "-m", "bench.matching", "--phase", "measure-workers"]
        command += ["--workers", str(args.workers), "--repeat", str(args.repeat)]
        subprocess.run(command, check=True, cwd=ROOT)
    if args.phase == "measure-workers":
        print(json.dumps(measure_workers(args.workers or 2, args.repeat)), flush=True)
    if args.phase == "all":
        # Measure in a fresh process, so peak RSS is the re-match's and not the data build's.
        command = [sys.executable, "-m", "bench.matching", "--phase", "measure"]
        command += ["--samples", str(args.samples), "--reference-needs", str(args.reference_needs)]
        command += ["--seed", str(args.seed)]
        subprocess.run(command, check=True, cwd=ROOT)
    if args.phase == "measure":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps(measure(args.samples, args.reference_needs, args.seed)), flush=True)


if __name__ == "__main__":
    main()
