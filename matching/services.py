"""Every write of the matching app: engine runs and their results, and the contact workflow.

Engine runs: inputs come from matching.loaders, the scoring from the pure matching.engine,
and results are replaced need by need inside one transaction, so a reader sees the old
ranking or the new one, never half of each. Only SUGGESTED rows are deleted by a run;
rows in the workflow (shortlisted, invited, accepted, declined) keep their status and only
get a fresh score and rank.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import time
from datetime import timedelta

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from diaspora.models import ExpertProfile
from portal.enums import Language
from portal.events import EngagementCompleted, MatchAccepted, emit
from portal.heartbeat import Heartbeat, lease_renew
from portal.notifications import notification_send
from portal.outbox import outbox_enqueue
from portal.permissions import can_act_in_region
from projects.models import Project
from regions.models import Need, NeedInterest

from . import engine, investment, loaders
from .conf import MatchingConf, matching_conf
from .enums import MATCH_TRANSITIONS, EngagementStatus, MatchRunKind, MatchRunStatus, MatchStatus, SetAsideReason
from .models import (
    DigestSubscription,
    Engagement,
    InvestmentMatch,
    InvestmentSuggestionNotice,
    Match,
    MatchRun,
    NeedSetAside,
)

logger = logging.getLogger(__name__)

# A running run with no heartbeat for this long is presumed dead (its worker was killed) and
# may be claimed again. A thread beats every RUN_HEARTBEAT_SECONDS while the run works; the
# outbox lease of the run's message (30 s, renewed every 10 s) always outlives a dead run's
# heartbeat by at least 5 s, so the attempt the relay sends after a death finds the run free.
RUN_STALE_AFTER = timedelta(seconds=15)
RUN_HEARTBEAT_SECONDS = 5
MAX_RUN_ATTEMPTS = 5
RUNS_KEPT = timedelta(days=7)
WRITE_BATCH = 2000
COPY_ABOVE = 200  # rankings larger than this are written through COPY (PostgreSQL)


# --- explanations ----------------------------------------------------------------------


def _explanations(topk: engine.TopK, inputs: loaders.Inputs, conf: MatchingConf) -> list[dict]:
    """One JSON-ready explanation per suggestion (ids and numbers only; labels at display)."""
    experts, needs = inputs.experts, inputs.needs
    detail = engine.explain_skills(topk, experts, needs, inputs.hierarchy, conf)
    per_pair: list[list] = [[] for _ in range(len(topk))]
    relation_names = engine.RELATION_NAMES
    for p, req, essential, credit, source, relation, level, years in zip(
        detail.pair.tolist(),
        detail.required.tolist(),
        detail.essential.tolist(),
        np.round(detail.credit, 4).tolist(),
        detail.source.tolist(),
        detail.relation.tolist(),
        detail.level.tolist(),
        detail.years.tolist(),
        strict=True,
    ):
        item = {"skill": req, "essential": essential, "credit": credit}
        if credit > 0:
            item |= {"via": source, "relation": relation_names[relation], "level": level, "years": int(years)}
        per_pair[p].append(item)
    codes = Language.values
    out = []
    parts = np.round(topk.parts, 4).tolist()
    for i, (n, e, score) in enumerate(
        zip(topk.need_row.tolist(), topk.expert_row.tolist(), topk.score.tolist(), strict=True)
    ):
        a, b = needs.lang_ptr[n], needs.lang_ptr[n + 1]
        languages = [
            {"language": codes[lang], "min": int(low), "level": int(experts.languages[e, lang])}
            for lang, low in zip(needs.lang_idx[a:b].tolist(), needs.lang_min[a:b].tolist(), strict=True)
        ]
        region_part = parts[i][4]
        tie = "province" if region_part == conf.province_tie and region_part > 0 else "region" if region_part else ""
        out.append(
            {
                "score": score,
                "parts": dict(zip(engine.PARTS, parts[i], strict=True)),
                "skills": per_pair[i],
                "languages": languages,
                "tie": tie,
            }
        )
    return out


# --- writing rankings ------------------------------------------------------------------


def _replace_rankings(*, run: MatchRun, need_ids, rows: list[tuple]) -> int:
    """Make `rows` [(need_id, profile_id, score, rank, parts)] the ranking of `need_ids`
    (None: of every need).

    Call inside a transaction: upsert on (need, profile), then drop what this run did not
    write — suggested rows are deleted, workflow rows only lose their rank.
    """
    if connection.vendor == "postgresql" and len(rows) > COPY_ABOVE:
        _upsert_copy(run, need_ids, rows)
        return len(rows)
    else:
        objs = [Match(need_id=n, profile_id=p, score=s, rank=r, parts=parts, run=run) for n, p, s, r, parts in rows]
        Match.objects.bulk_create(
            objs,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["need", "profile"],
            update_fields=["score", "rank", "parts", "run", "updated_at"],
        )
    scope = Match.objects.filter(need_id__in=need_ids) if need_ids is not None else Match.objects.all()
    stale = scope.exclude(run=run)
    stale.filter(status=MatchStatus.SUGGESTED, interested=False).delete()
    stale.filter(rank__isnull=False).update(rank=None)
    return len(rows)


def _upsert_copy(run: MatchRun, need_ids, rows: list[tuple]) -> None:
    """The same replacement for a whole national ranking: COPY into a temporary table, one
    INSERT … ON CONFLICT that rewrites only the rows whose score, rank or explanation changed
    (a nightly run over stable data writes little), then the rows absent from the new ranking
    are dropped or unranked. bulk_create would spend seconds on 40,000 model instances."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for need_id, profile_id, score, rank, parts in rows:
        writer.writerow((need_id, profile_id, repr(score), rank, json.dumps(parts, separators=(",", ":"))))
    buffer.seek(0)
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE matching_incoming (need_id bigint, profile_id bigint, score double precision,"
            " rank integer, parts jsonb) ON COMMIT DROP"
        )
        cursor.copy_expert("COPY matching_incoming FROM STDIN (FORMAT csv)", buffer)
        cursor.execute(
            f"INSERT INTO {table} (need_id, profile_id, score, rank, parts, run_id, status, interested,"  # noqa: S608
            " invitation_message, created_at, updated_at)"
            " SELECT need_id, profile_id, score, rank, parts, %s, %s, false, '', now(), now() FROM matching_incoming"
            " ON CONFLICT (need_id, profile_id) DO UPDATE SET score = EXCLUDED.score, rank = EXCLUDED.rank,"
            " parts = EXCLUDED.parts, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at"
            f" WHERE ({table}.score, {table}.rank, {table}.parts)"
            " IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rank, EXCLUDED.parts)",
            [run.pk, MatchStatus.SUGGESTED],
        )
        scope = "" if need_ids is None else " AND m.need_id = ANY(%s::bigint[])"
        params = [] if need_ids is None else [list(need_ids)]
        absent = (
            " AND NOT EXISTS (SELECT 1 FROM matching_incoming i"
            " WHERE i.need_id = m.need_id AND i.profile_id = m.profile_id)"
        )
        cursor.execute(
            f"DELETE FROM {table} m WHERE m.status = %s AND NOT m.interested" + scope + absent,  # noqa: S608
            [MatchStatus.SUGGESTED, *params],
        )
        cursor.execute(
            f"UPDATE {table} m SET rank = NULL WHERE m.rank IS NOT NULL" + scope + absent,  # noqa: S608
            params,
        )
        cursor.execute("DROP TABLE matching_incoming")


def _rows(topk: engine.TopK, inputs: loaders.Inputs, conf: MatchingConf) -> list[tuple]:
    explanations = _explanations(topk, inputs, conf)
    return list(
        zip(
            inputs.needs.ids[topk.need_row].tolist(),
            inputs.experts.ids[topk.expert_row].tolist(),
            topk.score.tolist(),
            topk.rank.tolist(),
            explanations,
            strict=True,
        )
    )


# --- runs ------------------------------------------------------------------------------


def match_run_request(*, by=None) -> MatchRun:
    """Ask for a full re-match (admin action, beat): a pending run and its task, after commit."""
    with transaction.atomic():
        run = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by)
        outbox_enqueue(task_name="matching.full_rematch", kwargs={"run_id": run.pk})
    return run


def match_run_claim(*, run_id: int) -> bool:
    """Take a run with a conditional UPDATE: pending, or running with no sign of life (its
    worker died; it restarts from the beginning, progress 0). False if another worker holds
    it, it is finished, or it failed too often."""
    now = timezone.now()
    claimed = (
        MatchRun.objects.filter(pk=run_id, attempts__lt=MAX_RUN_ATTEMPTS)
        .filter(
            Q(status=MatchRunStatus.PENDING) | Q(status=MatchRunStatus.RUNNING, heartbeat_at__lt=now - RUN_STALE_AFTER)
        )
        .update(status=MatchRunStatus.RUNNING, started_at=now, heartbeat_at=now, progress=0, attempts=F("attempts") + 1)
    )
    return claimed == 1


