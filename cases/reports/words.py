"""Numbers and lists in plain English, for the press-release paragraph."""

from __future__ import annotations

from typing import Any

from .tables import HIDDEN, SMALL

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """0 → "zero", 42 → "forty-two", 215 → "two hundred fifteen"; digits from a million up."""
    if n < 0 or n >= 1_000_000:
        return f"{n:,}"
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{number_words(thousands)} thousand" + (f" {number_words(rest)}" if rest else "")


def count_words(value: Any) -> str:
    """A shown count in words; a suppressed one as "fewer than five"."""
    if value == SMALL:
        return "fewer than five"
    if value == HIDDEN:
        return "a number of"
    return number_words(int(value))


def is_plural(value: Any) -> bool:
    return value in (SMALL, HIDDEN) or value != 1


def noun(value: Any, singular: str, plural: str) -> str:
    return plural if is_plural(value) else singular


def counted(value: Any, singular: str, plural: str) -> str:
    """ "one adult man", "five adult men", "fewer than five adult men"."""
    return f"{count_words(value)} {noun(value, singular, plural)}"


def be(value: Any) -> str:
    return "were" if is_plural(value) else "was"


def join_list(items: list[str]) -> str:
    """["a"] → "a"; ["a", "b"] → "a and b"; ["a", "b", "c"] → "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def lower_name(name: str) -> str:
    """ "Food" → "food", but "HIV testing" stays as it is."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def the(name: str) -> str:
    """An agency's name after a verb: "the Missouri State Highway Patrol"; a name with "The" stays."""
    return name if name.lower().startswith("the ") else f"the {name}"
