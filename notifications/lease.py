"""A lease row: one holder at a time of a named job, on PostgreSQL and SQLite alike.

Taking it is one conditional UPDATE (free, or run out) or, the first time, an INSERT under
the name's unique constraint; either succeeds for one contender only. The lease runs out
by itself (`seconds`) if its holder dies; it is given back at the end.
"""

from __future__ import annotations

import os
import socket
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import SendLease


def default_holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def acquire(name: str, holder: str, seconds: int) -> bool:
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    taken = SendLease.objects.filter(Q(until__lte=now) | Q(holder=holder), name=name).update(holder=holder, until=until)
    if taken:
        return True
    try:
        with transaction.atomic():
            SendLease.objects.create(name=name, holder=holder, until=until)
    except IntegrityError:  # someone holds it
        return False
    return True


def release(name: str, holder: str) -> None:
    SendLease.objects.filter(name=name, holder=holder).update(until=timezone.now())


@contextmanager
def held(name: str, holder: str | None = None, seconds: int = 600):
    holder = holder or default_holder()
    got = acquire(name, holder, seconds)
    try:
        yield got
    finally:
        if got:
            release(name, holder)
