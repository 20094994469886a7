"""Settings of the live servers the schemathesis tests start (tests/live.py): the test settings,
with quotas out of the way (thousands of generated requests in a minute) and no DNS look-ups
for the host names schemathesis makes up."""

from tests.settings import *  # noqa: F403

REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000000/min"}}  # noqa: F405
JUSUR_WEBHOOKS_ALLOW_PRIVATE = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}  # 4xx are expected
# Browser tests against this server need the stylesheets and scripts: serve them from the apps'
# static folders, as `collectstatic` would have gathered them.
WHITENOISE_USE_FINDERS = True
