"""Report pages: operation outcome, task-force dashboard, grant performance measures.

The numbers come from cases.reports, like the API's; ?format=csv|xlsx on any report
page downloads the same report as a file, and ?format=pdf on the operation outcome and
the grant measures gives a PDF (cases.reports.pdf).
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.views.generic import TemplateView, View

from agencies.models import Agency
from cases import access, reports
from cases.forms.agency_field import AgencyField, AgencyInput
from cases.models import Operation
from cases.reports import htrs, snapshots
from cases.reports.display import sections
from cases.reports.export import FORMATS, download
from cases.reports.summary import default_period, period_problem

from .base import MemberRequiredMixin
from .paging import page_of, pagination_context


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"})
    )
    # A box that suggests agencies as one types: a <select> of the state's 2,000 agencies took
    # longer to render than the kept report it filters (cases/forms/agency_field.py).
    agency = AgencyField(
        queryset=Agency.objects.none(),
        required=False,
        help_text="Leave empty for all agencies.",
        widget=AgencyInput(attrs={"class": "usa-input"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.visible_to(user).filter(active=True).order_by("name")

    def clean(self):
        data = super().clean()
        default_start, default_end = default_period(data.get("end"))
        data["start"], data["end"] = data.get("start") or default_start, data.get("end") or default_end
        for field, message in (period_problem(data["start"], data["end"]) or {}).items():
            self.add_error(field, message)
        return data


class QuarterForm(forms.Form):
    year = forms.IntegerField(
        min_value=2000, max_value=2100, required=False, widget=forms.NumberInput(attrs={"class": "usa-input"})
    )
    quarter = forms.TypedChoiceField(
        choices=[
            ("", "Whole year"),
            ("1", "Quarter 1 (January to March)"),
            ("2", "Quarter 2 (April to June)"),
            ("3", "Quarter 3 (July to September)"),
            ("4", "Quarter 4 (October to December)"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )


class ReportPageView(MemberRequiredMixin, TemplateView):
    """A report page; ?format=csv or ?format=xlsx gives the same report as a file."""

    view_action = "report.view"
    nav_section = "reports"
    tab = "dashboard"
    #: Offers "Download PDF" (?format=pdf): the operation outcome and the grant measures.
    pdf = False

    def build(self, scope: reports.ReportScope) -> reports.Report | None:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.scope = reports.report_scope(request.user)
        self.report = self.build(self.scope)
        fmt = request.GET.get("format")
        if fmt == "pdf" and self.pdf and self.report is not None:
            return download(request, self.report, fmt, task_force=reports.task_force_name())
        if fmt in FORMATS and self.report is not None:
            return download(request, self.report, fmt)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("format", None)
        query = params.urlencode()
        self.pages = {}
        shown = sections(self.report, self._page_of) if self.report else []
        for section in shown:
            if section["table"]["key"] in self.pages:
                self._page_links(section["table"])
        context.update(
            report=self.report,
            sections=shown,
            tab=self.tab,
            task_force=reports.task_force_name(),
            today=timezone.localdate(),
            csv_query=f"?{query}&format=csv" if query else "?format=csv",
            xlsx_query=f"?{query}&format=xlsx" if query else "?format=xlsx",
            pdf_query=(f"?{query}&format=pdf" if query else "?format=pdf") if self.pdf else "",
            kept=snapshots.enabled(),
        )
        return context

    def _page_of(self, table) -> range | None:
        """Statewide, tables by agency have a row per agency (thousands): shown a page at a time."""
        if len(table.rows) <= ROWS_PER_PAGE:
            return None
        page = Paginator(range(len(table.rows)), ROWS_PER_PAGE).get_page(self.request.GET.get(f"{table.key}-page"))
        self.pages[table.key] = page
        return page.object_list

    def _page_links(self, table: dict) -> None:
        name, page = f"{table['key']}-page", self.pages[table["key"]]
        params = self.request.GET.copy()
        params.pop("format", None)
        links = {}
        for which, wanted in (("previous", page.has_previous()), ("next", page.has_next())):
            if wanted:
                params[name] = getattr(page, f"{which}_page_number")()
                links[which] = f"?{params.urlencode()}#title-{table['key']}"
        table.update(page=page, page_links=links)


# Rows of a report table shown at once on a page (the downloads and the API have every row).
ROWS_PER_PAGE = 50


class DashboardView(ReportPageView):
    template_name = "cases/reports/dashboard.html"

    def build(self, scope):
        user = self.request.user
        self.form = PeriodForm(self.request.GET, user=user)
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        if not self.request.GET:
            # Show the default period in the filter fields.
            self.form = PeriodForm(initial={"start": data["start"], "end": data["end"]}, user=user)
        return snapshots.summary(scope, data["start"], data["end"], data.get("agency"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        if self.report is not None and access.can(self.request.user, "report.htrs"):
            period = self.report.parameters
            context["htrs_query"] = f"?start={period['start']}&end={period['end']}"
        return context


class HtrsExportView(MemberRequiredMixin, View):
    """The investigations opened in a period, in the shape of HTRS, as CSV (cases/reports/htrs.py)."""

    view_action = "report.htrs"

    def get(self, request):
        form = PeriodForm(request.GET, user=request.user)
        if not form.is_valid():
            problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponseBadRequest(f"Choose another period: {problems}", content_type="text/plain")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        rows = htrs.htrs_rows(reports.report_scope(request.user), start, end, reports.task_force_name())
        return htrs.download(request, rows, start, end)


class PerformanceMeasuresView(ReportPageView):
    template_name = "cases/reports/measures.html"
    tab = "measures"
    pdf = True

    def build(self, scope):
        self.form = QuarterForm(self.request.GET)
        if not self.form.is_valid():
            return None
        year = self.form.cleaned_data.get("year") or timezone.localdate().year
        if not self.request.GET:
            self.form = QuarterForm(initial={"year": year})
        return snapshots.measures(scope, year, self.form.cleaned_data.get("quarter") if self.form.is_bound else None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        return context


class OperationReportView(ReportPageView):
    template_name = "cases/reports/operation.html"
    tab = "operations"
    pdf = True

    def build(self, scope):
        try:
            self.operation = scope.operation(self.kwargs["pk"])
        except Operation.DoesNotExist:
            raise Http404("No such operation.") from None
        return snapshots.operation(scope, self.operation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operation"] = self.operation
        return context


class OperationChoiceView(ReportPageView):
    """The operations the user may report on, newest first."""

    template_name = "cases/reports/operation_list.html"
    tab = "operations"

    def build(self, scope):
        self.scope = scope
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        operations = self.scope.records(Operation).select_related("lead_agency").order_by("-starts_at", "-id")
        context.update(pagination_context(page_of(self.request, operations, 25)))
        return context
