"""Signal receivers of the audit trail.

- every historical row gets the actor's agency, the client IP and the request id;
- sign-ins, failed sign-ins, lock-outs and sign-outs go to the access log;
- changes of memberships (roles) and user accounts go to the access log as well as
  to their change history, so an auditor finds them with the sign-ins.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from agencies import acting as context
from agencies.models import Membership
from agencies.roles import membership_of

from .log import record_access
from .models import Action


@receiver(pre_create_historical_record)
def stamp_history(sender, history_instance, history_user=None, **kwargs):
    membership = membership_of(history_user) if history_user is not None else None
    history_instance.history_agency_id = membership.agency_id if membership else None
    info = context.request_info()
    if info is not None:
        history_instance.history_ip = info.ip
        history_instance.history_request_id = info.request_id


# --- sign-in and sign-out -------------------------------------------------------


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    record_access(request, Action.LOGIN, user=user)


@receiver(user_logged_in, dispatch_uid="audit_idle_mark")
def mark_session_saved(sender, request, user, **kwargs):
    # Signing in saves the session: its idle minute starts now (see IdleSessionMiddleware).
    session = getattr(request, "session", None)
    if session is not None:
        from .middleware import IdleSessionMiddleware

        IdleSessionMiddleware.mark(session)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username typed is kept, never the password.
    record_access(request, Action.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    record_access(
        request,
        Action.LOCKOUT,
        username=str(username or "")[:150],
        detail=f"Locked after {settings.AXES_FAILURE_LIMIT} failed sign-ins for the user name "
        f"or {settings.AXES_ADDRESS_FAILURE_LIMIT} from the address.",
    )


@receiver(post_delete, sender=AccessAttempt)
def log_lockout_released(sender, instance, **kwargs):
    if instance.failures_since_start >= settings.AXES_FAILURE_LIMIT:
        record_access(
            context.current_request(),
            Action.LOCKOUT_RELEASED,
            username=instance.username or "",
            detail="Lock-out released.",
        )


@receiver(pre_delete, sender=AccessAttempt)
def log_address_lockout_released(sender, instance, **kwargs):
    # An address lock is spread over the rows of many usernames, deleted together: logged
    # once, for the address's first row, while they all still exist.
    if not instance.ip_address:
        return
    rows = AccessAttempt.objects.filter(ip_address=instance.ip_address)
    total = rows.aggregate(total=Sum("failures_since_start"))["total"] or 0
    first = rows.order_by("pk").values_list("pk", flat=True).first()
    if total >= settings.AXES_ADDRESS_FAILURE_LIMIT and first == instance.pk:
        record_access(
            context.current_request(),
            Action.LOCKOUT_RELEASED,
            username=instance.username or "",
            detail=f"Lock-out of the address {instance.ip_address} released.",
        )


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        record_access(request, Action.LOGOUT, user=user)


# A sign-in saves last_login; that is in the access log, so the user's change
# history is spared one row per sign-in.
user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")


@receiver(user_logged_in, dispatch_uid="audit_update_last_login")
def update_last_login_quietly(sender, user, **kwargs):
    user.skip_history_when_saving = True
    try:
        update_last_login(sender, user, **kwargs)
    finally:
        del user.skip_history_when_saving


# --- roles, memberships and accounts ---------------------------------------------


@receiver(post_save, sender=Membership)
def log_membership_change(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    verb = "Added" if created else "Changed"
    state = "active" if instance.active else "ended"
    record_access(
        context.current_request(),
        Action.MEMBERSHIP_CHANGE,
        obj=instance,
        user=context.current_actor(),
        detail=f"{verb} membership of {instance.user}: {instance.get_role_display()} at "
        f"{instance.agency.short_name}, {state}, from {instance.start_date} to {instance.end_date or 'open end'}.",
    )


@receiver(post_save, sender=get_user_model())
def log_user_change(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= {"last_login"}):
        return
    flags = (
        ", ".join(
            name
            for name, on in (
                ("active", instance.is_active),
                ("staff", instance.is_staff),
                ("superuser", instance.is_superuser),
            )
            if on
        )
        or "disabled"
    )
    record_access(
        context.current_request(),
        Action.USER_CHANGE,
        obj=instance,
        user=context.current_actor(),
        detail=f"{'Created' if created else 'Changed'} account {instance.get_username()} ({flags}).",
    )


@receiver(post_create_historical_record)
def forget_change_reason(sender, instance, **kwargs):
    # simple_history reads `_change_reason` from the instance but leaves it there;
    # a later save of the same object must not repeat it.
    instance.__dict__.pop("_change_reason", None)


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=StaticDevice)
def log_mfa_reset(sender, instance, **kwargs):
    request = context.current_request()
    # Replacing one's own recovery codes at enrolment is not a reset.
    if request is not None and getattr(request, "user", None) == instance.user and "/accounts/mfa/" in request.path:
        return
    record_access(
        request, Action.MFA_RESET, obj=instance.user, detail=f"Two-step sign-in device removed: {instance.name}."
    )
