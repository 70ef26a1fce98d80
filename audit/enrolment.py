"""One-time codes that let a user enrol (or re-enrol) a two-step sign-in device.

Whoever learns the password of an account without a device must not be able to put
their own authenticator on it: enrolment asks for a code that an administrator or the
user's supervisor issued, valid once and for 72 hours. Only a salted hash is kept.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import EnrolmentCode, User
from cases import access

from .log import record_access
from .models import Action

VALID_FOR = timedelta(hours=72)
# Unambiguous letters and digits (no 0/O, 1/I/L), read aloud or typed from a note.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS, GROUP_LENGTH = 4, 4  # 16 characters, about 79 bits: not guessable online


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def normalise(code: str) -> str:
    """As issued: upper case in groups of four, whatever spaces or dashes were typed."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH))


def issue(request, issuer, user: User) -> str:
    """A new code for `user`, replacing any open one; returned once, never stored in clear."""
    access.require(issuer, "user.issue_enrolment", user)
    return _create(request, issuer, user)


def issue_on_server(user: User) -> str:
    """For `manage.py issue_enrolment_code`: whoever runs it already holds the server."""
    return _create(None, None, user)


@transaction.atomic
def _create(request, issuer, user: User) -> str:
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user).open().update(withdrawn_at=now)
    code = _new_code()
    entry = EnrolmentCode.objects.create(
        user=user,
        code_hash=make_password(code),
        issued_by=issuer,
        issued_at=now,
        expires_at=now + VALID_FOR,
    )
    by = issuer.get_username() if issuer is not None else "manage.py on the server"
    record_access(
        request,
        Action.ENROLMENT_ISSUED,
        obj=user,
        user=issuer,
        username="" if issuer else "(server)",
        detail=f"Two-step enrolment code issued for {user.get_username()} by {by}; "
        f"valid until {timezone.localtime(entry.expires_at):%Y-%m-%d %H:%M}.",
    )
    return code


def matching(user: User, code: str) -> EnrolmentCode | None:
    """The user's open code that `code` matches, or None."""
    typed = normalise(code)
    for candidate in EnrolmentCode.objects.filter(user=user).open():
        if check_password(typed, candidate.code_hash):
            return candidate
    return None


def use(code_id: int | None, user: User) -> bool:
    """Spend the code once; False if it was used, replaced or expired meanwhile."""
    if code_id is None:
        return False
    spent = EnrolmentCode.objects.filter(pk=code_id, user=user).open().update(used_at=timezone.now())
    return spent == 1
