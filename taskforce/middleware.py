"""Responses to a signed-in user are never stored by a browser or a proxy."""

from __future__ import annotations

# Views whose answer holds no personal data and may be kept by the user's own browser:
# the agency directory of the filter boxes (cases/views/agencies.py, ten minutes).
BROWSER_CACHEABLE_VIEWS = {"web:agency_suggestions"}


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every answer to an authenticated request.

    Pages and API replies carry personal data; a shared computer's browser cache or a
    proxy must not keep them. Static files are served by whitenoise before this runs and
    stay cacheable. Sits after AuthenticationMiddleware; an API token's user is known by
    the time the response comes back, since DRF sets it on the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name in BROWSER_CACHEABLE_VIEWS
            and "private" in response.get("Cache-Control", "")
        ):
            return response
        # Replaced, not merged: a max-age or public set by a view must not survive.
        response["Cache-Control"] = "no-store, private"
        return response
