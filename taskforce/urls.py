"""URL map of the task-force case tracker."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from audit.views.password import PasswordChangeView
from cases.forms.base import SignInForm

# A server error shows a reference number, never a stack trace (audit.views.errors; JSON under /api/).
handler500 = "cases.api.errors.server_error"
# Under /api/ these answer JSON; elsewhere Django's pages (cases/api/errors.py).
handler400 = "cases.api.errors.bad_request"
handler404 = "cases.api.errors.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The REST API, its OpenAPI schema and Swagger UI (cases/api/urls.py).
    path("api/v1/", include("cases.api.urls", namespace="api")),
    # The audit viewer (/audit/) and two-step sign-in (/accounts/mfa/).
    path("", include("audit.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    # A user's API tokens (apitokens/): list, make, revoke.
    path("accounts/tokens/", include("apitokens.urls", namespace="apitokens")),
    # Downloads written by a worker (exports/): ask, follow, download, "My downloads".
    path("downloads/", include("exports.urls", namespace="exports")),
    # Contact imports (imports/): upload a night sheet, check it, confirm it, follow it.
    path("imports/", include("imports.urls", namespace="imports")),
    # A user's notifications and their e-mail preference (notifications/).
    path("notifications/", include("notifications.urls", namespace="notifications")),
    # The staff web application: case pages (namespace "web") and reports (namespace "reports").
    path("", include("cases.urls")),
]
