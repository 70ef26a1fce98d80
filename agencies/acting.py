"""Who is acting, from where: the context the audit trail stamps on each row.

It lives with the users (agencies) so that domain actions name their actor without
importing the audit app, which reads it (dependencies point one way: agencies ← cases ← audit).

A web or API request fills it through audit.middleware.RequestContextMiddleware;
domain actions called outside a request (management commands, tests, the shell)
name their actor with `acting_as(user)`, so the change history always has a "who".
"""

from __future__ import annotations

import contextvars
import functools
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


@dataclass(frozen=True)
class RequestInfo:
    request_id: str
    ip: str | None


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def acting_as(user):
    """Name the user behind the changes made inside the block."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def acts(func):
    """Decorate a domain action whose first argument is the acting user."""

    @functools.wraps(func)
    def wrapper(user, *args, **kwargs):
        with acting_as(user):
            return func(user, *args, **kwargs)

    return wrapper


@contextmanager
def in_request(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def current_actor():
    """The user acting now: the named actor, else the signed-in user of the request."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


def current_request():
    return _request.get()


def request_info(request=None) -> RequestInfo | None:
    request = request if request is not None else _request.get()
    if request is None:
        return None
    return getattr(request, "audit_info", None)
