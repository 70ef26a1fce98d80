from django.urls import path

from .views import mfa, trail

app_name = "audit"

urlpatterns = [
    path("audit/", trail.AccessLogListView.as_view(), name="accesslog-list"),
    path("audit/export.csv", trail.AccessLogExportView.as_view(), name="accesslog-export"),
    path("audit/changes/", trail.ChangeListView.as_view(), name="change-list"),
    path("audit/record/<str:label>/<str:pk>/", trail.RecordTrailView.as_view(), name="record-trail"),
    path("accounts/mfa/setup/", mfa.MFASetupView.as_view(), name="mfa-setup"),
    path("accounts/mfa/verify/", mfa.MFAVerifyView.as_view(), name="mfa-verify"),
]
