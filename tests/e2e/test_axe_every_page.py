"""axe-core over every page of the application: no serious or critical violation anywhere.

The pages are not listed by hand; they come from the tables that already name every URL:
- the web access table (tests/web_access/): every GET entry and each kind of object it is opened
  on (not each object: another agency's operation is the same page with other data), as a persona
  the table says gets 200 there (the least used one, so every role's view of the pages is met
  somewhere);
- every registered ModelAdmin: its changelist, add page and the first record's change and history
  pages, as the coordinator (a staff member) and the system administrator, plus the admin's index
  and each app's index;
- the API root /api/v1/ (as a browser asks for it) and the Swagger page /api/v1/docs/;
- the error pages: 404 and 403 in the application and in the admin, and the sign-in page.

Chromium is launched once per session; each persona gets one browser context (signed in by its
session cookie) for all its pages. All findings are collected and reported together: page, rule,
impact and the elements (axe's CSS targets). Besides serious and critical findings, the two
moderate rules this test was written to fix ("region": content outside any landmark, and
"landmark-unique") fail it too, so they do not come back.

On the Swagger page, findings in Swagger UI's own markup that cannot be fixed from outside are
named one by one in SWAGGER_OWN and not counted; everything else on that page is.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

FAILING_IMPACTS = ("serious", "critical")
# Moderate rules fixed once and kept fixed: every piece of content in a landmark, landmarks told apart.
ALSO_FAILING_RULES = ("region", "landmark-unique")
# Swagger UI (drf-spectacular's vendored bundle) draws its widget from JavaScript (React); its markup
# cannot be changed from outside. Our page around it (language, title, links back) and the colours
# (static/css/swagger.css) are fixed; these findings of Swagger's own markup are left, by rule and element:
SWAGGER_OWN = [
    # Each operation's heading is one <button> holding other buttons (copy the path, the lock).
    ("nested-interactive", ".opblock-summary-control"),
    # Its title block and server/authorize bar are drawn outside the <main> it draws itself.
    ("region", ".information-container"),
    ("region", ".scheme-container"),
]


@dataclass
class Visit:
    label: str
    path: str
    expected_status: int = 200
    # (axe rule, part of the element's CSS target) pairs not counted on this page.
    ignore: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Checked:
    label: str
    path: str
    persona: str
    findings: list[str]
    seconds: float = 0.0


def page_kind(case, obj: str) -> tuple[str, str]:
    """The kind of page an access-table entry opens: its URL (and query) and the kind of its object.

    The table's object names say whose record it is ("own", "other", "unrelated", see
    tests/web_access/registry.py) and, after that, which kind of record or state it is in
    ("own_child", "other_acknowledge"). Whose record it is changes the data, not the page's
    template: a page kind is opened once, on the first of its objects some persona may open.
    """
    return case.id, re.sub(r"^(own|other|unrelated)(_|$)", "", obj)


def _web_pages(world) -> tuple[dict[str, list[Visit]], list[str]]:
    """The access table's GET entries, each kind of page once, as a persona that gets 200 there."""
    from tests.web_access.registry import PERSONAS, load_tables

    # "nobody" is signed out by the middleware at its first request; anonymous stands for it.
    usable = [p for p in PERSONAS if p != "nobody"]
    used = {p: 0 for p in usable}
    by_persona: dict[str, list[Visit]] = {}
    opened, unvisited = set(), []
    for case in load_tables():
        if case.method != "get":
            continue
        for obj, statuses in case.expect.items():
            candidates = [p for p in usable if statuses[p] == 200]
            if not candidates:
                unvisited.append(f"{case.id} [{obj}]")
                continue
            if page_kind(case, obj) in opened:
                continue
            opened.add(page_kind(case, obj))
            persona = min(candidates, key=lambda p: (used[p], usable.index(p)))
            used[persona] += 1
            kwargs = case.objects[obj](world) or None
            path = reverse(case.url_name, kwargs=kwargs)
            if case.query:
                path = f"{path}?{case.query(world)}"
            by_persona.setdefault(persona, []).append(Visit(f"{case.id} [{obj}]", path))
    return by_persona, unvisited


