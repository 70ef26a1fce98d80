"""Lock-out check at sign-in (django-axes).

Axes refuses an authenticate() call without a request. Every sign-in path of the
application (the log-in page, the admin, the API token view) passes one; only code
run by hand (the test client's login(), the shell) does not, and for that there is
no one to lock out, so the check is skipped rather than the call refused.
"""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
