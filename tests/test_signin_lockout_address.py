"""Password spraying: a few guesses at many user names from one address lock that address.

The per-user-name limit (5) alone let 40 failures over 10 user names through, then a
correct password; the per-address limit (AXES_ADDRESS_FAILURE_LIMIT) stops it, with the
same page as an account lock-out, and the counts live where every worker reads them.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from audit.models import AccessLog, Action

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory
SPRAYED = [f"guess_{n}" for n in range(10)]  # invented user names an attacker tries


def sign_in(client, username, password=PASSWORD, address="203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def spray(client, failures_each: int, names=SPRAYED, address="203.0.113.7"):
    for _ in range(failures_each):
        for name in names:
            sign_in(client, name, "Winter2026!", address=address)


def test_forty_failures_over_ten_names_then_a_right_password_is_refused(world, client):
    spray(client, failures_each=4)  # 4 per name: never 5 for one user name
    response = sign_in(client, world.users.officer_kcpd.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessLog.objects.filter(action=Action.LOCKOUT).exists()


def test_the_address_limit_is_reached_below_the_per_user_limit_of_every_name(world, client):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    names = SPRAYED[:5]
    for n in range(limit - 1):
        assert sign_in(client, names[n % len(names)], "Winter2026!").status_code == 200, n
    assert max(AccessAttempt.objects.values_list("failures_since_start", flat=True)) < settings.AXES_FAILURE_LIMIT
    assert sign_in(client, names[0], "Winter2026!").status_code == 429  # the limit-th failure locks
    assert sign_in(client, world.users.officer_sjpd.username).status_code == 429


def test_address_and_account_lock_outs_show_the_same_page(world, client):
    spray(client, failures_each=2)
    by_address = sign_in(client, world.users.officer_kcpd.username)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, world.users.agent_fbi.username, "Winter2026!", address="198.51.100.20")
    by_account = sign_in(client, world.users.agent_fbi.username, address="198.51.100.20")
    assert by_address.status_code == by_account.status_code == 429
    assert _main(by_address) == _main(by_account)  # the rest differs by its CSRF token only
    assert "Sign-in is locked for now" in _main(by_address)


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_another_address_still_signs_in(world, client):
    spray(client, failures_each=2)
    assert sign_in(client, world.users.officer_kcpd.username, address="198.51.100.20").status_code == 302


def test_a_sprayer_cannot_clear_the_address_count_with_an_account_of_its_own(world, client):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    for n in range(limit - 1):
        sign_in(client, SPRAYED[n % len(SPRAYED)], "Winter2026!")
    # Its own valid account still gets in (19 failures) ...
    assert sign_in(client, world.users.officer_kcpd.username).status_code == 302
    client.logout()
    # ... but that does not wipe the address's failures: one more locks the address.
    sign_in(client, SPRAYED[0], "Winter2026!")
    assert sign_in(client, world.users.officer_sjpd.username).status_code == 429


def test_counts_are_in_the_database_every_worker_reads(world, client):
    handler_class = import_string(settings.AXES_HANDLER)
    assert issubclass(handler_class, AxesDatabaseHandler)
    spray(client, failures_each=2)
    # A second worker: its own handler object, nothing shared in memory with the first.
    request = RequestFactory().post(reverse("login"), REMOTE_ADDR="203.0.113.7")
    request.axes_ip_address = "203.0.113.7"
    request.axes_attempt_time = timezone.now()
    assert handler_class().is_locked(request, {"username": world.users.officer_sjpd.username})
    request.axes_ip_address = "198.51.100.20"
    assert not handler_class().is_locked(request, {"username": world.users.officer_sjpd.username})


def test_releasing_an_address_lock_is_logged(world, client):
    spray(client, failures_each=2)
    AccessAttempt.objects.filter(ip_address="203.0.113.7").delete()  # what the admin's delete does
    assert AccessLog.objects.filter(action=Action.LOCKOUT_RELEASED, detail__contains="203.0.113.7").count() == 1
    assert sign_in(client, world.users.officer_kcpd.username).status_code == 302
