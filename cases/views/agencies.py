"""The suggestions of the agency boxes in list filters, fetched once and kept by the browser."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views import View

from cases.filters import filter_agencies
from cases.forms.agency_field import agency_options

from .base import MemberRequiredMixin

#: How long a browser may reuse the list (a new agency shows up after this at the latest;
#: typing its name works at once, the filter looks it up on the server).
KEEP_SECONDS = 10 * 60


class AgencySuggestionsView(MemberRequiredMixin, View):
    """htmx partial: one <option> per active agency, for every agency box's <datalist>.

    Every agency of a state was a heavy part of every list page (figures in
    docs/PERFORMANCE.md); now a page carries an empty list that fills the first time a box
    is focused, from the browser's cache after the first time.
    """

    view_action = None  # the directory of agencies is open to every member

    def get(self, request, *args, **kwargs):
        response = HttpResponse(agency_options(filter_agencies(request)))
        patch_cache_control(response, private=True, max_age=KEEP_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response
