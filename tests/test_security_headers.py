"""Headers on every page, the reference-numbered error page, and `check --deploy` in production."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import path, reverse

from audit.views.errors import server_error


def _broken(request):
    raise RuntimeError("boom: Dana Invented")


urlpatterns = [path("broken/", _broken)]
handler500 = server_error


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_csp(response):
    assert "Content-Security-Policy" in response, response.request["PATH_INFO"]
    policy = directives(response["Content-Security-Policy"])
    script = policy.get("script-src", policy.get("default-src"))
    assert script == ["'self'"], script
    for name, sources in policy.items():
        assert "'unsafe-inline'" not in sources or name == "style-src", name
        assert "'unsafe-eval'" not in sources, name
        assert not any(s.startswith(("http:", "https:", "*")) or "://" in s for s in sources), name
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def assert_common_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


ANONYMOUS_PAGES = ["login", "admin:login"]
SIGNED_IN_PAGES = ["web:home", "web:person_list", "audit:accesslog-list", "audit:change-list", "admin:index"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_headers_on_public_pages(db, client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict_csp(response)
    assert_common_headers(response)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_headers_on_signed_in_pages(world, client, name):
    client.force_login(world.users.coordinator)
    if name.startswith("admin:"):
        client.force_login(world.users.coordinator.__class__.objects.create_superuser("root_rita", "", "x" * 16))
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    assert_strict_csp(response)
    assert_common_headers(response)


def test_headers_on_not_found_and_api(world, client):
    client.force_login(world.users.coordinator)
    for url in ("/no-such-page/", "/api/v1/people/"):
        response = client.get(url)
        assert_strict_csp(response)
        assert_common_headers(response)


def test_session_and_csrf_cookies_are_http_only(db, client):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    response = client.get(reverse("login"))
    assert response.cookies["csrftoken"]["httponly"]


def test_login_form_needs_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "officer_sam", "password": "correct-horse-battery-staple"})
    assert response.status_code == 403


@pytest.mark.urls("tests.test_security_headers")
def test_server_error_shows_reference_not_traceback(db, client, caplog):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    reference = response["X-Request-ID"]
    assert reference in body
    assert "Traceback" not in body and "RuntimeError" not in body and "Dana" not in body
    assert any(reference in record.getMessage() for record in caplog.records if record.name == "audit.errors")


def test_check_deploy_reports_no_warning():
    key = "".join(secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50))
    env = {
        **os.environ,
        "TASKFORCE_MODE": "production",
        "SECRET_KEY": key,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' process, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "System check identified no issues" in output, output


def test_production_hsts_and_secure_cookies():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    env = {
        **os.environ,
        "TASKFORCE_MODE": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "DJANGO_SETTINGS_MODULE": "taskforce.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    assert out.stdout.split() == ["31536000", "True", "True", "True"]


def test_session_api_write_needs_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users.officer_sjpd)
    response = strict.post("/api/v1/operations/", {"name": "No token"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


@pytest.mark.parametrize("entry", ["taskforce.wsgi", "taskforce.asgi"])
def test_the_entry_points_keep_the_loaded_application_out_of_full_collections(entry):
    # taskforce/heap.py: without it, a full collection made one request in twenty 3-10x slower.
    code = f"import gc, {entry}; print(gc.get_freeze_count())"
    env = {
        **os.environ,
        "TASKFORCE_MODE": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        "DJANGO_SETTINGS_MODULE": "taskforce.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    assert int(out.stdout.strip()) > 10_000


def test_the_collector_is_paused_only_while_a_kept_report_is_read():
    import gc

    from taskforce import heap

    assert gc.isenabled()
    with heap.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), heap.paused():
        raise ValueError("a failed read")
    assert gc.isenabled()
    gc.disable()
    try:
        with heap.paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
