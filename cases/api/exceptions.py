"""Errors as JSON with a message per field; database refusals are 400s, never 500s."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.views import exception_handler

from .serializers.base import django_error_to_drf

logger = logging.getLogger(__name__)


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "This record has changed since you read it. Fetch it again, then repeat your change."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag of your last read of this record in an If-Match header "
        '("*" is not accepted): it keeps you from overwriting someone else\'s change.'
    )
    default_code = "precondition_required"


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"

    def __init__(self):
        super().__init__(f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes.")


def api_exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, DjangoValidationError):
        exc = django_error_to_drf(exc)
    elif isinstance(exc, (IntegrityError, DataError)):
        # Only the exception class is logged: messages can quote personal data.
        logger.warning("API write refused by the database: %s", type(exc).__name__)
        exc = ValidationError(
            {
                "non_field_errors": [
                    "The database refused this change: a value is out of range or conflicts with another record."
                ]
            }
        )
    return exception_handler(exc, context)
