"""The access table of the staff web application: every URL × persona × object → status.

How it works
------------
Every URL pattern in the "web" namespace must have an entry here, or
`test_every_web_url_has_an_access_entry` fails. Each entry names a URL and, for each
object it can be opened on, the HTTP status every persona must get:

    from .registry import UrlCase, expect, register

    register(
        UrlCase(
            "web:operation_detail",
            objects={
                # object name → URL kwargs, built from the persona world (tests/personas.py)
                "own": lambda w: {"pk": w.records.op_sjpd.pk},      # SJPD's operation
                "other": lambda w: {"pk": w.records.op_kcpd.pk},    # KCPD's operation
            },
            expect={
                "own": expect(404, coordinator=200, officer_sjpd=200, supervisor_sjpd=200, ...),
                "other": expect(404, coordinator=200, officer_kcpd=200, ...),
            },
        )
    )

- `expect(default, **overrides)` gives every persona the default status unless named.
  `anonymous` always defaults to 302 (to the sign-in page), and so does `nobody` (a
  user with no current membership: audit.middleware ends such a session and the user
  lands on the sign-in page); name them to say otherwise.
- "own" / "other" / "unrelated" are conventions for object names seen from the SJPD
  side of the world: "own" is in the St. Joseph operation (SJPD, FBI, Safe Harbor and
  the Children's Division take part), "other" is in the Kansas City operation (KCPD
  and Northland only); "unrelated" is a record no persona's agency touches. A URL
  with no object uses the single name "none" (the default when `objects` is omitted).
- `method="post"` with `data=lambda w: {...}` tests a write; each persona's request
  runs in a savepoint that is rolled back, so personas do not see each other's writes.
- `query=lambda w: "contact=12"` adds a query string (e.g. pages opened from a contact).

Each topic has its own module `table_<topic>.py` calling `register(...)`; every such
module in this package is imported automatically, so a new topic adds a file and edits
nothing else. One test per URL builds the world once and checks every persona × object,
then reports all mismatches together as a table.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "coordinator",
    "supervisor_sjpd",
    "officer_sjpd",
    "officer_kcpd",
    "agent_fbi",
    "advocate_harbor",
    "advocate_northland",
    "caseworker",
    "prosecutor",
    "analyst",
    "tf_auditor",
    "sysadmin",
    "nobody",
    "anonymous",
)
_DEFAULTS = {"anonymous": 302, "nobody": 302}


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every persona's expected status: `default` unless named."""
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas in access table: {sorted(unknown)}")
    table = {p: _DEFAULTS.get(p, default) for p in PERSONAS}
    table.update(overrides)
    return table


def _no_object(_world) -> dict:
    return {}


@dataclass
class UrlCase:
    url_name: str
    expect: dict[str, dict[str, int]]
    objects: dict[str, Callable] = field(default_factory=lambda: {"none": _no_object})
    method: str = "get"
    data: Callable | None = None
    query: Callable | None = None
    #: A second case for the same URL (e.g. GET and POST) needs a distinct label.
    label: str = ""

    def __post_init__(self):
        if set(self.objects) != set(self.expect):
            raise ValueError(f"{self.url_name}: objects {sorted(self.objects)} and expect {sorted(self.expect)} differ")
        for obj, statuses in self.expect.items():
            missing = set(PERSONAS) - set(statuses)
            if missing:
                raise ValueError(f"{self.url_name} [{obj}]: no expected status for {sorted(missing)}")

    @property
    def id(self) -> str:
        return f"{self.url_name}{'[' + self.label + ']' if self.label else ''}:{self.method}"


REGISTRY: list[UrlCase] = []


def register(*cases: UrlCase) -> None:
    REGISTRY.extend(cases)


def load_tables() -> list[UrlCase]:
    """Import every table_*.py module of this package (each registers its cases)."""
    import tests.web_access as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("table_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    ids = [case.id for case in REGISTRY]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"Access table entries given twice: {sorted(duplicates)}")
    return REGISTRY
