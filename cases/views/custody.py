"""Protective custody: the officer records custody and the hand-off, the caseworker
acknowledges receipt, both add links to the chain of custody."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cases import access, actions
from cases.forms.custody import AcknowledgeCustodyForm, CustodyEventForm, CustodyHandoffForm, HandOverForm
from cases.models import CustodyEvent, CustodyHandoff
from cases.templatetags.workflows import url_for

from .base import ScopedCreateView, ScopedDetailView, ScopedListView
from .workflow_base import ObjectStepView, SourceMixin, my_agency

NOT_A_MINOR = (
    "Protective custody hand-offs are only for children, and this person is not recorded as a minor. "
    "If the person is a child, first record their date of birth or estimated age on the person's page."
)


class HandoffCreateView(SourceMixin, ScopedCreateView):
    model = CustodyHandoff
    form_class = CustodyHandoffForm
    action = "custody.add"
    template_name = "cases/custody/form.html"
    nav_section = "handoff"
    success_message = "Protective custody of {object.person.reference} was recorded ({object.reference})."

    def get_parent(self):
        source = self.get_source()
        if not self.person.is_minor:
            raise PermissionDenied(NOT_A_MINOR)
        return source

    def get_initial(self):
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {"taken_at": now}
        if self.contact is not None:
            initial["place"] = self.contact.place or (str(self.contact.location) if self.contact.location_id else "")
        return initial

    def prepare(self, obj) -> None:
        obj.person = self.person
        obj.contact = self.contact
        obj.operation = self.contact.operation if self.contact else None
        obj.custody_agency = my_agency(self.request.user)
        obj.custody_officer = self.request.user

    def get_success_url(self):
        return url_for(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.source_context())
        return context


class HandoffListView(ScopedListView):
    """Hand-offs in the user's scope; those awaiting receipt first."""

    model = CustodyHandoff
    template_name = "cases/custody/list.html"
    nav_section = "handoff"
    select_related = ("person", "operation", "custody_agency", "receiving_agency", "receiving_worker")

    STATUSES = {
        "custody": ("In protective custody", {"handed_over_at__isnull": True}),
        "awaiting": (
            "Handed over, awaiting receipt",
            {"handed_over_at__isnull": False, "acknowledged_at__isnull": True},
        ),
        "received": ("Received by child welfare", {"acknowledged_at__isnull": False}),
    }

    def get_queryset(self):
        qs = super().get_queryset()
        status = self.request.GET.get("status")
        if status in self.STATUSES:
            qs = qs.filter(**self.STATUSES[status][1])
        # The stored rank (kept by CustodyHandoff.save) is indexed with the date: a page is read
        # off the index instead of sorting every hand-off (docs/PERFORMANCE.md).
        return qs.order_by("waiting_rank", "-taken_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = [(key, label) for key, (label, _) in self.STATUSES.items()]
        context["status"] = self.request.GET.get("status", "")
        context["is_filtered"] = context["status"] in self.STATUSES
        return context


class HandoffDetailView(ScopedDetailView):
    model = CustodyHandoff
    template_name = "cases/custody/detail.html"
    nav_section = "handoff"
    select_related = (
        "person",
        "contact",
        "operation",
        "custody_agency",
        "custody_officer",
        "receiving_agency",
        "receiving_worker",
        "acknowledged_by",
        "voided_by",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, handoff = self.request.user, self.object
        context["events"] = (
            CustodyEvent.objects.visible_to(user).filter(handoff=handoff).select_related("user", "agency")
        )
        context["may_hand_over"] = access.can(user, "custody.hand_over", handoff)
        context["may_acknowledge"] = access.can(user, "custody.acknowledge", handoff)
        context["may_add_event"] = access.can(user, "custody.add_event", handoff)
        return context


class HandOverView(ObjectStepView):
    model = CustodyHandoff
    action = "custody.hand_over"
    form_class = HandOverForm
    nav_section = "handoff"
    select_related = ("person", "receiving_agency")
    step_title = "Record the hand-over of {object.person.reference}"
    step_intro = "When the child was handed to {object.receiving_agency.name}."
    submit_label = "Record the hand-over"
    success_message = "The hand-over to child welfare was recorded."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["handoff"] = self.object
        return kwargs

    def get_initial(self):
        return {"at": timezone.localtime().replace(second=0, microsecond=0), "worker": self.object.receiving_worker_id}

    def perform(self, handoff, form) -> None:
        data = form.cleaned_data
        actions.hand_over_child(self.request.user, handoff, at=data["at"], worker=data.get("worker"))


class AcknowledgeCustodyView(ObjectStepView):
    model = CustodyHandoff
    action = "custody.acknowledge"
    form_class = AcknowledgeCustodyForm
    nav_section = "handoff"
    select_related = ("person", "custody_agency")
    step_title = "Acknowledge receipt of {object.person.reference}?"
    step_intro = (
        "Confirm that your agency has the child in its care, received from {object.custody_agency.name}. "
        "This closes the hand-off and cannot be taken back; it is kept in the chain of custody."
    )
    submit_label = "Yes, acknowledge receipt"
    success_message = "Receipt of {object.person.reference} was acknowledged."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirmation"] = True
        return context

    def perform(self, handoff, form) -> None:
        actions.acknowledge_custody(self.request.user, handoff, note=form.cleaned_data.get("note", ""))


class CustodyEventCreateView(ObjectStepView):
    model = CustodyHandoff
    action = "custody.add_event"
    form_class = CustodyEventForm
    nav_section = "handoff"
    select_related = ("person",)
    step_title = "Add to the chain of custody of {object.person.reference}"
    step_intro = "Events are permanent once recorded: check the time before saving."
    submit_label = "Add the event"
    success_message = "The event was added to the chain of custody."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["handoff"] = self.object
        return kwargs

    def get_initial(self):
        return {"at": timezone.localtime().replace(second=0, microsecond=0)}

    def perform(self, handoff, form) -> None:
        data = form.cleaned_data
        actions.add_custody_event(self.request.user, handoff, data["kind"], at=data["at"], note=data.get("note", ""))
