import copy

import pytest
from django.db import transaction

from .mailserver import smtp_server  # noqa: F401 (a fixture: a real SMTP server on loopback)
from .personas import build_world

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
SHARED_WORLD_MODULES = pytest.StashKey[set]()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def pytest_collection_modifyitems(config, items):
    """Find the modules whose database tests all use the world and none commits.

    Building the world takes most of a test's time, so such a module builds it once
    (see `_module_world`). A module with another database test keeps one world per
    test: that test would otherwise meet the world's records it never asked for.
    """
    shared, mixed = set(), set()
    for item in items:
        module = item.nodeid.split("::")[0]
        uses_db = bool(item.get_closest_marker("django_db")) or bool(DB_FIXTURES & set(item.fixturenames))
        if not uses_db:
            continue
        if "world" in item.fixturenames and not _is_transactional(item):
            shared.add(module)
        else:
            mixed.add(module)
    config.stash[SHARED_WORLD_MODULES] = shared - mixed


@pytest.fixture(scope="module")
def _module_world(request, django_db_setup, django_db_blocker):
    """The world built once for a module, in a transaction rolled back at the module's end.

    Each test's own transaction nests in it as a savepoint, so what a test writes is
    gone before the next one. None where the module cannot share it.
    """
    module = request.node.nodeid.split("::")[0]
    if module not in request.config.stash.get(SHARED_WORLD_MODULES, set()):
        yield None
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        template = build_world()
    yield template
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world, db):
    """The task force's agencies, one persona per role, and records in two operations."""
    if _module_world is None:
        return build_world()
    # A copy: a test that changes a record in memory leaves the next test's record as built.
    return copy.deepcopy(_module_world)


class _PdfOfItsHtml:
    """Stands in for weasyprint.HTML: the "PDF" is the report's HTML, behind a PDF signature.

    Laying a report out takes WeasyPrint a second or two; the walks over every page and
    persona ask for each PDF a dozen times and check only who gets it, what is logged and
    what it names. The HTML holds every word the PDF prints, as plain text (a real PDF's
    text is glyph codes that a search for a name would not find), so those checks are no
    weaker. tests/test_report_pdf.py lays the real PDFs out and reads them back.
    """

    def __init__(self, string: str, base_url=None):
        self.string = string

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7 (its HTML, for tests)\n" + self.string.encode()


@pytest.fixture
def pdf_as_html(monkeypatch):
    """Report PDFs answered with the HTML they are laid out from (see _PdfOfItsHtml)."""
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _PdfOfItsHtml)
