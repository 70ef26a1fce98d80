"""One row per (user, key): the first answer to a request, replayed to its repeats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_MAX_LENGTH = 100


class IdempotencyKey(models.Model):
    """The answer given to the first request that carried `key`, for `user` only.

    Rows are visible to nobody through the pages, the API or the admin: only
    `idempotency.service` reads them, always filtered by the requesting user, so one
    user's answer is never replayed to another.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    #: SHA-256 of what was sent, so a key reused for another request is recognised.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    #: Where a page redirected to (the record created); empty for the API.
    location = models.CharField(max_length=500, blank=True)
    #: The API's answer, replayed as it was.
    body = models.TextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    etag = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                name="idempotency_key_once_per_user",
                violation_error_message="This idempotency key was already used.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
