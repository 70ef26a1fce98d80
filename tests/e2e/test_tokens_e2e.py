"""End to end in Chromium: the officer makes an API token, copies it, and revokes it.
Each state of the API tokens page is checked with axe-core, on a phone and a desktop."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e]


@pytest.mark.parametrize("width", [375, 1280])
def test_officer_makes_and_revokes_an_api_token(signed_in, check_a11y, shoot, width):
    from apitokens.models import ApiToken

    page = signed_in("officer_sjpd", width=width)
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("You hold no API token.").is_visible()
    check_a11y(page)

    page.get_by_label("Name").fill("Grant report script")
    page.get_by_role("button", name="Make the token").click()
    page.wait_for_load_state("networkidle")
    secret = page.locator("#new-token").inner_text()
    assert len(secret) == 64 and ApiToken.objects.get().token_key == secret[:15]
    check_a11y(page)
    shoot(page, f"api-token-made-{width}")

    page.get_by_role("button", name="Revoke the token Grant report script").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("The API token “Grant report script” is revoked").is_visible()
    assert secret not in page.content() and not ApiToken.objects.exists()
    check_a11y(page)
    assert page.errors == []
