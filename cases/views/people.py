"""People: search and list, and the person page with their whole history."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.db.models.functions import JSONObject
from django.http import HttpResponseRedirect
from django.urls import reverse

from cases import access
from cases.disclosure import disclosure_for
from cases.filters import PersonFilterSet
from cases.models import (
    Charge,
    Contact,
    CustodyHandoff,
    Detention,
    InvestigationPerson,
    Person,
    PersonMerge,
    Prosecution,
    Referral,
    ReliefRequest,
    ServiceOffer,
)

from .base import ScopedListView, SectionedDetailView
from .db import ListOf


class PersonListView(ScopedListView):
    model = Person
    filterset_class = PersonFilterSet
    template_name = "cases/people/list.html"
    sort_fields = {"reference": "reference", "name": "legal_name", "age": "age_group", "recorded": "created_at"}
    default_sort = "-recorded"
    # By name, ties (the many people whose name is not known, sorted first) are read off the
    # (legal_name, id) index in its order: broken newest first, PostgreSQL read and sorted
    # every unnamed person (one in twenty people) before the first page (figures in
    # docs/PERFORMANCE.md).
    ties_follow_sort = True
    nav_section = "person"

    def get_sort(self) -> str | None:
        # A search is shown best match first, unless a column was chosen.
        if self.request.GET.get("q", "").strip() and not self.request.GET.get("sort"):
            return None
        return super().get_sort()

    def get_queryset(self):
        # A record merged into another is found through the one that remains.
        return super().get_queryset().filter(merged_into__isnull=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What the user may read of people: the policy's answer, asked by the template field by field.
        context["person_fields"] = access.visible_person_fields(self.request.user)
        context["may_review_duplicates"] = access.can(self.request.user, "person.review_duplicates")
        return context


def _catalogue_names(items) -> list[str]:
    """Names of catalogue entries folded as JSON ({"order", "name"}), in catalogue order."""
    return [i["name"] for i in sorted(items or [], key=lambda i: (i["order"], i["name"]))]


def _names_of(through, owner: str, entry: str):
    """A JSON list of the catalogue entries one record holds, from a many-to-many table."""
    return ListOf(
        through.objects.filter(**{owner: OuterRef("pk")}),
        JSONObject(order=f"{entry}__order", name=f"{entry}__name"),
    )


# Sections of the person page that load after it (htmx), each also a page of its own.
SECTIONS = {
    "services": "Services offered, and the answers",
    "referrals": "Referrals",
    "custody": "Protective custody",
    "detentions": "Detentions",
    "investigations": "Investigations and prosecutions",
    "relief": "Immigration relief",
}


class PersonDetailView(SectionedDetailView):
    """Who the person is and their contacts; services, referrals, custody and detentions
    load after the page (?section=...), so the page costs the same whatever the history."""

    model = Person
    template_name = "cases/people/detail.html"
    nav_section = "person"
    sections = SECTIONS
    section_templates = ("cases/people/_section.html", "cases/people/section.html")

    def section_allowed(self, name: str) -> bool:
        # Investigations and prosecutions exist only for the roles that see them.
        if name == "investigations" and not access.sees_investigations(self.request.user):
            return False
        return super().section_allowed(name)

    def get(self, request, *args, **kwargs):
        # A record merged into another: the person is the other record now.
        self.object = person = self.get_object()
        if person.merged_into_id and self.section is None:
            survivor = Person.objects.visible_to(request.user).filter(pk=person.merged_into_id).first()
            if survivor is not None:
                messages.info(request, f"{person.reference} was merged into {survivor.reference}.")
                return HttpResponseRedirect(reverse("web:person_detail", args=[survivor.pk]))
        return self.render_to_response(self.get_context_data(object=person))

    def get_queryset(self):
        qs = super().get_queryset()
        if self.section is None:
            qs = qs.annotate(
                vulnerability_items=_names_of(Person.vulnerabilities.through, "person", "vulnerabilityfactor"),
                # Most people were never merged into: their page asks for no merge records.
                has_merges=Exists(PersonMerge.objects.filter(survivor=OuterRef("pk"), undone_at__isnull=True)),
            )
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.object
        context["person_fields"] = shown = access.visible_person_fields(user, person)
        context["minimum_view"] = access.person_disclosure(user, person) == "minimum"
        context["sees_detentions"] = access.sees_detentions(user)
        if self.section is not None:
            context.update(section=self.section, section_heading=SECTIONS[self.section])
            context.update(getattr(self, f"_{self.section}")(user, person))
            return context
        context["vulnerability_names"] = _catalogue_names(person.vulnerability_items)
        if "contacts" in shown:
            contacts = list(
                Contact.objects.visible_to(user)
                .filter(person=person)
                .select_related("operation", "agency", "location")
                .annotate(indicator_items=_names_of(Contact.indicators.through, "contact", "indicator"))
                .order_by("occurred_at", "id")
            )
            for c in contacts:
                c.indicator_names = _catalogue_names(c.indicator_items)
            # A contact of the person may be in an operation the user does not see.
            disclosure_for(self.request).prime(contacts, "operation", "location")
            context["contacts"] = contacts
        context["sections"] = [(name, heading) for name, heading in SECTIONS.items() if self.section_allowed(name)]
        context["can_record_contact"] = access.can(user, "contact.add", None)
        # Only the merged records the user may see are named (a reference is printed as the record is).
        context["merges"] = (
            list(
                PersonMerge.objects.visible_to(user)
                .filter(survivor=person, undone_at__isnull=True, merged__in=Person.objects.visible_to(user))
                .select_related("merged")
            )
            if getattr(person, "has_merges", True)
            else []
        )
        # Their references are printed: the access log names those records too.
        context["merged_people"] = [m.merged for m in context["merges"]]
        context["may_unmerge"] = access.can(user, "person.unmerge")
        return context

    @staticmethod
    def _services(user, person) -> dict:
        offers = list(
            ServiceOffer.objects.visible_to(user)
            .filter(person=person)
            .select_related("service_type", "offered_by", "provider", "contact__operation")
            .order_by("offered_at", "id")
        )
        return {"offers": offers, "offer_history": PersonDetailView._offer_history(offers)}

    @staticmethod
    def _referrals(user, person) -> dict:
        referrals = list(
            Referral.objects.visible_to(user)
            .filter(person=person)
            .select_related("from_agency", "to_agency")
            .annotate(service_type_items=_names_of(Referral.service_types.through, "referral", "servicetype"))
            .order_by("-created_at")
        )
        for r in referrals:
            r.service_type_names = _catalogue_names(r.service_type_items)
        return {"referrals": referrals}

    @staticmethod
    def _custody(user, person) -> dict:
        return {
            "handoffs": list(
                CustodyHandoff.objects.visible_to(user)
                .filter(person=person)
                .select_related("custody_agency", "receiving_agency", "operation")
                .order_by("-taken_at")
            )
        }

    @staticmethod
    def _relief(user, person) -> dict:
        return {
            "relief_requests": list(
                ReliefRequest.objects.visible_to(user)
                .filter(person=person)
                .select_related("requested_by_agency", "requested_of_agency")
                .order_by("-requested_on", "-pk")
            ),
            "may_ask_relief": access.can(user, "relief.add", person),
        }

    @staticmethod
    def _investigations(user, person) -> dict:
        """The person's roles in the investigations the user sees, and the prosecutions of them."""
        return {
            "investigation_roles": list(
                InvestigationPerson.objects.visible_to(user)
                .filter(person=person)
                .select_related("investigation__lead_agency")
                .order_by("-investigation__opened_on", "role")
            ),
            "prosecutions": list(
                Prosecution.objects.visible_to(user)
                .filter(defendant=person)
                .select_related("prosecuting_agency", "investigation")
                .order_by("-filed_on", "-pk")
            ),
        }

    @staticmethod
    def _detentions(user, person) -> dict:
        detentions = list(
            Detention.objects.visible_to(user)
            .filter(person=person)
            .select_related("agency", "contact__operation")
            .annotate(
                charge_items=ListOf(
                    Charge.objects.filter(detention=OuterRef("pk")),
                    JSONObject(id="id", statute="statute", description="description", is_trafficking="is_trafficking"),
                )
            )
            .order_by("-detained_at")
        )
        for d in detentions:
            d.charge_list = sorted(d.charge_items or [], key=lambda ch: ch["id"])
        return {"detentions": detentions}

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
