"""Investigations: list, page, open (from an operation or not) and edit; its agencies, the
referral for prosecution, closing and reopening, its people, operations and arrests.

Only law enforcement, prosecutors and the coordinator see investigations (the policy's
`sees_investigations`); for everyone else every page answers 404, as for a record out of scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import FormView

from agencies.roles import membership_of
from cases import access
from cases import investigation_actions as steps
from cases.disclosure import disclosure_for
from cases.filters import InvestigationFilterSet
from cases.forms.investigations import (
    AddAgencyForm,
    AddPersonForm,
    CloseForm,
    EmptyForm,
    InvestigationForm,
    LinkDetentionForm,
    LinkOperationsForm,
    ReferForm,
)
from cases.models import (
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Operation,
    Prosecution,
    ReliefRequest,
)
from cases.models.investigations import InvestigationAgencyRole, InvestigationPersonRole

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
from .contacts import search_people
from .workflow_base import ObjectStepView


class InvestigationsOnlyMixin:
    nav_section = "investigation"

    def check_access(self) -> None:
        # Service providers and caseworkers never learn that investigations exist.
        if not access.sees_investigations(self.request.user):
            raise Http404("No such page.")
        super().check_access()


class InvestigationListView(InvestigationsOnlyMixin, ScopedListView):
    model = Investigation
    filterset_class = InvestigationFilterSet
    template_name = "cases/investigations/list.html"
    extra_context = {"what": "investigations"}
    prefetch_related = ("lead_agency",)
    sort_fields = {"reference": "reference", "title": "title", "status": "status", "opened": "opened_on"}
    default_sort = "-opened"


def _people(user, investigation):
    return (
        InvestigationPerson.objects.visible_to(user)
        .filter(investigation=investigation)
        .select_related("person")
        .order_by("role", "person__reference")
    )


class InvestigationDetailView(InvestigationsOnlyMixin, ScopedDetailView):
    model = Investigation
    template_name = "cases/investigations/detail.html"
    select_related = ("lead_agency", "created_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, inv = self.request.user, self.object
        agencies = InvestigationAgency.objects.visible_to(user).filter(investigation=inv).select_related("agency")
        order = {InvestigationAgencyRole.LEAD: 0, InvestigationAgencyRole.PROSECUTION: 1}
        context.update(
            agencies=sorted(agencies, key=lambda a: (order.get(a.role, 2), a.agency.name)),
            # Only the operations the viewer may see: the others are not named at all.
            operations=Operation.objects.visible_to(user).filter(investigations=inv).order_by("-starts_at"),
            people=_people(user, inv),
            detentions=Detention.objects.visible_to(user)
            .filter(investigation=inv)
            .select_related("person", "agency")
            .order_by("-detained_at"),
            prosecutions=Prosecution.objects.visible_to(user)
            .filter(investigation=inv)
            .select_related("defendant", "prosecuting_agency"),
            relief_requests=ReliefRequest.objects.visible_to(user).filter(investigation=inv).select_related("person"),
            can_change=access.can(user, "investigation.change", inv),
            can_reopen=access.can(user, "investigation.reopen", inv),
            can_prosecute=access.can(user, "prosecution.add", inv),
        )
        return context


class OperationSourceMixin:
    """An investigation opened from an operation (?operation=<id>, looked up in scope: 404)."""

    def get_operation(self):
        pk = self.request.GET.get("operation") or self.request.POST.get("operation")
        if not pk:
            return None
        if not str(pk).isdigit():
            raise Http404("No such operation.")
        return get_object_or_404(Operation.objects.visible_to(self.request.user), pk=pk)


class InvestigationCreateView(InvestigationsOnlyMixin, OperationSourceMixin, ScopedCreateView):
    model = Investigation
    form_class = InvestigationForm
    action = "investigation.add"
    template_name = "cases/investigations/form.html"
    success_message = "Investigation {object.reference} is open. Add its people and the agencies working it."

    def check_access(self) -> None:
        super().check_access()
        self.operation = self.get_operation()

    def get_initial(self):
        op = self.operation
        if op is None:
            return {}
        return {"title": op.name, "trafficking_type": op.trafficking_type, "summary": op.summary}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(operation=self.operation, membership=membership_of(self.request.user))
        return context

    def save(self, form):
        inv = form.save(commit=False)
        if "lead_agency" not in form.fields:
            inv.lead_agency = membership_of(self.request.user).agency
        return steps.open_investigation(self.request.user, inv, self.operation)

    def get_success_url(self):
        return reverse("web:investigation_detail", args=[self.object.pk])


class InvestigationUpdateView(InvestigationsOnlyMixin, ScopedUpdateView):
    model = Investigation
    form_class = InvestigationForm
    action = "investigation.change"
    template_name = "cases/investigations/form.html"
    success_message = "Investigation {object.reference} is saved."

    def get_success_url(self):
        return reverse("web:investigation_detail", args=[self.object.pk])


class InvestigationStepView(InvestigationsOnlyMixin, ObjectStepView):
    """A step on the investigation (its page is where it returns)."""

    model = Investigation
    action = "investigation.change"
    form_class = EmptyForm

    #: The form offers choices that depend on the investigation (agencies not yet in it…).
    form_takes_investigation = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_takes_investigation:
            kwargs["investigation"] = self.object
        return kwargs


class AgencyAddView(InvestigationStepView):
    form_class = AddAgencyForm
    form_takes_investigation = True
    step_title = "Add an agency to {object.reference}"
    step_intro = "The agency takes part in the investigation; its officers see it and what is recorded in it."
    submit_label = "Add the agency"

    def perform(self, obj, form) -> None:
        link = steps.add_agency(self.request.user, obj, form.cleaned_data["agency"])
        self.success_message = f"{link.agency.name} takes part in the investigation."


class ReferView(InvestigationStepView):
    form_class = ReferForm
    form_takes_investigation = True
    step_title = "Refer {object.reference} for prosecution"
    step_intro = (
        "The prosecutor's office sees the investigation, its people and arrests, and can file charges. "
        "The investigation's status becomes “referred for prosecution”."
    )
    submit_label = "Refer for prosecution"

    def perform(self, obj, form) -> None:
        agency = form.cleaned_data["agency"]
        steps.refer_for_prosecution(self.request.user, obj, agency)
        self.success_message = f"{obj.reference} is referred for prosecution to {agency.name}."


class CloseView(InvestigationStepView):
    form_class = CloseForm
    step_title = "Close investigation {object.reference}?"
    step_intro = (
        "A closed investigation takes no new people, agencies or arrests and no prosecution until it is reopened. "
        "The reason is kept in its history."
    )
    submit_label = "Close the investigation"
    danger = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["confirmation"] = True
        return context

    def perform(self, obj, form) -> None:
        data = form.cleaned_data
        steps.close_investigation(self.request.user, obj, data["reason"], data["note"], data["closed_on"])
        self.success_message = f"{obj.reference} is closed."


class ReopenView(InvestigationStepView):
    action = "investigation.reopen"
    step_title = "Reopen investigation {object.reference}?"
    step_intro = "The investigation becomes open again (referred, if a prosecutor still has it). Kept in its history."
    submit_label = "Reopen the investigation"

    def perform(self, obj, form) -> None:
        steps.reopen_investigation(self.request.user, obj)
        self.success_message = f"{obj.reference} is {obj.get_status_display().lower()} again."


class OperationLinkView(InvestigationStepView):
    form_class = LinkOperationsForm
    form_takes_investigation = True
    step_title = "Link operations to {object.reference}"
    step_intro = "The operations the investigation came from. Only operations you can see are offered."
    submit_label = "Link the operations"

    def perform(self, obj, form) -> None:
        operations = list(form.cleaned_data["operations"])
        steps.link_operations(self.request.user, obj, operations)
        codes = ", ".join(op.code for op in operations)
        self.success_message = f"Linked to {obj.reference}: {codes}."


class DetentionLinkView(InvestigationStepView):
    form_class = LinkDetentionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The choices name the people arrested: logged like any page showing them.
        context["detentions_offered"] = list(context["form"].fields["detention"].queryset)
        return context

    form_takes_investigation = True
    step_title = "Link an arrest to {object.reference}"
    step_intro = "An arrest or detention that belongs to this investigation. Only those you can see are offered."
    submit_label = "Link the arrest"

    def perform(self, obj, form) -> None:
        detention = form.cleaned_data["detention"]
        steps.link_detention(self.request.user, obj, detention)
        self.success_message = f"The arrest of {detention.person.reference} is linked to {obj.reference}."


class PersonAddView(InvestigationsOnlyMixin, ScopedMixin, FormView):
    """Find the person first (?q=), then choose them and their role."""

    model = InvestigationPerson
    form_class = AddPersonForm
    template_name = "cases/investigations/person_form.html"
    search_params = ("q",)

    def check_access(self) -> None:
        super().check_access()
        self.investigation = get_object_or_404(
            Investigation.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        require(self.request.user, "investigation.change", self.investigation)
        # The search sent with the choice (or still in the address) finds the people offered.
        self.query = (self.request.POST.get("q") or self.request.GET.get("q") or "").strip()[:100]
        self.people = search_people(self.request, self.query, None)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, people=self.people)
        return kwargs

    def get_initial(self):
        role = self.request.GET.get("role", "")
        return {"role": role} if role in InvestigationPersonRole.values else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            investigation=self.investigation,
            object=self.investigation,
            query=self.query,
            people=self.people,
            # Shown (and so logged) beside the search results only.
            already=list(_people(self.request.user, self.investigation)) if self.people else [],
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            link = steps.add_person(self.request.user, self.investigation, data["person"], data["role"], data["note"])
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{link.person.reference} is in the investigation as {link.get_role_display().lower()}.",
        )
        return HttpResponseRedirect(reverse("web:investigation_detail", args=[self.investigation.pk]) + "#people")


class ChildRemoveView(InvestigationsOnlyMixin, ScopedConfirmView):
    """Confirm, then take an agency or a person off the investigation."""

    action = "investigation.change"
    confirm_label = "Remove"
    form_class = EmptyForm

    def get_queryset(self):
        return super().get_queryset().select_related("investigation")

    def check_access(self) -> None:
        # The action is checked on the investigation, not on the agency or person row.
        if not access.sees_investigations(self.request.user):
            raise Http404("No such page.")
        self.object = self.get_object()
        require(self.request.user, self.action, self.object.investigation)

    def get_cancel_url(self) -> str:
        return reverse("web:investigation_detail", args=[self.object.investigation_id])


class AgencyRemoveView(ChildRemoveView):
    model = InvestigationAgency
    confirm_title = "Remove {object.agency.name} from the investigation?"
    confirm_text = "Its staff will no longer see the investigation unless their agency is involved otherwise."
    confirm_label = "Remove the agency"

    def perform(self, obj, form) -> None:
        steps.remove_agency(self.request.user, obj)
        messages.success(self.request, f"{obj.agency.name} no longer works on the investigation.")


class PersonRemoveView(ChildRemoveView):
    model = InvestigationPerson
    confirm_title = "Remove {object.person.reference} from the investigation?"
    confirm_text = "The person's own record is kept; only their role in this investigation goes."
    confirm_label = "Remove the person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        link = self.object
        context["confirm_title"] = (
            f"Remove {link.person.reference} ({link.get_role_display().lower()}) from the investigation?"
        )
        return context

    def perform(self, obj, form) -> None:
        steps.remove_person(self.request.user, obj)
        messages.success(self.request, f"{obj.person.reference} is no longer in the investigation.")


class UnlinkView(InvestigationsOnlyMixin, ScopedConfirmView):
    """Confirm, then take a linked record (an operation, an arrest) off the investigation.

    The investigation is looked up in the user's scope (404), the change checked on it (403),
    then the record among those linked to it that the user may see (404), as the API does.
    """

    model = Investigation
    action = "investigation.change"
    form_class = EmptyForm
    linked_kwarg = ""
    #: The page's question and the message once done, naming the investigation (object) and the
    #: linked record (linked); the section of the investigation's page to return to.
    unlink_title = ""
    done_message = ""
    section = ""

    def linked_records(self, investigation):
        raise NotImplementedError

    def unlink(self) -> None:
        raise NotImplementedError

    def perform(self, obj, form) -> None:
        self.unlink()
        messages.success(self.request, self.done_message.format(**self.title_names()))

    def get_success_url(self) -> str:
        return f"{self.get_cancel_url()}#{self.section}"

    def check_access(self) -> None:
        if not access.sees_investigations(self.request.user):
            raise Http404("No such page.")
        self.object = self.get_object()
        require(self.request.user, self.action, self.object)
        self.linked = get_object_or_404(self.linked_records(self.object), pk=self.kwargs[self.linked_kwarg])

    def get_cancel_url(self) -> str:
        return reverse("web:investigation_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(linked=self.linked, confirm_title=self.unlink_title.format(**self.title_names()))
        return context

    def title_names(self) -> dict:
        return {"object": self.object, "linked": self.linked}


class OperationUnlinkView(UnlinkView):
    linked_kwarg = "operation_pk"
    unlink_title = "Unlink {linked.code} from {object.reference}?"
    done_message = "{linked.code} is no longer linked to {object.reference}."
    section = "operations"
    confirm_text = (
        "The operation stays as it is, and so does the investigation; the investigation no longer counts as "
        "coming from it. You can link it again later. The change is kept in the investigation's history."
    )
    confirm_label = "Unlink the operation"

    def linked_records(self, investigation):
        return Operation.objects.visible_to(self.request.user).filter(investigations=investigation)

    def unlink(self) -> None:
        steps.unlink_operation(self.request.user, self.object, self.linked)


class DetentionUnlinkView(UnlinkView):
    linked_kwarg = "detention_pk"
    unlink_title = "Unlink the arrest of {person} on {when} from {object.reference}?"
    done_message = "The arrest of {person} on {when} is no longer linked to {object.reference}."
    section = "arrests"
    confirm_text = (
        "The arrest or detention and its charges stay on record; it no longer belongs to this investigation. "
        "You can link it again later. The change is kept in the histories of both records."
    )
    confirm_label = "Unlink the arrest"

    def linked_records(self, investigation):
        return Detention.objects.visible_to(self.request.user).filter(investigation=investigation)

    def title_names(self) -> dict:
        # The person arrested is named only to whoever may see them.
        return {
            **super().title_names(),
            "person": disclosure_for(self.request).label(self.linked.person),
            "when": date_format(timezone.localtime(self.linked.detained_at), "j M Y"),
        }

    def unlink(self) -> None:
        steps.unlink_detention(self.request.user, self.linked)
