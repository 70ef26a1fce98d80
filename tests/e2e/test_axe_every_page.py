"""axe-core over every page of the application: no serious or critical violation anywhere.

The pages are not listed by hand; they come from the tables that already name every URL:
- the web access table (tests/web_access/): every GET entry and each kind of object it is opened
  on (not each object: another agency's operation is the same page with other data), as a persona
  the table says gets 200 there (the least used one, so every role's view of the pages is met
  somewhere);
- every registered ModelAdmin: its changelist, add page and the first record's change page, as the
  coordinator (a staff member) and as the system administrator; where both may do the same on a
  model (view, add, change, delete, the same actions) its pages are the same template with other
  rows, and only the first persona opens them. Besides: the admin's index as each persona, each
  app's index and the history page (one template for every model) once;
- the API root /api/v1/ (as a browser asks for it) and the Swagger page /api/v1/docs/;
- the error pages: 404 and 403 in the application and in the admin, and the sign-in page.

Chromium is launched once per session; each persona gets one browser context (signed in by its
session cookie) for all its pages of a test, and axe-core is loaded into every document of that
context by an init script rather than sent again for each page. A page is read once the load event
has fired and no htmx request is running (its sections are in), not after a fixed quiet time.
The walks are cut into parts (the staff pages by persona, the admin pages by model) of about the
same size, so the test workers share them out. All findings are collected and reported together: page, rule,
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


def _api_and_error_pages(world) -> list[Visit]:
    return [
        Visit("API root", "/api/v1/"),
        Visit("API docs (Swagger UI)", "/api/v1/docs/", ignore=SWAGGER_OWN),
        Visit("404 page", "/no-such-page/", 404),
        Visit("404 page of a record out of scope", f"/operations/{world.records.op_kcpd.pk}/", 404),
        Visit("403 page", reverse("audit:accesslog-list"), 403),
    ]


# The page is read once no htmx request runs: its "load" sections are asked for when htmx starts,
# before the load event the navigation waits for, and their answers are swapped in before the
# request's class is taken off.
HTMX_SETTLED = "() => !document.querySelector('.htmx-request')"
AXE_OPTIONS = {"resultTypes": ["violations"]}


class AxeRunner:
    def __init__(self, browser, base_url):
        from axe_playwright_python.base import AXE_SCRIPT

        self.axe_script, self.browser, self.base_url = AXE_SCRIPT, browser, base_url
        self.checked: list[Checked] = []
        self.skipped: list[str] = []

    def context_for(self, user, width=1280):
        from django.conf import settings
        from django.test import Client

        context = self.browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(60_000)  # the machine may be busy; a slow page is not a finding
        # axe-core (570 kB) in every document of the context, instead of evaluated into each page.
        context.add_init_script(script=self.axe_script)
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
            page.wait_for_function(HTMX_SETTLED, polling=50, timeout=30_000)
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
        results = page.evaluate("options => axe.run(options)", AXE_OPTIONS)
        findings = list(wrong_status)
        for v in results["violations"]:
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
# The admin pages are checked in parts of about as many pages each, for the same reason.
ADMIN_PARTS = 3


@dataclass
class AdminModel:
    """One model's admin pages as one persona: the list, the add form, the first record's page."""

    persona: str
    app_label: str
    info: str  # "<app_label>_<model_name>", as in the admin's URL names
    add: bool
    has_record: bool
    history: bool = False  # and that record's history page (one template for every model: once)

    @property
    def pages(self) -> int:
        return 1 + self.add + self.has_record + self.history


def _admin_request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _admin_rights(model_admin, request) -> str:
    """What the admin lets this user do and see on a model's pages, besides which rows: two users
    with the same rights get the same pages (same template, same fields, buttons and actions)."""
    return repr(
        (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
            sorted(model_admin.get_actions(request)),
            model_admin.get_list_display(request),
            model_admin.get_list_filter(request),
            model_admin.get_fieldsets(request),
            model_admin.get_readonly_fields(request),
            [type(inline) for inline in model_admin.get_inline_instances(request)],
        )
    )


def _admin_plan(world) -> tuple[list[AdminModel], list[tuple[str, Visit]], list[str]]:
    """Each registered model's pages as the first admin persona that may open them, and again as the
    next only where its rights there differ; the index as each persona, each app's index and the
    admin's 404 and 403 pages once. Also the model pages left out as the same."""
    units: list[AdminModel] = []
    same: list[str] = []
    requests = {p: _admin_request(getattr(world.users, p)) for p in ADMIN_PERSONAS}
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        rights_seen = []
        for persona, request in requests.items():
            if not model_admin.has_view_permission(request):
                continue
            rights = _admin_rights(model_admin, request)
            if rights in rights_seen:
                same.append(f"{info} as {persona}")
                continue
            rights_seen.append(rights)
            has_record = model_admin.get_queryset(request).exists()
            unit = AdminModel(persona, model._meta.app_label, info, model_admin.has_add_permission(request), has_record)
            unit.history = has_record and not any(u.history for u in units)
            units.append(unit)
    extra = [(p, Visit(f"admin index as {p}", reverse("admin:index"))) for p in ADMIN_PERSONAS]
    for app_label in sorted({u.app_label for u in units}):
        persona = next(u.persona for u in units if u.app_label == app_label)
        extra.append((persona, Visit(f"admin app {app_label}", reverse("admin:app_list", args=[app_label]))))
    # The admin's error pages: a record that does not exist (or is out of scope), a list not to be opened.
    extra.append(("coordinator", Visit("admin 404 page", "/admin/cases/operation/999999/change/", 404)))
    extra.append(("sysadmin", Visit("admin 403 page", reverse("admin:cases_operation_changelist"), 403)))
    return units, extra, same


