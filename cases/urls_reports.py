"""Report pages, namespace "reports", served under /reports/ (cases/views/reports.py)."""

from django.urls import path

from .views import reports

app_name = "reports"

urlpatterns = [
    path("", reports.DashboardView.as_view(), name="dashboard"),
    path("operations/", reports.OperationChoiceView.as_view(), name="operation_list"),
    path("operations/<int:pk>/", reports.OperationReportView.as_view(), name="operation"),
    path("performance-measures/", reports.PerformanceMeasuresView.as_view(), name="measures"),
]
