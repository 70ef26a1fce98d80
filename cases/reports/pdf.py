"""A report as a PDF (WeasyPrint): the page's paragraph and tables, without the charts.

The confidentiality line and the page number sit in the page's bottom margin (an @page
margin box), so they never cover a table. The font is DejaVu Sans, which `.ci/run`
installs (Debian's fonts-dejavu-core) where it is missing. Rows with nothing to count
are left out, as in the print view; the other downloads have them all.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .base import Report
from .display import sections

MEDIA_TYPE = "application/pdf"
# A table with this many columns or more takes the page's whole width.
WIDE_COLUMNS = 7


def to_pdf(report: Report, *, task_force: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # imported here: the library loads Pango, needed only for a PDF

    # Narrow tables fill two columns first and the wide ones follow across the page: a wide
    # table between two narrow ones would leave half a column empty and push the report onto
    # a second page.
    shown = sections(report)
    html = render_to_string(
        "cases/reports/pdf.html",
        {
            "report": report,
            "narrow": [s for s in shown if len(s["table"]["header"]) < WIDE_COLUMNS],
            "wide": [s for s in shown if len(s["table"]["header"]) >= WIDE_COLUMNS],
            "task_force": task_force,
            "generated": timezone.localtime(report.generated_at),
        },
    )
    return HTML(string=html, base_url=base_url).write_pdf()
