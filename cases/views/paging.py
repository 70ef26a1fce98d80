"""What a paginated page hands to templates/includes/pagination.html, built in one place.

Every list page (the scoped lists, notifications, downloads, imports, duplicates, an
operation's sections, the report's operations) shows the same links: first and last page,
one either side of the current one, the rest elided; each link keeps the page's filters.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import QueryDict


def page_of(request, rows, per_page: int) -> Page:
    """The page `?page=` asks for: past the end gives the last page, anything not a number the first."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def query_without(params: QueryDict, *names: str) -> str:
    """The query string of `params` less `names` (a page link adds its own `page`)."""
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def pagination_context(page: Page | None, querystring: str = "") -> dict:
    """page_obj, is_paginated, page_range and querystring, as includes/pagination.html reads them."""
    if page is None:
        return {"page_obj": None, "is_paginated": False, "querystring": querystring}
    return {
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "querystring": querystring,
    }
