"""Loaded only by the workers of the sharded re-match tests (`celery worker --include`).

JUSUR_TEST_SHARD_DELAY (seconds): every shard's scoring takes at least that long, so that two
workers both get some of a small run's shards. JUSUR_TEST_SHARD_FAIL_ONCE (a file path): the
first shard to start while that file exists removes it and raises, once across all workers
(unlinking is atomic: exactly one process succeeds)."""

import os
import time

from matching import engine

_match_needs = engine.match_needs


def _faulty_match_needs(*args, **kwargs):
    flag = os.environ.get("JUSUR_TEST_SHARD_FAIL_ONCE")
    if flag:
        try:
            os.unlink(flag)
        except FileNotFoundError:
            pass
        else:
            raise RuntimeError("injected shard failure")
    time.sleep(float(os.environ.get("JUSUR_TEST_SHARD_DELAY", "0")))
    return _match_needs(*args, **kwargs)


engine.match_needs = _faulty_match_needs
