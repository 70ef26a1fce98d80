"""Reports, dashboards and exports read from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only the code that opts in reads from the replica (`reading()`: the report pages and API,
cases/reports/scope.py, and the export worker, exports/writing.py); every other read, and
every write, goes to the primary. A user never reads the replica just after writing:

- in a request, the first write of a case record (anything but the access log, the session
  and the cache) pins the rest of that request to the primary;
- after a request that wrote, or any POST/PUT/PATCH/DELETE, the user is pinned to the
  primary for `REPLICA_PIN_SECONDS` (default 10) on every application server: the pin is a
  key in the shared cache (Redis when several servers run);
- an export job whose requester is pinned when the worker starts it reads the primary.

A streaming replica on the same network is usually milliseconds behind; the pin covers
a replica up to REPLICA_PIN_SECONDS behind. Reports are kept a few minutes anyway
(cases/reports/snapshots.py), so a report read from a replica a second behind says
nothing older than the page already admits.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

REPLICA = "replica"
# Writes to these apps' tables do not pin a request to the primary: they are not what a report
# counts (the access log, sessions, sign-in attempts, the database cache's rows, the job queue).
NOT_PINNING_APPS = frozenset({"audit", "sessions", "axes", "django_cache", "django_tasks_database", "idempotency"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

_reading = ContextVar("replica_reading", default=False)
_pinned = ContextVar("replica_pinned", default=False)
# Off in a job: its own bookkeeping (an export's progress) is not a write its reads follow.
_writes_pin = ContextVar("replica_writes_pin", default=True)
_user = ContextVar("replica_user", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES and settings.REPLICA_READS


def _pin_key(user_id) -> str:
    return f"replica-pin:{user_id}"


def user_pinned(user) -> bool:
    """The user wrote within the last REPLICA_PIN_SECONDS (on any server)."""
    return user is not None and getattr(user, "pk", None) is not None and bool(cache.get(_pin_key(user.pk)))


def pin(user) -> None:
    if user is not None and getattr(user, "pk", None) is not None:
        cache.set(_pin_key(user.pk), 1, settings.REPLICA_PIN_SECONDS)


def alias() -> str:
    """The database the current reads go to."""
    return REPLICA if (_reading.get() and not _pinned.get() and configured()) else "default"


@contextmanager
def reading(user=None, worker: bool = False):
    """Reads inside go to the replica, unless this request wrote or `user` wrote lately.

    `worker=True` (a job, outside any request): the job's own bookkeeping writes do not pin.
    """
    pinned = _pinned.get() and not worker
    if configured() and not pinned and user_pinned(user or _user.get()):
        pinned = True
    tokens = [(_reading, _reading.set(True)), (_pinned, _pinned.set(pinned))]
    if worker:
        tokens.append((_writes_pin, _writes_pin.set(False)))
    try:
        yield alias()
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class ReplicaRouter:
    """Sends the reads of `reading()` blocks to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if alias() == REPLICA else None

    def db_for_write(self, model, **hints):
        if _writes_pin.get() and model._meta.app_label not in NOT_PINNING_APPS:
            _pinned.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both: a record read from the replica relates to one from the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaPinMiddleware:
    """Pins a request to the primary after its first write, and its user for a few seconds after."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token, user_token = _pinned.set(False), _user.set(user)
        try:
            response = self.get_response(request)
            wrote = _pinned.get() or request.method not in SAFE_METHODS
        finally:
            _pinned.reset(token)
            _user.reset(user_token)
        if wrote and configured() and user is not None and user.is_authenticated:
            pin(user)
        return response
