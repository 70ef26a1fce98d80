"""Export jobs through the API: ask for a list as a file (202 + Location), follow it, download it.

`POST /api/v1/exports/` names a list ("contact-list"), its filters as a query string and
a format; the answer is 202 with the job and `Location: /api/v1/exports/<id>/`. The job is
written by a worker (exports/) as the caller sees the list when it runs. `GET` on the job
gives its status and progress; `GET .../file/` the file once it is done (CSV: the last
line is "# rows: N"; XLSX: the "Manifest" sheet's first line is "Rows | N"). Jobs,
progress and files are the caller's alone: anyone else's answer 404. POST takes an
Idempotency-Key like every other create.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exports import service
from exports.models import ExportFormat, ExportJob, ExportStatus
from idempotency.api import IdempotentPostMixin

from ..exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from ..pagination import paginated_response
from ..permissions import MemberAccess
from ..schema import error_response, page_schema
from .base import etag_for


class ExportJobSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="list_name", read_only=True)
    filter = serializers.CharField(source="query", read_only=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    file = serializers.SerializerMethodField(help_text="Where to download the file once the job is done.")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "list",
            "what",
            "filter",
            "format",
            "raw",
            "status",
            "rows_total",
            "rows_written",
            "percent",
            "size",
            "checksum",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "error",
            "file",
        ]
        read_only_fields = fields

    def get_file(self, job) -> str | None:
        return reverse("api:export-file", kwargs={"pk": job.pk}) if job.is_downloadable else None


class NewExportJobSerializer(serializers.Serializer):
    list = serializers.RegexField(
        r"^[a-z-]+-list$",
        max_length=60,
        help_text="The list's route name: contact-list (/api/v1/contacts/), person-list, referral-list, …",
    )
    filter = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="The list's filters and ordering as a query string, e.g. operation=3&ordering=-occurred_at.",
    )
    format = serializers.ChoiceField(choices=ExportFormat.choices)
    raw = serializers.BooleanField(
        required=False, default=False, help_text="The machine form (field names, ids, codes) instead of headings."
    )


class ExportJobListView(IdempotentPostMixin, APIView):
    permission_classes = [MemberAccess]

    def note_replayed(self, body) -> None:
        """A replayed answer shows the caller's own job again: nothing of a person to log."""

    @extend_schema(
        operation_id="exports_list",
        responses=page_schema(
            "ExportJobPage",
            ExportJobSerializer,
            "One page of your jobs, as every list of the API pages (cursor links).",
        ),
        summary="Your export jobs, newest first",
    )
    def get(self, request):
        return paginated_response(self, service.jobs_of(request.user), ExportJobSerializer)

    @extend_schema(
        operation_id="exports_create",
        request=NewExportJobSerializer,
        responses={202: ExportJobSerializer},
        summary="Ask for a list as a file, written by a worker (202; follow the Location)",
    )
    def post(self, request):
        incoming = NewExportJobSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        job = service.start_export(request.user, data["list"], data["filter"], data["format"], raw=data["raw"])
        location = reverse("api:export-detail", kwargs={"pk": job.pk})
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class ExportJobDetailView(APIView):
    permission_classes = [MemberAccess]

    @extend_schema(
        operation_id="exports_retrieve",
        responses=ExportJobSerializer,
        summary="One of your export jobs: status and progress",
    )
    def get(self, request, pk: int):
        job = get_object_or_404(service.jobs_of(request.user), pk=pk)
        data = ExportJobSerializer(job).data
        return Response(data, headers={"ETag": etag_for(data)})


class ExportJobFileView(APIView):
    permission_classes = [MemberAccess]

    @extend_schema(
        operation_id="exports_file",
        responses={
            (200, CSV_MEDIA_TYPE): OpenApiTypes.STR,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
            409: error_response("The job is queued, running or failed: there is no file (yet)."),
            410: error_response("The file was kept for a limited time and has been deleted."),
        },
        summary="The file of one of your finished export jobs (409 while it runs, 410 once deleted)",
    )
    def get(self, request, pk: int):
        job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
        if job.status != ExportStatus.DONE:
            raise _Conflict(f"The job is {job.get_status_display().lower()}; there is no file to download.")
        if not job.is_downloadable:
            raise _Gone()
        return service.file_response(request, job, _Gone())


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"


class _Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_detail = "The file was kept for a limited time and has been deleted; ask for the export again."
    default_code = "gone"
