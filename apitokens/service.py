"""Making, listing and revoking a user's API tokens: one home for the page and the API.

A token is made only from a signed-in browser session, and (when REQUIRE_MFA is on)
one that passed the second factor, so a token never outlives or outranks the
sign-in that made it: a stolen token cannot mint its own replacement.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.log import record_access
from audit.models import Action

from .models import ApiToken

MADE_WITH_TOKEN = "API tokens are made from a signed-in browser session, not with another token."
NOT_VERIFIED = "Confirm your sign-in with your second factor in this session before making an API token."


def made_with_token(request) -> bool:
    """True when the request was authenticated by an API token (DRF puts it in request.auth)."""
    return isinstance(getattr(request, "auth", None), ApiToken)


def check_may_create(request) -> None:
    if made_with_token(request):
        raise PermissionDenied(MADE_WITH_TOKEN)
    if settings.REQUIRE_MFA:
        is_verified = getattr(request.user, "is_verified", None)
        if is_verified is None or not is_verified():
            raise PermissionDenied(NOT_VERIFIED)


def tokens_of(user):
    return ApiToken.objects.filter(user=user).live()


@transaction.atomic
def create_token(request, name: str) -> tuple[ApiToken, str]:
    """A new token for the signed-in user and its secret, which is never stored."""
    check_may_create(request)
    token, secret = ApiToken.objects.create(
        user=request.user,
        name=name.strip(),
        expiry=timedelta(days=settings.API_TOKEN_DAYS),
    )
    record_access(request, Action.USER_CHANGE, token, detail=f"Created an API token named “{token.name}”.")
    return token, secret


@transaction.atomic
def revoke_token(request, token: ApiToken) -> None:
    # A token may end itself (a script signing off) but not its owner's other tokens.
    if made_with_token(request) and request.auth.pk != token.pk:
        raise PermissionDenied("An API token can revoke only itself; revoke others from the API tokens page.")
    record_access(request, Action.USER_CHANGE, token, detail=f"Revoked the API token named “{token.name}”.")
    token.delete()
