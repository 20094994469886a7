"""Every write of the matching app, one module per aggregate; the public names are re-exported
here so that callers write `from matching import services` whatever module holds them.

- rankings: the engine's top K as rows with explanations, and how they are written;
- run_lease: a full run requested, claimed by one coordinator, kept alive by a heartbeat;
- sharded: the full re-match as a workflow of shards scored on any worker, swapped at once;
- incremental: re-scoring one need or one expert between full runs;
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
from .incremental import expert_rematch, need_rematch, needs_rematch
from .investments import (
    INVESTMENT_LOCK,
    INVESTMENT_TASK,
    investment_rematch,
    investment_rematch_request,
    investment_suggestions_notify,
)
from .run_lease import (
    MAX_RUN_ATTEMPTS,
    RUN_HEARTBEAT_SECONDS,
    RUN_STALE_AFTER,
    RUNS_KEPT,
    match_run_claim,
    match_run_request,
)
from .sharded import full_rematch, full_rematch_start, shard_run

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
    "full_rematch_start",
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
    "shard_run",
    "weekly_digest_send",
]