def _admin_part(world, part: int) -> tuple[list[AdminModel], list[tuple[str, Visit]]]:
    """This part's models (about as many pages in each part; the first has the index pages too)."""
    units, extra, _ = _admin_plan(world)
    sizes = [len(extra), *[0] * (ADMIN_PARTS - 1)]
    parts: list[list[AdminModel]] = [[] for _ in range(ADMIN_PARTS)]
    for unit in units:
        smallest = sizes.index(min(sizes))
        parts[smallest].append(unit)
        sizes[smallest] += unit.pages
    return parts[part], extra if part == 0 else []


def _check_admin_model(runner, page, unit: AdminModel):
    persona, url = unit.persona, f"admin:{unit.info}_%s"
    runner.check(page, persona, Visit(f"admin changelist {unit.info}", reverse(url % "changelist")))
    first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
    change = first.get_attribute("href") if first.count() else None
    assert change or not unit.has_record, f"the admin list of {unit.info} shows {persona} no record"
    if unit.add:
        runner.check(page, persona, Visit(f"admin add {unit.info}", reverse(url % "add")))
    if change:
        runner.check(page, persona, Visit(f"admin change {unit.info}", change))
    if change and unit.history:
        runner.check(page, persona, Visit(f"admin history {unit.info}", change.removesuffix("change/") + "history/"))


def test_every_admin_list_is_checked_by_one_of_the_admin_personas(admin_world):
    units, extra, same = _admin_plan(admin_world)
    planned = {u.info for u in units}
    for model in admin.site._registry:
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        assert info in planned, f"no admin persona may open the list of {info}"
    assert sum(u.history for u in units) == 1
    # Each model and persona once: as the other persona, or for its own rights.
    assert len(units) + len(same) == sum(
        model_admin.has_view_permission(_admin_request(getattr(admin_world.users, p)))
        for model_admin in admin.site._registry.values()
        for p in ADMIN_PERSONAS
    )
    # The parts share out every model's pages, each once.
    in_parts = [u.info + u.persona for part in range(ADMIN_PARTS) for u in _admin_part(admin_world, part)[0]]
    assert sorted(in_parts) == sorted(u.info + u.persona for u in units)
    print(f"{len(units)} admin models checked; the same pages as the persona before: {same}")


@pytest.mark.parametrize("part", range(ADMIN_PARTS))
def test_axe_finds_nothing_serious_on_any_admin_page(admin_world, axe_runner, part):
    runner = axe_runner
    units, extra = _admin_part(admin_world, part)
    for persona in ADMIN_PERSONAS:
        mine = [u for u in units if u.persona == persona]
        visits = [v for p, v in extra if p == persona]
        if not mine and not visits:
            continue
        context = runner.context_for(getattr(admin_world.users, persona))
        page = context.new_page()
        for visit in visits:
            runner.check(page, persona, visit)
        for unit in mine:
            _check_admin_model(runner, page, unit)
        context.close()

    checked_paths = {c.path.split("?")[0] for c in runner.checked}
    missing = sorted({reverse(f"admin:{u.info}_changelist") for u in units} - checked_paths)
    assert not missing, f"admin lists axe did not check: {missing}"
    assert len(runner.checked) > 20, len(runner.checked)
    _assert_clean(runner)


BAD_PAGE = """<!doctype html><html lang="en"><head><title>A bad page</title></head><body>
<main><h1>A bad page</h1><img src="/static/none.png"><button id="tf-known"></button></main>
<p>Outside of every landmark.</p></body></html>"""


def test_the_walk_reports_what_axe_finds_on_a_page(browser, live_server):
    """The collector the walks use: a serious finding and a moderate rule kept fixed fail the walk,
    a finding named as ignored on that page and a page that answers as expected do not."""
    pytest.importorskip("axe_playwright_python")
    runner = AxeRunner(browser, live_server.url)
    context = runner.context_for(None)
    page = context.new_page()
    page.route("**/bad-page/", lambda route: route.fulfill(status=200, content_type="text/html", body=BAD_PAGE))
    assert runner.check(page, "anonymous", Visit("bad page", "/bad-page/", 404, ignore=[("button-name", "tf-known")]))
    context.close()

    report = runner.report()
    assert "/bad-page/ (bad page, as anonymous): answered 200, not 404" in report
    assert "image-alt (critical)" in report
    assert "region (moderate)" in report
    assert "button-name" not in report
    with pytest.raises(AssertionError, match="axe violations"):
        _assert_clean(runner)
