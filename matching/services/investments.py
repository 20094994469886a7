"""Investors and opportunities (docs/matching.md §7): one national set, swapped at once."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from portal.notifications import notification_send
from portal.outbox import outbox_enqueue
from projects.models import Project

from .. import investment, loaders
from ..conf import matching_conf
from ..enums import MatchRunKind
from ..models import InvestmentMatch, InvestmentSuggestionNotice, MatchRun
from .contact import _url
from .rankings import WRITE_BATCH, _finish, _incremental_run

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
