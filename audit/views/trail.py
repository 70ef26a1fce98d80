"""The audit viewer: the access log, the change history, one record's trail, CSV export.

Only users with the "audit.view" action reach it (auditors and the coordinator,
not the system administrator); every row shown comes through the access policy (audit.policy).
"""

from __future__ import annotations

import csv
import heapq
import itertools

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.views.generic import TemplateView, View

from cases import access

from .. import wording
from ..filters import AccessLogFilterSet, ChangeFilterSet
from ..log import record_access, rows_showing
from ..models import AccessLog, Action
from ..policy import hides_note_text, history_models

PAGE_SIZE = 50
# With no model chosen, the change list merges the newest rows of every history table.
MERGED_CHANGES = 200


class AuditViewMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(request.user, "audit.view"):
            raise PermissionDenied("Only auditors and the coordinator can read the audit trail.")
        return super().dispatch(request, *args, **kwargs)

    def filter_summary(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.request.GET.items() if v and k != "page")[:500]


class AccessLogListView(AuditViewMixin, TemplateView):
    template_name = "audit/accesslog_list.html"

    def get_context_data(self, **kwargs):
        filterset = AccessLogFilterSet(
            self.request.GET or None,
            queryset=AccessLog.objects.visible_to(self.request.user).select_related("agency"),
            request=self.request,
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        record_access(self.request, Action.AUDIT_VIEW, detail=f"Access log {self.filter_summary()}")
        return super().get_context_data(
            filter=filterset,
            page=page,
            entries=entries_of(page.object_list, self.request.user, self.request),
            querystring=self._querystring(),
            is_filtered=any(v for k, v in self.request.GET.items() if k != "page"),
            **kwargs,
        )

    def _querystring(self) -> str:
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()


def entries_of(rows, user, request=None) -> list[dict]:
    """Access-log rows with the records they name, by kind and name as `user` may read them."""
    rows = list(rows)
    wanted = []
    groups_of = {}
    for row in rows:
        if row.object_type and row.object_id:
            wanted.append((row.object_type, row.object_id))
        groups_of[row.pk] = row.record_groups()
        for group in groups_of[row.pk]:
            wanted += [(group["label"], pk) for pk in group["ids"]]
    names = wording.record_names(user, wanted, request)

    def name(label, pk):
        return names.get((label, int(pk)), "") if str(pk).isdigit() else ""

    entries = []
    for row in rows:
        groups = [
            {
                **group,
                "name": group["name"][:1].upper() + group["name"][1:],
                "records": [(pk, name(group["label"], pk)) for pk in group["ids"]],
            }
            for group in groups_of[row.pk]
        ]
        entries.append(
            {
                "row": row,
                "kind": wording.kind_name(row.object_type) if row.object_type else "",
                "name": name(row.object_type, row.object_id) if row.object_type and row.object_id else "",
                "title": wording.record_title(row.object_type, name(row.object_type, row.object_id), row.object_id)
                if row.object_type and row.object_id
                else "",
                "groups": groups,
            }
        )
    return entries


class AccessLogExportView(AuditViewMixin, View):
    """The filtered access log as CSV; the export is itself logged."""

    columns = [
        "at",
        "username",
        "agency",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "records",
        "person_ids",
        "detail",
        "path",
        "ip",
        "request_id",
    ]

    def get(self, request):
        filterset = AccessLogFilterSet(
            request.GET or None,
            queryset=AccessLog.objects.visible_to(request.user).select_related("agency"),
            request=request,
        )
        rows = filterset.qs
        record_access(
            request, Action.AUDIT_EXPORT, detail=f"access-log.csv, {rows.count()} rows; {self.filter_summary()}"
        )
        response = StreamingHttpResponse(self._lines(rows.iterator(chunk_size=2000)), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
        return response

    def _lines(self, rows):
        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        yield writer.writerow(self.columns)
        for row in rows:
            yield writer.writerow(
                [
                    row.at.isoformat(),
                    row.username,
                    row.agency.short_name if row.agency else "",
                    row.get_action_display(),
                    row.object_type,
                    row.object_id,
                    _safe(row.object_label),
                    row.records_text(),
                    " ".join(str(pk) for pk in row.people),
                    _safe(row.detail),
                    row.path,
                    row.ip or "",
                    row.request_id,
                ]
            )


def _safe(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class ChangeListView(AuditViewMixin, TemplateView):
    template_name = "audit/change_list.html"

    def get_context_data(self, **kwargs):
        models = history_models()
        chosen = self.request.GET.get("model", "")
        if chosen and chosen not in models:
            raise Http404("No such kind of record.")
        targets = {chosen: models[chosen]} if chosen else models
        filtersets = {
            label: ChangeFilterSet(self.request.GET or None, queryset=self._scoped(model), request=self.request)
            for label, model in targets.items()
        }
        form_filter = next(iter(filtersets.values()))
        if chosen:
            page = Paginator(filtersets[chosen].qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
            rows = list(page.object_list)
        else:
            page = None
            newest = (fs.qs[:MERGED_CHANGES] for fs in filtersets.values())
            rows = list(
                itertools.islice(heapq.merge(*newest, key=lambda r: r.history_date, reverse=True), MERGED_CHANGES)
            )
        # Before/after values cost a query per row: shown for one kind of record at a time.
        record_access(self.request, Action.AUDIT_VIEW, detail=f"Change history {self.filter_summary()}")
        return super().get_context_data(
            filter=form_filter,
            page=page,
            rows=describe_all(rows, self.request.user, with_diff=bool(chosen), request=self.request),
            models=wording.kind_choices(models),
            chosen=chosen,
            chosen_name=wording.kind_name(chosen) if chosen else "",
            **kwargs,
        )

    def _scoped(self, model):
        return access.scope(model.objects.select_related("history_user", "history_agency"), self.request.user)


class RecordTrailView(AuditViewMixin, TemplateView):
    """Who viewed or changed one record: its change history and its access-log rows."""

    template_name = "audit/record_trail.html"

    def get_context_data(self, label: str, pk: str, **kwargs):
        models = history_models()
        history_model = models.get(label)
        changes = []
        if history_model is not None:
            if not pk.isdigit():
                raise Http404("No such record.")
            changes = access.scope(
                history_model.objects.filter(id=int(pk)).select_related("history_user", "history_agency"),
                self.request.user,
            ).order_by("-history_date", "-history_id")
        elif label != "audit.accesslog" and "." not in label:
            raise Http404("No such kind of record.")
        views = rows_showing(AccessLog.objects.visible_to(self.request.user).select_related("agency"), label, pk, 500)
        record_access(self.request, Action.AUDIT_VIEW, detail=f"Trail of {label} {pk}")
        changes = describe_all(changes, self.request.user, request=self.request)
        name = (
            wording.record_names(self.request.user, [(label, pk)], self.request).get((label, int(pk)), "")
            if pk.isdigit()
            else ""
        )
        return super().get_context_data(
            label=label,
            pk=pk,
            kind=wording.kind_name(label),
            name=name,
            title=wording.record_title(label, name, pk),
            changes=changes,
            views=views,
            **kwargs,
        )


# What a victim-services private note says, as against who wrote, changed or voided it and when.
PRIVATE_NOTE_FIELDS = frozenset({"text", "void_reason"})
WITHHELD = "Not shown: private to the agency that wrote it"


def describe(record, user, with_diff: bool = True, names: dict | None = None) -> dict:
    """A historical row with what changed against the previous version, as `user` may read it."""
    withheld = hasattr(record, "private") and hides_note_text(user, record)
    model = record.instance_type
    diff = []
    previous = record.prev_record if with_diff and record.history_type == "~" else None
    if previous is not None:
        for change in record.diff_against(previous).changes:
            name = wording.field_name(model, change.field)
            if withheld and change.field in PRIVATE_NOTE_FIELDS:
                diff.append({"field": name, "old": WITHHELD, "new": WITHHELD})
            else:
                old = wording.field_value(model, change.field, change.old)
                new = wording.field_value(model, change.field, change.new)
                diff.append({"field": name, "old": old, "new": new})
    reason = wording.reason_sentence(record.history_change_reason or "")
    label = model._meta.label_lower
    return {
        "record": record,
        "label": label,
        "verbose_name": model._meta.verbose_name,
        "name": (names or {}).get((label, record.id), ""),
        "title": wording.record_title(label, (names or {}).get((label, record.id), ""), record.id),
        "diff": diff,
        "reason": WITHHELD if withheld and reason else reason,
    }


def describe_all(records, user, with_diff: bool = True, request=None) -> list[dict]:
    """`describe` for a page of rows, each record named through the policy (one query per kind);
    with `request`, the records named are noted for the request's access-log row."""
    records = list(records)
    names = wording.record_names(user, [(r.instance_type._meta.label_lower, r.id) for r in records], request)
    return [describe(r, user, with_diff, names) for r in records]
