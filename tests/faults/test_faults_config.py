"""The configuration the fault tests rely on, checked without starting processes."""

from django.conf import settings
from kombu import Connection

from portal.beat import LOCK_TTL_SECONDS, STANDBY_POLL_SECONDS, SingleBeatScheduler
from portal.celery import RedisTransport, app


def test_redis_urls_use_the_transport_whose_channels_keep_their_parameters():
    connection = Connection(settings.REDIS_URL)  # the test Redis: a channel pings it when opened
    try:
        channel = connection.default_channel
        assert isinstance(connection.transport, RedisTransport)
        assert connection.as_uri().startswith("redis://")
        # What Connection.collect() leaves behind (decision 0012): the channel can still build a
        # client, so restoring unacked messages fails as a connection error, not AttributeError.
        connection.transport.client = None
        params = channel._connparams()
        assert (params["host"], params["port"]) == (connection.hostname, connection.port)
        assert params["db"] == int(connection.virtual_host or 0)
        assert connection.transport.client is None  # left detached, as collect() wanted
    finally:
        connection.release()


def test_beat_runs_the_locked_scheduler_and_checks_its_lock_often():
    assert app.conf.beat_scheduler == "portal.beat:SingleBeatScheduler"
    assert settings.CELERY_BEAT_SCHEDULER == "portal.beat:SingleBeatScheduler"
    assert issubclass(SingleBeatScheduler, __import__("celery.beat").beat.PersistentScheduler)
    # The holder checks its lock before every tick, at least this often; a standby tries as often.
    assert settings.CELERY_BEAT_MAX_LOOP_INTERVAL == STANDBY_POLL_SECONDS == 5
    assert settings.CELERY_BEAT_SYNC_EVERY == 1  # the schedule file is written after every send
    assert LOCK_TTL_SECONDS > 30 * 5  # outlasts a beat blocked in its broker retries (≤ 30 s each)
