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


# --- Everything a user opens (issue 18): every list page and API list with a search, a sort by
# name (or the list's own sort where it has no name), a filter and a deep page; the operation
# page's sections; the home page. Web deep pages are page 20 (OFFSET 475 of 25 a page); API
# deep pages start halfway through the subject's whole list (a cursor).


def _web(name: str, query: str = "") -> Callable:
    return lambda s: reverse(name) + query


def _section(section: str) -> Callable:
    return _needs("operation", lambda pk: reverse("web:operation_detail", args=[pk]) + f"?section={section}")


DEEP = "?page=20"

LIST_TARGETS: list[Target] = [
    Target("home page", "page", _web("web:home")),
    Target("notifications", "page", _web("notifications:list")),
    *[
        Target(f"operation section: {s}", "page", _section(s))
        for s in ("contacts", "referrals", "custody", "detentions")
    ],
    # Finding a person in the contact form, as an officer types a surname.
    Target("contact form person search", "page", _web("web:person_search", "?q=Cruz")),
    Target("people list", "page", _web("web:person_list")),
    Target("people list, search", "page", _web("web:person_list", "?q=Cruz")),
    Target("people list, sorted by name", "page", _web("web:person_list", "?sort=name")),
    Target("people list, filtered", "page", _web("web:person_list", "?age_group=teen")),
    Target("people list, deep page", "page", _web("web:person_list", DEEP)),
    Target("referral list", "page", _web("web:referral_list")),
    Target("referral list, search", "page", _web("web:referral_list", "?q=Cruz")),
    Target("referral list, sorted by status", "page", _web("web:referral_list", "?sort=status")),
    Target("referral list, filtered", "page", _web("web:referral_list", "?status=sent")),
    Target("referral list, deep page", "page", _web("web:referral_list", DEEP)),
    Target("custody list", "page", _web("web:handoff_list")),
    Target("custody list, filtered", "page", _web("web:handoff_list", "?status=awaiting")),
    Target("custody list, deep page", "page", _web("web:handoff_list", DEEP)),
    Target("detentions list", "page", _web("web:detention_list")),
    Target("detentions list, sorted by outcome", "page", _web("web:detention_list", "?sort=outcome")),
    Target("detentions list, filtered", "page", _web("web:detention_list", "?outcome=arrested")),
    Target("detentions list, deep page", "page", _web("web:detention_list", DEEP)),
    Target("investigations list, search", "page", _web("web:investigation_list", "?q=Operation")),
    Target("investigations list, sorted by title", "page", _web("web:investigation_list", "?sort=title")),
    Target("investigations list, filtered", "page", _web("web:investigation_list", "?status=open")),
    Target("investigations list, deep page", "page", _web("web:investigation_list", DEEP)),
    Target("prosecutions list, sorted by court", "page", _web("web:prosecution_list", "?sort=court")),
    Target("prosecutions list, deep page", "page", _web("web:prosecution_list", DEEP)),
    Target("relief requests, search", "page", _web("web:relief_list", "?q=Cruz")),
    Target("relief requests, sorted by status", "page", _web("web:relief_list", "?sort=status")),
    Target("relief requests, filtered", "page", _web("web:relief_list", "?status=requested")),
    Target("relief requests, deep page", "page", _web("web:relief_list", DEEP)),
    Target("court dates, deep page", "page", _web("web:court_event_list", DEEP)),
    Target("tasks", "page", _web("web:task_list")),
    Target("tasks, search", "page", _web("web:task_list", "?q=Offer")),
    Target("API people", "api", _web("api:person-list")),
    Target("API people, search", "api", _web("api:person-list", "?q=Cruz")),
    Target("API people, sorted by name", "api", _web("api:person-list", "?ordering=legal_name")),
    Target("API people, filtered", "api", _web("api:person-list", "?age_group=teen")),
    Target("API people, middle page", "api", _deep("api:person-list")),
    Target("API service offers", "api", _web("api:service-offer-list")),
    Target("API service offers, filtered", "api", _web("api:service-offer-list", "?response=accepted")),
    Target("API service offers, middle page", "api", _deep("api:service-offer-list")),
    Target("API referrals, filtered", "api", _web("api:referral-list", "?status=sent")),
    Target("API custody hand-offs", "api", _web("api:custody-handoff-list")),
    Target("API custody hand-offs, middle page", "api", _deep("api:custody-handoff-list")),
    Target("API detentions", "api", _web("api:detention-list")),
    Target("API detentions, filtered", "api", _web("api:detention-list", "?outcome=arrested")),
    Target("API detentions, middle page", "api", _deep("api:detention-list")),
    Target("API investigations, sorted by title", "api", _web("api:investigation-list", "?ordering=title")),
    Target("API prosecutions, middle page", "api", _deep("api:prosecution-list")),
    Target("API relief requests, middle page", "api", _deep("api:relief-request-list")),
    Target("API tasks", "api", _web("api:task-list")),
    Target("API notifications", "api", _web("api:notification-list")),
]

TARGETS.extend(LIST_TARGETS)
