"""URL map of the task-force case tracker."""

from django.contrib import admin
from django.urls import include, path

# A server error shows a reference number, never a stack trace (audit.views.errors).
handler500 = "audit.views.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The audit viewer (/audit/) and two-step sign-in (/accounts/mfa/).
    path("", include("audit.urls")),
    # Report pages: operation outcome, dashboard, grant measures (cases/urls_reports.py).
    path("reports/", include("cases.urls_reports", namespace="reports")),
]
