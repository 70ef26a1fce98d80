"""Request context for the audit trail: a request id and the client's IP address."""

from __future__ import annotations

import time

from django.conf import settings

from agencies import acting as context


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or the address our own proxies put in X-Forwarded-For.

    Only as many right-most X-Forwarded-For entries as there are trusted proxies
    (AUDIT_TRUSTED_PROXIES) are believed; anything further left is client-supplied.
    """
    proxies = getattr(settings, "AUDIT_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Give each request an id (also sent back as X-Request-ID) and remember who asks from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit_info = context.RequestInfo(request_id=context.new_request_id(), ip=client_ip(request))
        with context.in_request(request):
            response = self.get_response(request)
        response["X-Request-ID"] = request.audit_info.request_id
        return response


class IdleSessionMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    A session ends SESSION_COOKIE_AGE (30 minutes) after it was last saved. Saving it on
    every request (SESSION_SAVE_EVERY_REQUEST) costs three queries a request; here a
    request saves it only when its last save is a minute old or more (or something else
    changed it). The session therefore ends between 29 and 30 minutes after the last
    request, never later. Sits just after SessionMiddleware, which does the saving.
    """

    KEY = "_idle_mark"
    EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response  # no session (anonymous) or signed out by this request
        mark = session.get(self.KEY)
        if session.session_key is None:
            return response  # the cookie named a session that has ended
        if session.modified or mark is None or int(time.time()) - mark >= self.EVERY_SECONDS:
            self.mark(session)
        return response

    @classmethod
    def mark(cls, session) -> None:
        """Note that the session is being saved now (a sign-in or a refresh)."""
        session[cls.KEY] = int(time.time())


class AccessRevocationMiddleware:
    """End the session of a user who was disabled or whose membership ended.

    Django already treats a disabled user's session as signed out; this also ends
    the session of an active user with no current membership (ended, deactivated,
    or an inactive agency), flushes it and logs it. A superuser with no membership
    keeps the session so the administrator can still reach the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._may_stay(user):
            from django.contrib import messages
            from django.contrib.auth import logout

            from .log import record_access

            record_access(request, "session_ended", user=user, detail="No current membership; session ended.")
            logout(request)
            messages.info(request, "Your access has ended. Ask your agency's supervisor if this is a mistake.")
        return self.get_response(request)

    @staticmethod
    def _may_stay(user) -> bool:
        from agencies.roles import membership_of

        return user.is_active and (user.is_superuser or membership_of(user) is not None)


class AccessLogMiddleware:
    """Write the one access-log row of a request that showed personal data.

    The shared bases of pages, API views, the admin and exports note what they put in
    the response (audit.log.show); here, once the response is ready, one row names it.
    Nothing is written for a response that failed (4xx/5xx): it showed nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .log import Shown, write_shown

        request.access_shown = Shown()
        response = self.get_response(request)
        if response.status_code < 400:
            write_shown(request)
        return response