def _run_claim_when_free(run_id: int) -> bool:
    """Claim the run, waiting up to RUN_STALE_AFTER for a holder that shows no sign of life
    to be presumed dead; False at once if the run is finished."""
    deadline = time.monotonic() + RUN_STALE_AFTER.total_seconds() + RUN_HEARTBEAT_SECONDS
    while not match_run_claim(run_id=run_id):
        held = MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.RUNNING).exists()
        if not held or time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


def _progress(mine, done: int, total: int) -> None:
    progress = int(100 * done / total) if total else 100
    mine.update(heartbeat_at=timezone.now(), progress=min(progress, 99))


def full_rematch(
    *, run_id: int | None = None, by=None, timings: dict | None = None, wait: bool = False
) -> MatchRun | None:
    """Re-score every open need against every matchable expert and swap the results in.

    Without `run_id` a run is created here. Returns None when the run is not ours to do
    (held by a live worker, or already done); with `wait` (the task, whose outbox attempt
    starts only once the previous one's lease expired), a holder that went silent is waited
    for until presumed dead, then the run restarts. `timings`, if given, is filled with the
    seconds spent reading, scoring and writing (for bench/matching.py).
    """
    timings = {} if timings is None else timings
    if run_id is None:
        run_id = MatchRun.objects.create(kind=MatchRunKind.FULL, requested_by=by).pk
    if not (_run_claim_when_free(run_id) if wait else match_run_claim(run_id=run_id)):
        return None
    run = MatchRun.objects.get(pk=run_id)
    # Our attempt: only it may swap its results in or record its failure (a holder that was
    # only slow, not dead, finds the run taken over and stops there).
    mine = MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.RUNNING, attempts=run.attempts)
    beat = lambda: lease_renew(mine, heartbeat_at=timezone.now())  # noqa: E731
    with Heartbeat(beat, every=RUN_HEARTBEAT_SECONDS, name=f"match-run-{run_id}"):
        return _full_rematch_claimed(run, mine, timings)


def _full_rematch_claimed(run: MatchRun, mine, timings: dict) -> MatchRun | None:
    started = time.perf_counter()
    try:
        conf = matching_conf()
        hierarchy = loaders.hierarchy_load(conf)
        inputs = loaders.Inputs(loaders.experts_load(n_skills=hierarchy.n_skills), loaders.needs_load(), hierarchy)
        timings["read_s"] = time.perf_counter() - started
        topk = engine.match_needs(
            inputs.experts,
            inputs.needs,
            hierarchy,
            conf,
            on_progress=lambda done, total: _progress(mine, int(done * 0.8), total),
        )
        rows = _rows(topk, inputs, conf)
        timings["scoring_s"] = time.perf_counter() - started - timings["read_s"]
        with transaction.atomic():
            # Lock the run row: a second worker that re-claimed it cannot swap concurrently,
            # and we swap only if the run is still ours.
            if not mine.select_for_update().exists():
                return None
            written = _replace_rankings(run=run, need_ids=None, rows=rows)
            _fold_interests(run=run)
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRunStatus.DONE,
                finished_at=timezone.now(),
                progress=100,
                experts_count=len(inputs.experts),
                needs_count=len(inputs.needs),
                matches_count=written,
                duration_ms=int((time.perf_counter() - started) * 1000),
            )
        timings["write_s"] = time.perf_counter() - started - timings["read_s"] - timings["scoring_s"]
    except Exception as exc:
        # Claimable again by a retry (Celery's for transient errors, the outbox relay's for the
        # rest) until the attempts run out.
        status = MatchRunStatus.FAILED if run.attempts >= MAX_RUN_ATTEMPTS else MatchRunStatus.PENDING
        mine.update(status=status, error=repr(exc)[:2000])
        raise
    # Incremental runs are a log of recent activity, not an archive.
    MatchRun.objects.exclude(kind=MatchRunKind.FULL).filter(created_at__lt=timezone.now() - RUNS_KEPT).delete()
    run.refresh_from_db()
    return run


def _incremental_run(kind: str) -> MatchRun:
    now = timezone.now()
    return MatchRun.objects.create(
        kind=kind, status=MatchRunStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=1
    )


