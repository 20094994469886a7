import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger
from kombu import transport as kombu_transports
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class _RedisChannel(kombu_redis.Channel):
    """kombu's Redis channel, able to restore its unacknowledged messages after
    `Connection.collect()` (issue 15, item 1; docs/decisions/0012-broker-outage-and-single-beat.md).

    When the broker connection drops, Celery 5.7's consumer first calls `collect()`: closing the
    channel there fails half-way (draining the pending BRPOP on the dead socket raises), and
    `collect()` then detaches the transport from its connection (`transport.client = None`).
    The consumer next calls `close()`, which closes the channel again; this time the channel gets
    as far as restoring the messages it holds unacknowledged — a countdown/ETA message waiting in
    the worker, or a task running with acks_late — and `_connparams()` reads
    `self.connection.client.hostname` on None. The AttributeError is neither a connection nor a
    channel error, so it escapes `ignore_errors()` and the worker exits ("Unrecoverable error").

    The channel keeps the connection parameters it was opened with and uses them when the
    transport was detached: the restore then either succeeds (Redis is back) or fails with a
    redis ConnectionError, which the consumer ignores before reconnecting — as it does when no
    message is held. A message that could not be restored stays in Redis' unacked set (restored
    after the visibility timeout) and the outbox relay publishes it again meanwhile.
    """

    def __init__(self, connection, *args, **kwargs):
        self._opened_with = connection.client  # the kombu Connection, while it is still attached
        super().__init__(connection, *args, **kwargs)

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport.client is not None:
            return super()._connparams(asynchronous=asynchronous)
        transport.client = self._opened_with  # only for reading the parameters
        try:
            return super()._connparams(asynchronous=asynchronous)
        finally:
            transport.client = None


class RedisTransport(kombu_redis.Transport):
    Channel = _RedisChannel


# Every `redis://` broker URL of this process uses the transport above (the web, the worker and
# beat import this module first). Registered under the scheme's own name so that URLs and logs
# stay `redis://…`; setting broker_transport instead would print the class path as the scheme.
kombu_transports.TRANSPORT_ALIASES["redis"] = f"{__name__}:RedisTransport"
kombu_transports._transport_cache.pop("redis", None)

app = Celery("jusur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger, **kwargs):
    """The worker sets up its own handlers instead of settings.LOGGING: mask there too."""
    from .redaction import RedactingFilter  # imported late: settings must be configured first

    for handler in logger.handlers:
        handler.addFilter(RedactingFilter())
