"""In a real browser, no page breaks the Content-Security-Policy.

Chromium reports every blocked inline script, style or external load as a
`securitypolicyviolation` event and a console error; both are collected while
staff pages, the audit viewer and the admin load.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"

# Runs before any page script; Playwright injects it outside the page's CSP.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _visit_all(browser, base_url, username, paths):
    context = browser.new_context()
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type in ("error", "warning") else None)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, "sign-in failed"
    violations = {}
    for path in paths:
        response = page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        assert response.status < 400, (path, response.status)
        found = page.evaluate("window.__cspViolations")
        csp_console = [text for text in console if "Content Security Policy" in text or "Refused to" in text]
        if found or csp_console:
            violations[path] = found + csp_console
        console.clear()
    context.close()
    return violations


def test_staff_pages_have_no_csp_violation(live_server, browser):
    from tests.personas import build_world

    world = build_world()
    world.users.coordinator.is_staff = True  # the access log in the admin is the coordinator's, not the sysadmin's
    world.users.coordinator.save(update_fields=["is_staff"])
    person = world.records.victim_sjpd.person
    paths = [
        "/",
        "/people/",
        f"/people/{person.pk}/",
        "/operations/",
        f"/operations/{world.records.op_sjpd.pk}/",
        "/audit/",
        "/audit/changes/?model=cases.operation",
        f"/audit/record/cases.person/{person.pk}/",
        "/admin/audit/accesslog/",
    ]
    violations = _visit_all(browser, live_server.url, world.users.coordinator.username, paths)
    assert violations == {}


def test_admin_and_mfa_pages_have_no_csp_violation(live_server, browser, settings):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root_rita", "", PASSWORD)
    paths = ["/admin/", "/admin/agencies/user/", "/admin/agencies/agency/"]
    violations = _visit_all(browser, live_server.url, "root_rita", paths)
    assert violations == {}
