"""The quick contact: the default way to record a contact from an operation, on a phone at night.

Same rules, checks and saving as the full form (ContactCreateView); fewer fields, and the
services as offered/accepted toggles. "More details" opens the full form with what was
typed so far.
"""

from __future__ import annotations

from cases import contact_checks
from cases.forms.contacts import ContactForm, NewPersonForm, ServiceOffersForm
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

    def post(self, request, *args, **kwargs):
        if "more_details" in request.POST:
            return self.more_details()
        return super().post(request, *args, **kwargs)

    def more_details(self):
        """The full form, filled with what was typed here so far; nothing is saved yet."""
        quick = self._forms(self.request.POST)
        typed = {}
        for name in ("form", "person_form"):
            quick[name].is_valid()
            typed[name] = {k: v for k, v in quick[name].cleaned_data.items() if v not in (None, "", [])}
        quick["offers_form"].is_valid()
        offers = {f"service_{s.pk}": answer for s, answer in quick["offers_form"].offered()}
        user = self.request.user
        forms = {
            "form": ContactForm(user=user, operation=self.operation, initial=typed["form"]),
            "person_form": NewPersonForm(user=user, initial=typed["person_form"]),
            "offers_form": ServiceOffersForm(user=user, prefix="offer", initial=offers),
        }
        self.template_name = ContactCreateView.template_name
        return self.render_to_response(self.get_context_data(**forms))

    def is_valid(self, forms) -> bool:
        valid = super().is_valid(forms)
        if forms["offers_form"].is_valid() and forms["form"].is_valid():
            valid &= forms["form"].settle_outcome(bool(forms["offers_form"].offered()))
        return valid

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quick"] = True
        return context
