"""A task with its own retry policy, for test_outbox_faults.py: imported by the test and by
its worker (`celery worker --include`). Each run appends a line to the file it is given, so
the test counts runs from outside the worker."""

from pathlib import Path

from celery import shared_task


@shared_task(
    name="tests.flaky_transient",
    autoretry_for=(ConnectionError,),
    max_retries=3,
    default_retry_delay=1,
    soft_time_limit=30,
    time_limit=40,
)
def flaky_transient_task(*, log: str, fail_times: int) -> int:
    path = Path(log)
    with path.open("a") as out:
        out.write("run\n")
    runs = len(path.read_text().splitlines())
    if runs <= fail_times:
        raise ConnectionError("the SMTP server went away")  # transient: the policy retries
    return runs
