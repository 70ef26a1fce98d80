"""The OpenAPI contract: every endpoint documents its errors, export formats and disclosure."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers

from cases import access
from idempotency.api import HEADER as IDEMPOTENCY_HEADER
from idempotency.api import IdempotentPostMixin

from .exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from .fields import OPEN_MODELS

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. `detail` explains it; a validation error instead maps each field "
        "(or `non_field_errors`) to a list of messages."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
}

# One or more quoted ETags, as responses send them ("*" names no version and is refused).
ETAG_LIST_PATTERN = r'^"[!#-~]+"( *, *"[!#-~]+")*$'

ERRORS = {
    "400": "Invalid input: a message per field (malformed JSON, wrong type, unknown field, bad date, page size over 1000, an altered cursor…).",
    "401": "Not signed in, or the token is invalid, revoked or belongs to a user who lost access.",
    "403": "Your role does not allow this (analysts and auditors get 403 on every case record).",
    "404": "No such record, or it is outside your scope (the two are not told apart).",
    "422": "The Idempotency-Key was already used for another request (another address or other data); nothing was done.",
    "412": "If-Match does not match the record's current ETag: someone changed it; nothing was saved.",
    "428": 'If-Match is missing (or is "*"): every change to an existing record must name the ETag it was based on.',
    "429": "Too many requests; wait and retry.",
}


def _document_method_filters() -> None:
    """Filters that pick a record through a method still take its id (spectacular cannot tell)."""
    import django_filters

    from cases import filters

    for filterset in vars(filters).values():
        if isinstance(filterset, type) and issubclass(filterset, django_filters.FilterSet):
            for item in filterset.base_filters.values():
                if isinstance(item, django_filters.ModelChoiceFilter) and item.method:
                    extend_schema_field(OpenApiTypes.INT)(item)


_document_method_filters()


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def error_response(description: str) -> OpenApiResponse:
    """An error answer of one endpoint, for its @extend_schema(responses=…)."""
    return OpenApiResponse(ERROR_SCHEMA, description=description)


def page_schema(name: str, results: type[serializers.Serializer], description: str = "") -> serializers.Serializer:
    """The schema of one page of a list (ScopedPagination's cursor links and the rows), named `name`."""
    fields = {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": results(many=True),
    }
    return type(name, (serializers.Serializer,), {"__doc__": description or None, **fields})()


class TaskForceAutoSchema(AutoSchema):
    def _writes_a_record(self) -> bool:
        """Every write to one record (PUT, PATCH, POST actions): all need If-Match (cases/api/views/base.py)."""
        return "{" in self.path and self.method in ("PUT", "PATCH", "POST", "DELETE")

    def _idempotent(self) -> bool:
        """A POST that takes Idempotency-Key (idempotency.api)."""
        return self.method == "POST" and isinstance(self.view, IdempotentPostMixin)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "429"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self._writes_a_record():
            codes += ["412", "428"]
        if self._idempotent():
            codes.append("422")
        for code in codes:
            responses.setdefault(code, _error(ERRORS[code]))
        return responses

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if CSV_MEDIA_TYPE in content:
            content[CSV_MEDIA_TYPE] = {"schema": {"type": "string", "description": "CSV, one row per record."}}
        if XLSX_MEDIA_TYPE in content:
            content[XLSX_MEDIA_TYPE] = {"schema": {"type": "string", "format": "binary"}}
        return response

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if getattr(self.view, "action", None) == "list" and hasattr(self.view, "export"):
            parameters.append(
                OpenApiParameter(
                    "format",
                    OpenApiTypes.STR,
                    enum=["json", "csv", "xlsx"],
                    description="csv or xlsx downloads the whole filtered list (not paginated); names of minors "
                    "are blank for users below coordinator. The file is for a person: headings, labels, names of "
                    "related records, local times (add raw=1 for the machine form).",
                )
            )
            parameters.append(
                OpenApiParameter(
                    "raw",
                    OpenApiTypes.STR,
                    enum=["0", "1", "true", "false"],
                    description="With format=csv or xlsx: 1 gives the machine form for scripts (field names, ids, "
                    "codes, ISO 8601 times in UTC, as in the JSON); 0 or absent, the file a person reads.",
                )
            )
        if self._idempotent():
            parameters.append(
                OpenApiParameter(
                    IDEMPOTENCY_HEADER,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=False,
                    pattern=r"^[!-~]{1,100}$",
                    description="Makes the POST safe to retry: a new random key (a UUID) per request. Sent again "
                    "with the same key and data (a retry after a dropped connection), the request is not done "
                    "twice: the first answer comes back (same status, body and ETag, with "
                    "`Idempotent-Replayed: true`). The same key with another request answers 422. Kept for 24 "
                    "hours per user; only successful answers are kept, so a refused request may be retried "
                    "with its key.",
                )
            )
        if self._writes_a_record():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    pattern=ETAG_LIST_PATTERN,
                    description='The ETag from your last read of the record. Without it (or with "*") the answer '
                    "is 428; when the record changed since, 412. Either way nothing is saved.",
                )
            )
        return parameters

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "201" or (status_code == "200" and "{" in self.path):
            headers = {
                **(headers or {}),
                "ETag": {
                    "schema": {"type": "string"},
                    "description": "Version of the record, for If-Match.",
                },
            }
        return headers


class ScopedPrimaryKeyExtension(OpenApiSerializerFieldExtension):
    """A related case record outside the reader's scope is shown as null."""

    target_class = "cases.api.fields.ScopedPrimaryKeyRelatedField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response" and self.target.model not in OPEN_MODELS:
            schema["nullable"] = True
            schema.setdefault("description", "Null when the related record is outside your scope.")
        return schema


def postprocess(result, generator, request, public):
    """Request bodies refuse unknown fields; reduced views of people, operations and court dates are allowed."""
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
    reduced = {
        "Person": {"id", *access.PERSON_MINIMUM_FIELDS},
        "Operation": {"id", "participations", *access.OPERATION_BRIEFING_FIELDS},
        "CourtEvent": {"id", *access.COURT_EVENT_NOTICE_FIELDS},
    }
    for name, keep in reduced.items():
        if name in schemas and "required" in schemas[name]:
            schemas[name]["required"] = [field for field in schemas[name]["required"] if field in keep]
    return result
