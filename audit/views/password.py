"""The signed-in user's own account: changing the password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.urls import reverse_lazy

from cases.forms.base import UswdsFormMixin

from ..log import record_access
from ..models import Action


class StyledPasswordChangeForm(UswdsFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (old password, new one twice, the validators), with the site's look.

    The session stays signed in (Django renews its hash); the change is in the access log.
    """

    form_class = StyledPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_access(self.request, Action.PASSWORD_CHANGED, obj=self.request.user)
        messages.success(self.request, "Your password has been changed.")
        return response
