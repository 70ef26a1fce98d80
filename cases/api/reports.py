"""Report endpoints: the numbers of cases/reports, as JSON, CSV or XLSX.

GET /api/v1/reports/operations/{id}/          operation outcome summary
GET /api/v1/reports/summary/?start=&end=&agency=   task-force dashboard for a period
GET /api/v1/reports/performance-measures/?year=&quarter=   grant measures
GET /api/v1/reports/htrs/?start=&end=&format=csv   investigations in the shape of HTRS

Add ?format=csv or ?format=xlsx for a download. Auditors get 403; an operation the
user may not see is 404; analysts get the whole task force with small counts hidden.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from cases import access, reports
from cases.models import Operation
from cases.reports import htrs, snapshots
from cases.reports.export import FORMATS, download
from cases.reports.summary import default_period, period_problem

from .filtering import check_format
from .schema import TaskForceAutoSchema


class _FileRenderer(BaseRenderer):
    """Lets content negotiation accept ?format=csv|xlsx; the view writes the file itself."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):  # pragma: no cover
        raise NotImplementedError("Report files are written by the view; errors are sent as JSON.")


class ReportCSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class ReportXLSXRenderer(_FileRenderer):
    media_type = FORMATS["xlsx"]
    format = "xlsx"


class SummaryParameters(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day of the period (default: a year ago).")
    end = serializers.DateField(required=False, help_text="Last day of the period (default: today).")
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only records of this agency and of operations it took part in.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user)

    def validate(self, data):
        default_start, default_end = default_period(data.get("end"))
        data.setdefault("end", default_end)
        data.setdefault("start", default_start)
        problem = period_problem(data["start"], data["end"])
        if problem:
            raise serializers.ValidationError(problem)
        return data


class MeasuresParameters(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="Calendar year (default: this year)."
    )
    quarter = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=4, help_text="1 to 4; leave out for the whole year."
    )


_REPORT = inline_serializer(
    "Report",
    {
        "report": serializers.CharField(),
        "title": serializers.CharField(),
        "subtitle": serializers.CharField(),
        "parameters": serializers.DictField(),
        "generated_at": serializers.DateTimeField(),
        "suppressed": serializers.BooleanField(help_text='True for analysts: counts 1 to 4 read "<5".'),
        "suppression_note": serializers.CharField(),
        "paragraph": serializers.CharField(allow_null=True),
        "tables": serializers.ListField(child=serializers.DictField()),
        "charts": serializers.ListField(child=serializers.DictField()),
    },
)
_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description="csv or xlsx for a download of the same numbers.",
)


class ReportSchema(TaskForceAutoSchema):
    """A report is computed, not a stored record: it has no ETag to send back."""

    def _get_response_headers_for_code(self, status_code, direction="response"):
        return super(TaskForceAutoSchema, self)._get_response_headers_for_code(status_code, direction)


class ReportView(APIView):
    schema = ReportSchema()
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ReportCSVRenderer, ReportXLSXRenderer]
    person_level = False  # reports are for every role but the auditor; their scope is in cases.reports

    def perform_content_negotiation(self, request, force=False):
        if not force:
            check_format(request)
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # An unknown ?format= is a bad parameter (400), not a missing page.
            raise ValidationError({"format": ["Choose json, csv or xlsx."]}) from None

    def handle_exception(self, exc):
        # An error is JSON even when a file was asked for (?format=csv|xlsx).
        if isinstance(getattr(self.request, "accepted_renderer", None), _FileRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        # Anything but the file itself (OPTIONS, an error) is JSON even when ?format=csv|xlsx chose a file renderer.
        if isinstance(response, Response) and isinstance(getattr(request, "accepted_renderer", None), _FileRenderer):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def respond(self, request, report: reports.Report):
        fmt = getattr(request, "accepted_renderer", None) and request.accepted_renderer.format
        if fmt in FORMATS:
            return download(request, report, fmt)
        return Response(report.as_dict())


@extend_schema(tags=["reports"])
class OperationReportView(ReportView):
    @extend_schema(
        summary="Operation outcome summary",
        parameters=[_FORMAT],
        responses={
            200: _REPORT,
            404: OpenApiResponse(description="No such operation, or it is outside your scope (not told apart)."),
        },
    )
    def get(self, request, pk: int):
        scope = reports.report_scope(request.user)
        try:
            operation = scope.operation(pk)
        except Operation.DoesNotExist:
            raise Http404("No such operation.") from None
        return self.respond(request, snapshots.operation(scope, operation))


@extend_schema(tags=["reports"])
class SummaryReportView(ReportView):
    @extend_schema(
        summary="Task-force dashboard for a period", parameters=[SummaryParameters, _FORMAT], responses={200: _REPORT}
    )
    def get(self, request):
        scope = reports.report_scope(request.user)
        params = SummaryParameters(data=request.query_params, user=request.user)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return self.respond(request, snapshots.summary(scope, data["start"], data["end"], data.get("agency")))


@extend_schema(tags=["reports"])
class PerformanceMeasuresView(ReportView):
    @extend_schema(
        summary="Grant performance measures by quarter or year",
        parameters=[MeasuresParameters, _FORMAT],
        responses={200: _REPORT},
    )
    def get(self, request):
        scope = reports.report_scope(request.user)
        params = MeasuresParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        year = params.validated_data.get("year") or timezone.localdate().year
        return self.respond(request, snapshots.measures(scope, year, params.validated_data.get("quarter")))


class HtrsParameters(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text="Investigations opened from this day (default: a year ago)."
    )
    end = serializers.DateField(required=False, help_text="Up to this day (default: today).")

    validate = SummaryParameters.validate


_HTRS = inline_serializer(
    "HtrsExport",
    {
        "columns": serializers.ListField(child=serializers.CharField()),
        "rows": serializers.ListField(child=serializers.DictField(), help_text="One object per row, by column."),
    },
)


@extend_schema(tags=["reports"])
class HtrsExportView(ReportView):
    """The investigation export of the reports page: JSON, or ?format=csv for the file."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, ReportCSVRenderer, ReportXLSXRenderer]

    @extend_schema(
        summary="Investigations in the shape of the Human Trafficking Reporting System (HTRS)",
        description="One row per investigation (incident), suspect, victim, arrest, prosecution and count; "
        "people by record reference, never by name. For officers, prosecutors and the coordinator.",
        parameters=[
            HtrsParameters,
            _FORMAT,
        ],
        responses={
            200: _HTRS,
            403: OpenApiResponse(description="Your role reads aggregate reports only, or none."),
        },
    )
    def get(self, request):
        access.require(request.user, "report.htrs")
        params = HtrsParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        rows = htrs.htrs_rows(reports.report_scope(request.user), start, end, reports.task_force_name())
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt in FORMATS:
            return htrs.download(request, rows, start, end, fmt)
        htrs.record(request, rows, start, end, "json")
        return Response({"columns": htrs.HEADER, "rows": [{k: row.get(k) for k in htrs.HEADER} for row in rows]})
