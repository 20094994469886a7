"""The Celery app of bench/matching.py's workers: the portal's own app, consuming and publishing
on the benchmark's private queue (JUSUR_BENCH_QUEUE), so that the shard tasks a coordinator
queues reach these workers and nothing else on the same Redis does.

With JUSUR_BENCH_WARM=1 each worker process keeps its national expert matrix from one run to
the next (the data do not change between the benchmark's runs): the "warm" variant measured
against the per-run build in docs/decisions/0020 — an upper bound of what a version-keyed cache
would save, its version check aside."""

import os

from portal.celery import app

app.conf.task_default_queue = os.environ["JUSUR_BENCH_QUEUE"]

if os.environ.get("JUSUR_BENCH_WARM") == "1":
    from matching.services import sharded

    _inputs = sharded.national_inputs
    sharded.national_inputs = lambda key, conf: _inputs("warm", conf)
    sharded.national_drop = lambda: None

__all__ = ["app"]
