"""Referrals: create with the consent step, the sender's list, the receiver's inbox,
the detail with its timeline and service offers, and every workflow step."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases import access, actions
from cases.filters import ReferralFilterSet
from cases.forms.referrals import (
    CloseReferralForm,
    OfferDeliveryForm,
    ReasonForm,
    ReferralForm,
    ReferralOfferForm,
    StepNoteForm,
)
from cases.models import Referral, ReferralEvent, ReferralStatus, ServiceOffer
from cases.models.referrals import REFERRAL_TRANSITIONS
from cases.templatetags.workflows import url_for

from .base import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from .workflow_base import ObjectStepView, SourceMixin, my_agency

LIST_RELATED = ("person", "from_agency", "to_agency")


def overdue_first(qs):
    """Overdue referrals first, then those waiting longest, then the rest newest first."""
    now = timezone.now()
    return qs.annotate(
        overdue_rank=Case(
            When(status=ReferralStatus.SENT, acknowledge_due_at__lt=now, voided_at__isnull=True, then=Value(0)),
            When(status=ReferralStatus.SENT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("overdue_rank", "acknowledge_due_at", "-sent_at", "-pk")


class ReferralFormMixin:
    """Save a draft, or save and send in one go (all or nothing)."""

    def sending(self) -> bool:
        return "send" in self.request.POST

    def save_referral(self, form, save):
        with transaction.atomic():
            referral = save(form)
            override = form.cleaned_data.get("override_reason", "") if form.may_override else ""
            if self.sending():
                actions.transition_referral(self.request.user, referral, "send", override_reason=override)
            elif override.strip():
                # An override is given only when sending, by someone allowed to: a stored one
                # would let whoever sends the draft later skip consent.
                messages.warning(self.request, "The override reason was not kept: give it when you send the referral.")
        return referral

    def get_success_url(self):
        return url_for(self.object)

    def get_success_message_text(self):
        ref = self.object
        if self.sending():
            return f"Referral {ref.reference} was sent to {ref.to_agency.name}."
        return f"Referral {ref.reference} was saved as a draft. It is not sent until you send it."

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            messages.success(self.request, self.get_success_message_text())
        return response


class ReferralCreateView(SourceMixin, ReferralFormMixin, ScopedCreateView):
    model = Referral
    form_class = ReferralForm
    action = "referral.add"
    template_name = "cases/referrals/form.html"
    nav_section = "referral"

    def get_parent(self):
        return self.get_source()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["from_agency"] = my_agency(self.request.user)
        return kwargs

    def prepare(self, obj) -> None:
        obj.person = self.person
        obj.contact = self.contact
        obj.from_agency = my_agency(self.request.user)

    def save(self, form):
        return self.save_referral(form, super().save)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.source_context())
        return context


class ReferralUpdateView(ReferralFormMixin, ScopedUpdateView):
    """Edit a draft before it is sent."""

    model = Referral
    form_class = ReferralForm
    action = "referral.change"
    template_name = "cases/referrals/form.html"
    nav_section = "referral"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["from_agency"] = self.object.from_agency
        return kwargs

    def save(self, form):
        return self.save_referral(form, super().save)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(source_person=self.object.person, source_contact=self.object.contact, editing=True)
        return context


class StyledFilterMixin:
    def get_filterset(self, queryset):
        filterset = super().get_filterset(queryset)
        filterset.form.fields["service_type"].widget.attrs["class"] = "usa-select"
        return filterset


class ReferralListView(StyledFilterMixin, ScopedListView):
    """Referrals sent by the user's agency (the coordinator: all of them)."""

    model = Referral
    filterset_class = ReferralFilterSet
    template_name = "cases/referrals/list.html"
    nav_section = "referral"
    select_related = LIST_RELATED
    prefetch_related = ("service_types",)
    sort_fields = {"sent": "sent_at", "status": "status", "created": "created_at", "due": "acknowledge_due_at"}
    default_sort = "-created"

    def get_queryset(self):
        qs = super().get_queryset()
        if not access.task_force_wide(self.request.user):
            qs = qs.filter(from_agency_id=access.viewer_for(self.request.user).agency_id)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same answer as the list's: the page names the agency only when it lists one.
        context["every_agency"] = access.task_force_wide(self.request.user)
        return context


class ReferralInboxView(StyledFilterMixin, ScopedListView):
    """Referrals sent to the user's agency, overdue ones first."""

    model = Referral
    filterset_class = ReferralFilterSet
    template_name = "cases/referrals/inbox.html"
    nav_section = "referral"
    select_related = LIST_RELATED
    prefetch_related = ("service_types",)

    def get_queryset(self):
        viewer = access.viewer_for(self.request.user)
        qs = super().get_queryset().filter(to_agency_id=viewer.agency_id).exclude(status=ReferralStatus.DRAFT)
        return overdue_first(qs)


