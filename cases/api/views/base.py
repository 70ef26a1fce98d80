"""The one base class of every API resource: scope, disclosure, actions, ETags, exports.

- `get_queryset` is `Model.objects.visible_to(user)`, so an id outside the user's
  scope answers 404 on every route, the custom actions included.
- Analysts, auditors and users without membership get 403 on case records
  (`permissions.PersonLevelAccess`).
- Writes go through the serializers, which call cases.actions (403 when the role lacks
  the action). Every write to an existing record (PUT/PATCH and every POST action on a
  record) needs If-Match with the record's ETag: 428 without it, 412 when stale; either
  way nothing changes. Checked after scope (404) and role (403), before validation (400).
- POST with an `Idempotency-Key` header is done once per user and key; a repeat gets the
  first answer (idempotency.api).
- DELETE is never routed (405): records are voided with POST .../void/.
- Every page of a list, every record returned and every export goes to the access log,
  one row per request (`audit.hooks.shown`): the records of personal data by id,
  exports by count and filter.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, QueryDict
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from audit import hooks as audit_hooks
from cases import access, actions
from idempotency.api import IdempotentPostMixin

from .. import exports as export_module
from ..exceptions import PreconditionFailed, PreconditionRequired
from ..exports import (
    EXPORT_FORMATS,
    CSVRenderer,
    ExportSource,
    XLSXRenderer,
    export_response,
    export_rows,
    flat_plan,
    flat_rows,
)
from ..fields import MAX_ID
from ..filtering import StrictFilterBackend, check_format
from ..human import Humanizer, human_columns
from ..pagination import ScopedPagination, order_by_keys, ordering_keys
from ..permissions import MemberAccess, PersonLevelAccess
from ..serializers.base import StrictSerializer

MINOR_NAME_FIELDS = access.MINOR_NAME_FIELDS
# Query parameters that page, sort or format a list; any other one filters it.
NOT_A_FILTER = {"page", "page_size", "cursor", "ordering", "format", "raw"}
RAW_VALUES = {"1": True, "true": True, "0": False, "false": False}


class StableOrderingFilter(OrderingFilter):
    """Orders as asked, always ending with the id so pages never shuffle; empty values last."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or queryset.model._meta.ordering or [])
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("-id" if ordering and ordering[0].startswith("-") else "id")
        return ordering

    def filter_queryset(self, request, queryset, view):
        # The same order for pages (keyset) and exports, NULLs last on every database.
        keys = ordering_keys(queryset.model, self.get_ordering(request, queryset, view))
        return queryset.order_by(*order_by_keys(keys))


def etag_for(data) -> str:
    """A strong validator of what the user was shown: any change to the record changes it."""
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
    return '"' + hashlib.sha256(payload).hexdigest()[:40] + '"'


def require_if_match(request, data) -> None:
    """A write must name the version it was based on (`data`, as last read), or it could undo a
    change it never saw: 428 without If-Match, 412 when it names another version."""
    offered = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-Match", "").split(",")]
    offered = [tag for tag in offered if tag]
    # "*" matches whatever is there now, which is exactly the lost update this prevents.
    if not offered or "*" in offered:
        raise PreconditionRequired()
    if etag_for(data) not in offered:
        raise PreconditionFailed()


class VoidSerializer(StrictSerializer):
    reason = serializers.CharField(help_text="Why the record is voided; kept in its history.")


