"""The PDFs of the operation outcome and the grant measures: rendered, read back, one page, footer clear."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from audit.models import AccessLog
from cases.models import Operation

# Laying out PDFs is the same work on either database: CI does it on PostgreSQL only.
pytestmark = [pytest.mark.django_db, pytest.mark.single_db]


def _text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def test_demo_operation_reports_are_one_page_pdfs_with_figures_paragraph_and_footer(demo, client):
    from agencies.models import User
    from cases import reports
    from cases.reports.display import sections

    coordinator = User.objects.get(username="coordinator")
    client.force_login(coordinator)
    for operation in Operation.objects.all():
        response = client.get(f"/reports/operations/{operation.pk}/", {"format": "pdf"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        pages, text = _text(response.content)
        assert pages == 1, f"{operation.code} runs to {pages} pages"
        flat = _flat(text)
        report = reports.operation_report(reports.report_scope(coordinator), operation)
        assert report.title in flat
        # The paragraph, whole (PDF text comes back with line breaks where the lines wrap).
        assert _flat(report.paragraph) in flat
        assert "Confidential — law enforcement sensitive" in flat
        # The investigations the operation led to are named (and linked) on the same page.
        for investigation in operation.investigations.all():
            assert investigation.reference in flat
        for section in sections(report):
            table = section["table"]
            assert _flat(table["title"]) in flat
            # Every figure, row by row as the page shows it (rows of zeros are left out of a PDF).
            for row in table["rows"]:
                line = _flat(" ".join([row["label"], *(cell["text"] for cell in row["cells"])]))
                assert (line in flat) != row["zero"], line


def test_measures_pdf_renders_with_its_tables_and_is_recorded(world, client):
    client.force_login(world.users.coordinator)
    response = client.get("/reports/performance-measures/", {"format": "pdf", "year": "2026"})
    assert response.status_code == 200
    pages, text = _text(response.content)
    flat = _flat(text)
    assert pages >= 1
    assert "Grant performance measures" in flat
    assert "Confidential — law enforcement sensitive" in flat
    assert "Victims, by type of trafficking" in flat
    assert response["Content-Disposition"].startswith('attachment; filename="performance-measures-2026')
    assert response["Content-Disposition"].endswith('.pdf"')
    assert AccessLog.objects.filter(user=world.users.coordinator, action="export", detail__contains=".pdf").exists()


def test_the_pages_offer_the_pdf(world, client):
    client.force_login(world.users.officer_sjpd)
    page = client.get(f"/reports/operations/{world.records.op_sjpd.pk}/").content.decode()
    assert "format=pdf" in page and "Download PDF" in page
    assert "format=pdf" in client.get("/reports/performance-measures/").content.decode()
    # The dashboard has no PDF.
    assert "format=pdf" not in client.get("/reports/").content.decode()


def test_an_analyst_pdf_keeps_small_counts_hidden(world, client):
    client.force_login(world.users.analyst)
    response = client.get(f"/reports/operations/{world.records.op_sjpd.pk}/", {"format": "pdf"})
    assert response.status_code == 200
    _, text = _text(response.content)
    assert "<5" in text


def test_the_print_footer_sits_in_the_page_margin(client):
    from pathlib import Path

    css = Path(__file__).resolve().parents[1].joinpath("static/css/reports.css").read_text()
    assert "@bottom-center" in css
    assert "position: fixed" not in css.split("@media print", 1)[1], "a fixed footer covers the last table"
