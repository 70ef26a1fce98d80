"""Download links of a list page: the same records through the API's CSV and XLSX exports.

{% load downloads %}{% download_links "api:operation-list" %} on a ScopedListView page gives
two links to /api/v1/operations/?<the page's filters>&format=csv|xlsx. The API export applies
the same FilterSet and the same scope, streams the file and records the download in the audit
trail; static/js/downloads.js shows its progress.
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
    base = reverse(api_list)
    links = []
    for fmt, label in (("csv", "CSV"), ("xlsx", "Excel (XLSX)")):
        query["format"] = fmt
        links.append({"href": f"{base}?{query.urlencode()}", "label": label, "format": fmt})
    paginator = context.get("paginator")
    total = paginator.count if paginator is not None else None
    if total is not None and not getattr(paginator, "exact", True):
        # A long list is counted only so far: say "more than", and let the progress bar count up.
        return {"links": links, "total": None, "more_than": total, "what": what}
    return {"links": links, "total": total, "what": what}
