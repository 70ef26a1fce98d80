"""The quick contact: the default way to record a contact from an operation, on a phone at night.

Same rules, checks and saving as the full form (ContactCreateView); fewer fields, and the
services as offered/accepted toggles. "More details" opens the full form with the same
operation and person.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from cases import contact_checks
from cases.forms.quick_contact import QuickContactForm, QuickOffersForm, QuickPersonForm

from .contacts import ContactCreateView


class QuickContactView(ContactCreateView):
    template_name = "cases/contacts/quick.html"

    def _forms(self, data=None):
        user = self.request.user
        initial = {"operation": self.operation, "occurred_at": contact_checks.default_time(self.operation)}
        return {
            "form": QuickContactForm(data, user=user, operation=self.operation, initial=initial),
            "person_form": QuickPersonForm(data, user=user),
            "offers_form": QuickOffersForm(data, user=user),
        }

    def is_valid(self, forms) -> bool:
        valid = super().is_valid(forms)
        if forms["offers_form"].is_valid() and forms["form"].is_valid():
            valid &= forms["form"].settle_outcome(bool(forms["offers_form"].offered()))
        return valid

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = {}
        if self.operation:
            params["operation"] = self.operation.pk
        if self.person:
            params["person"] = self.person.pk
        context["full_form_url"] = reverse("web:contact_create") + (f"?{urlencode(params)}" if params else "")
        context["quick"] = True
        return context
