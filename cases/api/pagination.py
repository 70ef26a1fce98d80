"""Keyset ("cursor") pagination: 50 a page by default, at most 1000, as fast deep as at the start.

A page is the rows that come after (or, for `previous`, before) one record in the list's
ordering, so the database reads the index from that point: no COUNT(*) over the user's
whole scope and no OFFSET past the rows before it (docs/PERFORMANCE.md, finding 3).

The cursor names only that record's id ("n<id>" or "p<id>", base64), never the values
it is ordered by, so a page address carries no name or date of a person. The record's
ordering values are read back through the user's scope (`view.get_queryset()`): a cursor
naming a record the user may not see is refused like a malformed one.

Orderings end with the id (`StableOrderingFilter`), so every row has one place. Empty
values (NULL) sort last in both directions, on every database.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import F, OrderBy, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .fields import MAX_ID

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
CURSOR_PARAM = "cursor"
PAGE_SIZE_PARAM = "page_size"
INVALID_CURSOR = "This cursor is not valid: follow the next or previous link as given, or start without one."


@dataclass(frozen=True)
class Key:
    """One term of a list's ordering."""

    name: str
    descending: bool
    nullable: bool


def ordering_keys(model, terms) -> list[Key]:
    """The ordering terms ("-occurred_at", "id" or F() expressions) as keys on concrete fields."""
    keys = []
    for term in terms:
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            name, descending = term.expression.name, term.descending
        elif isinstance(term, str):
            name, descending = term.lstrip("-"), term.startswith("-")
        else:
            raise ImproperlyConfigured(f"Cannot page by {term!r}: order lists by field names.")
        name = model._meta.pk.name if name == "pk" else name
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist as error:
            raise ImproperlyConfigured(f"Cannot page {model.__name__} by {name!r}: not one of its fields.") from error
        if not field.concrete or field.is_relation and not field.many_to_one:
            raise ImproperlyConfigured(f"Cannot page {model.__name__} by {name!r}: not a column.")
        keys.append(Key(field.attname, descending, field.null))
    if not keys or keys[-1].name != model._meta.pk.attname:
        raise ImproperlyConfigured(f"Order {model.__name__} lists with the id last, so every row has one place.")
    return keys


def order_by_keys(keys: list[Key], reverse: bool = False) -> list[OrderBy]:
    """The ORDER BY of the keys; `reverse` walks the same order backwards (for `previous`)."""
    terms = []
    for key in keys:
        descending = key.descending != reverse
        if key.nullable:
            # Empty values last when walking forward, so first when walking back.
            terms.append(
                F(key.name).desc(nulls_last=not reverse) if descending else F(key.name).asc(nulls_last=not reverse)
            )
        else:
            terms.append(F(key.name).desc() if descending else F(key.name).asc())
    return terms


def _beyond(key: Key, value, before: bool) -> Q | None:
    """Rows strictly after `value` on this key alone (before it when `before`); None: no row."""
    if value is None:
        # Empty values come last: only non-empty ones lie before them, nothing after.
        return Q(**{f"{key.name}__isnull": False}) if before else None
    smaller = key.descending != before
    condition = Q(**{f"{key.name}__{'lt' if smaller else 'gt'}": value})
    if key.nullable and not before:
        condition |= Q(**{f"{key.name}__isnull": True})
    return condition


def keyset_filter(keys: list[Key], values: list, before: bool = False) -> Q:
    """Rows after (or before) the row with these ordering values, in the keys' order.

    (a, b, id) after (x, y, z): a beyond x, or a = x and (b beyond y, or b = y and id beyond z).
    The first key is also bounded on its own (a ≤ x when descending), so PostgreSQL reads
    the index from that point instead of filtering from its start.
    """
    condition = None
    for key, value in reversed(list(zip(keys, values))):
        beyond = _beyond(key, value, before)
        same = Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})
        tail = same & condition if condition is not None else None
        parts = [part for part in (beyond, tail) if part is not None]
        condition = parts[0] if len(parts) == 1 else (parts[0] | parts[1]) if parts else Q(pk__in=[])
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        smaller = first.descending != before
        condition &= Q(**{f"{first.name}__{'lte' if smaller else 'gte'}": value})
    return condition


def encode_cursor(pk: int, before: bool = False) -> str:
    return base64.urlsafe_b64encode(f"{'p' if before else 'n'}{pk}".encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> tuple[int, bool]:
    """(record id, before) from a cursor; ValidationError (400) for anything else."""
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii") if len(raw) <= 32 else ""
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    direction, digits = text[:1], text[1:]
    if direction not in ("n", "p") or not digits.isdigit() or not digits.isascii() or not 1 <= int(digits) <= MAX_ID:
        raise ValidationError({CURSOR_PARAM: [INVALID_CURSOR]})
    return int(digits), direction == "p"


def page_size_from(request) -> int:
    raw = request.query_params.get(PAGE_SIZE_PARAM)
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        # A silent cap would hide from a script that it did not get everything it asked for.
        raise ValidationError({PAGE_SIZE_PARAM: [f"Choose a page size from 1 to {MAX_PAGE_SIZE}."]})
    return size


class ScopedPagination(BasePagination):
    """Pages of a list as `{"next": url|null, "previous": url|null, "results": [...]}`."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if "page" in request.query_params:
            # Numbered pages are gone; a script that counts them up must not loop over page 1 for ever.
            raise ValidationError({"page": ["Pages are not numbered: follow the next link (a cursor) instead."]})
        size = page_size_from(request)
        keys = ordering_keys(queryset.model, queryset.query.order_by or queryset.model._meta.ordering)
        raw = request.query_params.get(CURSOR_PARAM)
        before = False
        if raw is not None:
            pk, before = decode_cursor(raw)
            scoped = view.get_queryset() if view is not None else queryset.model._default_manager.none()
            values = scoped.prefetch_related(None).filter(pk=pk).values_list(*[key.name for key in keys]).first()
            if values is None:
                # Outside the user's scope, or no such record: told apart from neither.
                raise ValidationError({CURSOR_PARAM: [INVALID_CURSOR]})
            queryset = queryset.filter(keyset_filter(keys, list(values), before))
        rows = list(queryset.order_by(*order_by_keys(keys, reverse=before))[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if before:
            rows.reverse()
        # Walking forward there is a page before this one when we came by a cursor; walking
        # back, there is one after.
        self.has_next = more if not before else True
        self.has_previous = (raw is not None) if not before else more
        self.rows = rows
        return rows

    def _link(self, row, before: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, CURSOR_PARAM, encode_cursor(row.pk, before))

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.rows:
            return None
        return self._link(self.rows[-1], before=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.request.build_absolute_uri(), CURSOR_PARAM)
        return self._link(self.rows[0], before=True)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page (null on the last), with every other parameter kept.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The page before (null on the first).",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from the `next` or `previous` link; leave it out for the first page.",
                "schema": {"type": "string"},
            },
            {
                "name": PAGE_SIZE_PARAM,
                "required": False,
                "in": "query",
                "description": f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); more is refused with 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
        ]


def paginated_response(view, queryset, serializer_class) -> Response:
    """One page of `queryset` for a plain APIView's GET, as every list of the API pages."""
    paginator = ScopedPagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
