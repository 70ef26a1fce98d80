"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

- `browser`: headless /usr/bin/chromium (no browser download), launched once per run; skipped when absent.
- `signed_in(persona)`: a new page signed in as that persona of the world.
- `check_a11y(page)`: axe-core (from axe-playwright-python) on the current page;
  fails on any serious or critical violation.
- `shoot(page, name)`: screenshots at 375 px and 1280 px into /work/screenshots/
  (or $SCREENSHOT_DIR) when that directory exists.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery-staple"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", "/work/screenshots"))


@pytest.fixture(scope="session")
def _chromium():
    """One Chromium for the whole run: launching it costs seconds, a new context milliseconds."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are plain sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(_chromium):
    yield _chromium
    # Cookies and pages live in contexts: none survives into the next test, even after a failure.
    for context in _chromium.contexts:
        context.close()


@pytest.fixture
def e2e_world(transactional_db):
    from tests import factories as f
    from tests.personas import build_world

    world = build_world()
    # Catalogue entries the contact form offers.
    f.IndicatorFactory(code="no-id", name="Not in control of ID or passport")
    f.IndicatorFactory(code="scripted", name="Scripted answers")
    from cases.models import VulnerabilityFactor

    VulnerabilityFactor.objects.get_or_create(code="runaway", defaults={"name": "Runaway or homeless"})
    VulnerabilityFactor.objects.get_or_create(code="substance", defaults={"name": "Substance use"})
    return world


class InFlight:
    """Counts the live server's requests still being answered, and answers them one at a time.

    On SQLite the live server's threads and the test share one in-memory connection:
    - two requests at once (a page whose sections htmx loads in parallel) would run
      their statements and commits on that one connection and break each other
      ("cannot commit transaction - SQL statements in progress"), so a request holds
      `serial` from its start until its body is closed;
    - the database must not be flushed (or read by the test) while a request is still
      running: that request's transaction would swallow the flush; `wait()` returns
      when no request is open.
    PostgreSQL gives each thread its own connection, as production does, so requests
    there run concurrently. The WSGI app is wrapped once.
    """

    SERIAL_TIMEOUT = 30.0

    def __init__(self, app, serialize: bool):
        self.app, self.count, self.lock = app, 0, threading.Lock()
        self.serial = threading.Lock() if serialize else None

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
        held = self.serial is not None and self.serial.acquire(timeout=self.SERIAL_TIMEOUT)
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._done(held)
            raise
        return _ClosingBody(body, lambda: self._done(held))

    def _done(self, held: bool):
        if held:
            self.serial.release()
        with self.lock:
            self.count -= 1

    def wait(self, timeout: float = 15.0):
        deadline = time.monotonic() + timeout
        while self.count > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.count == 0, f"{self.count} request(s) still running on the live server after {timeout} s"


class _ClosingBody:
    def __init__(self, body, on_close):
        self.body, self.on_close, self.closed = body, on_close, False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if self.closed:
            return
        self.closed = True
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()


def in_flight(live_server) -> InFlight:
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, InFlight):
        from django.db import connection

        app = InFlight(app, serialize=connection.vendor == "sqlite")
        httpd.set_app(app)
    return app


@pytest.fixture(autouse=True)
def live_requests(transactional_db, live_server):
    """Every browser test: the database is flushed only once the live server is idle."""
    requests = in_flight(live_server)
    yield requests
    requests.wait()


@pytest.fixture
def signed_in(browser, live_server, e2e_world, live_requests):
    contexts = []

    def sign_in(persona: str, width: int = 1280):
        user = getattr(e2e_world.users, persona)
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url, "sign-in failed"
        page.base = live_server.url
        return page

    # Call before reading the database from the test: requests htmx started may still run.
    sign_in.settle = live_requests.wait
    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def check_a11y():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    checked = []

    def check(page):
        results = axe.run(page)
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        checked.append(page.url)
        assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)

    check.checked = checked
    return check


@pytest.fixture
def shoot():
    def take(page, name: str):
        if not SCREENSHOT_DIR.is_dir():
            return
        original = page.viewport_size
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{width}.png"), full_page=True)
            # Long phone pages also in screen-sized parts, readable at full size.
            height = page.evaluate("document.documentElement.scrollHeight")
            if width == 375 and height > 1400:
                for part, top in enumerate(range(0, height, 1200)):
                    clip = {"x": 0, "y": top, "width": 375, "height": min(1200, height - top)}
                    page.screenshot(
                        path=str(SCREENSHOT_DIR / f"{name}-375-part{part + 1}.png"), full_page=True, clip=clip
                    )
        page.set_viewport_size(original)

    return take
