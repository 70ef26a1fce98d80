"""What the workflow pages (referrals, custody, detentions, notes, voiding) share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from agencies.roles import membership_of
from cases.models import Contact, Person
from cases.templatetags.workflows import url_for

from .base import ScopedConfirmView, apply_validation_error, require


def my_agency(user):
    membership = membership_of(user)
    return membership.agency if membership else None


def safe_next(request, default: str) -> str:
    """The ?next= page to go back to, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class SourceMixin:
    """A record started from a contact (?contact=<id>) or a person (?person=<id>).

    Both are looked up in the user's scope, so an id out of scope answers 404.
    """

    def get_source(self):
        params = self.request.GET
        self.contact = self.person = None
        if params.get("contact"):
            self.contact = get_object_or_404(
                Contact.objects.visible_to(self.request.user).select_related("person", "operation"),
                pk=_int(params["contact"]),
            )
            self.person = self.contact.person
            return self.contact
        if params.get("person"):
            self.person = get_object_or_404(Person.objects.visible_to(self.request.user), pk=_int(params["person"]))
            return self.person
        raise Http404("Start from a person or a contact.")

    def source_context(self) -> dict:
        return {"source_contact": self.contact, "source_person": self.person}


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such record.") from None


class ObjectStepView(ScopedConfirmView):
    """One step on a visible record (404 otherwise) that the role may take (403 otherwise).

    GET shows the step's form; POST takes the step through cases.actions and goes
    back to the record (or to ?next=). Model errors land on the form; nothing typed is lost.
    """

    template_name = "cases/step.html"
    step_title = ""
    step_intro = ""
    submit_label = "Save"
    danger = False

    def get_action(self) -> str:
        return self.action

    def check_access(self) -> None:
        # The 403 page says who may take the step: the action's refusal, beside its rule.
        self.object = self.get_object()
        require(self.request.user, self.get_action(), self.object)

    def get_cancel_url(self) -> str:
        return url_for(self.object)

    def get_success_url(self) -> str:
        return safe_next(self.request, url_for(self.object))

    def get_success_message(self) -> str:
        return self.success_message.format(object=self.object)

    def form_valid(self, form):
        try:
            self.perform(self.object, form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            step_title=self.step_title.format(object=self.object),
            step_intro=self.step_intro.format(object=self.object),
            submit_label=self.submit_label,
            danger=self.danger,
            next=safe_next(self.request, ""),
        )
        return context
