"""Dependencies between the apps point one way: agencies ← cases ← audit ← the screens.

`agencies` (users, agencies, memberships, roles) imports no other app of the project;
the core of `cases` (models, the access policy, domain actions) imports only agencies;
`audit` imports agencies and the core of cases, and attaches itself to their models
(audit.models, audit.apps) rather than being imported by them. The screens of cases
(`cases.admin`, `cases.api`, `cases.reports`, `cases.views`, the URL modules) sit on top
and may import everything below. Every import counts, at module level or inside a
function, so a cycle cannot hide in a late import.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every app of the project (a folder with an apps.py), and the project package itself.
APPS = (*sorted(p.parent.name for p in ROOT.glob("*/apps.py")), "taskforce")
# Layers inside cases that nothing in its core may import.
CASES_LAYERS = ("admin", "api", "reports", "views")

# Which components each component may import (besides itself). Everything not listed is free
# to import what lies below it, as long as no cycle forms.
ALLOWED = {
    "agencies": set(),
    # Retried submits answered once (forms and the API): knows nothing of the case records.
    "idempotency": set(),
    "cases": {"agencies"},
    "audit": {"agencies", "cases"},
    # Tasks and follows (models and domain actions); their screens live in cases' screens.
    "work": {"agencies", "cases", "audit"},
}


def component(module: str) -> str | None:
    """The app (or layer of cases) a dotted module name belongs to; None outside the project."""
    parts = module.split(".")
    if parts[0] not in APPS:
        return None
    if parts[0] == "cases" and len(parts) > 1:
        if parts[1] in CASES_LAYERS:
            return f"cases.{parts[1]}"
        if parts[1] == "urls" or parts[1].startswith("urls_"):
            return "cases.urls"
    return parts[0]


def _module_name(path: Path, root: Path = ROOT) -> tuple[str, str]:
    """The module's dotted name and the package its relative imports start from."""
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        name = ".".join(parts[:-1])
        return name, name
    return ".".join(parts), ".".join(parts[:-1])


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module the file imports, at any depth (functions too), resolved to a dotted name."""
    _name, package = _module_name(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.append((node.lineno, module))
            # `from cases import access` imports the module cases.access.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def import_graph(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """(importing component, imported component) → where, for every import across components."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # frozen history, not the architecture
            source = component(_module_name(path, root)[0])
            for line, module in imported_modules(path, root):
                target = component(module)
                if target is not None and target != source:
                    edges[(source, target)].append(f"{path.relative_to(root)}:{line}")
    return edges


def find_cycle(edges) -> list[str] | None:
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_cycle_between_apps_or_layers():
    edges = import_graph()
    cycle = find_cycle(edges)
    assert cycle is None, (
        " → ".join(cycle)
        + "\n"
        + "\n".join(f"{a} → {b}: {', '.join(edges[(a, b)][:3])}" for a, b in zip(cycle, cycle[1:]))
    )


def test_dependencies_point_one_way():
    problems = [
        f"{source} imports {target} ({', '.join(where[:3])})"
        for (source, target), where in sorted(import_graph().items())
        if source in ALLOWED and target not in ALLOWED[source]
    ]
    assert not problems, "\n".join(problems)


def test_the_graph_sees_late_and_relative_imports(tmp_path):
    (tmp_path / "agencies").mkdir()
    (tmp_path / "agencies" / "__init__.py").write_text("")
    (tmp_path / "agencies" / "models.py").write_text("def visible_to():\n    from cases import access\n")
    (tmp_path / "cases" / "views").mkdir(parents=True)
    (tmp_path / "cases" / "__init__.py").write_text("")
    (tmp_path / "cases" / "access.py").write_text("from .views import base\nfrom agencies.models import x\n")
    (tmp_path / "cases" / "views" / "base.py").write_text("from ..access import can\n")
    for app in ("audit", "apitokens", "taskforce"):
        (tmp_path / app).mkdir()
    edges = import_graph(tmp_path)
    assert ("agencies", "cases") in edges
    assert ("cases", "cases.views") in edges and ("cases.views", "cases") in edges
    assert find_cycle(edges) is not None
