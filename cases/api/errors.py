"""Django's own error answers (outside DRF's views) as JSON under /api/.

An unknown address such as /api/v2/, a body Django itself refuses, or an exception
that escapes a view would otherwise be answered with an HTML page, which API clients
cannot read. Elsewhere the site's pages are kept (audit.views.errors for the 500).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

from agencies import acting as context
from audit.views.errors import logger as error_logger
from audit.views.errors import server_error as page_server_error


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None, *args, **kwargs):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse({"detail": "The request body is too large."}, status=413)
    return JsonResponse({"detail": "Bad request."}, status=400)


def not_found(request, exception=None, *args, **kwargs):
    if not is_api(request):
        return defaults.page_not_found(request, exception)
    return JsonResponse({"detail": "Not found."}, status=404)


def server_error(request, *args, **kwargs):
    if not is_api(request):
        return page_server_error(request, *args, **kwargs)
    info = context.request_info(request)
    reference = info.request_id if info else context.new_request_id()
    error_logger.error("Server error, reference %s, path %s", reference, request.path)
    return JsonResponse(
        {"detail": f"Something went wrong on the server. Quote reference {reference} if you report it."},
        status=500,
    )
