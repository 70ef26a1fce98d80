"""The "API tokens" page: a user's tokens, a form to make one, a button to revoke each."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views import View
from django.views.generic import TemplateView

from cases.forms.base import UswdsFormMixin
from cases.views.base import MemberRequiredMixin

from . import service


class NewTokenForm(UswdsFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, such as “quarterly grant report script”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class TokenListView(MemberRequiredMixin, TemplateView):
    template_name = "apitokens/tokens.html"
    view_action = None  # every member may hold tokens; what a token reaches is the role's business

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", NewTokenForm())
        context["tokens"] = service.tokens_of(self.request.user)
        context["token_days"] = settings.API_TOKEN_DAYS
        context["may_create"], context["refusal"] = self._may_create()
        return context

    def _may_create(self) -> tuple[bool, str]:
        try:
            service.check_may_create(self.request)
        except PermissionDenied as refusal:
            return False, str(refusal)
        return True, ""

    def post(self, request):
        form = NewTokenForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, secret = service.create_token(request, form.cleaned_data["name"])
        response = self.render_to_response(self.get_context_data(new_token=token, secret=secret))
        # The secret is on this page only: no cache may keep a copy.
        add_never_cache_headers(response)
        # The form sent again (double tap) makes no second token: it comes back to this list.
        response.idempotency_location = request.path
        return response


class TokenRevokeView(MemberRequiredMixin, View):
    view_action = None
    http_method_names = ["post"]

    def post(self, request, pk: int):
        # Another user's token is simply not found.
        token = get_object_or_404(service.tokens_of(request.user), pk=pk)
        service.revoke_token(request, token)
        messages.success(request, f"The API token “{token.name}” is revoked; it no longer works.")
        return redirect("apitokens:list")
