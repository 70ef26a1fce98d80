"""Immigration relief: the list (the asked agency's inbox and the asking agency's requests),
the request with its timeline, asking with the person's consent, and every step."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases import access, actions
from cases.disclosure import disclosure_for
from cases.filters import ReliefRequestFilterSet, relief_expiring, relief_overdue
from cases.forms.relief import ASKING_KINDS, KIND_HELP, ReliefRequestForm, ReliefStepForm
from cases.models import Person, ReliefEvent, ReliefRequest, ReliefStatus
from cases.models.relief import OPEN_RELIEF_STATUSES, RELIEF_TRANSITIONS
from cases.templatetags.workflows import url_for

from .base import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from .workflow_base import ObjectStepView, my_agency

LIST_RELATED = ("person", "requested_by_agency", "requested_of_agency")
HOME_LIMIT = 20


def overdue_first(qs):
    """Overdue requests first, then the others still waiting (oldest due first), then the rest."""
    waiting = Q(status__in=OPEN_RELIEF_STATUSES, voided_at__isnull=True)
    return qs.annotate(
        waiting_rank=Case(
            When(waiting & relief_overdue(), then=Value(0)),
            When(waiting, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("waiting_rank", "answer_due_on", "-requested_on", "-pk")


def _home_requests(user):
    return ReliefRequest.objects.visible_to(user).active().select_related(*LIST_RELATED)


def relief_waiting(user) -> dict:
    """For the home page of law enforcement: requests waiting for its agency's answer, overdue first."""
    agency_id = access.viewer_for(user).agency_id
    waiting = _home_requests(user).filter(requested_of_agency_id=agency_id, status__in=OPEN_RELIEF_STATUSES)
    return {"relief_waiting": overdue_first(waiting)[:HOME_LIMIT]}


