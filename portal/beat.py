"""A single Celery beat for the whole deployment (issue 15, item 6;
docs/decisions/0012-broker-outage-and-single-beat.md).

Every beat process runs `SingleBeatScheduler`. Only the one holding a PostgreSQL advisory lock
opens the schedule and sends due tasks; the others wait, trying the lock every
`STANDBY_POLL_SECONDS`. The lock belongs to the holder's own database session:

- renewal: the holder checks the lock on that session at every tick (at most every
  CELERY_BEAT_MAX_LOOP_INTERVAL seconds) before sending anything;
- expiry: PostgreSQL ends the session — and so releases the lock — when the process dies (at
  once: its socket closes), when the session stays idle longer than `LOCK_TTL_SECONDS`
  (`idle_session_timeout`: the holder hangs), or when TCP keepalives find its host gone.

A holder whose check fails (the database restarted or is unreachable, or its session expired)
stops sending at once, closes its schedule and waits for the lock like a standby. Whoever takes
the lock (re)opens the schedule file then, so two beats on one host may share that file.
The lock needs a real session: point DATABASE_URL at PostgreSQL itself, not at a pooler in
transaction mode.
"""

import logging

from celery.beat import PersistentScheduler
from django.db import DatabaseError, InterfaceError, connections

logger = logging.getLogger(__name__)

LOCK_KEY = 0x4A55_5352_4245_4154  # "JUSRBEAT": one lock per database, so per deployment
STANDBY_POLL_SECONDS = 5.0
# A beat whose broker is down blocks in its connection retries (2, 4, … 30 s) without ticking:
# the expiry must outlast such an outage, or a second beat would take over and both would send
# when Redis returns. A dead beat's lock is released at once anyway; this only bounds a hang.
LOCK_TTL_SECONDS = 300
# libpq keepalives and timeouts of the lock's session (client side), so that a silent network
# cannot keep a holder believing it holds the lock for longer than about LOCK_TTL_SECONDS.
_SESSION_PARAMS = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20_000,
}


def _driver_error() -> type[Exception]:
    """The driver's own base error: this connection is not wrapped by Django, so its errors are not."""
    try:
        import psycopg2

        return psycopg2.Error
    except ImportError:  # pragma: no cover - psycopg 3 deployments
        import psycopg

        return psycopg.Error


_LOCK_ERRORS = (DatabaseError, InterfaceError, OSError, _driver_error())


class SchedulerLock:
    """A session-level PostgreSQL advisory lock on a connection of its own (not Django's)."""

    def __init__(self, *, key: int = LOCK_KEY, ttl: int = LOCK_TTL_SECONDS, alias: str = "default"):
        self.key = key
        self.ttl = ttl
        self.alias = alias
        self._connection = None
        self._unlocked = False

    def try_acquire(self) -> bool:
        if connections[self.alias].vendor != "postgresql":
            # A development checkout on SQLite (no DATABASE_URL) runs one beat, inside its worker.
            logger.warning("beat: no PostgreSQL, so no scheduler lock: run a single beat")
            self._unlocked = True
            return True
        try:
            with self._session().cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
                return bool(cursor.fetchone()[0])
        except _LOCK_ERRORS as exc:
            logger.warning("beat: cannot reach the database for the scheduler lock: %s", exc.__class__.__name__)
            self.close()
            return False

    def held(self) -> bool:
        """True if this session still holds the lock (the check is also the renewal)."""
        if self._unlocked:
            return True
        if self._connection is None:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND pid = pg_backend_pid() AND classid = %s AND objid = %s AND objsubid = 1",
                    [(self.key >> 32) & 0xFFFFFFFF, self.key & 0xFFFFFFFF],
                )
                return cursor.fetchone()[0] == 1
        except _LOCK_ERRORS as exc:
            logger.warning("beat: the scheduler lock's session failed: %s", exc.__class__.__name__)
            self.close()
            return False

    def close(self) -> None:
        """Drop the session, which releases the lock if it was held."""
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a broken session is closed all the same
                logger.debug("beat: closing the lock session failed", exc_info=True)

    def _session(self):
        if self._connection is None:
            wrapper = connections[self.alias]
            params = {**wrapper.get_connection_params(), **_SESSION_PARAMS}
            connection = wrapper.get_new_connection(params)
            connection.autocommit = True
            with connection.cursor() as cursor:
                # The expiry: PostgreSQL ends this session, releasing the lock, when its holder
                # stops checking it for ttl seconds; and probes the client's host meanwhile.
                cursor.execute("SELECT set_config('idle_session_timeout', %s, false)", [f"{self.ttl}s"])
                for name, value in (("tcp_keepalives_idle", 10), ("tcp_keepalives_interval", 5)):
                    cursor.execute("SELECT set_config(%s, %s, false)", [name, str(value)])
                cursor.execute("SELECT set_config('application_name', 'jusur-beat', false)")
            self._connection = connection
        return self._connection


class SingleBeatScheduler(PersistentScheduler):
    """celery beat's file-backed scheduler, sending only while it holds `SchedulerLock`."""

    def __init__(self, *args, **kwargs):
        self.lock = SchedulerLock()
        self._holding = False
        super().__init__(*args, **kwargs)

    def setup_schedule(self):
        # Called by Scheduler.__init__: the schedule file is opened only once the lock is held.
        if self._holding:
            super().setup_schedule()

    def tick(self, *args, **kwargs):
        if self._holding and not self.lock.held():
            logger.error("beat: lost the scheduler lock; sending nothing until this beat holds it again")
            self._let_go()
        if not self._holding:
            if not self.lock.try_acquire():
                return STANDBY_POLL_SECONDS
            self._holding = True
            logger.info("beat: holding the scheduler lock; this beat sends the schedule")
            super().setup_schedule()
            self._heap = None  # rebuilt from the schedule just read
            self.old_schedulers = None
        return super().tick(*args, **kwargs)

    def sync(self):
        if self._holding:
            super().sync()

    def close(self):
        try:
            if self._store is not None:
                super().close()
        finally:
            self._store = None
            self.lock.close()

    def _let_go(self):
        try:
            if self._store is not None:
                super().close()  # saves what was sent so far
        except Exception:  # the file may be left as it is; the lock matters
            logger.exception("beat: closing the schedule file failed")
        self._holding = False
        self._store = None
        self._heap = None
        self.lock.close()
