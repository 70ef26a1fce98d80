"""Named API tokens: django-rest-knox's hashed, expiring token with a name and a last use.

Knox keeps only a SHA-512 digest of the secret and the first 15 characters (to find the
row); the secret itself is shown once when the token is made. The model replaces knox's
own (settings.KNOX_TOKEN_MODEL) so that a user can tell several tokens apart.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(models.Q(expiry__isnull=True) | models.Q(expiry__gt=timezone.now()))


# knox's manager: create() returns (token, secret).
ApiTokenManager = AuthTokenManager.from_queryset(ApiTokenQuerySet)


class ApiToken(AbstractAuthToken):
    # A plain id, so that pages and URLs never carry the digest.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    name = models.CharField(max_length=100, help_text="What the token is for, to tell your tokens apart.")
    last_used = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"