class ScopedViewSet(IdempotentPostMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    model = None
    person_level = True
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()
    ordering_fields: tuple[str, ...] = ()
    export_name: str = ""
    _blank_minor_names = False
    lookup_value_regex = "[0-9]+"
    filter_backends = [StrictFilterBackend, StableOrderingFilter]
    pagination_class = ScopedPagination
    permission_classes = [MemberAccess, PersonLevelAccess]

    # --- scope -----------------------------------------------------------------

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        prefetches = self.get_prefetches()
        if prefetches:
            queryset = queryset.prefetch_related(*prefetches)
        return queryset

    def get_prefetches(self) -> list:
        return list(self.prefetch_related)

    def note_replayed(self, body) -> None:
        # The record a replayed answer shows again, if the user still sees it, goes to the access log.
        record_id = body.get("id") if isinstance(body, dict) else None
        if isinstance(record_id, int) and self.model is not None:
            audit_hooks.shown(self.request, list(self.get_queryset().filter(pk=record_id)), model=self.model)

    def get_object(self):
        raw = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if raw is not None and (not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID):
            raise Http404
        return super().get_object()

    # --- renderers: exports only for lists ---------------------------------------

    def get_renderers(self):
        renderers = [JSONRenderer()]
        # Every method of a list's address takes its ?format= (a 405 or OPTIONS, not a 404);
        # all but the download itself are answered in JSON (finalize_response).
        if getattr(self, "action", None) == "list" or not getattr(self, "detail", True):
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and isinstance(getattr(response, "accepted_renderer", None), CSVRenderer):
            # Errors of an export request are still JSON.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    def perform_content_negotiation(self, request, force=False):
        if not force:
            check_format(request)
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            # An unknown ?format= is a bad parameter (400), not a missing record.
            raise serializers.ValidationError({"format": ["Choose json, or csv or xlsx for a list."]}) from None

    # --- reading ---------------------------------------------------------------

    def filter_terms(self) -> str:
        """The list's filters as a query string, for the access log ("" when unfiltered)."""
        params = self.request.query_params
        terms = sorted((k, v) for k in params if k not in NOT_A_FILTER for v in params.getlist(k) if v)
        return "&".join(f"{k}={v}" for k, v in terms)[:500]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        terms = self.filter_terms()
        # Filtering people is looking for someone: logged even when nobody is found.
        searching = bool(terms) and self.model is not None and self.model._meta.label_lower == "cases.person"
        audit_hooks.shown(
            self.request,
            page if page is not None else (),
            model=self.model,
            action="person_search" if searching else "record_list",
            detail=terms,
            even_if_none=searching,
        )
        return page

    def list(self, request, *args, **kwargs):
        self.raw_export()  # a bad ?raw= is refused on every list, not only on a download
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt in EXPORT_FORMATS:
            return self.export(request, fmt)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    def detail_response(self, instance, status_code=status.HTTP_200_OK, headers=None) -> Response:
        data = self.get_serializer(instance).data
        audit_hooks.shown(self.request, instance, model=self.model)
        response = Response(data, status=status_code, headers=headers)
        response["ETag"] = etag_for(data)
        return response

    # --- exports ---------------------------------------------------------------

    def export_columns(self) -> list[str]:
        """The flat fields of the representation; nested lists of records are left out."""
        serializer = self.get_serializer()
        return [
            name
            for name, field in serializer.fields.items()
            if not field.write_only and not isinstance(field, serializers.BaseSerializer)
        ]

    def export_row(self, obj, data: dict) -> dict:
        if self._blank_minor_names and getattr(obj, "is_minor", False):
            data = {**data, **{name: "" for name in MINOR_NAME_FIELDS if name in data}}
        return data

    def export_source(self) -> ExportSource:
        """The list as export rows: the user's scope, the request's filters and order."""
        request = self.request
        queryset = self.filter_queryset(self.get_queryset())
        self._blank_minor_names = access.export_blanks_minor_names(request.user)
        columns = self.export_columns()
        list_serializer = self.get_serializer(many=True)
        context = list_serializer.context
        plan = flat_plan(list_serializer.child, columns)
        if plan is not None:
            names = [index for index, column in enumerate(columns) if column in MINOR_NAME_FIELDS]

            def blank(values, is_minor):
                if is_minor:
                    for index in names:
                        values[index] = ""
                return values

            rows = flat_rows(queryset, plan, context, blank if self._blank_minor_names and names else None)
        else:
            rows = export_rows(queryset, list_serializer.to_representation, columns, self.export_row, context)
        human = (
            None
            if self.raw_export()
            else Humanizer(request.user, human_columns(list_serializer.child, columns), export_module.CHUNK)
        )
        return ExportSource(queryset, columns, rows, self.export_what(), human)

    def export_what(self) -> str:
        # Named after the list's address: "people", "service-offers", "indicators"…
        return self.export_name or self.request.path.rstrip("/").rsplit("/", 1)[-1]

    def export(self, request, fmt: str):
        """A direct download, only of a list short enough to be sent whole within the request.

        A longer list would outlast the server's timeout and arrive cut short; it is refused
        before the first byte, pointing to an export job (POST /api/v1/exports/).
        """
        source = self.export_source()
        count = source.queryset.count()
        limit = settings.EXPORT_DIRECT_MAX_ROWS
        if count > limit:
            raise serializers.ValidationError(
                {
                    "format": [
                        f"This list has {count} records, more than the {limit} a direct download holds. "
                        "Ask for it as an export job (POST /api/v1/exports/) and download the file when it is ready."
                    ]
                }
            )
        return export_response(
            request,
            fmt,
            source.what,
            source.columns,
            source.rows,
            count,
            model=self.model,
            query=self.filter_terms(),
            human=source.human,
        )

    def write_export_file(self, path, fmt: str, progress, manifest: list[tuple]) -> tuple[int, int]:
        """Write the list to `path` for an export job (exports.writing): (rows counted, rows written).

        `progress(total, written)` is told the count first, then every chunk of rows.
        """
        source = self.export_source()
        total = source.queryset.count()
        progress(total, 0)
        rows = export_module.counted(source.rows, lambda written: progress(total, written))
        if fmt == "xlsx":
            written = export_module.write_xlsx_file(path, source.what, source.columns, rows, source.human, manifest)
        else:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                written = export_module.write_csv_file(handle, source.columns, rows, source.human)
        return total, written

    @classmethod
    def for_export_job(cls, user, path: str, query: str, initkwargs: dict, actions: dict):
        """The list view as `user` sees it now, for an export job run outside any request.

        The job calls this through the list's URL (exports.writing), so the file holds exactly
        what the same GET would: the same permission classes (403 for a user who lost access),
        scope, filters (400 for a bad one) and order.
        """
        django_request = HttpRequest()
        django_request.method = "GET"
        django_request.path = django_request.path_info = path
        django_request.GET = QueryDict(query)
        django_request.user = user
        request = Request(django_request)
        request.user = user
        view = cls(**initkwargs)
        view.action_map = actions
        view.action = "list"
        view.args, view.kwargs = (), {}
        view.request = request
        view.format_kwarg = None
        view.headers = {}
        view.check_permissions(request)
        view.raw_export()
        return view

    def raw_export(self) -> bool:
        """`?raw=1` (or true): the machine form for scripts; otherwise what a person reads."""
        value = self.request.query_params.get("raw", "0").strip().lower()
        if value not in RAW_VALUES:
            raise serializers.ValidationError({"raw": ["Choose 1 (the machine form) or 0, or leave it out."]})
        return RAW_VALUES[value]

    # --- optimistic concurrency ---------------------------------------------------

    def check_if_match(self, request, instance) -> None:
        require_if_match(request, self.get_serializer(instance).data)

    def locked_object(self):
        """The record, locked for the rest of the transaction, so If-Match and the write agree."""
        instance = self.get_object()
        list(self.model.objects.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True))
        return self.get_object()

    def fresh(self, instance):
        return self.get_queryset().get(pk=instance.pk)