def _finish(run: MatchRun, started: float, *, experts: int, needs: int, matches: int) -> None:
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRunStatus.DONE,
        finished_at=timezone.now(),
        progress=100,
        experts_count=experts,
        needs_count=needs,
        matches_count=matches,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def _score_needs(need_ids: list[int], conf: MatchingConf) -> tuple[loaders.Inputs, engine.TopK]:
    hierarchy = loaders.hierarchy_load(conf)
    needs = loaders.needs_load(need_ids)
    concepts = loaders.candidate_skill_ids(needs, hierarchy)
    experts = loaders.experts_load(
        n_skills=hierarchy.n_skills, skill_ids=concepts, need_filters=loaders.need_filters(needs, hierarchy)
    )
    inputs = loaders.Inputs(experts, needs, hierarchy)
    return inputs, engine.match_needs(experts, needs, hierarchy, conf)


def need_rematch(*, need_id: int) -> int:
    """Re-score one need against all experts (publishing, editing, closing it). Returns the
    number of suggestions. A need that is no longer open loses its suggestions."""
    return needs_rematch(need_ids=[need_id])


def needs_rematch(*, need_ids: list[int]) -> int:
    started = time.perf_counter()
    conf = matching_conf()
    run = _incremental_run(MatchRunKind.NEED)
    inputs, topk = _score_needs(list(need_ids), conf)
    rows = _rows(topk, inputs, conf)
    with transaction.atomic():
        written = _replace_rankings(run=run, need_ids=list(need_ids), rows=rows)
        _fold_interests(run=run, need_ids=list(need_ids))
        _closure_notify(need_ids)
    _finish(run, started, experts=len(inputs.experts), needs=len(inputs.needs), matches=written)
    return written


def expert_rematch(*, profile_id: int) -> int:
    """Re-score one expert against every open need and fold the result into the stored top K.

    An expert who is no longer matchable (consent withdrawn, inactive, stale) loses their
    suggestions; a need whose full list loses someone is re-scored to fill the gap.
    Returns the number of needs whose ranking changed.
    """
    started = time.perf_counter()
    conf = matching_conf()
    run = _incremental_run(MatchRunKind.EXPERT)
    hierarchy = loaders.hierarchy_load(conf)
    needs = loaders.needs_load()
    experts = loaders.experts_load(profile_ids=[profile_id], n_skills=hierarchy.n_skills)
    new_score: dict[int, float] = {}
    if len(experts):
        need_rows, scores, _parts = engine.match_expert(experts, 0, needs, hierarchy, conf)
        new_score = dict(zip(needs.ids[need_rows].tolist(), scores.tolist(), strict=True))
    ranked_in = set(Match.objects.filter(profile_id=profile_id, rank__isnull=False).values_list("need_id", flat=True))
    affected = sorted(set(new_score) | ranked_in)
    current: dict[int, list] = {n: [] for n in affected}
    for need_id, pid, score in (
        Match.objects.filter(need_id__in=affected, rank__isnull=False)
        .order_by("need_id", "rank")
        .values_list("need_id", "profile_id", "score")
    ):
        current[need_id].append((pid, score))
    open_ids = set(needs.ids.tolist())
    refill, lists = [], {}
    for need_id in affected:
        old_ids = np.array([p for p, _ in current[need_id]], np.int64)
        old_scores = np.array([s for _, s in current[need_id]], np.float64)
        ids, scores, complete = engine.merge_into_topk(
            need_id, old_ids, old_scores, profile_id, new_score.get(need_id), conf.top_k
        )
        if need_id not in open_ids or not complete:
            refill.append(need_id)
        elif profile_id in old_ids.tolist() or profile_id in ids.tolist():
            lists[need_id] = ids.tolist()  # the list changed: rewrite it
    own: dict[int, tuple] = {}
    joined = [n for n, ids in lists.items() if profile_id in ids]
    if joined:
        sub_needs = loaders.needs_load(joined)
        inputs = loaders.Inputs(experts, sub_needs, hierarchy)
        own = {row[0]: row for row in _rows(engine.match_needs(experts, sub_needs, hierarchy, conf), inputs, conf)}
    stored = {
        (m.need_id, m.profile_id): m
        for m in Match.objects.filter(need_id__in=list(lists)).only("need_id", "profile_id", "score", "parts")
    }
    rows = []
    for need_id, ids in lists.items():
        for rank, pid in enumerate(ids, start=1):
            if pid == profile_id:
                _n, _p, score, _r, parts = own[need_id]
            else:
                score, parts = stored[(need_id, pid)].score, stored[(need_id, pid)].parts
            rows.append((need_id, pid, score, rank, parts))
    with transaction.atomic():
        if not len(experts):
            Match.objects.filter(profile_id=profile_id, status=MatchStatus.SUGGESTED).delete()
            Match.objects.filter(profile_id=profile_id).update(rank=None)
        if lists:
            _replace_rankings(run=run, need_ids=list(lists), rows=rows)
    if refill:
        needs_rematch(need_ids=refill)
    _finish(run, started, experts=len(experts), needs=len(affected), matches=len(rows))
    _investor_changed(profile_id)
    return len(lists) + len(refill)


