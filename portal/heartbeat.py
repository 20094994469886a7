"""A lease kept alive by a background thread while a job runs (docs/decisions/0011).

A job that holds a lease (an outbox message being run, a full re-match) renews it every few
seconds from a thread of its own, so that the lease stays short (a dead worker is noticed
within seconds) whatever the job does meanwhile: reading, scoring, or one long write.
"""

import logging
import threading
from collections.abc import Callable

from django.db import connection, transaction

logger = logging.getLogger(__name__)


class Heartbeat:
    """`with Heartbeat(renew, every=10):` calls `renew()` every `every` seconds until the block ends."""

    def __init__(self, renew: Callable[[], object], *, every: float, name: str = "heartbeat"):
        self._renew = renew
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=name, daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self._every):
                try:
                    self._renew()
                except Exception as exc:  # noqa: BLE001 - a missed beat is retried; the lease may lapse
                    logger.warning("%s: renewal failed: %s", self._thread.name, exc)
        finally:
            connection.close()  # the thread's own database connection, opened by the first renewal


def lease_renew(queryset, **values) -> int:
    """UPDATE the rows of `queryset` that no other transaction holds locked.

    A row locked elsewhere is skipped, not waited for: the lock is the job's own final write
    (which is progress enough), or a test's open transaction. Waiting there would deadlock the
    job, which joins this thread once that same transaction has ended.
    """
    with transaction.atomic():  # Django wants FOR UPDATE inside one, even in a subquery
        free = queryset.select_for_update(skip_locked=True).values("pk")
        return queryset.model._default_manager.filter(pk__in=free).update(**values)
