"""Enrolment and verification of the second factor."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from .. import enrolment, mfa
from ..log import record_access
from ..models import Action


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "usa-input"}),
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label="Enrolment code",
        max_length=40,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "usa-input"}),
        help_text="The one-time code your supervisor or a system administrator gave you, like ABCD-EFGH-JKMN-PQRS.",
    )


ENROLMENT_SESSION_KEY = "mfa_enrolment_code"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@method_decorator(login_required, name="dispatch")
class MFASetupView(View):
    """Enrol an authenticator: first an enrolment code, then the QR code and a 6-digit code.

    The enrolment code is what the password alone does not give; until one is accepted
    in this session no secret is shown. It is spent when the authenticator is confirmed.
    """

    template_name = "audit/mfa_setup.html"
    code_template_name = "audit/mfa_enrolment_code.html"

    def dispatch(self, request, *args, **kwargs):
        if user_has_device(request.user):
            return redirect("audit:mfa-verify")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if not self._code_accepted(request):
            return self._code_page(request, EnrolmentCodeForm())
        return self._page(request, TokenForm())

    def post(self, request):
        if not self._code_accepted(request):
            return self._take_code(request)
        form = TokenForm(request.POST)
        device = mfa.pending_device(request.user)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            if not enrolment.use(request.session.pop(ENROLMENT_SESSION_KEY, None), request.user):
                return self._code_page(request, EnrolmentCodeForm(), expired=True)
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = mfa.new_recovery_codes(request.user)
            record_access(request, Action.MFA_ENROLLED, detail="Authenticator app enrolled; recovery codes issued.")
            return render(request, "audit/mfa_recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", "That code did not match. Check the time on your phone and try the newest code.")
        return self._page(request, form)

    def _code_accepted(self, request) -> bool:
        code_id = request.session.get(ENROLMENT_SESSION_KEY)
        return code_id is not None and request.user.enrolment_codes.open().filter(pk=code_id).exists()

    def _take_code(self, request):
        form = EnrolmentCodeForm(request.POST)
        code = enrolment.matching(request.user, form.cleaned_data["code"]) if form.is_valid() else None
        if code is None:
            record_access(request, Action.ENROLMENT_FAILED)
            form.add_error(
                "code",
                "That enrolment code is not valid. It may have expired (codes last 72 hours) "
                "or been replaced by a newer one; ask for a new code.",
            )
            return self._code_page(request, form)
        request.session[ENROLMENT_SESSION_KEY] = code.pk
        # A fresh secret: one made before the code was given may have been seen by someone else.
        mfa.discard_pending_devices(request.user)
        return redirect(f"{reverse('audit:mfa-setup')}?{urlencode({'next': _next(request)})}")

    def _code_page(self, request, form, expired=False):
        return render(request, self.code_template_name, {"form": form, "next": _next(request), "expired": expired})

    def _page(self, request, form):
        device = mfa.pending_device(request.user)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "qr": mfa.qr_data_uri(device.config_url),
                "secret": mfa.secret_base32(device),
                "next": _next(request),
            },
        )


@method_decorator(login_required, name="dispatch")
class MFAVerifyView(View):
    template_name = "audit/mfa_verify.html"

    def get(self, request):
        if not user_has_device(request.user):
            return redirect("audit:mfa-setup")
        return render(request, self.template_name, {"form": TokenForm(), "next": _next(request)})

    def post(self, request):
        form = TokenForm(request.POST)
        device = match_token(request.user, form.cleaned_data["token"]) if form.is_valid() else None
        if device is None:
            record_access(request, Action.MFA_FAILED)
            form.add_error(None, "That code did not work. Try the newest code from your app, or a recovery code.")
            return render(request, self.template_name, {"form": form, "next": _next(request)}, status=200)
        otp_login(request, device)
        record_access(request, Action.MFA_VERIFIED, detail=f"Second factor: {device.name}.")
        if device.name == mfa.STATIC_NAME:
            left = device.token_set.count()
            messages.warning(
                request,
                f"You used a recovery code; {left} are left. Ask an administrator for new ones when few remain.",
            )
        return redirect(_next(request))