# --- investors and opportunities (docs/matching.md §7) -------------------------------------

INVESTMENT_TASK = "matching.investment_rematch"
INVESTMENT_LOCK = 0x4A55_5355  # pg_advisory_xact_lock key: one investment swap at a time


def investment_rematch_request(*, delay_seconds: int = 10) -> None:
    """Queue a re-match of investors and opportunities after the current transaction commits;
    debounced: changes made while one waits are covered by it."""
    outbox_enqueue(task_name=INVESTMENT_TASK, kwargs={}, dedup_key=INVESTMENT_TASK, delay_seconds=delay_seconds)


def _investor_changed(profile_id: int) -> None:
    """An expert profile changed (consent among others): if it is an investor's, their
    projects' suggestions are recomputed too (they are hidden at read time meanwhile)."""

    if Project.objects.open().filter(investor__expert_profile=profile_id).exists():
        investment_rematch_request()


def investment_rematch() -> MatchRun:
    """Score every open project against every published opportunity and swap the stored
    suggestions for the new ones in one transaction: readers see the old set or the new one.

    Upserts on (opportunity, project) and rewrites the rank, score and explanation; pairs
    absent from the new set are deleted. Run twice on the same data, it leaves the same rows.
    """

    started = time.perf_counter()
    conf = matching_conf()
    run = _incremental_run(MatchRunKind.INVESTMENT)
    projects, opportunities = loaders.investment_inputs_load()
    topk = investment.match_investments(projects, opportunities, conf)
    objs = [
        InvestmentMatch(
            opportunity_id=int(opportunities.ids[topk.opportunity_row[i]]),
            project_id=int(projects.ids[topk.project_row[i]]),
            score=float(topk.score[i]),
            opportunity_rank=int(topk.opportunity_rank[i]) or None,
            project_rank=int(topk.project_rank[i]) or None,
            parts=investment.explanation(topk, i, projects),
            run=run,
        )
        for i in range(len(topk))
    ]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INVESTMENT_LOCK])
        InvestmentMatch.objects.bulk_create(
            objs,
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["opportunity", "project"],
            update_fields=["score", "opportunity_rank", "project_rank", "parts", "run", "updated_at"],
        )
        InvestmentMatch.objects.exclude(run=run).delete()
        # In the swap's transaction (and under its lock): a pair is announced once, and only
        # if the set that announces it is the one that was saved.
        investment_suggestions_notify()
    _finish(run, started, experts=len(projects), needs=len(opportunities), matches=len(objs))
    run.refresh_from_db()
    return run


def investment_suggestions_notify() -> int:
    """Tell investors of the opportunities newly suggested for their open projects: one
    notification and e-mail per investor, in their language, listing each new pair once ever
    (InvestmentSuggestionNotice), only among the project's own top K and only while the
    investor consents to matching. Returns how many investors were told."""

    told = InvestmentSuggestionNotice.objects.filter(project=OuterRef("project"), opportunity=OuterRef("opportunity"))
    fresh = list(
        InvestmentMatch.objects.with_current_consent()
        .filter(project_rank__isnull=False)
        .exclude(Exists(told))
        .select_related("project__investor", "opportunity__region")
        .order_by("project__investor_id", "project_id", "project_rank")
    )
    InvestmentSuggestionNotice.objects.bulk_create(
        [InvestmentSuggestionNotice(project_id=m.project_id, opportunity_id=m.opportunity_id) for m in fresh],
        ignore_conflicts=True,
    )
    by_investor: dict[int, list] = {}
    for match in fresh:
        by_investor.setdefault(match.project.investor_id, []).append(match)
    for matches in by_investor.values():
        investor = matches[0].project.investor
        projects = {m.project_id for m in matches}
        notification_send(
            user=investor,
            kind="matching.investment_suggested",
            template="matching/emails/investment_suggested",
            refs={"matches": matches},
            params={"count": len(matches)},
            url=(
                _url("projects:project_detail", investor, pk=matches[0].project_id)
                if len(projects) == 1
                else _url("projects:project_list", investor)
            ),
        )
    return len(by_investor)