class WritableMixin:
    """POST to create and PUT/PATCH to update, through the serializer's domain actions."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        return self.detail_response(self.fresh(instance), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.locked_object()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            # The role's right comes first: a 403 does not depend on the body.
            access.require(request.user, serializer.change_action, serializer.change_target(instance))
            self.check_if_match(request, instance)
            serializer.is_valid(raise_exception=True)
            serializer.save()
        return self.detail_response(self.fresh(instance))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


class VoidMixin:
    @extend_schema(request=VoidSerializer, summary="Void the record with a reason (records are never deleted)")
    @action(detail=True, methods=["post"])
    def void(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked_object()
            access.require(request.user, "void", instance)
            self.check_if_match(request, instance)
            body = VoidSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            actions.void_record(request.user, instance, body.validated_data["reason"])
        return self.detail_response(self.fresh(instance))


def workflow_step(policy: str, noun: str, transitions: dict, transition, name: str, body_class, summary: str):
    """One step of a record's workflow (a referral's, a relief request's) as a POST action.

    The state must allow it (400, naming the state), the role must (403, with the
    policy's refusal, checked as `<policy>.<name>`), and If-Match must hold (428/412);
    then `transition(user, record, name, **body)` takes the step.
    """

    def step(self, request, *args, **kwargs):
        with transaction.atomic():
            record = self.locked_object()
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            if name not in record.allowed_actions():
                verb = transitions[name][2]
                state = "void" if record.is_voided else record.get_status_display().lower()
                raise serializers.ValidationError({"status": [f"A {noun} that is {state} cannot be {verb}."]})
            access.require(request.user, f"{policy}.{name}", record)
            self.check_if_match(request, record)
            transition(request.user, record, name, **body.validated_data)
        return self.detail_response(self.fresh(record))

    step.__name__ = name
    slug = name.replace("_", "-")
    step = action(detail=True, methods=["post"], url_path=slug, url_name=slug)(step)
    return extend_schema(request=body_class, summary=summary)(step)
