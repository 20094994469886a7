"""Loaded only by the worker of the kill test (`celery worker --include`): pauses a full
re-match at its progress report — after scoring, before the results are swapped in — for
JUSUR_TEST_PAUSE seconds, so that the test can kill the worker in the middle of a run."""

import os
import time

from matching import engine

_match_needs = engine.match_needs


def _slow_match_needs(*args, **kwargs):
    report = kwargs.get("on_progress")
    if report is not None:

        def paused(done, total):
            report(done, total)
            time.sleep(float(os.environ.get("JUSUR_TEST_PAUSE", "0")))

        kwargs["on_progress"] = paused
    return _match_needs(*args, **kwargs)


engine.match_needs = _slow_match_needs
