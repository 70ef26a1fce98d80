"""The import pages: upload a sheet, check every row and answer for each match, follow the import.

Every page answers only imports the policy lets the user see (`ContactImport.objects.visible_to`:
one's own, a supervisor its agency's, the coordinator all); another's is 404. Only the uploader
answers the matches and confirms: the matches are drawn from the uploader's own scope.
"""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from cases import access
from cases.forms.base import ScopedForm
from cases.forms.contacts import OperationChoiceField
from cases.views.base import MemberRequiredMixin
from cases.views.paging import page_of, pagination_context

from . import columns, reading, service
from .models import ContactImport

PAGE_SIZE = 25
EXAMPLE = Path(__file__).resolve().parent / "examples" / "night-sheet.csv"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(ScopedForm):
    operation = OperationChoiceField(
        queryset=None,
        required=False,
        empty_label="None: walk-ins outside any operation",
        help_text="Every row of the file is a contact in this operation. Only operations your agency takes part "
        "in, and not closed.",
    )
    file = forms.FileField(
        label="The file (CSV or Excel XLSX)",
        help_text="",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = service.operations_for(self.user)
        self.fields["file"].help_text = (
            f"At most {filesizeformat(settings.IMPORT_MAX_BYTES)} and {settings.IMPORT_MAX_ROWS:,} contacts. "
            "Start from the template; the first row holds the column names."
        )


class ImportCreateView(MemberRequiredMixin, FormView):
    """Upload a file; it is checked at once and shown row by row (nothing is saved yet)."""

    template_name = "imports/upload.html"
    form_class = UploadForm
    view_action = None
    nav_section = "person"

    def check_access(self) -> None:
        # Whoever may record contacts (walk-ins at least); the operation chosen is checked on upload.
        access.require(self.request.user, "contact.add")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        initial = self.request.GET.get("operation", "")
        if initial.isdigit():
            kwargs.setdefault("initial", {})["operation"] = int(initial)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = columns.COLUMNS
        return context

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", reading.too_large(uploaded.size))
            return self.form_invalid(form)
        try:
            job = service.upload(self.request.user, uploaded.name, uploaded.read(), form.cleaned_data["operation"])
        except reading.UnreadableFile as problem:
            form.add_error("file", str(problem))
            return self.form_invalid(form)
        except service.AlreadyImported as already:
            messages.info(self.request, str(already))
            if access.is_visible(self.request.user, already.earlier):
                return redirect("imports:detail", pk=already.earlier.pk)
            return redirect("imports:list")
        except ValidationError as problem:
            form.add_error("operation", problem.messages[0])
            return self.form_invalid(form)
        return redirect("imports:detail", pk=job.pk)


class ImportListView(MemberRequiredMixin, TemplateView):
    """The imports the user may see, newest first."""

    template_name = "imports/list.html"
    nav_section = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = page_of(self.request, service.imports_of(self.request.user), PAGE_SIZE)
        context.update(
            pagination_context(page),
            imports=page.object_list,
            may_import=access.can(self.request.user, "contact.add"),
        )
        return context


def _job(user, pk) -> ContactImport:
    return get_object_or_404(service.imports_of(user), pk=pk)


class ImportDetailView(MemberRequiredMixin, TemplateView):
    """One import: its rows checked (while it waits), its progress bar (htmx, every second), its result."""

    template_name = "imports/detail.html"
    nav_section = "person"

    def get_template_names(self):
        if self.request.headers.get("HX-Request") == "true":
            return ["imports/_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        job = _job(user, kwargs["pk"])
        context.update(job=job, may_confirm=service.may_confirm(user, job))
        if job.is_open and self.request.headers.get("HX-Request") != "true":
            # The matches are the uploader's to answer: drawn from the uploader's scope, shown to it alone.
            rows = service.check(job)
            problems, answers = kwargs.get("problems", {}), kwargs.get("answers", {})
            for row in rows:
                row.problem = problems.get(row.number, "")
                row.answer = answers.get(str(row.number), "")
            if not context["may_confirm"]:
                for row in rows:
                    row.candidates = []
                    row.person = None
            context.update(
                rows=rows,
                errors=sum(1 for row in rows if not row.ok),
                to_answer=sum(1 for row in rows if row.candidates and row.repeats is None),
                shown_people=[c.person for row in rows for c in row.candidates]
                + [row.person for row in rows if row.person is not None],
                columns=columns.COLUMNS,
            )
        return context


class ImportConfirmView(MemberRequiredMixin, View):
    """The uploader's answers for each match, and "Import": the job is queued; its page follows it."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = _job(request.user, pk)
        answers = {key.removeprefix("row-"): value for key, value in request.POST.items() if key.startswith("row-")}
        try:
            service.confirm(request.user, job, answers)
        except service.NotReady as problem:
            messages.error(request, str(problem))
            # The same page again, each row saying what is missing, with the answers given kept.
            page = ImportDetailView()
            page.setup(request, pk=pk)
            context = page.get_context_data(pk=pk, problems=problem.problems, answers=answers)
            return page.render_to_response(context, status=400)
        messages.info(request, "The import was confirmed. It runs in the background; this page follows it.")
        return redirect("imports:detail", pk=job.pk)


class ImportCancelView(MemberRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = _job(request.user, pk)
        service.cancel(request.user, job)
        messages.info(request, "The import was cancelled; nothing was saved.")
        return redirect("imports:list")


class ImportTemplateView(MemberRequiredMixin, View):
    """The empty template, with one example row and the help of each column."""

    view_action = None
    http_method_names = ["get"]

    def check_access(self) -> None:
        access.require(self.request.user, "contact.add")

    def get(self, request, fmt: str):
        if fmt == "csv":
            response = HttpResponse(columns.template_csv(), content_type=CSV_TYPE)
        elif fmt == "xlsx":
            response = HttpResponse(columns.template_xlsx(), content_type=XLSX_TYPE)
        else:
            raise Http404("Choose csv or xlsx.")
        response["Content-Disposition"] = f'attachment; filename="contacts-template.{fmt}"'
        return response


class ImportExampleView(MemberRequiredMixin, View):
    """A small example night sheet of invented people (docs and the demo)."""

    view_action = None
    http_method_names = ["get"]

    def check_access(self) -> None:
        access.require(self.request.user, "contact.add")

    def get(self, request):
        response = HttpResponse(EXAMPLE.read_bytes(), content_type=CSV_TYPE)
        response["Content-Disposition"] = 'attachment; filename="example-night-sheet.csv"'
        return response


def detail_url(job: ContactImport) -> str:
    return reverse("imports:detail", kwargs={"pk": job.pk})
