"""Download buttons of a list page: the same records as a file written by an export job.

{% load downloads %}{% download_links "api:operation-list" %} on a ScopedListView page gives
two buttons (CSV, XLSX), each a small form posting the API list's name and the page's filters
to /downloads/new/. The job (exports/) builds the API's own list for the user, with the same
FilterSet and scope, writes the file in a worker and lands the user on its progress page; the
download of the finished file is recorded in the audit trail.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()

#: Query parameters of a list page that mean nothing to an export.
PAGE_ONLY = ("page", "sort", "format")


def export_query(request, view) -> dict[str, list[str]]:
    query = request.GET.copy()
    for name in PAGE_ONLY:
        query.pop(name, None)
    # Only a sort the user chose; the export's own default order is newest first, as the pages'.
    sort = view.get_sort() if request.GET.get("sort") and hasattr(view, "get_sort") else None
    if sort:
        descending = sort.startswith("-")
        field = view.sort_fields[sort.lstrip("-")]
        query["ordering"] = ("-" if descending else "") + field.replace("__", ".")
    return query


@register.inclusion_tag("includes/downloads.html", takes_context=True)
def download_links(context, api_list: str, what: str = "this list", **fixed):
    """`fixed` parameters are what the page itself imposes (e.g. the inbox: to_agency=<own agency>)."""
    request = context["request"]
    query = export_query(request, context.get("view"))
    for name, value in fixed.items():
        if value not in (None, ""):
            query[name] = str(value)
    reverse(api_list)  # a wrong name fails here, on the page, not in the worker
    links = [{"label": label, "format": fmt} for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)"))]
    common = {
        "list": api_list.split(":", 1)[1],
        "query": query.urlencode(),
        # The buttons are forms: the inclusion template needs the page's CSRF token and request.
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
    paginator = context.get("paginator")
    total = paginator.count if paginator is not None else None
    if total is not None and not getattr(paginator, "exact", True):
        # A long list is counted only so far: say "more than", and let the progress bar count up.
        return {**common, "links": links, "total": None, "more_than": total, "what": what}
    return {**common, "links": links, "total": total, "what": what}
