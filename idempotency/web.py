"""Pages: a POST carrying `idempotency_key` (put in the form by `{% idempotency_field %}`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect

from . import service

FIELD = "idempotency_key"
#: Names the key of the form just saved, for static/js/forms.js to forget what it kept of it.
SAVED_COOKIE = "tf_saved_form"
NOT_DATA = {FIELD, "csrfmiddlewaretoken"}

ALREADY_SAVED = "This form had already been sent and saved; it was not saved a second time."
SENT_DIFFERENT = (
    "This form had already been sent and saved. What you sent again was different and was not saved: "
    "change the record here if something needs correcting, or open a new form for another record."
)


def _go_to(request, location: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        # An htmx form (the notes panel) would swap a whole page into its part: navigate instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = location
        return response
    return HttpResponseRedirect(location)


class IdempotentFormMiddleware:
    """Runs a keyed POST once per user and key; a repeat goes to where the first one went.

    A view's answer counts as done when it redirects (the record created, or the page after
    the step), or when the view names the page to return to in `response.idempotency_location`
    (a page that shows its result at once, like a new API token). Anything else (a form shown
    again with errors, a 403) keeps nothing, and the key can be sent again.

    It works in process_view, so sign-in, two-step and CSRF checks have run; it is placed last
    but for django-axes, and calls the view itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.user.is_authenticated or request.path.startswith("/api/"):
            return None
        key = request.POST.get(FIELD, "").strip()
        if not service.valid_key(key):
            return None
        sent = sorted(
            (name, value) for name in request.POST if name not in NOT_DATA for value in request.POST.getlist(name)
        )

        def replay(row):
            messages.info(request, ALREADY_SAVED)
            return _go_to(request, row.location)

        def mismatch(row):
            messages.warning(request, SENT_DIFFERENT)
            return _go_to(request, row.location)

        done = []

        def keep(response):
            kept = self._keep(response)
            done.append(kept is not None)
            return kept

        response = service.run_once(
            request.user,
            key,
            method="POST",
            path=request.path,
            fingerprint=service.fingerprint(sent),
            produce=lambda: view_func(request, *view_args, **view_kwargs),
            keep=keep,
            replay=replay,
            mismatch=mismatch,
        )
        if done != [False]:  # saved now, or before (a replay): the browser may forget the form
            response.set_cookie(
                SAVED_COOKIE,
                key,
                max_age=300,
                samesite="Strict",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=False,  # read by static/js/forms.js; a random key, nothing else
            )
        return response

    @staticmethod
    def _keep(response) -> dict | None:
        location = getattr(response, "idempotency_location", None)
        if location is None and response.status_code in (301, 302, 303) and response.has_header("Location"):
            location = response["Location"]
        if not location:
            return None
        return {"status_code": 302, "location": location[:500]}
