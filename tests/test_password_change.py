"""Passwords: no user name or person's name inside, and a page to change one's own."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessLog, Action

from . import factories as f

PASSWORD = "correct-horse-battery-staple"  # tests.factories.UserFactory
PAGE = "password_change"


@pytest.mark.parametrize(
    "username,first,last,password",
    [
        ("officer1", "Pat", "Quill", "officer1officer1"),  # was accepted: similar, but not similar enough
        ("officer.sjpd", "Pat", "Quill", "Sjpd-river-lantern-7"),  # a part of the user name
        ("m.okonkwo", "Samuel", "Okonkwo", "blue-OKONKWO-ferry-42"),  # the last name, any case
        ("m.okonkwo", "Samuel", "Okonkwo", "ferry-leumas-lantern-9"),  # the first name reversed
        ("m.okonkwo", "Samuel", "Okonkwo", "ferry-S.a.m.u.e.l-42!"),  # punctuation between letters
    ],
)
def test_passwords_with_the_user_or_persons_name_are_refused(db, username, first, last, password):
    user = f.UserFactory(username=username, first_name=first, last_name=last)
    with pytest.raises(ValidationError, match="user name or your name"):
        validate_password(password, user=user)


def test_a_password_without_the_name_is_accepted(db):
    user = f.UserFactory(username="officer1", first_name="Pat", last_name="Quill")
    validate_password("violet-ferry-lantern-42", user=user)


def test_every_member_finds_the_page_in_the_top_bar(world, client):
    client.force_login(world.users.advocate_harbor)
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse(PAGE)}"' in home


def test_changing_ones_own_password(world, client):
    user = world.users.officer_sjpd
    client.force_login(user)
    page = client.get(reverse(PAGE))
    assert page.status_code == 200 and "Change your password" in page.content.decode()
    response = client.post(
        reverse(PAGE),
        {
            "old_password": PASSWORD,
            "new_password1": "violet-ferry-lantern-42",
            "new_password2": "violet-ferry-lantern-42",
        },
    )
    assert response.status_code == 302 and response.url == reverse("web:home")
    user.refresh_from_db()
    assert user.check_password("violet-ferry-lantern-42")
    assert client.get(reverse("web:home")).status_code == 200  # still signed in
    assert AccessLog.objects.filter(action=Action.PASSWORD_CHANGED, user=user).exists()


@pytest.mark.parametrize(
    "old,new,error",
    [
        ("not-my-password-1", "violet-ferry-lantern-42", "old password was entered incorrectly"),
        (PASSWORD, "Officer_Sam-lantern-42", "user name or your name"),
        (PASSWORD, "short-1", "at least 12 characters"),
    ],
)
def test_a_refused_change_keeps_the_old_password(world, client, old, new, error):
    user = world.users.officer_sjpd
    client.force_login(user)
    response = client.post(reverse(PAGE), {"old_password": old, "new_password1": new, "new_password2": new})
    assert response.status_code == 200 and error in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse(PAGE))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