# --- the contact workflow --------------------------------------------------------------


def _url(name: str, user, **kwargs) -> str:
    """A link in the recipient's own language (pages are language-prefixed)."""
    with translation.override(user.preferred_language):
        return reverse(name, kwargs=kwargs)


def _owner_check(by, match: Match) -> None:
    if not can_act_in_region(by, match.need.region_id):
        raise PermissionDenied(_("You cannot act for this region."))


def _move(match: Match, to: str) -> None:
    if to not in MATCH_TRANSITIONS[MatchStatus(match.status)]:
        raise ValidationError(
            _("A candidate cannot go from “%(from)s” to “%(to)s”.")
            % {"from": MatchStatus(match.status).label, "to": MatchStatus(to).label}
        )


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update()
        .select_related("need", "need__region", "profile", "profile__user")
        .get(pk=match.pk)
    )


@transaction.atomic
def match_shortlist(*, match: Match, by, shortlisted: bool = True) -> Match:
    """Put a candidate on the need's shortlist (or take them off it)."""
    match = _locked(match)
    _owner_check(by, match)
    to = MatchStatus.SHORTLISTED if shortlisted else MatchStatus.SUGGESTED
    _move(match, to)
    match.status = to
    match.save(update_fields=["status", "updated_at"])
    return match


@transaction.atomic
def match_invite(*, match: Match, by, message: str = "") -> Match:
    """Invite a candidate: only one who consents, now, to be contacted; once."""

    match = _locked(match)
    _owner_check(by, match)
    if match.status == MatchStatus.INVITED:
        raise ValidationError(_("This expert has already been invited."))
    _move(match, MatchStatus.INVITED)
    if not ExpertProfile.objects.contactable().filter(pk=match.profile_id).exists():
        raise ValidationError(_("This expert has not agreed to be contacted."))
    match.status = MatchStatus.INVITED
    match.invited_by = by
    match.invited_at = timezone.now()
    match.invitation_message = message[:2000]
    match.save(update_fields=["status", "invited_by", "invited_at", "invitation_message", "updated_at"])
    notification_send(
        user=match.profile.user,
        kind="matching.invited",
        template="matching/emails/invited",
        refs={"need": match.need, "match": match},
        url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
    )
    return match


@transaction.atomic
def match_withdraw(*, match: Match, by, reason: str = "") -> Match:
    """Take back an invitation the expert has not answered yet; the expert is told by e-mail
    (with the reason, if given) that their profile stays open to other needs.

    Only an INVITED match can be withdrawn. Not a SHORTLISTED one: the expert was never
    contacted, so there is nothing to take back; the owner takes them off the shortlist, which
    leaves them free to be invited later, where a withdrawal is final and would tell a stranger
    about a list they never knew of. Not an ACCEPTED one either: that is an engagement now, and
    it ends through engagement_update (cancelled), which both sides see. A refusal changes nothing.
    """
    match = _locked(match)
    _owner_check(by, match)
    if match.status == MatchStatus.WITHDRAWN:
        raise ValidationError(_("This invitation has already been withdrawn."))
    if match.status == MatchStatus.ACCEPTED:
        raise ValidationError(
            _("The expert has already accepted: record the engagement as cancelled instead of withdrawing it.")
        )
    if match.status != MatchStatus.INVITED:
        raise ValidationError(_("Only a pending invitation can be withdrawn."))
    _move(match, MatchStatus.WITHDRAWN)
    match.status = MatchStatus.WITHDRAWN
    match.withdrawn_at = timezone.now()
    match.withdrawal_reason = reason[:2000]
    match.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    user = match.profile.user
    notification_send(
        user=user,
        kind="matching.withdrawn",
        template="matching/emails/withdrawn",
        refs={"need": match.need, "match": match},
        params={"needs_url": _url("regions:need_list", user)},
        url=_url("matching:invitation_detail", user, pk=match.pk),
    )
    return match


