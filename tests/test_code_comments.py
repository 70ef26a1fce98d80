"""Comments and docstrings say why the code is shaped as it is; measured figures live in
docs/PERFORMANCE.md, where they can be re-measured and kept current in one place.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cases", "audit", "agencies", "apitokens", "taskforce")

# A number with a unit of time ("95 ms", "0.9 s", "3.1s", "2 seconds", "15 minutes") or a
# data scale ("at scale 10"). A bare "400s" is a plural (HTTP 400s), not a time.
TIMING = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:ms|µs|us|secs?|seconds?|mins?|minutes?)\b"
    r"|\b\d+[.,]\d+\s*s\b|\b\d+\s+s\b"
    r"|\bscale\s+\d+",
    re.IGNORECASE,
)

# Durations that are rules, not measurements: the idle-session limit and the sign-in
# lock-out window, which the settings beside them configure.
POLICY_DURATIONS = {
    ("audit/middleware.py", "30 minutes"),
    ("taskforce/settings.py", "30 minutes"),
    ("taskforce/settings.py", "15 minutes"),
}


def _comments_and_docstrings(path: Path):
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                yield node.body[0].lineno, docstring


def timings_quoted(path: Path) -> list[str]:
    relative = path.relative_to(ROOT).as_posix()
    found = []
    for line, text in _comments_and_docstrings(path):
        for match in TIMING.finditer(text):
            if (relative, match.group(0)) not in POLICY_DURATIONS:
                found.append(f"{relative}:{line}: {match.group(0)!r}")
    return found


@pytest.mark.parametrize(
    "text",
    [
        "about 0.9 s for any page",
        "95 ms against 1 ms",
        "took 20.6s",
        "2.1 s -> 62 ms",
        "at scale 10",
        "3 seconds",
        "within 2 minutes",
    ],
)
def test_the_pattern_catches_quoted_timings(text):
    assert TIMING.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "database refusals are 400s, never 500s",
        "a page of fifty ids",
        "work_mem",
        "see docs/PERFORMANCE.md",
        "the scale of the state",
    ],
)
def test_the_pattern_leaves_other_words_alone(text):
    assert not TIMING.search(text)


def test_comments_and_docstrings_quote_no_timings():
    paths = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
    assert paths
    found = [hit for path in paths for hit in timings_quoted(path)]
    assert not found, "Move these figures to docs/PERFORMANCE.md:\n" + "\n".join(found)
