"""What the harness measures: named targets, each a way to build its URL for a subject.

A target whose URL name does not exist yet (a page still being built) is reported as
"not available yet" instead of failing the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # "page", "api" or "report"
    url: Callable  # (subject) -> str; may raise NoReverseMatch or LookupError


def _deep(name: str) -> Callable:
    """The page that starts halfway through the subject's whole list (the hardest for OFFSET paging)."""

    def build(subject) -> str:
        return subject.middle_of(name)

    return build


def _needs(attribute: str, build: Callable) -> Callable:
    def url(subject) -> str:
        value = getattr(subject, attribute)
        if value is None:
            raise LookupError(f"nothing of this kind is visible to the {subject.label}")
        return build(value)

    return url


TARGETS: list[Target] = [
    # The floor: a request that reads no case data. On a busy machine everything is
    # slower; this row shows by how much.
    Target("baseline: API token status", "baseline", lambda s: reverse("api:token")),
    Target("operations list", "page", lambda s: reverse("web:operation_list")),
    Target("operation detail", "page", _needs("operation", lambda pk: reverse("web:operation_detail", args=[pk]))),
    Target("person page", "page", _needs("person", lambda pk: reverse("web:person_detail", args=[pk]))),
    Target("referral inbox", "page", lambda s: reverse("web:referral_inbox")),
    # The forgiving search, as an officer types a name heard at the scene ("Destny" for Destiny).
    Target("people search, misspelled", "page", lambda s: reverse("web:person_list") + "?q=Destny"),
    Target("API people search, misspelled", "api", lambda s: reverse("api:person-list") + "?q=Destny"),
    Target("API operations", "api", lambda s: reverse("api:operation-list")),
    Target("API operations, middle page", "api", _deep("api:operation-list")),
    Target("API contacts", "api", lambda s: reverse("api:contact-list")),
    Target("API contacts, middle page", "api", _deep("api:contact-list")),
    Target("API referrals", "api", lambda s: reverse("api:referral-list")),
    Target("API referrals, middle page", "api", _deep("api:referral-list")),
    # After the operation: the lifecycle lists and pages (none of them for an advocate
    # but the court dates and the relief requests).
    Target("investigations list", "page", lambda s: reverse("web:investigation_list")),
    Target(
        "investigation detail",
        "page",
        _needs("investigation", lambda pk: reverse("web:investigation_detail", args=[pk])),
    ),
    Target("prosecutions list", "page", lambda s: reverse("web:prosecution_list")),
    Target(
        "prosecution detail", "page", _needs("prosecution", lambda pk: reverse("web:prosecution_detail", args=[pk]))
    ),
    Target("court dates", "page", lambda s: reverse("web:court_event_list")),
    Target("relief requests", "page", lambda s: reverse("web:relief_list")),
    Target("relief request", "page", _needs("relief", lambda pk: reverse("web:relief_detail", args=[pk]))),
    Target("API investigations", "api", lambda s: reverse("api:investigation-list")),
    Target("API investigations, middle page", "api", _deep("api:investigation-list")),
    Target("API prosecutions", "api", lambda s: reverse("api:prosecution-list")),
    Target("API counts", "api", lambda s: reverse("api:count-list")),
    Target("API court events", "api", lambda s: reverse("api:court-event-list")),
    Target("API relief requests", "api", lambda s: reverse("api:relief-request-list")),
    Target(
        "report: operation outcome",
        "report",
        _needs("operation", lambda pk: reverse("api:reports-api:operation", args=[pk])),
    ),
    Target("report: task-force summary", "report", lambda s: reverse("api:reports-api:summary")),
    Target("report: performance measures", "report", lambda s: reverse("api:reports-api:performance-measures")),
    Target("report: HTRS export", "report", lambda s: reverse("api:reports-api:htrs")),
    # Dashboards and reports as pages (issue 18): the default year, six years, the grant
    # measures and the operation report; kept answers once warmed (cases/reports/snapshots.py,
    # REPORT_MAX_AGE_SECONDS; the harness's warm-up requests keep them).
    Target("dashboard page, default year", "report", lambda s: reverse("reports:dashboard")),
    Target(
        "dashboard page, six years",
        "report",
        lambda s: reverse("reports:dashboard") + "?start=2020-01-01&end=2025-12-31",
    ),
    Target(
        "report: task-force summary, six years",
        "report",
        lambda s: reverse("api:reports-api:summary") + "?start=2020-01-01&end=2025-12-31",
    ),
    Target("grant measures page", "report", lambda s: reverse("reports:measures")),
    Target("operation report page", "report", _needs("operation", lambda pk: reverse("reports:operation", args=[pk]))),
]