class ReferralDetailView(ScopedDetailView):
    model = Referral
    template_name = "cases/referrals/detail.html"
    nav_section = "referral"
    select_related = (
        "person",
        "contact",
        "contact__operation",
        "from_agency",
        "to_agency",
        "consent_override_by",
        "voided_by",
        "created_by",
    )
    prefetch_related = ("service_types",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, referral = self.request.user, self.object
        context["events"] = (
            ReferralEvent.objects.visible_to(user).filter(referral=referral).select_related("user", "agency")
        )
        context["offers"] = (
            ServiceOffer.objects.visible_to(user)
            .filter(referral=referral)
            .select_related("service_type", "offered_by", "provider", "voided_by")
            .order_by("offered_at", "pk")
        )
        context["steps"] = [
            {"action": name, "label": STEP_LABELS[name], "direct": name in DIRECT_STEPS}
            for name in referral.allowed_actions()
            if access.can(user, f"referral.{name}", referral)
        ]
        context["may_edit"] = access.can(user, "referral.change", referral)
        context["may_add_offer"] = access.can(user, "serviceoffer.add", referral)
        context["may_change_offer"] = {o.pk for o in context["offers"] if access.can(user, "serviceoffer.change", o)}
        context["person_disclosure"] = access.person_disclosure(user, referral.person)
        return context


STEP_LABELS = {
    "send": "Send the referral",
    "acknowledge": "Acknowledge",
    "accept": "Accept",
    "decline": "Decline",
    "start_service": "Start service",
    "close": "Close",
    "revoke": "Revoke",
}
# Steps taken with one button; the others ask for a reason, an outcome or a confirmation.
# Acknowledging, accepting and starting service tell the sender and cannot be taken back, so
# they ask first (their step page), like declining and closing.
DIRECT_STEPS = {"send"}
CONFIRMED_STEPS = {"acknowledge", "accept", "start_service", "revoke"}


class ReferralStepView(ObjectStepView):
    """Any workflow step of a referral: /referrals/<pk>/<step>/."""

    model = Referral
    nav_section = "referral"
    select_related = ("person", "from_agency", "to_agency")

    STEPS = {
        "send": (StepNoteForm, "Send referral {object.reference}", "It goes to the receiving agency's inbox.", "Send"),
        "acknowledge": (
            StepNoteForm,
            "Acknowledge referral {object.reference}?",
            "The sender is told that your agency has received it, and it is no longer overdue. "
            "This cannot be taken back; it is kept in the referral's timeline.",
            "Yes, acknowledge",
        ),
        "accept": (
            StepNoteForm,
            "Accept referral {object.reference}?",
            "Your agency will serve this person; the sender is told. This cannot be taken back "
            "(close the referral later if the service ends); it is kept in the referral's timeline.",
            "Yes, accept",
        ),
        "decline": (
            ReasonForm,
            "Decline referral {object.reference}",
            "The sender sees your reason and can refer the person elsewhere.",
            "Decline the referral",
        ),
        "start_service": (
            StepNoteForm,
            "Start service for referral {object.reference}?",
            "The person is recorded as receiving services from your agency from now on. This cannot be "
            "taken back; it is kept in the referral's timeline.",
            "Yes, start service",
        ),
        "close": (
            CloseReferralForm,
            "Close referral {object.reference}",
            "Record how the referral ended.",
            "Close the referral",
        ),
        "revoke": (
            ReasonForm,
            "Revoke referral {object.reference}?",
            "The receiving agency will no longer be asked to act on it. This cannot be undone.",
            "Yes, revoke the referral",
        ),
    }

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in self.STEPS:
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            raise Http404("No such step.")
        self.step = kwargs["step"]
        form_class, self.step_title, self.step_intro, self.submit_label = self.STEPS[self.step]
        self.form_class = form_class
        self.danger = self.step in ("decline", "revoke")
        return super().dispatch(request, *args, **kwargs)

    def get_action(self) -> str:
        return f"referral.{self.step}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.step == "decline":
            kwargs.update(label="Reason for declining", help_text="For example: no bed available, outside our area.")
        elif self.step == "revoke":
            kwargs.update(label="Reason for revoking")
        return kwargs

    def perform(self, referral, form) -> None:
        data = form.cleaned_data
        actions.transition_referral(
            self.request.user,
            referral,
            self.step,
            note=data.get("note", ""),
            reason=data.get("reason", ""),
            closure=data.get("closure", ""),
        )

    def get_success_message(self) -> str:
        verb = REFERRAL_TRANSITIONS[self.step][2]
        return f"Referral {self.object.reference} was {verb}."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirmation"] = self.step in CONFIRMED_STEPS
        return context


class ReferralOfferCreateView(ScopedCreateView):
    """The receiving agency records a service offered under the referral."""

    model = ServiceOffer
    form_class = ReferralOfferForm
    action = "serviceoffer.add"
    template_name = "cases/referrals/offer_form.html"
    nav_section = "referral"

    def get_parent(self):
        return get_object_or_404(
            Referral.objects.visible_to(self.request.user).select_related("person"), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {"offered_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_form_kwargs(self):
        # The offer knows its referral before validation (ServiceOffer.clean checks it).
        kwargs = super().get_form_kwargs()
        agency = my_agency(self.request.user)
        kwargs["instance"] = ServiceOffer(
            referral=self.parent, person=self.parent.person, offered_by=agency, provider=agency
        )
        return kwargs

    def get_success_url(self):
        return url_for(self.parent)

    success_message = "The service offer was recorded."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referral"] = self.parent
        return context


class OfferUpdateView(ScopedUpdateView):
    """Record the person's answer and when the service was delivered."""

    model = ServiceOffer
    form_class = OfferDeliveryForm
    action = "serviceoffer.change"
    template_name = "cases/referrals/offer_form.html"
    nav_section = "referral"
    select_related = ("service_type", "referral", "contact", "person")
    success_message = "The service offer was updated."

    def get_success_url(self):
        return url_for(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["referral"] = self.object.referral
        context["offer"] = self.object
        return context
