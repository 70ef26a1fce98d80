"""Every report of the task force, computed by database aggregation.

One home for the numbers: the API (cases/api/reports.py), the report pages
(cases/views/reports.py) and the CSV/XLSX downloads (cases/reports/export.py) all
call these functions, so the same request gives the same numbers everywhere.

    scope = report_scope(request.user)          # 403 for auditors
    report = operation_report(scope, scope.operation(pk))   # DoesNotExist → 404
    figures = operation_figures(scope, operation)           # the operation page's outcome counts
    report = summary_report(scope, start, end, agency)
    report = performance_measures(scope, year, quarter)

The scope decides what is counted (`Model.objects.visible_to(user)`, or the whole task
force with small counts suppressed for analysts: see cases/reports/tables.py for the
suppression rule). Voided records, and records whose parent is voided, are never
counted. Medians: see cases/reports/medians.py.
"""

from .base import Chart, Report
from .figures import operation_figures, operation_services
from .operation import operation_report
from .scope import ReportScope, report_scope, task_force_name
from .summary import performance_measures, summary_report
from .tables import HIDDEN, SMALL, Table

__all__ = [
    "Chart",
    "HIDDEN",
    "Report",
    "ReportScope",
    "SMALL",
    "Table",
    "operation_figures",
    "operation_report",
    "operation_services",
    "performance_measures",
    "report_scope",
    "summary_report",
    "task_force_name",
]
