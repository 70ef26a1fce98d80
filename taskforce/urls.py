"""URL map of the task-force case tracker."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Report pages: operation outcome, dashboard, grant measures (cases/urls_reports.py).
    path("reports/", include("cases.urls_reports", namespace="reports")),
]
