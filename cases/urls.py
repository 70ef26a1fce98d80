"""URLs of the staff web application: namespace "web", served at the site root.

Each topic's views live in their own module under cases/views/. Every URL here
must have an entry in the access table (tests/web_access/table_*.py), or the suite fails.
"""

from django.urls import path

from .views import agencies, contacts, home, operations, people

app_name = "web"

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    # The suggestions of the agency boxes in list filters (htmx, cached by the browser).
    path("agencies/suggestions/", agencies.AgencySuggestionsView.as_view(), name="agency_suggestions"),
    # Operations
    path("operations/", operations.OperationListView.as_view(), name="operation_list"),
    path("operations/new/", operations.OperationCreateView.as_view(), name="operation_create"),
    path("operations/<int:pk>/", operations.OperationDetailView.as_view(), name="operation_detail"),
    path("operations/<int:pk>/edit/", operations.OperationUpdateView.as_view(), name="operation_update"),
    path("operations/<int:pk>/status/", operations.OperationMoveView.as_view(), name="operation_move"),
    path(
        "operations/<int:pk>/agencies/add/", operations.ParticipationAddView.as_view(), name="operation_participant_add"
    ),
    path(
        "participations/<int:pk>/remove/",
        operations.ParticipationRemoveView.as_view(),
        name="operation_participant_remove",
    ),
    path("operations/<int:pk>/locations/add/", operations.LocationAddView.as_view(), name="operation_location_add"),
    path("locations/<int:pk>/remove/", operations.LocationRemoveView.as_view(), name="operation_location_remove"),
    # People
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("people/search/", contacts.PersonSearchView.as_view(), name="person_search"),
    # Contacts and the services offered in them
    path("contacts/new/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/offers/", contacts.ContactOffersView.as_view(), name="contact_offers"),
]

# Referrals, custody, detentions, notes and voiding (their own module).
from .urls_workflows import urlpatterns as workflow_urlpatterns  # noqa: E402

urlpatterns += workflow_urlpatterns
