"""Run a request once per (user, key); answer every repeat with the first answer.

How a real double submit is made safe: the key's row is inserted *before* the request runs,
in the same transaction as the request's own writes. A second request with the same key
blocks on the unique constraint (user, key) until the first one commits, then finds its row
and replays the answer kept there; if the first failed, its row went with it and the second
runs as if it were first. So at most one record is created, whichever request wins.

Only successful answers are kept (a page's redirect to what it saved, a 2xx of the API): a
refused request created nothing, so the same key may be sent again once it is corrected.
Keys are honoured for `IDEMPOTENCY_KEEP_HOURS` (24 by default); older rows are purged on the
user's next keyed write and by `manage.py purge_idempotency_keys`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from .models import KEY_MAX_LENGTH, IdempotencyKey


def keep_for() -> timedelta:
    return timedelta(hours=getattr(settings, "IDEMPOTENCY_KEEP_HOURS", 24))


def valid_key(key: str) -> bool:
    """1 to 100 visible ASCII characters (a UUID, typically)."""
    return 0 < len(key) <= KEY_MAX_LENGTH and all(33 <= ord(c) <= 126 for c in key)


def fingerprint(data) -> str:
    """A stable hash of what was sent (lists of pairs or JSON-like data)."""
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=str).encode()
    return hashlib.sha256(payload).hexdigest()


def purge(now=None) -> int:
    """Delete the keys older than the time they are honoured for; returns how many."""
    cutoff = (now or timezone.now()) - keep_for()
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def run_once(
    user,
    key: str,
    *,
    method: str,
    path: str,
    fingerprint: str,
    produce: Callable[[], object],
    keep: Callable[[object], dict | None],
    replay: Callable[[IdempotencyKey], object],
    mismatch: Callable[[IdempotencyKey], object],
):
    """Answer with produce() the first time, with replay(row) for a repeat of the same request.

    keep(answer) says what to keep of a successful answer (fields of IdempotencyKey), or
    None when the answer is a failure and the key stays free. mismatch(row) answers a key
    that was used for another request (another address or other data).
    """
    error: BaseException | None = None
    with transaction.atomic():
        row, first = _claim(user, key, method, path, fingerprint)
        if not first:
            if (row.method, row.path, row.fingerprint) == (method, path, fingerprint):
                return replay(row)
            return mismatch(row)
        try:
            answer = produce()
        except Exception as exc:  # re-raised below, once the key is released
            error = exc
        kept = None if error is not None else keep(answer)
        if kept is None:
            _release(row)
        else:
            for name, value in kept.items():
                setattr(row, name, value)
            row.save()
    if error is not None:
        raise error
    return answer


def _claim(user, key: str, method: str, path: str, fingerprint: str) -> tuple[IdempotencyKey, bool]:
    now = timezone.now()
    # Purged on write: this user's expired keys (few rows, and no other user's lock to wait for).
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - keep_for()).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, method=method, path=path[:500], fingerprint=fingerprint, status_code=0
                )
            return row, True
        except IntegrityError:
            existing = IdempotencyKey.objects.filter(user=user, key=key).first()
            if existing is not None:
                return existing, False
            # The first request failed and released the key between our insert and read: try again.
    raise IntegrityError("The idempotency key could not be claimed.")


def _release(row: IdempotencyKey) -> None:
    try:
        with transaction.atomic():
            row.delete()
    except (DatabaseError, TransactionManagementError):
        # The failed request broke the transaction: rolling it all back releases the key too.
        transaction.set_rollback(True)
