"""Operations: list, detail, plan and edit, who takes part, where, and the status lifecycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView

from agencies.roles import membership_of
from cases import access, actions, operation_actions, reports
from cases.filters import OperationFilterSet
from cases.forms.operations import (
    AddAgenciesForm,
    CopyAgenciesForm,
    LocationForm,
    MoveOperationForm,
    OperationForm,
    RemoveReasonForm,
)
from cases.models import (
    Contact,
    ContactRole,
    CustodyHandoff,
    Detention,
    Investigation,
    Location,
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
    ScopedListView,
    ScopedMixin,
    ScopedUpdateView,
    SectionedDetailView,
    apply_validation_error,
    require,
)
from .db import Tally
from .paging import page_of, pagination_context, query_without

# The buttons that move an operation along its lifecycle.
# Contacts are grouped by role on the page, the people to help first.
ROLE_ORDER = [
    ContactRole.POTENTIAL_VICTIM,
    ContactRole.CONFIRMED_VICTIM,
    ContactRole.ACCOMPANYING_CHILD,
    ContactRole.WITNESS,
    ContactRole.SUSPECTED_TRAFFICKER,
    ContactRole.BUYER,
]

MOVE_LABELS = {
    OperationStatus.ACTIVE: "Start the operation",
    OperationStatus.CONCLUDED: "Conclude the operation",
    OperationStatus.CLOSED: "Close the operation",
}


class OperationListView(ScopedListView):
    model = Operation
    filterset_class = OperationFilterSet
    template_name = "cases/operations/list.html"
    # Fetched for the page's 25 rows only: joined, PostgreSQL joined every operation before sorting.
    prefetch_related = ("lead_agency",)
    sort_fields = {
        "code": "code",
        "name": "name",
        "status": "status",
        "start": "starts_at",
        "lead": "lead_agency__short_name",
    }
    default_sort = "-start"
    nav_section = "operation"


# The records listed under an operation. The page shows the latest few of each; the
# whole list is a section page of its own (?section=<name>), 25 to a page.
LATEST = 10
SECTION_PAGE_SIZE = 25


def _contacts(user, op):
    return Contact.objects.visible_to(user).filter(operation=op).select_related("person", "agency", "location")


def _referrals(user, op):
    return (
        # The operation each referral stores from its contact (OperationOfContact).
        Referral.objects.visible_to(user)
        .filter(operation=op)
        .select_related("person", "from_agency", "to_agency")
        .order_by("-created_at", "-pk")
    )


def _handoffs(user, op):
    return (
        # The operation a hand-off was taken in (save() copies it from the contact).
        CustodyHandoff.objects.visible_to(user)
        .filter(operation=op)
        .select_related("person", "custody_agency", "receiving_agency")
        .order_by("-taken_at", "-pk")
    )


def _detentions(user, op):
    return (
        Detention.objects.visible_to(user)
        .filter(operation=op)
        .select_related("person", "agency")
        .prefetch_related("charges")
        .order_by("-detained_at", "-pk")
    )


SECTIONS = {
    # name → (heading, records of the operation the user sees, newest first)
    "outcomes": ("Outcome so far", None),
    "contacts": ("Contacts", lambda user, op: _contacts(user, op).order_by("-occurred_at", "-pk")),
    "services": ("Services offered and accepted", None),
    "referrals": ("Referrals", _referrals),
    "custody": ("Protective custody", _handoffs),
    "detentions": ("Detentions", _detentions),
}


class OperationDetailView(SectionedDetailView):
    """The operation, its outcome so far, and the latest records of each kind.

    What the page costs must not grow with the operation: counts come from the
    database (scalar subqueries and window aggregates), lists are cut to the latest
    few, and each whole list is a paginated section page (?section=contacts).
    """

    model = Operation
    template_name = "cases/operations/detail.html"
    select_related = ("lead_agency",)
    nav_section = "operation"
    sections = SECTIONS
    section_templates = ("cases/operations/_section_preview.html", "cases/operations/section.html")

    def section_allowed(self, name: str) -> bool:
        # Service providers get the briefing only: no section of records.
        return access.operation_fields(self.request.user) is None and super().section_allowed(name)

    def get_queryset(self):
        qs = super().get_queryset()
        user = self.request.user
        if self.section is not None or access.operation_fields(user) is not None:
            return qs
        # How many records each list below holds rides on the operation's own query: one
        # statement whatever the operation's size. The outcome figures are the report's
        # (section "outcomes", cases/reports/figures.py).
        op, live = OuterRef("pk"), Q(voided_at__isnull=True)
        tallies = {
            "contact_tally": Tally(Contact.objects.visible_to(user).filter(operation=op), contacts=Count("pk")),
            "offer_tally": Tally(
                ServiceOffer.objects.visible_to(user).filter(live, contact__operation=op),
                offers=Count("pk"),
            ),
            "referral_tally": Tally(Referral.objects.visible_to(user).filter(operation=op), referrals=Count("pk")),
            "handoff_tally": Tally(CustodyHandoff.objects.visible_to(user).filter(operation=op), handoffs=Count("pk")),
        }
        if access.sees_detentions(user):
            tallies["detention_tally"] = Tally(
                Detention.objects.visible_to(user).filter(operation=op),
                detentions=Count("pk"),
            )
        return qs.annotate(**tallies)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, op = self.request.user, self.object
        context["sees_detentions"] = access.sees_detentions(user)
        if self.section is not None:
            return self._section_context(context)
        fields = access.operation_fields(user)
        context["briefing_only"] = fields is not None
        participations = Participation.objects.visible_to(user).filter(operation=op).select_related("agency")
        context["participations"] = sorted(participations, key=lambda p: (p.role != "lead", p.agency.name))
        context["can_change"] = access.can(user, "operation.change", op)
        context["can_remove_participant"] = access.can(user, "operation.remove_participant", op)
        context["moves"] = (
            [
                (
                    status,
                    MOVE_LABELS.get(status, "Reopen the operation")
                    if not (op.status == "concluded" and status == "active")
                    else "Reopen for late records",
                )
                for status in OPERATION_TRANSITIONS[op.status]
            ]
            if context["can_change"]
            else []
        )
        context["can_record_contact"] = access.can(user, "contact.add", op)
        if fields is not None:
            return context
        context["locations"] = (
            Location.objects.visible_to(user).filter(operation=op).order_by("voided_at", "venue_name")
        )
        if access.sees_investigations(user):
            # The investigations it became, as far as the viewer may see them.
            context["investigations"] = Investigation.objects.visible_to(user).filter(operations=op)
            context["can_open_investigation"] = access.can(user, "investigation.add")
        counts = {}
        for name in ("contact_tally", "offer_tally", "referral_tally", "handoff_tally", "detention_tally"):
            counts.update(getattr(op, name, None) or {})
        context["counts"] = counts
        return context

    def _section_context(self, context):
        user, op, preview = self.request.user, self.object, bool(self.request.GET.get("preview"))
        heading, records = SECTIONS[self.section]
        context.update(section=self.section, section_heading=heading, latest=LATEST)
        if self.section == "services":
            context["offer_summary"] = reports.operation_services(reports.report_scope(user), op)
            return context
        if self.section == "outcomes":
            context["outcomes"] = reports.operation_figures(reports.report_scope(user), op)
            return context
        role = self.request.GET.get("role")
        if self.section == "contacts" and preview and not role:
            context["contact_groups"] = self._contact_groups(user, op)
            return context
        qs = records(user, op)
        if self.section == "contacts" and role in ContactRole.values:
            qs = qs.filter(role=role)
            context["section_heading"] = f"{heading}: {ContactRole(role).label.lower()}"
        else:
            context["show_role"] = True  # contacts of every role in one list: each says its own
        if preview:
            context["records"] = list(qs[:LATEST])
            return context
        page = page_of(self.request, qs, SECTION_PAGE_SIZE)
        context.update(pagination_context(page, query_without(self.request.GET, "page")), records=page.object_list)
        return context

    @staticmethod
    def _contact_groups(user, op) -> list[dict]:
        """Per role, the people to help first: how many, and the latest few contacts."""
        visible = Contact.objects.visible_to(user).filter(operation=op)
        # Ranked on ids alone, then only the few shown are fetched with their joins.
        latest = (
            visible.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("role")],
                    order_by=[F("occurred_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=LATEST)
            .values("pk")
        )
        contacts = _contacts(user, op).filter(pk__in=latest).order_by("-occurred_at", "-pk")
        totals = dict(visible.order_by().values_list("role").annotate(n=Count("pk")))
        groups: dict[str, dict] = {}
        for c in contacts:
            group = groups.setdefault(
                c.role,
                {
                    "role": c.role,
                    "label": c.get_role_display(),
                    "total": totals[c.role],
                    "contacts": [],
                },
            )
            group["contacts"].append(c)
        rank = {role: i for i, role in enumerate(ROLE_ORDER)}
        return sorted(groups.values(), key=lambda g: rank.get(g["role"], len(ROLE_ORDER)))


class OperationCreateView(ScopedCreateView):
    model = Operation
    form_class = OperationForm
    action = "operation.add"
    template_name = "cases/operations/form.html"
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
    template_name = "cases/operations/form.html"
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


# What each move does, asked before it is made: (title, what happens, button).
MOVE_CONFIRMATIONS = {
    OperationStatus.ACTIVE: (
        "Start operation {code}?",
        "The operation becomes active: every agency taking part records its contacts in it from now on. "
        "An active operation cannot go back to planned; the start is kept in its history.",
        "Yes, start the operation",
    ),
    OperationStatus.CONCLUDED: (
        "Conclude operation {code}?",
        "The operation ends (now, if no end time was set) and its outcome report is final unless it is "
        "reopened for late records. The change is kept in its history.",
        "Yes, conclude the operation",
    ),
    OperationStatus.CLOSED: (
        "Close operation {code}?",
        "A closed operation takes no new records and cannot be reopened or edited. The change is kept in its history.",
        "Yes, close the operation",
    ),
}
REOPEN_CONFIRMATION = (
    "Reopen operation {code} for late records?",
    "The operation becomes active again so that late contacts, referrals and detentions can be recorded. "
    "The change is kept in its history.",
    "Yes, reopen the operation",
)


class OperationMoveView(OperationChildMixin, FormView):
    """Move the operation along its lifecycle: GET ?status=<next> asks, POST status=<next> does it.

    Starting, concluding and closing are hard to undo, so the operation page links here
    rather than moving in one click.
    """

    model = Operation
    form_class = MoveOperationForm
    template_name = "cases/step.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"status": self.request.GET.get("status", "")}

    def get(self, request, *args, **kwargs):
        status = request.GET.get("status", "")
        if not self.operation.can_move_to(status):
            messages.error(request, self._refusal(status))
            return HttpResponseRedirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def _refusal(self, status: str) -> str:
        label = dict(OperationStatus.choices).get(status, status or "that").lower()
        return f"An operation that is {self.operation.get_status_display().lower()} cannot become {label}."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        op, status = self.operation, self.request.GET.get("status", "")
        reopening = op.status == OperationStatus.CONCLUDED and status == OperationStatus.ACTIVE
        title, intro, label = REOPEN_CONFIRMATION if reopening else MOVE_CONFIRMATIONS[status]
        context.update(
            object=op,
            step_title=title.format(code=op.code),
            step_intro=intro,
            submit_label=label,
            confirmation=True,
            danger=status == OperationStatus.CLOSED,
            cancel_url=self.get_success_url(),
        )
        return context

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status", "")
        try:
            actions.move_operation(request.user, self.operation, status)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"Operation {self.operation.code} is now {self.operation.get_status_display().lower()}."
            )
        return HttpResponseRedirect(self.get_success_url())


class ParticipationAddView(OperationChildMixin, FormView):
    """Add several agencies at once (each with its role and staff count), or copy the
    agencies of an earlier operation: planning a 16-agency operation in a few clicks."""

    model = Participation
    form_class = AddAgenciesForm
    template_name = "cases/operations/participant_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, operation=self.operation)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("copy_form", CopyAgenciesForm(user=self.request.user, operation=self.operation))
        context["taking_part"] = (
            Participation.objects.visible_to(self.request.user)
            .filter(operation=self.operation)
            .select_related("agency")
            .order_by("agency__name")
        )
        return context

    def form_valid(self, form):
        try:
            added = operation_actions.add_participants(self.request.user, self.operation, form.participations())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _added_message(added))
        return HttpResponseRedirect(self.get_success_url() + "#participants")


def _added_message(added: list[Participation]) -> str:
    if len(added) == 1:
        p = added[0]
        return f"{p.agency.name} takes part as {p.get_role_display().lower()}."
    names = ", ".join(p.agency.short_name for p in added)
    return f"{len(added)} agencies take part: {names}."


class ParticipationCopyView(OperationChildMixin, FormView):
    """POST source=<operation>: add the agencies of an earlier operation the user sees."""

    http_method_names = ["post"]
    model = Participation
    form_class = CopyAgenciesForm
    template_name = "cases/operations/participant_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, operation=self.operation)
        return kwargs

    def form_invalid(self, form):
        # Shown on the "Add agencies" page, with the copy form's error.
        page = ParticipationAddView(request=self.request, args=self.args, kwargs=self.kwargs)
        page.operation = self.operation
        return page.render_to_response(
            page.get_context_data(
                form=AddAgenciesForm(user=self.request.user, operation=self.operation), copy_form=form
            )
        )

    def form_valid(self, form):
        source = form.cleaned_data["source"]
        try:
            added, skipped = operation_actions.copy_participants(self.request.user, self.operation, source)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        already = f" {skipped} already took part." if skipped else ""
        if added:
            messages.success(self.request, f"Copied from {source.code}: {_added_message(added)}{already}")
        else:
            messages.info(self.request, f"Every agency of {source.code} already takes part; nothing was added.")
        return HttpResponseRedirect(self.get_success_url() + "#participants")


class ParticipationRemoveView(ScopedConfirmView):
    """Confirm, then take an agency off the operation (not the lead)."""

    model = Participation
    # Not once the operation is over or voided: the page and the POST both answer 403.
    action = "operation.remove_participant"
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
    template_name = "cases/operations/location_form.html"

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
