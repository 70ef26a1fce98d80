"""Which lists can be exported, and the list view as a user sees it, outside any request.

A list is named by its API route ("contact-list" is /api/v1/contacts/). The job builds the
API's own list view for the requester (`for_export_job` on the API's base view), so the
file holds exactly what `GET /api/v1/contacts/?<filters>` would show that user at the time
the job runs: same permission classes, scope, filters and order. Nothing here names a
role or narrows a queryset itself.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from rest_framework import serializers

#: Query parameters that page or format a list; they mean nothing to an export job.
NOT_KEPT = ("page", "page_size", "cursor", "format", "raw")


class UnknownList(serializers.ValidationError):
    def __init__(self, name: str):
        super().__init__({"list": [f"“{name}” is not a list that can be downloaded."]})


def list_path(list_name: str) -> str:
    if not list_name.endswith("-list"):
        raise UnknownList(list_name)
    try:
        return reverse(f"api:{list_name}")
    except NoReverseMatch:
        raise UnknownList(list_name) from None


def clean_query(query) -> str:
    """The filters and the order of a list's query string (a QueryDict), without paging or format."""
    kept = query.copy()
    for name in NOT_KEPT:
        kept.pop(name, None)
    return kept.urlencode()


def list_view(user, list_name: str, query: str):
    """The API list view of `list_name` for `user`: raises PermissionDenied, or ValidationError for bad filters."""
    path = list_path(list_name)
    try:
        match = resolve(path)
    except Resolver404:
        raise UnknownList(list_name) from None
    view_class = getattr(match.func, "cls", None)
    actions = getattr(match.func, "actions", None) or {}
    if view_class is None or actions.get("get") != "list" or not hasattr(view_class, "for_export_job"):
        raise UnknownList(list_name)
    return view_class.for_export_job(user, path, query, match.func.initkwargs, actions)


def list_model(list_name: str):
    """The model a list shows (for the access log), or None."""
    try:
        return getattr(resolve(list_path(list_name)).func.cls, "model", None)
    except (UnknownList, Resolver404, AttributeError):
        return None
