"""The page shown on a server error: a reference number, never a stack trace."""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.template import loader

from agencies import acting as context

logger = logging.getLogger("audit.errors")


def server_error(request, *args, **kwargs):
    info = context.request_info(request)
    reference = info.request_id if info else context.new_request_id()
    # The reference links the user's report to the logged traceback (django.request),
    # which carries the request id through the X-Request-ID header; no personal data here.
    logger.error("Server error, reference %s, path %s", reference, request.path)
    template = loader.get_template("audit/server_error.html")
    return HttpResponseServerError(template.render({"reference": reference}))