@transaction.atomic
def match_respond(*, match: Match, by, accept: bool, reason: str = "") -> Match:
    """The invited expert accepts or declines (with an optional reason, one of
    SetAsideReason); the owner is told. Accepting starts an engagement and reveals the
    expert's contact details to the owner (see selectors.match_contact)."""
    match = _locked(match)
    if match.profile.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("This invitation is not yours."))
    if reason and (accept or reason not in SetAsideReason.values):
        raise ValidationError(_("Choose one of the reasons offered."))
    to = MatchStatus.ACCEPTED if accept else MatchStatus.DECLINED
    _move(match, to)
    match.status = to
    match.responded_at = timezone.now()
    match.decline_reason = reason
    match.save(update_fields=["status", "responded_at", "decline_reason", "updated_at"])
    if accept:
        Engagement.objects.get_or_create(match=match)
        emit(MatchAccepted(match_id=match.pk))
    notification_send(
        user=match.need.owner,
        kind="matching.accepted" if accept else "matching.declined",
        template="matching/emails/accepted" if accept else "matching/emails/declined",
        refs={"need": match.need, "match": match},
        url=_url("matching:candidate_list", match.need.owner, need_id=match.need_id),
    )
    return match


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    by,
    status: str | None = None,
    note: str | None = None,
    rating: int | None = None,
    thanks: str | None = None,
) -> Engagement:
    """Record what became of an engagement; each side rates it once from its own door, the
    expert only once it is completed (there is nothing to rate before). The owner may write
    the region's thanks, shown on the expert's impact page."""
    engagement = (
        Engagement.objects.select_for_update().select_related("match__need", "match__profile").get(pk=engagement.pk)
    )
    match = engagement.match
    is_expert = match.profile.user_id == getattr(by, "pk", None)
    if not is_expert:
        _owner_check(by, match)
    if status is not None:
        if is_expert or status not in EngagementStatus.values:
            raise ValidationError(_("Only the need's owner records how an engagement ends."))
        engagement.status = status
        engagement.ended_at = None if status == EngagementStatus.STARTED else timezone.now()
    if note is not None and not is_expert:
        engagement.deliverable_note = note[:4000]
    if thanks is not None and not is_expert:
        engagement.thanks_note = thanks[:2000]
    if rating is not None:
        if rating not in range(1, 6):
            raise ValidationError(_("A rating goes from 1 to 5."))
        if is_expert and engagement.status != EngagementStatus.COMPLETED:
            raise ValidationError(_("You can rate an engagement once it is completed."))
        if is_expert:
            engagement.expert_rating = rating
        else:
            engagement.owner_rating = rating
    engagement.save()
    if status == EngagementStatus.COMPLETED:
        emit(EngagementCompleted(engagement_id=engagement.pk))
    if status in (EngagementStatus.COMPLETED, EngagementStatus.CANCELLED):
        notification_send(
            user=match.profile.user,
            kind=f"matching.engagement_{status}",
            template="matching/emails/engagement_ended",
            refs={"need": match.need},
            params={"status": status},
            url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
        )
    return engagement


# --- no silent dead ends -----------------------------------------------------------------

REMIND_DAYS_BEFORE = 3


def _claim(match_id: int, column: str) -> bool:
    """Fill `column` if still empty; True for the one caller that did (sends exactly once)."""
    return Match.objects.filter(pk=match_id, **{f"{column}__isnull": True}).update(**{column: timezone.now()}) == 1


def invitations_remind(*, today=None) -> int:
    """Remind invited experts before the need's response deadline; once it has passed with no
    answer, tell the owner (escalation). Each goes out once however often this runs."""
    today = today or timezone.localdate()
    sent = 0
    invited = Match.objects.filter(status=MatchStatus.INVITED, need__response_deadline__isnull=False).select_related(
        "need", "need__owner", "profile", "profile__user"
    )
    soon = invited.filter(
        reminded_at__isnull=True,
        need__response_deadline__gte=today,
        need__response_deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    )
    for match in soon:
        if _claim(match.pk, "reminded_at"):
            notification_send(
                user=match.profile.user,
                kind="matching.invitation_reminder",
                template="matching/emails/invitation_reminder",
                refs={"need": match.need},
                url=_url("matching:invitation_detail", match.profile.user, pk=match.pk),
            )
            sent += 1
    for match in invited.filter(escalated_at__isnull=True, need__response_deadline__lt=today):
        if _claim(match.pk, "escalated_at"):
            notification_send(
                user=match.need.owner,
                kind="matching.invitation_escalation",
                template="matching/emails/invitation_escalation",
                refs={"need": match.need, "match": match},
                url=_url("matching:candidate_list", match.need.owner, need_id=match.need_id),
            )
            sent += 1
    return sent


