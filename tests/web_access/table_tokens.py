"""Access table: the API tokens page (apitokens/). Every member manages only their own tokens."""

from apitokens.models import ApiToken

from .registry import UrlCase, expect, register


def _officers_token(w):
    token, _ = ApiToken.objects.create(user=w.users.officer_sjpd, name="Grant report script")
    return {"pk": token.pk}


register(
    UrlCase("apitokens:list", expect={"none": expect(200)}),
    # Making a token shows its secret on the answer itself (200), never through a redirect.
    UrlCase(
        "apitokens:list",
        method="post",
        data=lambda w: {"name": "Grant report script"},
        expect={"none": expect(200)},
        label="make",
    ),
    # Another user's token is not found; the owner is sent back to the list.
    UrlCase(
        "apitokens:revoke",
        method="post",
        objects={"officers": _officers_token},
        expect={"officers": expect(404, officer_sjpd=302)},
    ),
)
