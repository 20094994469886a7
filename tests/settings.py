"""Test settings: the real settings module, fed the environment a test run needs.

Tests run on the real PostgreSQL and Redis (see the Makefile's `test` target); these
defaults only fill in what the shell did not set.
"""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jusur")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ.setdefault("DJANGO_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from portal.settings import *  # noqa: F403

# Unit tests run tasks in-process; the integration tests under tests/*/test_*_worker.py
# switch this off and start a real worker against Redis.
CELERY_TASK_ALWAYS_EAGER = True
# A worker started with tests.workers.start_worker(eager=False) sends the messages its tasks
# publish (a retry, a task queued by a task) through Redis, to the test run's queue.
if os.environ.get("JUSUR_TEST_WORKER_QUEUE"):
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_TASK_DEFAULT_QUEUE = os.environ["JUSUR_TEST_WORKER_QUEUE"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A real worker started by a test (tests/workers.py) is another process: it writes its e-mails
# as files the test reads, and its uploads where the test's are. Test-only variables, so that a
# JUSUR_MEDIA_ROOT set in the shell never sends test files to a real folder. portal.settings
# refuses the file backend outside DEBUG (decision 0008); only this test module sets it.
if os.environ.get("JUSUR_TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["JUSUR_TEST_EMAIL_DIR"]
MEDIA_ROOT = Path(os.environ.get("JUSUR_TEST_MEDIA_ROOT", BASE_DIR / ".test-media"))  # noqa: F405
# Templates used only by tests of shared machinery (e.g. notifications).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# The page cache lives in Redis, which keeps it across tests whose rows roll back: off unless a
# test turns it on (tests/portal/test_pagecache.py, with the on-commit invalidation run).
PUBLIC_PAGE_CACHE_SECONDS = 0
