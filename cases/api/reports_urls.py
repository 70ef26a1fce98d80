"""/api/v1/reports/: the report endpoints (cases/api/reports.py)."""

from django.urls import path

from . import reports

app_name = "reports-api"

urlpatterns = [
    path("operations/<int:pk>/", reports.OperationReportView.as_view(), name="operation"),
    path("summary/", reports.SummaryReportView.as_view(), name="summary"),
    path("performance-measures/", reports.PerformanceMeasuresView.as_view(), name="performance-measures"),
]
