"""The primary navigation for the user's role (used by the {% navigation %} tag in base.html)."""

from __future__ import annotations

from django.urls import reverse

from . import access

# (label, URL name or path, section, action the role needs). An entry leads only where
# the role can see something: the policy says which sections each role is shown
# (access.navigation_shows).
NAV_ITEMS = (
    ("Operations", "web:operation_list", "operation", "person_level.view"),
    ("People", "web:person_list", "person", "person_level.view"),
    ("Referrals", "web:referral_list", "referral", "person_level.view"),
    ("Custody", "web:handoff_list", "handoff", "person_level.view"),
    ("Detentions", "web:detention_list", "detention", "person_level.view"),
    ("Investigations", "web:investigation_list", "investigation", "person_level.view"),
    ("Immigration relief", "web:relief_list", "relief", "person_level.view"),
    ("Court dates", "web:court_event_list", "court_event", "person_level.view"),
    ("Tasks", "web:task_list", "task", "person_level.view"),
    ("Reports", "/reports/", "reports", "report.view"),
    ("Audit trail", "/audit/", "audit", "audit.view"),
)


def _url(target: str) -> str:
    # A name that does not resolve is a bug, raised here so a page test fails on it.
    return target if target.startswith("/") else reverse(target)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": None}
    match = getattr(request, "resolver_match", None)
    url_name = (match.url_name or "") if match and match.namespace == "web" else ""
    path = request.path
    items = []
    current = "home" if url_name == "home" else None
    for label, target, section, action in NAV_ITEMS:
        if not access.navigation_shows(user, section) or not access.can(user, action):
            continue
        url = _url(target)
        items.append({"label": label, "url": url, "section": section})
        if url_name.startswith(section) or (target.startswith("/") and path.startswith(target)):
            current = section
        if section == "person" and url_name.startswith(("contact", "offer")):
            current = "person"
        if section == "investigation" and url_name.startswith(("prosecution", "count", "court_event")):
            current = "investigation"
    return {"nav": {"items": items, "section": current}}
