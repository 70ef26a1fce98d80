"""Who sees and does what is decided in one place: the policy package `cases/access/`.

A role constant (`Role.OFFICER`, `COORDINATOR`…), a test of the viewer's role
(`viewer.scope == …`, `is_supervisor`, `membership.role != "coordinator"`) or a role
name compared in a template anywhere else is a second copy of a rule that nothing
tests against the first. This scan fails on one; ask the policy instead
(`access.can`, `access.visible_person_fields`, `access.admin_may_view`…).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "cases" / "access"
SKIPPED_DIRS = {"tests", "migrations", ".venv", "node_modules", "static", ".git", "docs", "__pycache__"}

ROLE_NAMES = "coordinator|supervisor|officer|advocate|caseworker|analyst|auditor"
PATTERNS = {
    "role constant": re.compile(rf"(?<![A-Za-z_])Role\.({ROLE_NAMES.upper()})\b|\b({ROLE_NAMES.upper()})\b"),
    "role test": re.compile(r"\bis_supervisor\b|\bis_task_force_auditor\b|\bscope_role\b"),
    "test of the viewer's scope": re.compile(r"\bscope\s*(==|!=|not in\b|in\s*\()"),
    "test of a membership's role": re.compile(
        r"\b(membership|viewer|v|m)\.role\b|\brole__in\b|\brole\s*(==|!=)\s*(Role\.|[\"'](" + ROLE_NAMES + r")[\"'])"
    ),
    "role name compared in a template": re.compile(r"(==|!=|\bin)\s*[\"'](" + ROLE_NAMES + r")[\"']"),
    "list of role names": re.compile(rf"[\"']({ROLE_NAMES})[\"']\s*,\s*[\"']({ROLE_NAMES})[\"']"),
}

# Files that may name roles, each for a reason that is not a decision about access.
ALLOWED = {
    # Defines the Role enum, and which kinds of agency each role may belong to (data validation).
    "agencies/models.py": "defines Role and ROLE_AGENCY_KINDS",
    # Demonstration staff: one row per demo login, with the role it is created with.
    "cases/demo/directory.py": "data: the demo logins and the role each is created with",
    # The data generator creates memberships of every role at scale.
    "cases/generator/world.py": "data: the generated staff and the roles they are created with",
    # The benchmark picks one user of each role to time pages as.
    "bench/subjects.py": "data: which generated user to time as each role",
}


def _scanned_files():
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".py", ".html") or not path.is_file():
            continue
        relative = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(relative.parts[:-1]) or relative.parts[0].startswith("."):
            continue
        if path.is_relative_to(POLICY):
            continue
        yield relative.as_posix(), path


def find_role_decisions(text: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in PATTERNS.items():
            if pattern.search(line):
                found.append((number, what, line.strip()))
                break
    return found


def test_no_role_decision_outside_the_policy_package():
    problems = []
    for relative, path in _scanned_files():
        if relative in ALLOWED:
            continue
        for number, what, line in find_role_decisions(path.read_text(encoding="utf-8")):
            problems.append(f"{relative}:{number}: {what}: {line}")
    assert not problems, "Ask cases.access instead of deciding on roles here:\n" + "\n".join(problems)


def test_every_allowed_file_still_names_roles():
    # An allowance that is no longer needed is removed, so it cannot hide a new decision.
    stale = [name for name in ALLOWED if not find_role_decisions((ROOT / name).read_text(encoding="utf-8"))]
    assert not stale, f"Remove from ALLOWED: {stale}"


def test_the_scan_catches_each_kind_of_role_decision():
    caught = [
        "if viewer.scope != access.COORDINATOR:",
        "return in_scope(request, OFFICER, COORDINATOR)",
        "if not viewer.is_supervisor:",
        "if obj.role == Role.COORDINATOR:",
        '{% if membership and membership.role != "coordinator" %}',
        '{% elif scope == "advocate" %}',
        "role__in=[Role.CASEWORKER, Role.SUPERVISOR]",
        '_WORKING = ("coordinator", "officer", "advocate")',
    ]
    for line in caught:
        assert find_role_decisions(line), line
    for line in ('p.role != "lead"', "role == ContactRole.SUSPECTED_TRAFFICKER", "access.can(user, 'void', obj)"):
        assert not find_role_decisions(line), line
