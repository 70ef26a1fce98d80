"""What every case record shares: who made it, when, and voiding instead of deleting."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from agencies.limits import SHORT_TEXT, check_length, check_text_limits, limited_text


def next_yearly_code(model: type[models.Model], field: str, prefix: str, day) -> str:
    """The next reference of a yearly series, e.g. OP-2026-0007 after OP-2026-0006."""
    start = f"{prefix}-{(day or timezone.now()).year}-"
    last = (
        model.objects.filter(**{f"{field}__startswith": start})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{number:04d}"


class VoidedRecordError(ValidationError):
    """Raised when someone tries to change a record that has been voided."""


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may see (see cases.access)."""

    def visible_to(self, user):
        from cases import access

        return access.scope(self, user)

    def active(self):
        return self.filter(voided_at__isnull=True)


class VoidableModel(models.Model):
    """A record staff never delete: they void it with a reason and it stays in history."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    void_reason = limited_text(SHORT_TEXT, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        check_text_limits(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def owner_agency_id(self) -> int | None:
        """The agency whose supervisor may void this record."""
        raise NotImplementedError

    def mark_voided(self, user, reason: str) -> None:
        """Void the record. Permission is checked by cases.actions.void_record."""
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"void_reason": "Give a reason for voiding this record."})
        check_length("void_reason", reason, SHORT_TEXT)
        if self.is_voided:
            raise VoidedRecordError("This record is already void.")
        self.voided_at = timezone.now()
        self.voided_by = user
        self.void_reason = reason
        self.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])


class OperationOfContact(models.Model):
    """The operation of the record's contact, stored on the record itself.

    Set on every save from the contact, and carried along by Contact.save when a contact
    moves to another operation. The access policy then tests the row's own indexed column
    ("made in one of the agency's operations") instead of looking its contact up row by
    row (docs/PERFORMANCE.md).
    """

    operation = models.ForeignKey(
        "cases.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The operation of the contact this record came out of (kept in step with the contact).",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.operation_id = self.contact.operation_id if self.contact_id else None
        fields = kwargs.get("update_fields")
        if fields is not None and "contact" in fields and "operation" not in fields:
            kwargs["update_fields"] = [*fields, "operation"]
        super().save(*args, **kwargs)


class AppendOnlyModel(models.Model):
    """Rows that are written once and never changed or removed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(f"{self._meta.verbose_name.capitalize()} records cannot be changed once written.")
        # Workflow events are written by the models themselves, without full_clean.
        check_text_limits(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name.capitalize()} records cannot be deleted.")
