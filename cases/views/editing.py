"""Correcting records: the edit pages of people, contacts, service offers, detentions (with
their charges) and custody hand-offs, on one base.

Each page is a record found in the user's scope (404) that the policy lets the user change
(403; a voided record is changed by nobody). A change made more than 24 hours after the
record was created needs a reason; the reason goes into the record's change history
(cases.actions.correct_record), which the record's page shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from cases import actions
from cases.forms.corrections import ChangeReasonForm, ContactEditForm, OfferEditForm, PersonEditForm
from cases.forms.custody import CustodyHandoffForm
from cases.forms.detentions import ChargeEditFormSet, DetentionForm
from cases.models import Contact, CustodyHandoff, Detention, Person, ServiceOffer
from cases.templatetags.workflows import url_for

from .base import ScopedUpdateView, apply_validation_error, require
from .detentions import DetentionsOnlyMixin
from .duplicates import candidates_or_none, may_merge


class RecordEditView(ScopedUpdateView):
    """Edit a record, with a reason once it is more than a day old."""

    template_name = "cases/edit.html"
    #: "Edit contact with P-000012": the page's heading, formatted with the record.
    edit_title = "Edit {object}"
    #: The record's page in the breadcrumbs.
    crumb = "{object}"
    success_message = "Your changes were saved."

    def get_crumb(self) -> str:
        return self.crumb.format(object=self.object)

    def get_reason_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ChangeReasonForm(data, user=self.request.user, required=actions.needs_reason(self.object))

    # Rows saved with the record (a detention's charges): override these three together.
    def get_inline(self):
        return None

    def inline_changed(self, inline) -> bool:
        return False

    def inline_rows(self, inline) -> list:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("reason_form", self.get_reason_form())
        context.setdefault("inline", self.get_inline())
        context.update(
            edit_title=self.edit_title.format(object=self.object),
            crumb=self.get_crumb(),
            cancel_url=self.get_success_url(),
            record=self.object,
            reason_needed=actions.needs_reason(self.object),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form, reason_form, inline = self.get_form(), self.get_reason_form(), self.get_inline()
        if inline is not None and "add_charge" in request.POST:
            # "Add another charge" without scripts: the page again, one block more, nothing saved.
            return self._again(form, reason_form, inline.with_one_more())
        record_valid = form.is_valid() & (inline is None or inline.is_valid())
        if record_valid and not form.has_changed() and not self.inline_changed(inline):
            # Saved as it was: no change to record, so no reason to ask for.
            messages.info(request, "Nothing was changed.")
            return HttpResponseRedirect(self.get_success_url())
        if not (reason_form.is_valid() & record_valid):
            return self._again(form, reason_form, inline)
        try:
            self.object = self.save(form, reason_form.cleaned_data.get("reason", ""), inline)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "reason" in error.error_dict:
                for e in error.error_dict.pop("reason"):
                    reason_form.add_error("reason", e)
            if not hasattr(error, "error_dict") or error.error_dict:
                apply_validation_error(form, error)
            return self._again(form, reason_form, inline)
        messages.success(request, self.success_message.format(object=self.object))
        return HttpResponseRedirect(self.get_success_url())

    def _again(self, form, reason_form, inline):
        return self.render_to_response(self.get_context_data(form=form, reason_form=reason_form, inline=inline))

    def check_change(self, form) -> None:
        """Further checks on what the form changes (raise PermissionDenied)."""

    def save(self, form, reason: str, inline):
        self.check_change(form)
        obj = form.save(commit=False)
        return actions.correct_record(
            self.request.user,
            obj,
            self.action,
            reason,
            m2m=self.get_m2m(form),
            children=self.inline_rows(inline) if inline is not None else (),
        )

    def get_success_url(self):
        return url_for(self.object)


class PersonEditView(RecordEditView):
    model = Person
    form_class = PersonEditForm
    action = "person.change"
    nav_section = "person"
    edit_title = "Edit the record of {object.reference}"
    crumb = "{object.reference}"
    success_message = "The record of {object.reference} was updated."
    # A change to these may make the record look like another person's: ask first.
    identity_fields = {"legal_name", "aliases", "date_of_birth", "estimated_age", "gender"}

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if (
            form.is_valid()
            and self.identity_fields & set(form.changed_data)
            and "new_person" not in request.POST.getlist("confirm")
        ):
            candidates = candidates_or_none(request.user, form.instance, False)
            if candidates:
                context = self.get_context_data(form=form, reason_form=self.get_reason_form(), inline=None)
                context.update(candidates=candidates, may_merge=may_merge(request.user))
                return self.render_to_response(context)
            self.object = self.get_object()
        return super().post(request, *args, **kwargs)


class ContactEditView(RecordEditView):
    model = Contact
    form_class = ContactEditForm
    action = "contact.change"
    nav_section = "person"
    select_related = ("person", "operation", "location", "agency")
    template_name = "cases/contacts/edit.html"
    edit_title = "Edit the contact with {object.person.reference}"
    crumb = "Contact with {object.person.reference}"
    success_message = "The contact with {object.person.reference} was updated."

    def check_change(self, form) -> None:
        # Moving a contact to another operation is recording it there.
        if "operation" in form.fields and "operation" in form.changed_data:
            require(self.request.user, "contact.add", form.cleaned_data.get("operation"))


class OfferEditView(RecordEditView):
    model = ServiceOffer
    form_class = OfferEditForm
    action = "serviceoffer.edit"
    nav_section = "person"
    select_related = ("service_type", "person", "contact", "referral", "offered_by")
    edit_title = "Edit the offer of {object.service_type.name} to {object.person.reference}"
    success_message = "The service offer was updated."

    def get_crumb(self) -> str:
        offer = self.object
        return offer.referral.reference if offer.referral_id else f"Contact with {offer.person.reference}"


class DetentionEditView(DetentionsOnlyMixin, RecordEditView):
    model = Detention
    form_class = DetentionForm
    action = "detention.change"
    nav_section = "detention"
    select_related = ("person", "agency", "contact")
    template_name = "cases/detentions/edit.html"
    edit_title = "Edit the detention of {object.person.reference}"
    crumb = "Detention of {object.person.reference}"
    success_message = "The detention of {object.person.reference} was updated."

    def get_inline(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ChargeEditFormSet(data, instance=self.object)

    def inline_changed(self, inline) -> bool:
        return any(f.has_changed() for f in inline.forms)

    def inline_rows(self, inline) -> list:
        return inline.kept()


class HandoffEditView(RecordEditView):
    model = CustodyHandoff
    form_class = CustodyHandoffForm
    action = "custody.change"
    nav_section = "handoff"
    select_related = ("person", "custody_agency", "receiving_agency")
    edit_title = "Edit protective custody {object.reference}"
    crumb = "{object.reference}"
    success_message = "Protective custody {object.reference} was updated."
