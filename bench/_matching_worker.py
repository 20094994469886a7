"""The Celery app of bench/matching.py's workers: the portal's own app, consuming and publishing
on the benchmark's private queue (JUSUR_BENCH_QUEUE), so that the shard tasks a coordinator
queues reach these workers and nothing else on the same Redis does.

With JUSUR_BENCH_WARM=1 each worker process keeps its national expert matrix from one run to
the next (the data do not change between the benchmark's runs): the "warm" variant measured
against the per-run build in docs/decisions/0020 — an upper bound of what a version-keyed cache
would save, its version check aside."""

import os

from celery.signals import worker_process_init

from portal.celery import app

app.conf.task_default_queue = os.environ["JUSUR_BENCH_QUEUE"]


@worker_process_init.connect
def _keep_matrices_warm(**kwargs):
    """In each pool process, once Django is set up (the models must be importable)."""
    if os.environ.get("JUSUR_BENCH_WARM") != "1":
        return
    from matching.services import sharded

    build = sharded.national_inputs
    sharded.national_inputs = lambda key, conf: build("warm", conf)
    sharded.national_drop = lambda: None


__all__ = ["app"]
