"""The download pages: ask for a file, follow it being written, download it, "My downloads".

Every page answers only the user's own jobs (`ExportJob.objects.visible_to`, the own-rows rule
of the policy): another user's job is 404 on the page, its progress and its file.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView
from rest_framework import exceptions as api_errors

from cases.views.base import MemberRequiredMixin
from cases.views.paging import page_of, pagination_context

from . import service
from .lists import clean_query
from .models import ExportJob

PAGE_SIZE = 25


def _first_problem(detail) -> str:
    if isinstance(detail, dict):
        detail = next(iter(detail.values()), "")
    if isinstance(detail, list):
        detail = detail[0] if detail else ""
    return str(detail)


class ExportCreateView(MemberRequiredMixin, View):
    """The download buttons of the list pages post here; the answer is the job's page."""

    view_action = None  # the list's own permission decides (403), like a GET of the list
    http_method_names = ["post"]

    def post(self, request):
        list_name = request.POST.get("list", "")
        try:
            job = service.start_export(
                request.user, list_name, clean_query(_query_of(request)), request.POST.get("format", "")
            )
        except api_errors.PermissionDenied as refusal:
            raise PermissionDenied(str(refusal.detail)) from None
        except api_errors.ValidationError as problem:
            reason = f"This download cannot be made: {_first_problem(problem.detail)}"
            back = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return HttpResponseBadRequest(reason)
            # Back to the list, as it was, saying why.
            messages.error(request, reason)
            return redirect(back)
        messages.info(
            request, "Your download was asked for. It is written in the background and stays in My downloads."
        )
        return redirect("exports:detail", pk=job.pk)


def _query_of(request) -> QueryDict:
    """The list's filters, sent by the button as one field holding the list page's query string."""
    return QueryDict(request.POST.get("query", ""))


class ExportListView(MemberRequiredMixin, TemplateView):
    """My downloads: the user's jobs, newest first."""

    template_name = "exports/list.html"
    view_action = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = page_of(self.request, service.jobs_of(self.request.user), PAGE_SIZE)
        context.update(pagination_context(page), jobs=page.object_list, keep_hours=settings.EXPORT_KEEP_HOURS)
        return context


class ExportDetailView(MemberRequiredMixin, TemplateView):
    """One job: its progress bar (htmx asks for the bar alone every second while it runs)."""

    template_name = "exports/detail.html"
    view_action = None

    def get_template_names(self):
        if self.request.headers.get("HX-Request") == "true":
            return ["exports/_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = get_object_or_404(service.jobs_of(self.request.user), pk=kwargs["pk"])
        return context


class ExportFileView(MemberRequiredMixin, View):
    """The file itself, for the user who asked, while it is kept; recorded like any export."""

    view_action = None
    http_method_names = ["get"]

    def get(self, request, pk: int):
        job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
        if not job.is_downloadable:
            raise Http404("This file is not ready, failed or has been deleted.")
        return service.file_response(request, job, Http404("This file has been deleted."))
