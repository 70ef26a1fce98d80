"""API token authentication (django-rest-knox) that honours the loss of access at once.

Knox finds the token by its hash, refuses an expired one and the token of a disabled
user; this also refuses the token of a user whose membership has ended (superusers
excepted, as for sessions), writes the refusal to the access log, and notes when
each token was last used.
"""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from agencies.roles import membership_of

from .log import record_access
from .models import Action

# The "last used" time is written at most this often, so busy scripts do not write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


class MembershipTokenAuthentication(TokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if not user.is_superuser and membership_of(user) is None:
            from agencies import acting as context

            record_access(
                context.current_request(),
                Action.TOKEN_REFUSED,
                user=user,
                detail="API token refused: no current membership.",
            )
            raise exceptions.AuthenticationFailed("This account no longer has access.")
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
            type(token).objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


class MembershipTokenScheme(KnoxTokenScheme):
    """Describes the token in the OpenAPI schema as drf-spectacular does for knox's own class."""

    target_class = MembershipTokenAuthentication
    name = "tokenAuth"
