"""EMAIL_URL → Django's EMAIL_* settings, in one line of the environment.

    smtp://host:25                       plain SMTP (a local relay)
    smtp+tls://user:pass@host:587        STARTTLS
    smtp+ssl://user:pass@host:465        SMTP over TLS
    console://                           print mail (the demo)
    locmem://                            keep mail in memory (tests)

User name and password are URL-quoted (an @ in a password is %40).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(f"EMAIL_URL must start with one of {', '.join(sorted(BACKENDS))}://")
    settings = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme],
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
        )
    return settings