def relief_asked(user) -> dict:
    """For an advocate's home page: its agency's requests still open or granted, those running out first."""
    agency_id = access.viewer_for(user).agency_id
    asked = _home_requests(user).filter(
        requested_by_agency_id=agency_id, status__in=[*OPEN_RELIEF_STATUSES, ReliefStatus.GRANTED]
    )
    asked = asked.annotate(
        expiring_rank=Case(When(relief_expiring(), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("expiring_rank", "expires_on", "-requested_on", "-pk")
    return {"relief_asked": asked[:HOME_LIMIT]}


class ReliefListView(ScopedListView):
    """Every relief request the user may see: asked of its agency, asked by it, or about its clients."""

    model = ReliefRequest
    filterset_class = ReliefRequestFilterSet
    template_name = "cases/relief/list.html"
    context_object_name = "relief_list"
    nav_section = "relief"
    select_related = LIST_RELATED
    sort_fields = {"requested": "requested_on", "due": "answer_due_on", "expires": "expires_on", "status": "status"}
    default_sort = "-requested"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_add"] = access.can(self.request.user, "relief.add")
        context["overdue_label"] = f"Only overdue (not answered within {settings.RELIEF_ANSWER_DAYS} days)"
        return context


class ReliefDetailView(ScopedDetailView):
    model = ReliefRequest
    template_name = "cases/relief/detail.html"
    context_object_name = "relief"
    nav_section = "relief"
    select_related = (
        *LIST_RELATED,
        "investigation",
        "renewal_of",
        "renewal",
        "created_by",
        "voided_by",
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, relief = self.request.user, self.object
        context["events"] = ReliefEvent.objects.visible_to(user).filter(request=relief).select_related("user", "agency")
        context["steps"] = [
            {"action": name, "label": STEP_LABELS[name]}
            for name in relief.allowed_actions()
            if access.can(user, f"relief.{name}", relief)
        ]
        context["may_edit"] = access.can(user, "relief.change", relief)
        context["person_fields"] = access.visible_person_fields(user, relief.person)
        context["answer_days"] = settings.RELIEF_ANSWER_DAYS
        context["kind_help"] = KIND_HELP[relief.kind]
        # Only the roles that see investigations are told which one the request belongs to.
        disclosure = disclosure_for(self.request)
        if access.sees_investigations(user):
            context["investigation"] = disclosure.shown(relief.investigation)
        context["renewal"] = disclosure.shown(getattr(relief, "renewal", None))
        context["renewal_of"] = disclosure.shown(relief.renewal_of)
        return context


class ReliefFormMixin:
    form_class = ReliefRequestForm
    template_name = "cases/relief/form.html"
    nav_section = "relief"

    def get_success_url(self):
        return url_for(self.object)


class ReliefCreateView(ReliefFormMixin, ScopedCreateView):
    """Ask for relief for a person: from their page (?person=<id>) or from the list (by reference)."""

    model = ReliefRequest
    action = "relief.add"
    success_message = "Relief request {object.reference} was sent to {object.requested_of_agency.name}."

    def get_parent(self):
        self.person = None
        if "person" in self.request.GET:
            ref = self.request.GET["person"]
            if not ref.isdigit():
                raise Http404("No such person.")
            self.person = get_object_or_404(Person.objects.visible_to(self.request.user), pk=int(ref))
        return self.person

    def asking_agency(self):
        """The user's agency when it is one that asks (an advocate's); else the form asks which."""
        agency = my_agency(self.request.user)
        return agency if agency is not None and agency.kind in ASKING_KINDS else None

    def get_initial(self):
        return {"requested_on": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The request knows its person and asking agency before validation (ReliefRequest.clean).
        kwargs["instance"] = ReliefRequest(person=self.person, requested_by_agency=self.asking_agency())
        kwargs.update(person=self.person, asking_agency=self.asking_agency())
        return kwargs

    def save(self, form):
        # Started from the list, the person is known once the form is valid; the action is
        # checked again on them.
        self.parent = form.person
        form.instance.person = form.person
        return super().save(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source_person"] = self.person
        return context


class ReliefUpdateView(ReliefFormMixin, ScopedUpdateView):
    """Correct a request until law enforcement has taken it up."""

    model = ReliefRequest
    action = "relief.change"
    select_related = LIST_RELATED
    success_message = "Relief request {object.reference} was corrected."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(source_person=self.object.person, editing=True)
        return context


# The buttons on the request's page, each leading to its step's page.
STEP_LABELS = {
    "review": "Start the review",
    "grant": "Record as signed or granted",
    "decline": "Decline",
    "expire": "Mark as expired",
    "renew": "Ask for a renewal",
    "withdraw": "Withdraw the request",
}
# step → (title, what happens, button); each asks before it is taken, none can be taken back.
STEPS = {
    "review": (
        "Take up relief request {object.reference}?",
        "The agency that asked is told that your agency is reviewing the request, and it is no longer "
        "overdue. This cannot be taken back; it is kept in the request's timeline.",
        "Start the review",
    ),
    "grant": (
        "Sign or grant relief request {object.reference}",
        "Record that your agency signed the declaration or certification, or that Continued Presence "
        "was granted. The agency that asked is told.",
        "Record as signed or granted",
    ),
    "decline": (
        "Decline relief request {object.reference}",
        "The agency that asked sees your reason. This cannot be taken back.",
        "Decline the request",
    ),
    "expire": (
        "Mark relief request {object.reference} as expired?",
        "The relief granted has run out. This cannot be taken back; the agency that asked can no longer renew it.",
        "Yes, mark expired",
    ),
    "renew": (
        "Renew relief request {object.reference}?",
        "A new request for the same person and the same relief is sent to the same agency, dated the day "
        "below, and this one is closed as renewed. This cannot be taken back.",
        "Yes, ask for a renewal",
    ),
    "withdraw": (
        "Withdraw relief request {object.reference}?",
        "The law-enforcement agency will no longer be asked to act on it. This cannot be undone.",
        "Yes, withdraw the request",
    ),
}


class ReliefStepView(ObjectStepView):
    """Any step of a relief request: /relief/<pk>/<step>/."""

    model = ReliefRequest
    nav_section = "relief"
    form_class = ReliefStepForm
    select_related = LIST_RELATED

    def dispatch(self, request, *args, **kwargs):
        self.step = kwargs["step"]
        if self.step in STEPS:
            self.step_title, self.step_intro, self.submit_label = STEPS[self.step]
            self.danger = self.step in ("decline", "withdraw", "expire")
        elif request.user.is_authenticated:
            raise Http404("No such step.")
        return super().dispatch(request, *args, **kwargs)

    def get_action(self) -> str:
        return f"relief.{self.step}"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(step=self.step, request=self.object)
        return kwargs

    def perform(self, relief, form) -> None:
        data = form.cleaned_data
        actions.transition_relief(
            self.request.user,
            relief,
            self.step,
            note=data.get("note", ""),
            reason=data.get("reason", ""),
            expires_on=data.get("expires_on"),
            on=data.get("on"),
        )

    def get_success_url(self):
        # After a renewal, the new request.
        return url_for(self.object.renewal if self.step == "renew" else self.object)

    def get_success_message(self) -> str:
        verb = RELIEF_TRANSITIONS[self.step][2]
        message = f"Relief request {self.object.reference} was {verb}."
        if self.step == "renew":
            message += f" The new request is {self.object.renewal.reference}."
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirmation"] = True
        return context
