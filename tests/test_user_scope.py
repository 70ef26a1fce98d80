"""Which user accounts each role sees (the User rule in cases/access/rules.py), in the admin too.

A supervisor used to be offered, in the membership form, every account without a current
membership, former staff of other agencies included. Now accounts go through the policy:
the coordinator sees all; a supervisor the accounts that ever belonged to its agency,
itself, and new accounts never placed in any agency (a recruit to take on); everyone else
only itself.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Membership, Role, User

from . import factories as f


@pytest.fixture
def former_staff(world):
    """A former KCPD officer and a former SJPD officer, neither with a current membership."""
    kc = f.UserFactory(username="former_kelly", first_name="Kelly", last_name="Invented")
    f.MembershipFactory(
        user=kc,
        agency=world.agencies.kcpd,
        role=Role.OFFICER,
        active=False,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 6, 30),
    )
    sj = f.UserFactory(username="former_sid", first_name="Sid", last_name="Invented")
    f.MembershipFactory(
        user=sj,
        agency=world.agencies.sjpd,
        role=Role.OFFICER,
        active=False,
        start_date=date(2024, 1, 1),
        end_date=date(2025, 6, 30),
    )
    return {"kcpd": kc, "sjpd": sj}


def _visible(user) -> set[str]:
    return set(User.objects.visible_to(user).values_list("username", flat=True))


def test_coordinator_sees_every_account(world, former_staff):
    assert _visible(world.users.coordinator) == set(User.objects.values_list("username", flat=True))


def test_supervisor_sees_its_agencys_accounts_and_new_ones_not_other_agencies_former_staff(world, former_staff):
    sjpd_staff = {"officer_sam", "supervisor_sue", "auditor_al", "former_sid"}
    never_placed = {"nobody_ned"}
    assert _visible(world.users.supervisor_sjpd) == sjpd_staff | never_placed
    assert "former_kelly" not in _visible(world.users.supervisor_sjpd)


@pytest.mark.parametrize("persona", ["officer_sjpd", "advocate_harbor", "caseworker", "analyst", "tf_auditor"])
def test_other_roles_see_only_themselves(world, persona):
    user = getattr(world.users, persona)
    assert _visible(user) == {user.username}


def test_no_membership_sees_no_account(world, former_staff):
    assert _visible(world.users.nobody) == set()
    assert _visible(former_staff["kcpd"]) == set()


def test_a_superuser_sees_every_account(world, django_user_model):
    root = django_user_model.objects.create_superuser("root_rita", "", "a-long-enough-pass-9")
    assert _visible(root) == set(User.objects.values_list("username", flat=True))


def _staff_login(client, user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)


def test_supervisor_membership_form_offers_no_former_staff_of_other_agencies(world, former_staff, client):
    _staff_login(client, world.users.supervisor_sjpd)
    response = client.get(reverse("admin:agencies_membership_add"))
    offered = set(response.context["adminform"].form.fields["user"].queryset.values_list("username", flat=True))
    assert "former_kelly" not in offered
    assert {"officer_sam", "former_sid", "nobody_ned"} <= offered


def test_supervisor_user_list_and_pages_follow_the_policy(world, former_staff, client):
    _staff_login(client, world.users.supervisor_sjpd)
    listing = client.get(reverse("admin:agencies_user_changelist"))
    shown = {u.username for u in listing.context["cl"].result_list}
    assert shown == _visible(world.users.supervisor_sjpd)
    assert client.get(reverse("admin:agencies_user_change", args=[former_staff["sjpd"].pk])).status_code == 200
    assert (
        client.get(reverse("admin:agencies_user_change", args=[former_staff["kcpd"].pk]), follow=True).status_code
        == 404
    )


def test_coordinator_membership_form_offers_every_account(world, former_staff, client):
    _staff_login(client, world.users.coordinator)
    response = client.get(reverse("admin:agencies_membership_add"))
    offered = response.context["adminform"].form.fields["user"].queryset
    assert set(offered) == set(User.objects.all())
    assert Membership.objects.filter(user=former_staff["kcpd"]).exists()
