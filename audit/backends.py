"""Lock-out check at sign-in (django-axes) and the lock-out's two limits.

Axes refuses an authenticate() call without a request. Every sign-in path of the
application (the log-in page, the admin, the API token view) passes one; only code
run by hand (the test client's login(), the shell) does not, and for that there is
no one to lock out, so the check is skipped rather than the call refused.
"""

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """Two limits on failed sign-ins, counted in the database every worker shares.

    Per user name (AXES_FAILURE_LIMIT): guessing one account's password. Per client
    address (AXES_ADDRESS_FAILURE_LIMIT, higher, since an agency office may share one
    address): password spraying, a few guesses at each of many user names. Either limit
    locks the sign-in with the same page, which does not say which limit was reached.
    """

    def get_failures(self, request, credentials=None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_username = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # Counted as a locked user name, so axes's own lock-out path and page apply.
            return max(by_username, get_failure_limit(request, credentials))
        return by_username

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful sign-in clears its user name's count only: a sprayer holding one
        # valid account must not wipe the address's count by signing in with it.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
