"""Settings for the processes a fault test starts (worker, beat, gunicorn): the test settings,
with the queue and the beat schedule the test chooses through the environment."""

import os

from tests.settings import *  # noqa: F403

# The test run's own queue (tests/workers.py QUEUE): published by the test, the beat and read by the worker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("JUSUR_TEST_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = False
if os.environ.get("JUSUR_TEST_BEAT") == "probe":
    # A beat test watches which beat sends: one entry every 2 s, of a task that does nothing.
    CELERY_BEAT_SCHEDULE = {"probe": {"task": "celery.accumulate", "schedule": 2.0, "args": (1,)}}
elif os.environ.get("JUSUR_TEST_BEAT") == "relay":
    # Only the outbox relay, at its production interval (the other entries are nightly jobs).
    CELERY_BEAT_SCHEDULE = {"outbox-relay": CELERY_BEAT_SCHEDULE["outbox-relay"]}
