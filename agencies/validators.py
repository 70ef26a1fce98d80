"""Password rule of the task force that Django's own validators do not cover."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

MIN_PART = 3  # shorter pieces ("al", "jo") would refuse too many good passwords


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


class NameInPasswordValidator:
    """Refuse a password that contains the user name or the person's first or last name.

    Django's similarity validator compares the whole password with each attribute, so
    "officer1officer1" for the user "officer1" is similar enough to pass it; this one
    looks for the name anywhere in the password, ignoring case, punctuation and order
    of letters reversed.
    """

    message = "Your password must not contain your user name or your name."

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        text = _letters(password)
        for part in self._parts(user):
            if part in text or part[::-1] in text:
                raise ValidationError(self.message, code="password_contains_name")

    @staticmethod
    def _parts(user) -> set[str]:
        names = [
            getattr(user, "username", "") or "",
            getattr(user, "first_name", "") or "",
            getattr(user, "last_name", "") or "",
        ]
        parts = {_letters(name) for name in names}
        for name in names:
            parts |= {_letters(piece) for piece in re.split(r"[\W_]+", name)}
        return {part for part in parts if len(part) >= MIN_PART}

    def get_help_text(self) -> str:
        return self.message
