"""Access table: the home page and sign-in pages (see registry.py)."""

from .registry import UrlCase, expect, register

register(
    # Every member has a home page; a user with no current role is signed out (302).
    UrlCase("web:home", expect={"none": expect(200)}),
    # The agency directory behind the filters' suggestion boxes: every member.
    UrlCase("web:agency_suggestions", expect={"none": expect(200)}),
    # Signed-in members are sent on from the sign-in page; the others see it (a user
    # with no membership is signed out first).
    UrlCase("login", expect={"none": expect(302, anonymous=200, nobody=200)}),
    # Every member changes its own password; no object, nothing of anyone else's.
    UrlCase("password_change", expect={"none": expect(200)}),
)
