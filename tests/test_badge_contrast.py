"""Every status badge of the stylesheets is readable: text on its background at 4.5:1 or more (WCAG AA).

The badges are small text (0.85rem), so the 4.5:1 threshold applies. axe checks the badges a page
happens to show; this checks every one the stylesheets define, including states no test page holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parent.parent / "static" / "css"
RULE = re.compile(r"\.tf-badge(?:--(?P<name>[\w-]+))?\s*\{(?P<body>[^}]*)\}")


def _colour(body: str, prop: str) -> str | None:
    found = re.search(rf"(?<![\w-]){prop}\s*:\s*(#[0-9a-fA-F]{{6}}|#[0-9a-fA-F]{{3}})\b", body)
    if not found:
        return None
    value = found.group(1).lstrip("#")
    return value if len(value) == 6 else "".join(c * 2 for c in value)


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _badges() -> dict[str, tuple[str, str]]:
    """badge name → (background, text colour); a variant without a text colour keeps the base one."""
    rules = [
        (m.group("name") or "", m.group("body"))
        for f in sorted(CSS.glob("*.css"))
        for m in RULE.finditer(f.read_text())
    ]
    base = dict(rules).get("", "")
    base_text = _colour(base, "color")
    return {
        name or "(plain)": (_colour(body, "background"), _colour(body, "color") or base_text) for name, body in rules
    }


def test_the_known_badges_are_found():
    badges = _badges()
    assert {"(plain)", "in_service", "accepted", "overdue", "voided", "undecided"} <= set(badges)


@pytest.mark.parametrize("name", sorted(_badges()))
def test_badge_text_is_readable_on_its_background(name):
    background, text = _badges()[name]
    assert background and text, f"tf-badge--{name}: background or text colour not found"
    assert contrast(background, text) >= 4.5, (
        f"tf-badge--{name}: {text} on {background} is {contrast(background, text):.2f}:1"
    )


def test_contrast_is_computed_as_wcag_does():
    assert round(contrast("ffffff", "000000"), 1) == 21.0
    assert round(contrast("00a91c", "ffffff"), 2) == 3.14  # the old "In service" badge: fails