def _closure_notify(need_ids) -> int:
    """Tell the experts engaged with needs that are no longer open (invited, accepted,
    shortlisted, or interested) what happened, once."""

    sent = 0
    closed = Need.objects.filter(pk__in=need_ids).exclude(status="open")
    engaged = (
        Match.objects.filter(need__in=closed, closure_notified_at__isnull=True)
        .filter(Q(status__in=(MatchStatus.INVITED, MatchStatus.ACCEPTED, MatchStatus.SHORTLISTED)) | Q(interested=True))
        .select_related("need", "profile__user")
    )
    for match in engaged:
        if _claim(match.pk, "closure_notified_at"):
            notification_send(
                user=match.profile.user,
                kind="matching.need_closed",
                template="matching/emails/need_closed",
                refs={"need": match.need},
                url=match.need.get_absolute_url(),
            )
            sent += 1
    return sent


def _fold_interests(*, run: MatchRun, need_ids=None) -> int:
    """Experts who said "I can help" (regions.NeedInterest) join the candidate list, flagged;
    those outside the top K get a row without a rank."""

    interests = NeedInterest.objects.filter(need__in=Need.objects.open())
    if need_ids is not None:
        interests = interests.filter(need_id__in=need_ids)
    pairs = list(
        interests.filter(user__expert_profile__in=ExpertProfile.objects.matchable()).values_list(
            "need_id", "user__expert_profile"
        )
    )
    # A flag whose interest was taken back ("I can help" undone) is lifted.
    flagged = Match.objects.filter(interested=True)
    if need_ids is not None:
        flagged = flagged.filter(need_id__in=need_ids)
    wanted = Q()
    for need_id, profile_id in pairs:
        wanted |= Q(need_id=need_id, profile_id=profile_id)
    (flagged.exclude(wanted) if pairs else flagged).update(interested=False)
    if not pairs:
        return 0
    Match.objects.filter(wanted).exclude(interested=True).update(interested=True)
    present = set(Match.objects.filter(wanted).values_list("need_id", "profile_id"))
    Match.objects.bulk_create(
        [
            Match(need_id=n, profile_id=p, score=0.0, rank=None, parts={}, run=run, interested=True)
            for n, p in pairs
            if (n, p) not in present
        ],
        ignore_conflicts=True,
    )
    return len(pairs)


# --- weekly digest -----------------------------------------------------------------------

DIGEST_SIZE = 10


def digest_subscribe(*, user, subscribed: bool) -> bool:
    """Opt in to (or out of) the weekly e-mail of new matching needs."""

    if subscribed:
        DigestSubscription.objects.get_or_create(user=user)
    else:
        DigestSubscription.objects.filter(user=user).delete()
    return subscribed


def weekly_digest_send(*, now=None) -> int:
    """E-mail each subscriber the open needs published this past week that match them, best
    first, naming the region, the place and the skills; nothing when nothing matches.
    A subscriber already served in the last six days is skipped (safe to re-run)."""

    now = now or timezone.now()
    conf = matching_conf()
    hierarchy = loaders.hierarchy_load(conf)
    recent = list(Need.objects.open().filter(published_at__gte=now - timedelta(days=7)).values_list("pk", flat=True))
    needs = loaders.needs_load(recent)
    sent = 0
    subscribers = DigestSubscription.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=now - timedelta(days=6))
    ).select_related("user__expert_profile")
    for subscription in subscribers:
        profile = getattr(subscription.user, "expert_profile", None)
        if profile is None or not len(needs):
            continue
        experts = loaders.experts_load(profile_ids=[profile.pk], n_skills=hierarchy.n_skills)
        if not len(experts):
            continue  # no longer matchable: no digest
        rows, scores, _parts = engine.match_expert(experts, 0, needs, hierarchy, conf)
        if not len(rows):
            continue
        order = engine.rank_order(int(profile.pk), needs.ids[rows], scores)
        # A need the member said "not for me" to is not announced again.
        set_aside = set(NeedSetAside.objects.filter(profile=profile).values_list("need_id", flat=True))
        chosen = [pk for pk in needs.ids[rows[order]].tolist() if pk not in set_aside][:DIGEST_SIZE]
        if not chosen:
            continue
        if DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=subscription.last_sent_at).update(
            last_sent_at=now
        ):
            notification_send(
                user=subscription.user,
                kind="matching.weekly_digest",
                template="matching/emails/weekly_digest",
                refs={"needs": [Need(pk=pk) for pk in chosen]},  # rendered by the worker, in rank order
                url=_url("regions:need_list", subscription.user),
            )
            sent += 1
    return sent
