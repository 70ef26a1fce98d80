"""Operations: list, detail, plan and edit, who takes part, where, and the status lifecycle."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView

from agencies.roles import membership_of
from cases import access, actions, operation_actions
from cases.filters import OperationFilterSet
from cases.forms.operations import LocationForm, OperationForm, ParticipationForm, RemoveReasonForm
from cases.models import (
    Contact,
    ContactRole,
    CustodyHandoff,
    Detention,
    Location,
    OfferResponse,
    Operation,
    OperationStatus,
    Participation,
    Referral,
    ServiceOffer,
)
from cases.models.operations import OPERATION_TRANSITIONS

from .base import (
    ScopedConfirmView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    ScopedUpdateView,
    apply_validation_error,
    require,
)

# The buttons that move an operation along its lifecycle.
# Contacts are grouped by role on the page, the people to help first.
ROLE_ORDER = [
    ContactRole.POTENTIAL_VICTIM, ContactRole.CONFIRMED_VICTIM, ContactRole.ACCOMPANYING_CHILD,
    ContactRole.WITNESS, ContactRole.SUSPECTED_TRAFFICKER, ContactRole.BUYER,
]

MOVE_LABELS = {
    OperationStatus.ACTIVE: "Start the operation",
    OperationStatus.CONCLUDED: "Conclude the operation",
    OperationStatus.CLOSED: "Close the operation",
}


class OperationListView(ScopedListView):
    model = Operation
    filterset_class = OperationFilterSet
    template_name = "web/operations/list.html"
    select_related = ("lead_agency",)
    sort_fields = {"code": "code", "name": "name", "status": "status", "start": "starts_at", "lead": "lead_agency__short_name"}
    default_sort = "-start"
    nav_section = "operation"


class OperationDetailView(ScopedDetailView):
    model = Operation
    template_name = "web/operations/detail.html"
    select_related = ("lead_agency",)
    nav_section = "operation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, op = self.request.user, self.object
        fields = access.operation_fields(user)
        context["briefing_only"] = fields is not None
        participations = Participation.objects.visible_to(user).filter(operation=op).select_related("agency")
        context["participations"] = sorted(participations, key=lambda p: (p.role != "lead", p.agency.name))
        context["can_change"] = access.can(user, "operation.change", op)
        context["moves"] = [
            (status, MOVE_LABELS.get(status, "Reopen the operation") if not (op.status == "concluded" and status == "active") else "Reopen for late records")
            for status in OPERATION_TRANSITIONS[op.status]
        ] if context["can_change"] else []
        context["can_record_contact"] = access.can(user, "contact.add", op)
        if fields is not None:
            return context
        context["locations"] = Location.objects.visible_to(user).filter(operation=op).order_by("voided_at", "venue_name")
        contacts = list(
            Contact.objects.visible_to(user)
            .filter(operation=op)
            .select_related("person", "agency", "location")
            .order_by("-occurred_at")
        )
        contacts.sort(key=lambda c: ROLE_ORDER.index(c.role) if c.role in ROLE_ORDER else len(ROLE_ORDER))
        context["contacts"] = contacts
        offers = list(
            ServiceOffer.objects.visible_to(user)
            .filter(contact__operation=op)
            .select_related("service_type", "person", "offered_by")
            .order_by("service_type__order", "service_type__name", "-offered_at")
        )
        context["offers"] = offers
        context["referrals"] = list(
            Referral.objects.visible_to(user)
            .filter(contact__operation=op)
            .select_related("person", "from_agency", "to_agency")
            .order_by("-created_at")
        )
        context["handoffs"] = list(
            CustodyHandoff.objects.visible_to(user)
            .filter(Q(operation=op) | Q(contact__operation=op))
            .select_related("person", "custody_agency", "receiving_agency")
            .order_by("-taken_at")
        )
        context["sees_detentions"] = access.sees_detentions(user)
        if context["sees_detentions"]:
            context["detentions"] = list(
                Detention.objects.visible_to(user)
                .filter(contact__operation=op)
                .select_related("person", "agency")
                .prefetch_related("charges")
                .order_by("-detained_at")
            )
        context["outcomes"] = self._outcomes(contacts, offers, context)
        context["offer_summary"] = self._offer_summary(offers)
        return context

    @staticmethod
    def _outcomes(contacts, offers, context) -> list[tuple[str, int]]:
        live = [c for c in contacts if not c.is_voided]
        roles = Counter(c.role for c in live)
        rows = [
            ("People contacted", len({c.person_id for c in live})),
            ("Potential victims", roles[ContactRole.POTENTIAL_VICTIM]),
            ("Confirmed victims", roles[ContactRole.CONFIRMED_VICTIM]),
            ("Minors contacted", len({c.person_id for c in live if c.age_group in ("infant", "child", "teen")})),
            ("Services offered", sum(1 for o in offers if not o.is_voided)),
            ("Services accepted", sum(1 for o in offers if not o.is_voided and o.response == OfferResponse.ACCEPTED)),
            ("Referrals", sum(1 for r in context["referrals"] if not r.is_voided)),
            ("Children taken into protective custody", sum(1 for h in context["handoffs"] if not h.is_voided)),
        ]
        if context.get("sees_detentions"):
            detentions = [d for d in context["detentions"] if not d.is_voided]
            rows.append(("Detentions", len(detentions)))
            rows.append(("Arrests", sum(1 for d in detentions if d.outcome == "arrested")))
        return rows

    @staticmethod
    def _offer_summary(offers) -> list[dict]:
        summary: dict[int, dict] = {}
        for o in offers:
            if o.is_voided:
                continue
            row = summary.setdefault(o.service_type_id, {"name": o.service_type.name, "offered": 0, "accepted": 0, "declined": 0})
            row["offered"] += 1
            if o.response == OfferResponse.ACCEPTED:
                row["accepted"] += 1
            elif o.response == OfferResponse.DECLINED:
                row["declined"] += 1
        return list(summary.values())


class OperationCreateView(ScopedCreateView):
    model = Operation
    form_class = OperationForm
    action = "operation.add"
    template_name = "web/operations/form.html"
    success_message = "Operation {object.code} is planned. Add the agencies taking part and the locations."
    nav_section = "operation"

    def prepare(self, obj) -> None:
        if not access.can(self.request.user, "operation.choose_lead"):
            obj.lead_agency = membership_of(self.request.user).agency
        if not obj.code:
            # Assigned now rather than on save, so the model's validation sees it.
            obj.code = obj._next_code()

    def get_success_url(self):
        return reverse("web:operation_detail", args=[self.object.pk])


class OperationUpdateView(ScopedUpdateView):
    model = Operation
    form_class = OperationForm
    action = "operation.change"
    template_name = "web/operations/form.html"
    success_message = "Operation {object.code} is saved."
    nav_section = "operation"

    def get_success_url(self):
        return reverse("web:operation_detail", args=[self.object.pk])


class OperationChildMixin(ScopedMixin):
    """A page under one operation: the operation is looked up in scope (404), then checked."""

    nav_section = "operation"
    action = "operation.change"

    def check_access(self) -> None:
        self.operation = get_object_or_404(Operation.objects.visible_to(self.request.user), pk=self.kwargs["pk"])
        require(self.request.user, self.action, self.operation)

    def get_success_url(self):
        return reverse("web:operation_detail", args=[self.operation.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["operation"] = self.operation
        return context


class OperationMoveView(OperationChildMixin, FormView):
    """POST status=<next status>: move the operation along its lifecycle."""

    http_method_names = ["post"]
    model = Operation

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status", "")
        try:
            actions.move_operation(request.user, self.operation, status)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Operation {self.operation.code} is now {self.operation.get_status_display().lower()}.")
        return HttpResponseRedirect(self.get_success_url())


class ParticipationAddView(OperationChildMixin, FormView):
    model = Participation
    form_class = ParticipationForm
    template_name = "web/operations/participant_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, operation=self.operation)
        return kwargs

    def form_valid(self, form):
        try:
            p = operation_actions.add_participant(self.request.user, self.operation, form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{p.agency.name} takes part as {p.get_role_display().lower()}.")
        return HttpResponseRedirect(self.get_success_url() + "#participants")


class ParticipationRemoveView(ScopedConfirmView):
    """Confirm, then take an agency off the operation (not the lead)."""

    model = Participation
    action = "operation.change"
    form_class = None
    confirm_title = "Remove {object.agency.name} from the operation?"
    confirm_text = "Its staff will no longer see this operation unless their agency is involved otherwise."
    confirm_label = "Remove the agency"
    nav_section = "operation"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "operation")

    def check_access(self) -> None:
        self.object = self.get_object()
        require(self.request.user, self.action, self.object.operation)

    def get_form(self, form_class=None):
        from cases.forms.base import ScopedForm

        return ScopedForm(**self.get_form_kwargs())

    def perform(self, obj, form) -> None:
        operation_actions.remove_participant(self.request.user, obj)
        messages.success(self.request, f"{obj.agency.name} no longer takes part.")

    def get_cancel_url(self) -> str:
        return reverse("web:operation_detail", args=[self.object.operation_id]) + "#participants"


class LocationAddView(OperationChildMixin, FormView):
    model = Location
    form_class = LocationForm
    template_name = "web/operations/location_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            loc = operation_actions.add_location(self.request.user, self.operation, form.save(commit=False))
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{loc.venue_name} is added to the operation's locations.")
        return HttpResponseRedirect(self.get_success_url() + "#locations")


class LocationRemoveView(ScopedConfirmView):
    model = Location
    action = "operation.change"
    form_class = RemoveReasonForm
    confirm_title = "Remove {object.venue_name} from the operation?"
    confirm_text = "The location stays in the operation's history, struck through; contacts recorded there keep it."
    confirm_label = "Remove the location"
    nav_section = "operation"

    def get_queryset(self):
        return super().get_queryset().select_related("operation").filter(voided_at__isnull=True)

    def check_access(self) -> None:
        self.object = self.get_object()
        require(self.request.user, self.action, self.object.operation)

    def perform(self, obj, form) -> None:
        operation_actions.remove_location(self.request.user, obj, form.cleaned_data["reason"])
        messages.success(self.request, f"{obj.venue_name} is removed from the operation.")

    def get_cancel_url(self) -> str:
        return reverse("web:operation_detail", args=[self.object.operation_id]) + "#locations"

