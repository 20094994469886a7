"""Thin Celery wrappers; other apps enqueue these names through portal.outbox."""

from celery import shared_task
from django.db import OperationalError

from . import services

TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


@shared_task(
    name="matching.expert_changed",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def expert_rematch_task(*, profile_id: int) -> int:
    return services.expert_rematch(profile_id=profile_id)


@shared_task(
    name="matching.need_changed",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def need_rematch_task(*, need_id: int) -> int:
    return services.need_rematch(need_id=need_id)


@shared_task(
    name="matching.full_rematch",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=540,
    time_limit=600,
)
def full_rematch_task(*, run_id: int | None = None, shards: int | None = None) -> int | None:
    """The coordinator: plans the run's shards and queues them; returns how many."""
    if run_id is None:
        # Beat's nightly message carries no outbox lease: turn it into a run requested through
        # the outbox, so that a worker dying in the middle is recovered like any other.
        services.match_run_request()
        return None
    return services.full_rematch_start(run_id=run_id, wait=True, shards=shards)


@shared_task(
    bind=True,
    name="matching.full_rematch_shard",
    # Any failure is retried, on whichever worker takes the retry; the shard counts its
    # deliveries and fails the run at the fifth (services.sharded.MAX_SHARD_DELIVERIES).
    autoretry_for=(Exception,),
    retry_backoff=1,
    retry_backoff_max=30,
    max_retries=4,
    soft_time_limit=540,
    time_limit=600,
)
def full_rematch_shard_task(self, *, run_id: int, attempt: int, index: int) -> bool:
    """One shard of a full run; the last one to finish swaps the run in."""
    return services.shard_run(run_id=run_id, attempt=attempt, index=index, hostname=self.request.hostname or "")


@shared_task(name="matching.invitations_remind", soft_time_limit=240, time_limit=300)
def invitations_remind_task() -> int:
    return services.invitations_remind()


@shared_task(name="matching.weekly_digest", soft_time_limit=540, time_limit=600)
def weekly_digest_send_task() -> int:
    return services.weekly_digest_send()


@shared_task(
    name="matching.investment_rematch",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)
def investment_rematch_task() -> int:
    return services.investment_rematch().matches_count
