"""The API reads filters strictly: a value its schema does not allow is 400, not ignored.

The browser's filter forms (cases/filters.py, shared) treat an empty or unreadable
value as "no filter", which is kind to a form but lets an API client believe it
filtered when it did not (`?pending=maybe` listed every detention).
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

BOOLEAN_VALUES = {"true", "false"}


def filter_problems(filterset, params) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, item in filterset.filters.items():
        for value in params.getlist(name):
            if isinstance(item, django_filters.BooleanFilter) and value.lower() not in BOOLEAN_VALUES:
                problems[name] = ["Choose true or false."]
            elif value == "" and not isinstance(item, django_filters.CharFilter):
                problems[name] = ["Give a value, or leave this filter out."]
    return problems


def check_format(request) -> None:
    """`?format=` with no value is a bad parameter, like an unknown one (DRF reads it as JSON)."""
    if "format" in request.query_params and not request.query_params["format"]:
        raise ValidationError({"format": ["Choose json, csv or xlsx, or leave the parameter out."]})


class StrictFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            problems = filter_problems(filterset, request.query_params)
            if problems:
                raise ValidationError(problems)
        return filterset
