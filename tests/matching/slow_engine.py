"""Loaded only by the worker of the kill tests (`celery worker --include`): pauses a full
re-match at its progress report — after scoring, before the results are swapped in — for
JUSUR_TEST_PAUSE seconds, so that the test can kill the worker in the middle of a run.
With JUSUR_TEST_PAUSE_WHILE (a file path), it pauses only while that file exists: the test
removes it to let the next attempt run at full speed."""

import os
import time
from pathlib import Path

from matching import engine

_match_needs = engine.match_needs


def _pause() -> None:
    flag = os.environ.get("JUSUR_TEST_PAUSE_WHILE")
    deadline = time.monotonic() + float(os.environ.get("JUSUR_TEST_PAUSE", "0"))
    while time.monotonic() < deadline and (flag is None or Path(flag).exists()):
        time.sleep(0.2)


def _slow_match_needs(*args, **kwargs):
    report = kwargs.get("on_progress")
    if report is not None:

        def paused(done, total):
            report(done, total)
            _pause()

        kwargs["on_progress"] = paused
    return _match_needs(*args, **kwargs)


engine.match_needs = _slow_match_needs
