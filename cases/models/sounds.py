"""Sound-alike keys for names: how a person is found under another spelling.

Officers write a name as they hear it, and names reach the task force translated from
Spanish, Chinese or Ukrainian. A key keeps the consonants as they sound and forgets the
vowels after the first letter, so "Destiny" and "Destny", "Guadalupe" and "Guadelupe",
"Jesús" and "Jesus", "Oleksandra", "Aleksandra" and "Alexandra" share one.

The key is computed in Python, stored on the person (`Person.name_keys`, `alias_keys`) and
compared as text, so it works the same on SQLite and PostgreSQL; PostgreSQL adds trigram
similarity on top for the ranking (cases/people_search.py).
"""

from __future__ import annotations

import re
import unicodedata

VOWELS = frozenset("AEIOUY")

# Spellings of one sound, longest first; applied left to right.
_SOUNDS = [
    ("SCH", "X"),
    ("SH", "X"),
    ("CH", "X"),
    ("ZH", "J"),
    ("KH", "H"),
    ("TCH", "X"),
    ("TZ", "S"),
    ("TS", "S"),
    ("PH", "F"),
    ("GH", "G"),
    ("CK", "K"),
    ("QU", "K"),
    ("Q", "K"),
    ("X", "KS"),
    ("CE", "SE"),
    ("CI", "SI"),
    ("CY", "SY"),
    ("C", "K"),
    ("Z", "S"),
    ("W", "V"),
    ("D", "T"),
    ("LL", "Y"),  # Spanish: Guillermo / Giyermo
]

_PATTERN = re.compile("|".join(re.escape(spelling) for spelling, _ in _SOUNDS))
_REPLACE = dict(_SOUNDS)


def plain_letters(text: str) -> str:
    """Upper-case letters A–Z and digits only: accents dropped (Jesús → JESUS), the rest removed.

    Digits stay: a name written with a number in it is told apart by the number.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    spaced = re.sub(r"[\s\-/,.;]+", " ", decomposed.encode("ascii", "ignore").decode().upper())
    return re.sub(r"[^A-Z0-9 ]", "", spaced)


def sound_key(word: str) -> str:
    """The key of one word ("" for a word of no letters)."""
    letters = plain_letters(word).replace(" ", "")
    if not letters:
        return ""
    # A "Y" before a vowel at the start is a consonant: Yulia / Julia, Yesenia / Jesenia.
    if letters[0] == "Y" and len(letters) > 1 and letters[1] in VOWELS:
        letters = "J" + letters[1:]
    # Pinyin's X is near "sh": Xiaoling / Shiaoling.
    if letters[0] == "X":
        letters = "SH" + letters[1:]
    sounded = _PATTERN.sub(lambda m: _REPLACE[m.group(0)], letters)
    if not sounded[0].isalpha():
        return sounded
    # A silent H (Spanish) and the vowels after the first letter carry little of the name.
    first = "A" if sounded[0] in VOWELS else sounded[0]
    rest = [ch for ch in sounded[1:] if ch not in VOWELS and ch != "H"]
    key = first
    for ch in rest:
        if ch != key[-1]:
            key += ch
    return key


def words(text: str) -> list[str]:
    return [w for w in plain_letters(text).split() if w]


def keys_of(text: str) -> list[str]:
    """The key of every word of a name or of several names (one per line)."""
    return [k for k in (sound_key(w) for w in words(text)) if k]


def stored_keys(text: str, limit: int) -> str:
    """The keys as stored: " K1 K2 … " (each between spaces, so one can be looked for whole)."""
    unique = list(dict.fromkeys(keys_of(text)))
    stored = " " + " ".join(unique) + " " if unique else ""
    while len(stored) > limit and unique:
        unique.pop()
        stored = " " + " ".join(unique) + " " if unique else ""
    return stored
