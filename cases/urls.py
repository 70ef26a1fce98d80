"""URLs of the staff web application: the case pages (namespace "web", at the site root) and the
report pages (namespace "reports", under /reports/).

Each topic's views live in their own module under cases/views/. Every URL here must have an entry
in the access table (tests/web_access/table_*.py), or the suite fails.
"""

from django.urls import include, path

from .views import (
    agencies,
    contacts,
    court_dates,
    custody,
    detentions,
    duplicates,
    editing,
    home,
    investigations,
    notes,
    operations,
    people,
    prosecutions,
    quick_contact,
    referrals,
    relief,
    reports,
    tasks,
    voiding,
)

web_urlpatterns = [
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
        "operations/<int:pk>/agencies/copy/",
        operations.ParticipationCopyView.as_view(),
        name="operation_participant_copy",
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
    path("people/duplicates/", duplicates.DuplicateReviewView.as_view(), name="person_duplicates"),
    path("people/<int:pk>/merge/<int:other>/", duplicates.PersonMergeView.as_view(), name="person_merge"),
    path("people/<int:pk>/not-same/<int:other>/", duplicates.NotSamePersonView.as_view(), name="person_not_same"),
    path("merges/<int:pk>/undo/", duplicates.PersonMergeUndoView.as_view(), name="person_merge_undo"),
    # Contacts and the services offered in them
    # The quick contact is the default way in; the full form ("More details") stays.
    path("contacts/quick/", quick_contact.QuickContactView.as_view(), name="contact_quick"),
    path("contacts/new/", contacts.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/", contacts.ContactDetailView.as_view(), name="contact_detail"),
    path("contacts/<int:pk>/offers/", contacts.ContactOffersView.as_view(), name="contact_offers"),
    # Referrals and the services delivered on them
    path("referrals/", referrals.ReferralListView.as_view(), name="referral_list"),
    path("referrals/inbox/", referrals.ReferralInboxView.as_view(), name="referral_inbox"),
    path("referrals/new/", referrals.ReferralCreateView.as_view(), name="referral_create"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/edit/", referrals.ReferralUpdateView.as_view(), name="referral_edit"),
    path("referrals/<int:pk>/offers/new/", referrals.ReferralOfferCreateView.as_view(), name="referral_offer_create"),
    path("referrals/<int:pk>/<slug:step>/", referrals.ReferralStepView.as_view(), name="referral_step"),
    path("offers/<int:pk>/delivery/", referrals.OfferUpdateView.as_view(), name="offer_update"),
    # Protective-custody hand-offs of children
    path("custody/", custody.HandoffListView.as_view(), name="handoff_list"),
    path("custody/new/", custody.HandoffCreateView.as_view(), name="handoff_create"),
    path("custody/<int:pk>/", custody.HandoffDetailView.as_view(), name="handoff_detail"),
    path("custody/<int:pk>/hand-over/", custody.HandOverView.as_view(), name="handoff_hand_over"),
    path("custody/<int:pk>/acknowledge/", custody.AcknowledgeCustodyView.as_view(), name="handoff_acknowledge"),
    path("custody/<int:pk>/events/new/", custody.CustodyEventCreateView.as_view(), name="handoff_event_create"),
    # Detentions and arrests; notes; voiding a record
    path("detentions/", detentions.DetentionListView.as_view(), name="detention_list"),
    path("detentions/new/", detentions.DetentionCreateView.as_view(), name="detention_create"),
    path("detentions/<int:pk>/", detentions.DetentionDetailView.as_view(), name="detention_detail"),
    path("notes/<slug:target>/<int:pk>/new/", notes.NoteCreateView.as_view(), name="note_create"),
    path("void/<str:label>/<int:pk>/", voiding.VoidView.as_view(), name="void"),
    # Correcting a record (a reason once it is more than a day old; cases/views/editing.py)
    path("people/<int:pk>/edit/", editing.PersonEditView.as_view(), name="person_edit"),
    path("contacts/<int:pk>/edit/", editing.ContactEditView.as_view(), name="contact_edit"),
    path("offers/<int:pk>/edit/", editing.OfferEditView.as_view(), name="offer_edit"),
    path("detentions/<int:pk>/edit/", editing.DetentionEditView.as_view(), name="detention_edit"),
    path("custody/<int:pk>/edit/", editing.HandoffEditView.as_view(), name="handoff_edit"),
    # After the operation: investigations, prosecutions, their counts and court dates
    path("investigations/", investigations.InvestigationListView.as_view(), name="investigation_list"),
    path("investigations/new/", investigations.InvestigationCreateView.as_view(), name="investigation_create"),
    path("investigations/<int:pk>/", investigations.InvestigationDetailView.as_view(), name="investigation_detail"),
    path(
        "investigations/<int:pk>/edit/", investigations.InvestigationUpdateView.as_view(), name="investigation_update"
    ),
    path(
        "investigations/<int:pk>/agencies/add/", investigations.AgencyAddView.as_view(), name="investigation_agency_add"
    ),
    path(
        "investigation-agencies/<int:pk>/remove/",
        investigations.AgencyRemoveView.as_view(),
        name="investigation_agency_remove",
    ),
    path("investigations/<int:pk>/refer/", investigations.ReferView.as_view(), name="investigation_refer"),
    path("investigations/<int:pk>/close/", investigations.CloseView.as_view(), name="investigation_close"),
    path("investigations/<int:pk>/reopen/", investigations.ReopenView.as_view(), name="investigation_reopen"),
    path(
        "investigations/<int:pk>/people/add/", investigations.PersonAddView.as_view(), name="investigation_person_add"
    ),
    path(
        "investigation-people/<int:pk>/remove/",
        investigations.PersonRemoveView.as_view(),
        name="investigation_person_remove",
    ),
    path(
        "investigations/<int:pk>/operations/link/",
        investigations.OperationLinkView.as_view(),
        name="investigation_operation_link",
    ),
    path(
        "investigations/<int:pk>/arrests/link/",
        investigations.DetentionLinkView.as_view(),
        name="investigation_detention_link",
    ),
    path(
        "investigations/<int:pk>/operations/<int:operation_pk>/unlink/",
        investigations.OperationUnlinkView.as_view(),
        name="investigation_operation_unlink",
    ),
    path(
        "investigations/<int:pk>/arrests/<int:detention_pk>/unlink/",
        investigations.DetentionUnlinkView.as_view(),
        name="investigation_detention_unlink",
    ),
    path(
        "investigations/<int:pk>/prosecutions/new/",
        prosecutions.ProsecutionCreateView.as_view(),
        name="prosecution_create",
    ),
    path("prosecutions/", prosecutions.ProsecutionListView.as_view(), name="prosecution_list"),
    path("prosecutions/<int:pk>/", prosecutions.ProsecutionDetailView.as_view(), name="prosecution_detail"),
    path("prosecutions/<int:pk>/edit/", prosecutions.ProsecutionUpdateView.as_view(), name="prosecution_update"),
    path("prosecutions/<int:pk>/counts/new/", prosecutions.CountCreateView.as_view(), name="count_create"),
    path("counts/<int:pk>/edit/", prosecutions.CountUpdateView.as_view(), name="count_update"),
    path(
        "prosecutions/<int:pk>/court-dates/new/",
        prosecutions.CourtEventCreateView.as_view(),
        name="court_event_create",
    ),
    path("court-dates/<int:pk>/edit/", prosecutions.CourtEventUpdateView.as_view(), name="court_event_update"),
    path("court-dates/<int:pk>/status/", prosecutions.CourtEventStatusView.as_view(), name="court_event_status"),
    # Immigration relief: asked by an advocate of a law-enforcement agency, and its steps
    path("relief/", relief.ReliefListView.as_view(), name="relief_list"),
    path("relief/new/", relief.ReliefCreateView.as_view(), name="relief_create"),
    path("relief/<int:pk>/", relief.ReliefDetailView.as_view(), name="relief_detail"),
    path("relief/<int:pk>/edit/", relief.ReliefUpdateView.as_view(), name="relief_edit"),
    path("relief/<int:pk>/<slug:step>/", relief.ReliefStepView.as_view(), name="relief_step"),
    # Court dates (victim-witness notification for advocates and caseworkers)
    path("court-dates/", court_dates.CourtEventListView.as_view(), name="court_event_list"),
    # Tasks on records and following records (work app); "My work" is the home page
    path("tasks/", tasks.TaskListView.as_view(), name="task_list"),
    path("tasks/<slug:target>/<int:pk>/new/", tasks.TaskCreateView.as_view(), name="task_create"),
    path("tasks/<int:pk>/edit/", tasks.TaskUpdateView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/done/", tasks.TaskDoneView.as_view(), name="task_done"),
    path("tasks/<int:pk>/cancel/", tasks.TaskCancelView.as_view(), name="task_cancel"),
    path("follow/<slug:target>/<int:pk>/", tasks.FollowView.as_view(), name="follow"),
]

report_urlpatterns = [
    path("", reports.DashboardView.as_view(), name="dashboard"),
    path("operations/", reports.OperationChoiceView.as_view(), name="operation_list"),
    path("operations/<int:pk>/", reports.OperationReportView.as_view(), name="operation"),
    path("performance-measures/", reports.PerformanceMeasuresView.as_view(), name="measures"),
    path("htrs/", reports.HtrsExportView.as_view(), name="htrs"),
]

urlpatterns = [
    path("reports/", include((report_urlpatterns, "reports"))),
    path("", include((web_urlpatterns, "web"))),
]