def _admin_pages() -> list[Visit]:
    pages = [Visit("admin index", reverse("admin:index"))]
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        pages.append(Visit(f"admin app {app_label}", reverse("admin:app_list", args=[app_label])))
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        pages.append(Visit(f"admin changelist {info}", reverse(f"admin:{info}_changelist")))
        pages.append(Visit(f"admin add {info}", reverse(f"admin:{info}_add")))
    # A record that does not exist: back to the list (200 after the redirect) with a message.
    pages.append(Visit("admin record that does not exist", "/admin/cases/operation/999999/change/"))
    return pages


def _api_and_error_pages(world) -> list[Visit]:
    return [
        Visit("API root", "/api/v1/"),
        Visit("API docs (Swagger UI)", "/api/v1/docs/", ignore=SWAGGER_OWN),
        Visit("404 page", "/no-such-page/", 404),
        Visit("404 page of a record out of scope", f"/operations/{world.records.op_kcpd.pk}/", 404),
        Visit("403 page", reverse("audit:accesslog-list"), 403),
    ]


class AxeRunner:
    def __init__(self, browser, base_url):
        from axe_playwright_python.sync_playwright import Axe

        self.axe, self.browser, self.base_url = Axe(), browser, base_url
        self.checked: list[Checked] = []
        self.skipped: list[str] = []

    def context_for(self, user, width=1280):
        from django.conf import settings
        from django.test import Client

        context = self.browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(60_000)  # the machine may be busy; a slow page is not a finding
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base_url}])
        return context

    def open(self, page, visit: Visit):
        """Opens the page and lets its htmx sections load; None for a download."""
        try:
            response = page.goto(self.base_url + visit.path)
        except Exception as error:  # Chromium hands a download to the download manager
            if "Download is starting" in str(error):
                self.skipped.append(f"{visit.label}: a download")
                return None
            raise
        try:
            page.wait_for_load_state("networkidle")
        except PlaywrightTimeout:  # a busy machine: axe reads the page as it stands
            pass
        return response

    def check(self, page, persona: str, visit: Visit, response=None) -> bool:
        """Runs axe on the page (opened here unless `response` says it is open); False when it is not
        an HTML document (a download, JSON, a fragment)."""
        started = time.monotonic()
        response = response or self.open(page, visit)
        if response is None:
            return False
        wrong_status = (
            []
            if response.status == visit.expected_status
            else [f"answered {response.status}, not {visit.expected_status}"]
        )
        content_type = response.headers.get("content-type", "")
        if "text/html" not in content_type or "<html" not in response.text()[:400].lower():
            if wrong_status:
                self.checked.append(Checked(visit.label, visit.path, persona, wrong_status))
            self.skipped.append(f"{visit.label}: {content_type.split(';')[0]}, not a page")
            return False
        results = self.axe.run(page)
        findings = list(wrong_status)
        for v in results.response["violations"]:
            if v.get("impact") not in FAILING_IMPACTS and v["id"] not in ALSO_FAILING_RULES:
                continue
            targets = [n["target"] for n in v["nodes"]]
            targets = [t for t in targets if not any(v["id"] == rule and part in str(t) for rule, part in visit.ignore)]
            if targets:
                findings.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets[:5]}")
        seconds = time.monotonic() - started
        self.checked.append(Checked(visit.label, page.url.removeprefix(self.base_url), persona, findings, seconds))
        return True

    def report(self) -> str:
        lines = []
        for c in self.checked:
            for finding in c.findings:
                lines.append(f"{c.path} ({c.label}, as {c.persona}): {finding}")
        return "\n".join(lines)


@pytest.fixture
def axe_runner(browser, live_server):
    pytest.importorskip("axe_playwright_python")
    return AxeRunner(browser, live_server.url)


@pytest.fixture
def admin_world(e2e_world):
    # The coordinator works in the admin too (memberships, agencies): a staff member.
    coordinator = e2e_world.users.coordinator
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    # A referral in every state, so the lists and pages show every status badge.
    from cases.models import ReferralClosure, ReferralStatus
    from tests import factories as f

    records = e2e_world.records
    for status in ReferralStatus.values:
        extra = {"decline_reason": "No bed free tonight."} if status == ReferralStatus.DECLINED else {}
        if status == ReferralStatus.CLOSED:
            extra["closure"] = ReferralClosure.values[0]
        f.ReferralFactory(contact=records.victim_sjpd, to_agency=e2e_world.agencies.harbor, status=status, **extra)
    return e2e_world


