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
        return super().get_context_data(filter=filterset, page=page, querystring=self._querystring(), **kwargs)

    def _querystring(self) -> str:
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()


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
            rows=[describe(r, self.request.user, with_diff=bool(chosen)) for r in rows],
            models=sorted(models),
            chosen=chosen,
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
        changes = [describe(r, self.request.user) for r in changes]
        return super().get_context_data(label=label, pk=pk, changes=changes, views=views, **kwargs)


# What a victim-services private note says, as against who wrote, changed or voided it and when.
PRIVATE_NOTE_FIELDS = frozenset({"text", "void_reason"})
WITHHELD = "Not shown: private to the agency that wrote it"


def describe(record, user, with_diff: bool = True) -> dict:
    """A historical row with what changed against the previous version, as `user` may read it."""
    withheld = hasattr(record, "private") and hides_note_text(user, record)
    diff = []
    previous = record.prev_record if with_diff and record.history_type == "~" else None
    if previous is not None:
        for change in record.diff_against(previous).changes:
            if withheld and change.field in PRIVATE_NOTE_FIELDS:
                diff.append({"field": change.field, "old": WITHHELD, "new": WITHHELD})
            else:
                diff.append({"field": change.field, "old": change.old, "new": change.new})
    reason = record.history_change_reason or ""
    return {
        "record": record,
        "label": record.instance_type._meta.label_lower,
        "verbose_name": record.instance_type._meta.verbose_name,
        "diff": diff,
        "reason": WITHHELD if withheld and reason else reason,
    }
