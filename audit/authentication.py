"""API token authentication that honours the loss of access at once.

DRF's TokenAuthentication already refuses the token of a disabled user; this also
refuses the token of a user whose membership has ended (superusers excepted, as
for sessions), and writes the refusal to the access log.
"""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from agencies.roles import membership_of

from .log import record_access
from .models import Action


class MembershipTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not user.is_superuser and membership_of(user) is None:
            from . import context

            record_access(context.current_request(), Action.TOKEN_REFUSED, user=user,
                          detail="API token refused: no current membership.")
            raise exceptions.AuthenticationFailed("This account no longer has access.")
        return user, token
