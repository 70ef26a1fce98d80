"""Two-factor sign-in (TOTP with django-otp) and the recovery codes.

When settings.REQUIRE_MFA is on, every signed-in user must pass a second factor in
the session before anything else: MFARequiredMiddleware sends a user without a
device to enrolment and a user with one to verification.
"""

from __future__ import annotations

import base64
import io

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
STATIC_NAME = "Recovery codes"


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, so the page needs no script and no extra request."""
    out = io.BytesIO()
    write_qrcode_image(text, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first visit to enrolment."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def discard_pending_devices(user) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=STATIC_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


EXEMPT_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/accounts/login/", "/admin/logout/", "/admin/login/")


class MFARequiredMiddleware:
    """Send a signed-in user who has not passed the second factor to enrolment or verification.

    Needs django_otp.middleware.OTPMiddleware before it (for user.is_verified()).
    API clients authenticating with a token are not concerned (no session); an
    unverified session on the API gets a 403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not self._exempt(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Two-factor verification is required."}, status=403)
            step = "audit:mfa-verify" if user_has_device(user) else "audit:mfa-setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(EXEMPT_PREFIXES) or path.startswith(static)
