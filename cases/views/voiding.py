"""Void any case record with a reason, after a confirmation page.

/void/<app_label.model>/<pk>/ for every VoidableModel under the access policy; the
record is found in the user's scope (404) and the "void" action checked (403).
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404

from cases import access, actions
from cases.forms.voiding import VoidForm
from cases.models import VoidableModel
from cases.templatetags.workflows import url_for

from .base import ScopedConfirmView, require


def voidable_model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("No such record.") from None
    if not issubclass(model, VoidableModel) or model not in access.RULED_MODELS:
        raise Http404("No such record.")
    return model


class VoidView(ScopedConfirmView):
    form_class = VoidForm
    action = "void"
    template_name = "cases/void/confirm.html"
    confirm_label = "Yes, void this record"

    def check_access(self) -> None:
        self.model = voidable_model(self.kwargs["label"])
        self.object = self.get_object()
        require(self.request.user, self.action, self.object)

    def describe(self) -> str:
        reference = getattr(self.object, "reference", "")
        name = self.model._meta.verbose_name
        return f"The {name} {reference}" if reference else f"This {name} ({self.object})"

    def get_cancel_url(self) -> str:
        return url_for(self.object)

    def perform(self, obj, form) -> None:
        actions.void_record(self.request.user, obj, form.cleaned_data["reason"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.model._meta.verbose_name
        context.update(
            record_name=name,
            confirm_title=f"Void this {name}?",
            confirm_text=(
                f"{self.describe()} stays in the history, struck through, with your reason, your name and the time. "
                "Once voided it can no longer be changed."
            ),
        )
        return context

    def form_valid(self, form):
        self.success_message = f"The {self.model._meta.verbose_name} was voided."
        return super().form_valid(form)
