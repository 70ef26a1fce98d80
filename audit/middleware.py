"""Request context for the audit trail: a request id and the client's IP address."""

from __future__ import annotations

from django.conf import settings

from . import context


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
