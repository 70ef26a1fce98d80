"""Template context: the signed-in user's current membership."""

from .roles import membership_of


def membership(request):
    user = getattr(request, "user", None)
    return {"membership": membership_of(user) if user is not None else None}
