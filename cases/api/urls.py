"""URLs of the API, mounted at /api/v1/ by taskforce/urls.py.

Report endpoints live in cases/api/reports.py, under reports/ (namespace "api:reports-api").
"""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import reports
from .views.catalogues import (
    AgencyViewSet,
    IndicatorViewSet,
    ServiceTypeViewSet,
    StatuteViewSet,
    VulnerabilityFactorViewSet,
)
from .views.contacts import ContactViewSet, ServiceOfferViewSet
from .views.custody import CustodyHandoffViewSet
from .views.detentions import DetentionViewSet
from .views.exports import ExportJobDetailView, ExportJobFileView, ExportJobListView
from .views.imports import ContactImportConfirmView, ContactImportDetailView, ContactImportListView
from .views.investigations import InvestigationViewSet
from .views.notifications import NotificationViewSet
from .views.operations import OperationViewSet
from .views.people import PersonViewSet
from .views.prosecutions import CountViewSet, CourtEventViewSet, ProsecutionViewSet
from .views.referrals import ReferralViewSet
from .views.relief import ReliefRequestViewSet
from .views.root import ApiRootView
from .views.tasks import FollowViewSet, MyWorkCountsView, TaskViewSet
from .views.tokens import ApiTokenDetailView, ApiTokenListView

app_name = "api"

# A user's own notifications: beside the case resources, not among them (the router's
# resources are the case records the access matrix walks; tests/api/test_api_notifications.py).
notification_router = SimpleRouter()
notification_router.register("notifications", NotificationViewSet, basename="notification")

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("operations", OperationViewSet, basename="operation")
router.register("people", PersonViewSet, basename="person")
router.register("contacts", ContactViewSet, basename="contact")
router.register("service-offers", ServiceOfferViewSet, basename="service-offer")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("custody-handoffs", CustodyHandoffViewSet, basename="custody-handoff")
router.register("detentions", DetentionViewSet, basename="detention")
router.register("investigations", InvestigationViewSet, basename="investigation")
router.register("prosecutions", ProsecutionViewSet, basename="prosecution")
router.register("counts", CountViewSet, basename="count")
router.register("court-events", CourtEventViewSet, basename="court-event")
router.register("relief-requests", ReliefRequestViewSet, basename="relief-request")
router.register("tasks", TaskViewSet, basename="task")
router.register("follows", FollowViewSet, basename="follow")
router.register("statutes", StatuteViewSet, basename="statute")
router.register("service-types", ServiceTypeViewSet, basename="service-type")
router.register("service-types/indicators", IndicatorViewSet, basename="indicator")
router.register("service-types/vulnerability-factors", VulnerabilityFactorViewSet, basename="vulnerability-factor")

report_urlpatterns = [
    path("operations/<int:pk>/", reports.OperationReportView.as_view(), name="operation"),
    path("summary/", reports.SummaryReportView.as_view(), name="summary"),
    path("performance-measures/", reports.PerformanceMeasuresView.as_view(), name="performance-measures"),
    path("htrs/", reports.HtrsExportView.as_view(), name="htrs"),
]


@csrf_exempt  # it changes nothing; CSRF would otherwise answer an HTML 403
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/ (a malformed id, a typo): a JSON 404, like the rest of the API."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    # JSON for programs, a page for browsers (content negotiation; cases/api/views/root.py).
    path("", ApiRootView.as_view(), name="root"),
    path("auth/tokens/", ApiTokenListView.as_view(), name="token-list"),
    path("auth/tokens/<int:pk>/", ApiTokenDetailView.as_view(), name="token-detail"),
    # Export jobs (exports/): ask for a list as a file, follow it, download it.
    path("exports/", ExportJobListView.as_view(), name="export-list"),
    path("exports/<int:pk>/", ExportJobDetailView.as_view(), name="export-detail"),
    path("exports/<int:pk>/file/", ExportJobFileView.as_view(), name="export-file"),
    # Contact imports (imports/): upload a sheet (checked, nothing saved), read the check, confirm.
    path("imports/", ContactImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", ContactImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/confirm/", ContactImportConfirmView.as_view(), name="import-confirm"),
    path("reports/", include((report_urlpatterns, "reports-api"))),
    path("my-work/", MyWorkCountsView.as_view(), name="my-work"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="cases/api/swagger_ui.html"),
        name="docs",
    ),
    *router.urls,
    *notification_router.urls,
]
urlpatterns.append(re_path(r"", not_found))
