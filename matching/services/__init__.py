"""Every write of the matching app, one module per aggregate; the public names are re-exported
here so that callers write `from matching import services` whatever module holds them.

- rankings: the engine's top K as rows with explanations, and how they are written;
- runs: full runs (request, claim) and the incremental re-scoring of one need or expert;
- sharded: the full re-match as a workflow of shards scored on any worker, swapped at once;
- contact: shortlist, invite, withdraw, respond, engagements, reminders, closure notices;
- digest: the weekly e-mail of new needs;
- investments: investors and opportunities.
"""

from .contact import (
    REMIND_DAYS_BEFORE,
    engagement_update,
    invitations_remind,
    match_invite,
    match_respond,
    match_shortlist,
    match_withdraw,
)
from .digest import DIGEST_SIZE, digest_subscribe, weekly_digest_send
from .investments import (
    INVESTMENT_LOCK,
    INVESTMENT_TASK,
    investment_rematch,
    investment_rematch_request,
    investment_suggestions_notify,
)
from .runs import (
    MAX_RUN_ATTEMPTS,
    RUN_HEARTBEAT_SECONDS,
    RUN_STALE_AFTER,
    RUNS_KEPT,
    expert_rematch,
    full_rematch,
    match_run_claim,
    match_run_request,
    need_rematch,
    needs_rematch,
)

__all__ = [
    "DIGEST_SIZE",
    "INVESTMENT_LOCK",
    "INVESTMENT_TASK",
    "MAX_RUN_ATTEMPTS",
    "REMIND_DAYS_BEFORE",
    "RUNS_KEPT",
    "RUN_HEARTBEAT_SECONDS",
    "RUN_STALE_AFTER",
    "digest_subscribe",
    "engagement_update",
    "expert_rematch",
    "full_rematch",
    "investment_rematch",
    "investment_rematch_request",
    "investment_suggestions_notify",
    "invitations_remind",
    "match_invite",
    "match_respond",
    "match_run_claim",
    "match_run_request",
    "match_shortlist",
    "match_withdraw",
    "need_rematch",
    "needs_rematch",
    "weekly_digest_send",
]
