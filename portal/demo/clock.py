"""The demo replays months of history through the services, which stamp what they write with
`timezone.now()`; history rows are append-only (no service writes the past, and none should).
So each past step runs with the clock set to the day it happened. Demo only: never production."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock


@contextmanager
def demo_clock(at: datetime):
    """Within the block, `django.utils.timezone.now()` returns `at` (code that calls it through
    the module, as every service does)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield
