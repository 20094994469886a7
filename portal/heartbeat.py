"""A lease kept alive by a background thread while a job runs (docs/decisions/0011).

A job that holds a lease (an outbox message being run, a full re-match) renews it every few
seconds from a thread of its own, so that the lease stays short (a dead worker is noticed
within seconds) whatever the job does meanwhile: reading, scoring, or one long write.
"""

import logging
import threading
from collections.abc import Callable

from django.db import connection

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
