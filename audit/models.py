"""The access log: who looked at, searched, exported or signed in, and when.

Rows are written once and never changed. The model refuses updates and deletes,
the admin is read-only, and on PostgreSQL triggers refuse UPDATE, DELETE and
TRUNCATE (audit/db.py). Only `archive_audit` may remove rows past retention, after
writing them to a file, through the database owner's `audit_archive_rows`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    PERSON_VIEW = "person_view", "Viewed a person's details"
    PERSON_SEARCH = "person_search", "Searched people"
    RECORD_VIEW = "record_view", "Viewed a record"
    RECORD_LIST = "record_list", "Listed records"
    EXPORT = "export", "Exported or downloaded"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOCKOUT = "lockout", "Locked out"
    LOCKOUT_RELEASED = "lockout_released", "Lock-out released"
    LOGOUT = "logout", "Signed out"
    SESSION_ENDED = "session_ended", "Session ended (access removed)"
    TOKEN_REFUSED = "token_refused", "API token refused (access removed)"
    MFA_VERIFIED = "mfa_verified", "Second factor verified"
    MFA_FAILED = "mfa_failed", "Second factor failed"
    MFA_ENROLLED = "mfa_enrolled", "Enrolled an authenticator"
    MFA_RESET = "mfa_reset", "Authenticator reset by an administrator"
    ENROLMENT_ISSUED = "enrolment_issued", "Two-step enrolment code issued"
    ENROLMENT_FAILED = "enrolment_failed", "Wrong two-step enrolment code"
    PASSWORD_CHANGED = "password_changed", "Changed own password"
    MEMBERSHIP_CHANGE = "membership_change", "Changed a membership or role"
    USER_CHANGE = "user_change", "Changed a user account"
    AUDIT_VIEW = "audit_view", "Viewed the audit trail"
    AUDIT_EXPORT = "audit_export", "Exported the audit trail"
    AUDIT_ARCHIVE = "audit_archive", "Archived old audit rows"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete are refused: audit rows are never changed."""

    def update(self, **kwargs):
        raise ValidationError("Audit records cannot be changed.")

    def delete(self):
        raise ValidationError("Audit records cannot be deleted; old rows are archived with archive_audit.")

    def visible_to(self, user):
        from cases import access

        return access.scope(self, user)


class AccessLog(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # As typed at sign-in, or the account's name at the time.
    username = models.CharField(max_length=150, blank=True, editable=False)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    action = models.CharField(max_length=24, choices=Action.choices, db_index=True, editable=False)
    object_type = models.CharField(max_length=60, blank=True, editable=False, help_text="app_label.model")
    object_id = models.CharField(max_length=40, blank=True, editable=False)
    object_label = models.CharField(max_length=200, blank=True, editable=False)
    detail = models.TextField(blank=True, editable=False)
    # Every record of personal data the response showed: {"cases.referral": [4, 9], "cases.person": [12]}.
    records = models.JSONField(default=dict, blank=True, editable=False)
    # The people those records are about, as ",12,30," so that "was person 12 shown?" is one
    # LIKE query on SQLite and PostgreSQL alike (JSON containment is PostgreSQL-only).
    person_ids = models.TextField(blank=True, editable=False)
    path = models.CharField(max_length=300, blank=True, editable=False)
    ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    request_id = models.CharField(max_length=32, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["agency", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'}: {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Audit records cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit records cannot be deleted.")

    def record_groups(self, limit: int = 20) -> list[dict]:
        """The records shown, readably: [{"label", "name": "referrals", "ids": [...], "more": 3}]."""
        from django.apps import apps

        shown = dict(self.records)
        if self.person_ids:
            # The people of every record shown, listed with the people shown themselves.
            shown["cases.person"] = sorted(set(shown.get("cases.person", [])) | set(self.people))
        groups = []
        for label, ids in sorted(shown.items()):
            try:
                name = apps.get_model(label)._meta.verbose_name_plural
            except (LookupError, ValueError):
                name = label
            groups.append(
                {"label": label, "name": str(name), "ids": ids[:limit], "more": max(len(ids) - limit, 0), "all": ids}
            )
        return groups

    def records_text(self) -> str:
        """The records shown in one line, for the CSV download: "people 4, 9; referrals 2"."""
        return "; ".join(f"{g['name']} {', '.join(str(pk) for pk in g['all'])}" for g in self.record_groups())

    @property
    def people(self) -> list[int]:
        return [int(pk) for pk in self.person_ids.split(",") if pk]

    @staticmethod
    def person_ids_text(ids) -> str:
        return f",{','.join(str(pk) for pk in sorted(ids))}," if ids else ""

    @classmethod
    def showing_person_q(cls, pk: int) -> models.Q:
        """Rows whose response showed person `pk`."""
        return models.Q(person_ids__contains=f",{int(pk)},")


# The change history of the agency and case models (audit.history): attached from here so
# that neither app imports the audit trail.
from .history import track_project_models  # noqa: E402

track_project_models()
