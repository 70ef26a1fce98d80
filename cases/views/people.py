"""People: search and list, and the person page with their whole history."""

from __future__ import annotations

from collections import OrderedDict

from django.apps import apps


from cases import access
from cases.filters import PersonFilterSet
from cases.models import Contact, CustodyHandoff, Detention, Person, Referral, ServiceOffer

from .base import ScopedDetailView, ScopedListView


def log_person_view(request, person, action: str = "person_view", detail: str = "") -> None:
    """Every view of a person's identifying details goes to the access log (audit app)."""
    if apps.is_installed("audit"):
        from audit.log import record_access

        record_access(request, action, obj=person, detail=detail)


class PersonListView(ScopedListView):
    model = Person
    filterset_class = PersonFilterSet
    template_name = "web/people/list.html"
    sort_fields = {"reference": "reference", "name": "legal_name", "age": "age_group", "recorded": "created_at"}
    default_sort = "-recorded"
    nav_section = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minimum_view"] = access.person_fields(self.request.user) is not None
        # Advocates see full details of the people their own agency recorded.
        context["own_agency_id"] = access.viewer_for(self.request.user).agency_id
        if context["is_filtered"]:
            log_person_view(self.request, None, "person_search", detail=context["querystring"][:200])
        return context


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "web/people/detail.html"
    prefetch_related = ("vulnerabilities",)
    nav_section = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.object
        fields = access.person_fields(user, person)
        context["minimum_view"] = fields is not None
        context["contacts"] = list(
            Contact.objects.visible_to(user)
            .filter(person=person)
            .select_related("operation", "agency", "location")
            .prefetch_related("indicators")
            .order_by("occurred_at", "id")
        )
        offers = list(
            ServiceOffer.objects.visible_to(user)
            .filter(person=person)
            .select_related("service_type", "offered_by", "provider", "contact__operation")
            .order_by("offered_at", "id")
        )
        context["offers"] = offers
        context["offer_history"] = self._offer_history(offers)
        context["referrals"] = list(
            Referral.objects.visible_to(user)
            .filter(person=person)
            .select_related("from_agency", "to_agency")
            .prefetch_related("service_types")
            .order_by("-created_at")
        )
        context["handoffs"] = list(
            CustodyHandoff.objects.visible_to(user)
            .filter(person=person)
            .select_related("custody_agency", "receiving_agency", "operation")
            .order_by("-taken_at")
        )
        context["sees_detentions"] = access.sees_detentions(user)
        if context["sees_detentions"]:
            context["detentions"] = list(
                Detention.objects.visible_to(user)
                .filter(person=person)
                .select_related("agency", "contact__operation")
                .prefetch_related("charges")
                .order_by("-detained_at")
            )
        context["can_record_contact"] = access.can(user, "contact.add", None)
        log_person_view(self.request, person)
        return context

    @staticmethod
    def _offer_history(offers) -> list[dict]:
        """Per service, every answer in time order: "declined, declined, declined, accepted"."""
        by_service: OrderedDict[int, dict] = OrderedDict()
        for o in offers:
            row = by_service.setdefault(o.service_type_id, {"service": o.service_type, "answers": []})
            row["answers"].append(o)
        for row in by_service.values():
            live = [o for o in row["answers"] if not o.is_voided]
            row["times_offered"] = len(live)
            row["accepted"] = any(o.response == "accepted" for o in live)
        return list(by_service.values())



