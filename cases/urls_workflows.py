"""URLs of the workflow pages: referrals, custody hand-offs, detentions, notes, voiding.

Included once into the "web" namespace by cases/urls.py. Every URL here has an entry
in tests/web_access/table_workflows.py.
"""

from django.urls import path

from .views import custody, detentions, notes, referrals, voiding

urlpatterns = [
    path("referrals/", referrals.ReferralListView.as_view(), name="referral_list"),
    path("referrals/inbox/", referrals.ReferralInboxView.as_view(), name="referral_inbox"),
    path("referrals/new/", referrals.ReferralCreateView.as_view(), name="referral_create"),
    path("referrals/<int:pk>/", referrals.ReferralDetailView.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/edit/", referrals.ReferralUpdateView.as_view(), name="referral_edit"),
    path("referrals/<int:pk>/offers/new/", referrals.ReferralOfferCreateView.as_view(), name="referral_offer_create"),
    path("referrals/<int:pk>/<slug:step>/", referrals.ReferralStepView.as_view(), name="referral_step"),
    path("offers/<int:pk>/delivery/", referrals.OfferUpdateView.as_view(), name="offer_update"),
    path("custody/", custody.HandoffListView.as_view(), name="handoff_list"),
    path("custody/new/", custody.HandoffCreateView.as_view(), name="handoff_create"),
    path("custody/<int:pk>/", custody.HandoffDetailView.as_view(), name="handoff_detail"),
    path("custody/<int:pk>/hand-over/", custody.HandOverView.as_view(), name="handoff_hand_over"),
    path("custody/<int:pk>/acknowledge/", custody.AcknowledgeCustodyView.as_view(), name="handoff_acknowledge"),
    path("custody/<int:pk>/events/new/", custody.CustodyEventCreateView.as_view(), name="handoff_event_create"),
    path("detentions/", detentions.DetentionListView.as_view(), name="detention_list"),
    path("detentions/new/", detentions.DetentionCreateView.as_view(), name="detention_create"),
    path("detentions/<int:pk>/", detentions.DetentionDetailView.as_view(), name="detention_detail"),
    path("notes/<slug:target>/<int:pk>/new/", notes.NoteCreateView.as_view(), name="note_create"),
    path("void/<str:label>/<int:pk>/", voiding.VoidView.as_view(), name="void"),
]