def _visit_admin(runner, context, persona):
    page = context.new_page()
    history_checked = False
    for visit in _admin_pages():
        response = runner.open(page, visit)
        if response.status in (403, 404):  # not this persona's page; the other one checks it
            continue
        runner.check(page, persona, visit, response)
        if not visit.label.startswith("admin changelist"):
            continue
        # The first record of the list: its change page, and (one model's: the admin's history page
        # is one template for every model) its history.
        first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
        if first.count():
            change = first.get_attribute("href")
            runner.check(page, persona, Visit(visit.label.replace("changelist", "change"), change))
            if not history_checked:
                history = change.removesuffix("change/") + "history/"
                history_checked = runner.check(
                    page, persona, Visit(visit.label.replace("changelist", "history"), history)
                )
    page.close()


# The pages are checked in two parts so that the two test workers share them out.
STAFF_PARTS = 2


def _personas_of_part(by_persona: dict[str, list[Visit]], part: int, first_part_extra: int) -> list[str]:
    """The personas whose pages this part checks: the parts get about as many pages each
    (part 0 has `first_part_extra` more, the API and error pages)."""
    sizes = [first_part_extra, *[0] * (STAFF_PARTS - 1)]
    parts: list[list[str]] = [[] for _ in range(STAFF_PARTS)]
    for persona in sorted(by_persona, key=lambda p: (-len(by_persona[p]), p)):
        smallest = sizes.index(min(sizes))
        parts[smallest].append(persona)
        sizes[smallest] += len(by_persona[persona])
    return sorted(parts[part])


def _assert_clean(runner):
    slowest = sorted(runner.checked, key=lambda c: -c.seconds)[:10]
    print("slowest:", [(c.path, round(c.seconds, 1)) for c in slowest])
    print(f"axe checked {len(runner.checked)} pages; not pages: {runner.skipped}")
    report = runner.report()
    assert not report, "axe violations:\n" + report


@pytest.mark.parametrize("part", range(STAFF_PARTS))
def test_axe_finds_nothing_serious_on_any_staff_page(admin_world, axe_runner, part):
    world, runner = admin_world, axe_runner
    by_persona, unvisited = _web_pages(world)
    personas = _personas_of_part(by_persona, part, len(_api_and_error_pages(world)))
    for persona in personas:
        user = None if persona == "anonymous" else getattr(world.users, persona)
        context = runner.context_for(user)
        page = context.new_page()
        for visit in by_persona[persona]:
            runner.check(page, persona, visit)
        context.close()
    if part == 0:  # the API root, its docs and the error pages, as an officer
        context = runner.context_for(world.users.officer_sjpd)
        page = context.new_page()
        for visit in _api_and_error_pages(world):
            runner.check(page, "officer_sjpd", visit)
        context.close()

    checked_paths = {c.path.split("?")[0] for c in runner.checked}
    # The list is derived, not empty; the API root and the error pages go with the first part.
    assert len(runner.checked) > 25, len(runner.checked)
    if part == 0:
        assert {"/api/v1/", "/api/v1/docs/", "/no-such-page/"} <= checked_paths
    print(f"personas {personas}; no persona gets 200: {unvisited}")
    _assert_clean(runner)


ADMIN_PERSONAS = ("coordinator", "sysadmin")


def _admin_views(user) -> set[str]:
    """The admin lists `user` may open, as the admin itself decides."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_view_permission(request)
    }


def test_every_admin_list_is_checked_by_one_of_the_admin_personas(admin_world):
    opened = set().union(*(_admin_views(getattr(admin_world.users, p)) for p in ADMIN_PERSONAS))
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        assert reverse(f"admin:{info}_changelist") in opened, f"no admin persona may open the list of {info}"


@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
def test_axe_finds_nothing_serious_on_any_admin_page(admin_world, axe_runner, persona):
    runner = axe_runner
    user = getattr(admin_world.users, persona)
    context = runner.context_for(user)
    _visit_admin(runner, context, persona)
    context.close()

    checked_paths = {c.path.split("?")[0] for c in runner.checked}
    missing = sorted(_admin_views(user) - checked_paths)
    assert not missing, f"admin lists {persona} may open but axe did not check: {missing}"
    _assert_clean(runner)
