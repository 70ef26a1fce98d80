"""In a real browser: every report page draws its charts and has no serious accessibility problem.

Screenshots of each page at phone (375 px) and desktop (1280 px) width go to
/work/screenshots/ (or $SCREENSHOT_DIR) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/work/screenshots"))

# Runs before any page script: collects what the Content-Security-Policy blocked.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""

CHARTS_DRAWN = """
() => Array.from(document.querySelectorAll('canvas[data-chart]')).map((canvas) => {
  const chart = window.Chart && window.Chart.getChart(canvas);
  const bars = chart ? chart.getDatasetMeta(0).data.length : 0;
  const box = canvas.getBoundingClientRect();
  return {id: canvas.id, rendered: canvas.dataset.rendered === 'true', bars: bars,
          width: box.width, height: box.height};
})
"""


@pytest.fixture
def reports_browser(browser):
    pytest.importorskip("axe_playwright_python")
    return browser


def _signed_in_context(browser, live_server, user, width):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(COLLECT_VIOLATIONS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_report_pages_draw_charts_and_pass_axe(live_server, reports_browser):
    from tests.personas import build_world
    from tests.test_reports_support import build_lantern

    world = build_world()
    lantern = build_lantern(world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "report-operation": (f"/reports/operations/{lantern.operation.pk}/", 1),
        "report-dashboard": ("/reports/?start=2025-03-01&end=2025-03-31", 8),
        "report-measures": ("/reports/performance-measures/?year=2025&quarter=1", 2),
        "report-operations-list": ("/reports/operations/", 0),
    }
    problems = {}
    for persona in ("coordinator", "analyst"):
        for width in (1280, 375):
            context = _signed_in_context(reports_browser, live_server, getattr(world.users, persona), width)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            for name, (path, min_charts) in pages.items():
                response = page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                assert response.status == 200, (persona, path, response.status)
                charts = page.evaluate(CHARTS_DRAWN)
                # The analyst's small counts are hidden, so fewer charts have anything to draw.
                assert len(charts) >= (min_charts if persona == "coordinator" else min(min_charts, 1)), (
                    persona,
                    path,
                    charts,
                )
                for chart in charts:
                    assert chart["rendered"] and chart["bars"] > 0 and chart["height"] > 50, (persona, path, chart)
                assert page.evaluate("window.__cspViolations") == [], (persona, path)
                found = _serious(page)
                if found:
                    problems[(persona, width, path)] = found
                page.screenshot(path=str(SHOTS / f"{name}-{persona}-{width}.png"), full_page=True)
                page.screenshot(path=str(SHOTS / f"{name}-{persona}-{width}-top.png"))
            assert errors == [], errors
            context.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_copy_button_copies_the_paragraph(live_server, reports_browser):
    from tests.personas import build_world
    from tests.test_reports_support import build_lantern

    world = build_world()
    lantern = build_lantern(world)
    context = _signed_in_context(reports_browser, live_server, world.users.coordinator, 1280)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/reports/operations/{lantern.operation.pk}/")
    page.click("[data-copy-target=report-paragraph]")
    page.wait_for_selector(".tf-copy-status:has-text('copied')")
    page.emulate_media(media="print")
    # US Letter at 96 dpi less the print margins (reports.css @page), for the preview.
    page.set_viewport_size({"width": 726, "height": 950})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "report-operation-print.png"), full_page=True)
    assert page.locator(".tf-print-footer").is_visible()
    assert not page.locator(".usa-header").is_visible()
    # The browser's print gives one page.
    pdf = page.pdf(format="Letter", path=str(SHOTS / "report-operation-print.pdf"))
    import re

    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    context.close()
