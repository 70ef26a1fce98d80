"""Contact imports through the API: upload (the rows checked, nothing saved), read the check, confirm.

`POST /api/v1/imports/` (multipart: `file`, `operation`) answers 201 with every row checked:
its errors per column, the checks to look at, and for a new person the people on record it
may be (drawn from the caller's own scope). `POST /api/v1/imports/{id}/confirm/` with the
ETag of the import and an answer for every row with candidates (`{"answers": {"2": 15, "3":
"new"}}`) queues the import (202); `GET /api/v1/imports/{id}/` follows it. The same file
uploaded again after its import answers 409 and changes nothing. Imports are seen by their
uploader, a supervisor of its agency and the coordinator; only the uploader confirms.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from idempotency.api import IdempotentPostMixin
from imports import reading, service
from imports.models import ContactImport

from ..fields import MAX_ID
from ..pagination import paginated_response
from ..permissions import MemberAccess
from ..schema import error_response, page_schema
from .base import etag_for, require_if_match


class ContactImportSerializer(serializers.ModelSerializer):
    operation = serializers.IntegerField(source="operation_id", read_only=True, allow_null=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ContactImport
        fields = [
            "id",
            "file_name",
            "checksum",
            "size",
            "operation",
            "status",
            "rows_total",
            "rows_with_errors",
            "rows_done",
            "percent",
            "contacts_created",
            "people_created",
            "people_matched",
            "rows_skipped",
            "created_at",
            "confirmed_at",
            "finished_at",
            "error",
        ]
        read_only_fields = fields


class RowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's line in the file (the header is line 1).")
    values = serializers.DictField(child=serializers.CharField(), help_text="Every cell as uploaded, as text.")
    errors = serializers.ListField(child=serializers.DictField(), help_text='[{"column": …, "message": …}]')
    warnings = serializers.ListField(child=serializers.CharField())
    person = serializers.DictField(allow_null=True, help_text="The person named by person_reference.")
    candidates = serializers.ListField(
        child=serializers.DictField(), help_text="People on record this new person may be (uploader only)."
    )
    state = serializers.ChoiceField(
        choices=["error", "answer", "ready", "already_imported", "repeats_a_row"],
        help_text="answer: say whether it is one of the candidates (or new) when confirming.",
    )


class ContactImportCheckSerializer(ContactImportSerializer):
    rows = serializers.SerializerMethodField()

    class Meta(ContactImportSerializer.Meta):
        fields = [*ContactImportSerializer.Meta.fields, "rows"]
        read_only_fields = fields

    @extend_schema_field(RowSerializer(many=True))
    def get_rows(self, job) -> list:
        return self.context.get("rows", [])


def _state(row) -> str:
    if not row.ok:
        return "error"
    if row.repeats is not None:
        return "repeats_a_row"
    if row.imported_before:
        return "already_imported"
    if row.person is None and row.candidates:
        return "answer"
    return "ready"


def rows_data(user, job: ContactImport) -> list[dict]:
    if not job.is_open:
        return []
    mine = service.may_confirm(user, job)
    out = []
    for row in service.check(job):
        out.append(
            {
                "row": row.number,
                "values": row.values,
                "errors": [
                    {"column": column or None, "message": message}
                    for column, messages in row.errors.items()
                    for message in messages
                ],
                "warnings": row.warnings,
                "person": {"id": row.person.pk, "reference": row.person.reference} if row.person and mine else None,
                "candidates": [
                    {"id": c.person.pk, "reference": c.person.reference, "score": c.score, "reasons": c.reasons}
                    for c in (row.candidates if mine else [])
                ],
                "state": _state(row),
            }
        )
    return out


def _checked(user, job: ContactImport) -> dict:
    return ContactImportCheckSerializer(job, context={"rows": rows_data(user, job)}).data


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX, the columns of the template (README: Importing contacts).")
    operation = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID, help_text="Empty: walk-ins."
    )


class ConfirmSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        default=dict,
        help_text='Row number → the id of the person on record it is, or "new"; for every row whose state is answer.',
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# Imports hold people: the roles that see case records, or 403 saying who may. (A comment, not a
# docstring: the schema would print a docstring as the description of the endpoints.)
class ImportView(APIView):
    permission_classes = [MemberAccess]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access.require(request.user, "person_level.view")


class ContactImportListView(IdempotentPostMixin, ImportView):
    parser_classes = [MultiPartParser, FormParser]

    def note_replayed(self, body) -> None:
        """A replayed answer shows the caller's own upload again."""

    @extend_schema(
        operation_id="imports_list",
        responses=page_schema("ContactImportPage", ContactImportSerializer),
        summary="Contact imports you may see (yours; a supervisor its agency's; the coordinator all)",
    )
    def get(self, request):
        return paginated_response(self, service.imports_of(request.user), ContactImportSerializer)

    @extend_schema(
        operation_id="imports_create",
        request={"multipart/form-data": UploadSerializer},
        responses={
            201: ContactImportCheckSerializer,
            409: error_response("This file was already imported for your agency: nothing changes."),
            413: error_response("The file is larger than IMPORT_MAX_BYTES or holds more than IMPORT_MAX_ROWS rows."),
            415: error_response("The body is not multipart/form-data: send the sheet as a file upload."),
        },
        summary="Upload a sheet of contacts: every row checked, with its possible matches; nothing saved yet",
    )
    def post(self, request):
        access.require(request.user, "contact.add")  # the roles that record contacts, before the operation
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        operation = None
        if body.validated_data.get("operation") is not None:
            operation = service.operations_for(request.user).filter(pk=body.validated_data["operation"]).first()
            if operation is None:
                raise exceptions.ValidationError(
                    {"operation": ["No open operation with this id in which you may record contacts."]}
                )
        uploaded = body.validated_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            # Refused before it is read: the same words as the page.
            return Response(
                {"detail": reading.too_large(uploaded.size)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            )
        try:
            job = service.upload(request.user, uploaded.name, uploaded.read(), operation)
        except service.AlreadyImported as already:
            raise Conflict(str(already)) from None
        except reading.UnreadableFile as problem:
            if problem.too_large:
                return Response({"detail": str(problem)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
            raise exceptions.ValidationError({"file": [str(problem)]}) from None
        except DjangoValidationError as problem:
            raise exceptions.ValidationError({"operation": problem.messages}) from None
        except PermissionDenied as refusal:
            raise exceptions.PermissionDenied(str(refusal)) from None
        data = _checked(request.user, job)
        location = reverse("api:import-detail", kwargs={"pk": job.pk})
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location, "ETag": etag_for(data)})


class ContactImportDetailView(ImportView):
    @extend_schema(
        operation_id="imports_retrieve",
        responses=ContactImportCheckSerializer,
        summary="One import: while it waits, every row checked; then its progress and its counts",
    )
    def get(self, request, pk: int):
        job = get_object_or_404(service.imports_of(request.user), pk=pk)
        data = _checked(request.user, job)
        return Response(data, headers={"ETag": etag_for(data)})


class ContactImportConfirmView(IdempotentPostMixin, ImportView):
    @extend_schema(
        operation_id="imports_confirm",
        request=ConfirmSerializer,
        responses={
            202: ContactImportSerializer,
            409: error_response("A row has an error, a match is unanswered, or the import is no longer waiting."),
        },
        summary="Confirm an import you uploaded, with your answer for each match (202; follow the Location)",
    )
    def post(self, request, pk: int):
        with transaction.atomic():
            job = get_object_or_404(service.imports_of(request.user).select_for_update(of=("self",)), pk=pk)
            require_if_match(request, _checked(request.user, job))
            body = ConfirmSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                job = service.confirm(request.user, job, body.validated_data["answers"])
            except service.NotReady as problem:
                return Response(
                    {"detail": str(problem), "rows": {str(n): message for n, message in problem.problems.items()}},
                    status=status.HTTP_409_CONFLICT,
                )
            except PermissionDenied as refusal:
                raise exceptions.PermissionDenied(str(refusal)) from None
        location = reverse("api:import-detail", kwargs={"pk": job.pk})
        return Response(
            ContactImportSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )
