"""Reports kept once computed: the dashboard, the grant measures and the operation report.

A report is computed for a scope (`ReportScope.key`: the users who count exactly the
same records, as the access policy says) and a period, then kept in the shared cache
(Redis where several servers run, else the database's cache table) and shown again to
every user of that scope, with its age on the page. A kept report older than
`REPORT_FRESH_SECONDS` is still shown, and a job on the task queue recomputes it; one
older than `REPORT_MAX_AGE_SECONDS` is recomputed in the request. `manage.py
refresh_reports` recomputes every report read lately (and, with `--warm`, the default
dashboard and this year's measures of the task-force-wide scopes): run it every few
minutes.

Why kept answers and not tables of counts per day or month: the figures count each
person once over the whole period (a victim met in March and again in May is one
victim), count a victim as confirmed when any contact of the period confirms it, and
give medians of hours; none of these adds up from daily or monthly counts, so a table
of partial counts could not give today's answers exactly. A kept report is today's
answer, computed by the same code, only not recomputed on every view.

`REPORT_MAX_AGE_SECONDS = 0` keeps nothing (the test mode's default: tests change records
and read reports at once).
"""

from __future__ import annotations

import pickle
import time
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_tasks import task

from agencies.models import Agency
from cases.models import Operation
from taskforce import heap

from .base import Report
from .operation import operation_report
from .scope import ReportScope, report_scope
from .summary import performance_measures, summary_report

INDEX = "report-kept:index"
# The index of kept reports is rewritten at most this often for one report.
INDEX_TOUCH_SECONDS = 3600
KEEP_INDEX_SECONDS = 7 * 24 * 3600


def _read(key: str) -> Report | None:
    """A kept report, unpickled with the collector paused.

    A statewide dashboard is tens of thousands of small objects (every agency's row of
    cells); built while the collector runs, their allocation sets off collection after
    collection, a large part of the read (docs/PERFORMANCE.md, "Kept reports read"). It is
    kept as bytes so that the read is ours to pause: the cache's own unpickling would not be.
    """

    blob = cache.get(key)
    if not isinstance(blob, bytes):  # none, or kept by an older release as an object
        return None
    with heap.paused():
        return pickle.loads(blob)


def _keep(key: str, report: Report) -> None:
    cache.set(key, pickle.dumps(report, pickle.HIGHEST_PROTOCOL), settings.REPORT_MAX_AGE_SECONDS)


def enabled() -> bool:
    return settings.REPORT_MAX_AGE_SECONDS > 0


def _key(kind: str, scope_key: str, params: dict) -> str:
    values = ":".join(f"{name}={params[name]}" for name in sorted(params))
    return f"report-kept:{kind}:{scope_key}:{values}"


def compute(scope: ReportScope, kind: str, params: dict) -> Report:
    """The report as the code computes it, from the records (no kept answer)."""
    if kind == "summary":
        agency = Agency.objects.get(pk=params["agency"]) if params["agency"] else None
        return summary_report(scope, date.fromisoformat(params["start"]), date.fromisoformat(params["end"]), agency)
    if kind == "measures":
        return performance_measures(scope, params["year"], params["quarter"])
    if kind == "operation":
        return operation_report(scope, scope.operation(params["operation"]))
    raise ValueError(kind)


def kept(scope: ReportScope, kind: str, params: dict) -> Report:
    """The report, from a kept answer when there is a recent enough one."""
    if not enabled():
        return compute(scope, kind, params)
    key = _key(kind, scope.key, params)
    report = _read(key)
    age = (timezone.now() - report.generated_at).total_seconds() if report is not None else None
    if report is None or age > settings.REPORT_MAX_AGE_SECONDS:
        report = compute(scope, kind, params)
        _keep(key, report)
    elif age > settings.REPORT_FRESH_SECONDS and cache.add(f"{key}:queued", 1, settings.REPORT_FRESH_SECONDS):
        refresh_kept_report.enqueue(key)
    _remember(key, kind, scope, params)
    return report


def store(scope: ReportScope, kind: str, params: dict) -> Report:
    """Compute the report now and keep it (refresh_reports --warm)."""
    key = _key(kind, scope.key, params)
    report = compute(scope, kind, params)
    _keep(key, report)
    _remember(key, kind, scope, params)
    return report


def summary_params(start: date, end: date, agency: Agency | None = None) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "agency": agency.pk if agency else None}


def summary(scope: ReportScope, start: date, end: date, agency: Agency | None = None) -> Report:
    return kept(scope, "summary", summary_params(start, end, agency))


def measures(scope: ReportScope, year: int, quarter: int | None = None) -> Report:
    return kept(scope, "measures", {"year": year, "quarter": quarter})


def operation(scope: ReportScope, op: Operation) -> Report:
    return kept(scope, "operation", {"operation": op.pk})


def _remember(key: str, kind: str, scope: ReportScope, params: dict) -> None:
    """Note who read it (any user of the scope can recompute it) for refresh_reports.

    The index (every kept report's entry) is read and rewritten once an hour per report, not
    on every view: a small marker says it was noted lately.
    """
    if not cache.add(f"{key}:noted", 1, INDEX_TOUCH_SECONDS):
        return
    index = cache.get(INDEX) or {}
    index[key] = {"kind": kind, "user": scope.user.pk, "params": params, "read": time.time()}
    cache.set(INDEX, index, KEEP_INDEX_SECONDS)


def refresh(key: str) -> str:
    """Recompute one kept report; forget it when its reader's scope has changed."""
    index = cache.get(INDEX) or {}
    entry = index.get(key)
    if entry is None:
        return "unknown"
    user = get_user_model().objects.filter(pk=entry["user"], is_active=True).first()
    try:
        scope = report_scope(user) if user is not None else None
    except PermissionDenied:  # no longer reads reports
        scope = None
    if scope is None or _key(entry["kind"], scope.key, entry["params"]) != key:
        index.pop(key, None)
        cache.set(INDEX, index, KEEP_INDEX_SECONDS)
        cache.delete_many([key, f"{key}:noted"])
        return "forgotten"
    try:
        report = compute(scope, entry["kind"], entry["params"])
    except (Operation.DoesNotExist, Agency.DoesNotExist):
        cache.delete(key)
        return "forgotten"
    _keep(key, report)
    return "refreshed"


def refresh_all(within_seconds: int) -> dict[str, int]:
    """Recompute every kept report read within the last `within_seconds`; forget the others."""
    counts = {"refreshed": 0, "forgotten": 0, "unknown": 0, "dropped": 0}
    now = time.time()
    for key, entry in list((cache.get(INDEX) or {}).items()):
        if now - entry["read"] > within_seconds:
            index = cache.get(INDEX) or {}
            index.pop(key, None)
            cache.set(INDEX, index, KEEP_INDEX_SECONDS)
            cache.delete(f"{key}:noted")  # its next reader notes it again
            counts["dropped"] += 1
            continue
        counts[refresh(key)] += 1
    return counts


@task()
def refresh_kept_report(key: str) -> str:
    return refresh(key)
