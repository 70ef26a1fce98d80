"""Record a contact fast, on a phone at night: find or create the person, what happened,
which services were offered and the answers; then the next steps from the same screen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from agencies.roles import membership_of
from cases import access, actions, contact_checks
from cases.filters import PersonFilterSet
from cases.forms.contacts import ContactForm, NewPersonForm, PersonSearchForm, ServiceOffersForm
from cases.models import Contact, Operation, Person, ServiceOffer

from .base import MemberRequiredMixin, ScopedDetailView, ScopedMixin, apply_validation_error, require
from .duplicates import candidates_or_none

SEARCH_LIMIT = 10


def search_people(request, q: str, age) -> list[Person]:
    """People the user may see matching a reference, name or alias (where allowed), or age."""
    if not q and age in (None, ""):
        return []
    params = {"q": q or "", "age": "" if age is None else str(age)}
    qs = Person.objects.visible_to(request.user).active()
    fs = PersonFilterSet(params, queryset=qs, request=request)
    if not fs.is_valid():
        return []
    # A name search comes best match first (the forgiving search ranks it); an age alone, newest first.
    found = fs.qs if q.strip() else fs.qs.order_by("-created_at")
    return list(found[:SEARCH_LIMIT])


def _optional_pk(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ContactCreateView(ScopedMixin, TemplateView):
    """One page: who, what happened, services offered. Nothing typed is lost on an error."""

    template_name = "cases/contacts/form.html"
    nav_section = "person"
    search_params = ("q", "age")

    def check_access(self) -> None:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        user = self.request.user
        self.operation = None
        op_pk = _optional_pk(source.get("operation"))
        if op_pk:
            self.operation = get_object_or_404(Operation.objects.visible_to(user), pk=op_pk)
        self.person = None
        person_pk = _optional_pk(source.get("person"))
        if person_pk:
            self.person = get_object_or_404(Person.objects.visible_to(user).active(), pk=person_pk)
        require(user, "contact.add", self.operation)

    def _forms(self, data=None):
        user = self.request.user
        initial = {"operation": self.operation, "occurred_at": contact_checks.default_time(self.operation)}
        return {
            "form": ContactForm(data, user=user, operation=self.operation, initial=initial),
            "person_form": NewPersonForm(data, user=user),
            "offers_form": ServiceOffersForm(data, user=user, prefix="offer"),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name, form in self._forms().items():
            context.setdefault(name, kwargs.get(name, form))
        q = self.request.GET.get("q", "").strip()
        age = self.request.GET.get("age", "").strip()
        search = PersonSearchForm({"q": q, "age": age}, user=self.request.user)
        context.update(
            operation=self.operation,
            person=self.person,
            search_form=search,
            searched=bool(q or age),
            results=search_people(self.request, q, age if age.isdigit() else None) if (q or age) else [],
            person_minimum=self.person is not None and access.person_fields(self.request.user, self.person) is not None,
        )
        return context

    def is_valid(self, forms) -> bool:
        valid = forms["form"].is_valid() & forms["offers_form"].is_valid()
        if self.person is None:
            valid &= forms["person_form"].is_valid()
        return valid

    def unconfirmed_warnings(self, forms) -> list[contact_checks.ContactWarning]:
        """The warnings about this contact the officer has not yet confirmed ("Save anyway")."""
        contact = forms["form"].instance
        person = self.person or forms["person_form"].instance
        found = contact_checks.warnings_for(contact.operation, contact.occurred_at, contact.role, person)
        confirmed = set(self.request.POST.getlist("confirm"))
        return found if any(w.code not in confirmed for w in found) else []

    def post(self, request, *args, **kwargs):
        forms = self._forms(request.POST)
        if not self.is_valid(forms):
            return self.render_to_response(self.get_context_data(**forms))
        confirmed_new = "new_person" in request.POST.getlist("confirm")
        if self.person is None:
            # "Is this one of these?": people on record who may be this new person, before saving.
            candidates = candidates_or_none(request.user, forms["person_form"].instance, confirmed_new)
            if candidates:
                return self.render_to_response(self.get_context_data(candidates=candidates, **forms))
        warnings = self.unconfirmed_warnings(forms)
        if warnings:
            return self.render_to_response(
                self.get_context_data(warnings=warnings, confirmed_new=confirmed_new, **forms)
            )
        try:
            contact = self._save(forms)
        except ValidationError as error:
            apply_validation_error(forms["form"], error)
            return self.render_to_response(self.get_context_data(**forms))
        offered = len(forms["offers_form"].offered())
        messages.success(
            request,
            f"Contact with {contact.person.reference} recorded"
            + (f", with {offered} service offer{'s' if offered != 1 else ''}." if offered else "."),
        )
        return HttpResponseRedirect(reverse("web:contact_detail", args=[contact.pk]))

    @transaction.atomic
    def _save(self, forms) -> Contact:
        user = self.request.user
        agency = membership_of(user).agency
        person = self.person
        if person is None:
            person = forms["person_form"].save(commit=False)
            person.created_by_agency = agency
            try:
                person = actions.create_record(
                    user,
                    person,
                    "person.add",
                    m2m={"vulnerabilities": forms["person_form"].cleaned_data.get("vulnerabilities", [])},
                )
            except ValidationError as error:
                apply_validation_error(forms["person_form"], error)
                raise ValidationError("Check the new person's details.") from error
        return actions.record_contact(
            user,
            agency,
            forms["form"].save(commit=False),
            person=person,
            indicators=forms["form"].cleaned_data.get("indicators", []),
            offers=forms["offers_form"].offered(),
        )


class PersonSearchView(MemberRequiredMixin, TemplateView):
    """htmx partial: people matching the search, each with a "choose" link for the contact form."""

    template_name = "cases/contacts/_person_results.html"
    search_params = ("q", "age")

    def check_access(self) -> None:
        # Searching for a person to record a contact with: the roles that record people.
        require(self.request.user, "person.add")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        age = self.request.GET.get("age", "").strip()
        context.update(
            searched=bool(q or age),
            results=search_people(self.request, q, age if age.isdigit() else None),
            operation_id=_optional_pk(self.request.GET.get("operation")),
            quick=self.request.GET.get("quick") == "1",
        )
        return context


class ContactDetailView(ScopedDetailView):
    """The contact just recorded, and what to do next from here."""

    model = Contact
    template_name = "cases/contacts/detail.html"
    select_related = ("person", "operation", "agency", "location")
    prefetch_related = ("indicators",)
    nav_section = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, contact = self.request.user, self.object
        context["offers"] = (
            ServiceOffer.objects.visible_to(user).filter(contact=contact).select_related("service_type", "offered_by")
        )
        context["can_offer"] = access.can(user, "serviceoffer.add", contact)
        context["can_edit"] = access.can(user, "contact.change", contact)
        context["can_edit_person"] = access.can(user, "person.change", contact.person)
        steps = contact_checks.next_steps(user, contact)
        context["next_steps"] = [s for s in steps if s.fits]
        context["other_steps"] = [s for s in steps if not s.fits]
        context["flags"] = contact_checks.flags_for(contact)
        context["child_age_unknown"] = contact_checks.child_age_unknown(contact)
        context["can_change_offers"] = {o.pk for o in context["offers"] if access.can(user, "serviceoffer.change", o)}
        return context


class ContactOffersView(ScopedMixin, TemplateView):
    """Offer (more) services during a contact: each one accepted, declined or undecided."""

    template_name = "cases/contacts/offers.html"
    nav_section = "person"

    def check_access(self) -> None:
        qs = Contact.objects.visible_to(self.request.user).select_related("person", "operation")
        self.contact = get_object_or_404(qs, pk=self.kwargs["pk"])
        require(self.request.user, "serviceoffer.add", self.contact)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = self.contact
        context.setdefault("offers_form", ServiceOffersForm(user=self.request.user, prefix="offer"))
        return context

    def post(self, request, *args, **kwargs):
        form = ServiceOffersForm(request.POST, user=request.user, prefix="offer")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(offers_form=form))
        offered = form.offered()
        if not offered:
            form.add_error(None, "Choose an answer for at least one service that was offered.")
            return self.render_to_response(self.get_context_data(offers_form=form))
        agency = membership_of(request.user).agency
        with transaction.atomic():
            for service, response in offered:
                offer = ServiceOffer(
                    contact=self.contact,
                    person=self.contact.person,
                    service_type=service,
                    offered_by=agency,
                    response=response,
                )
                actions.create_record(request.user, offer, "serviceoffer.add", self.contact)
        messages.success(request, f"{len(offered)} service offer{'s' if len(offered) != 1 else ''} recorded.")
        return HttpResponseRedirect(reverse("web:contact_detail", args=[self.contact.pk]))
