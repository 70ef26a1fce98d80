"""Building sheets of invented contacts and taking them through the import pages, for the import tests."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from imports.models import ContactImport

HEADERS = ["name", "age", "gender", "occurred_at", "role", "services_offered", "services_accepted", "narrative"]


def when(minutes_ago: int = 60) -> str:
    return timezone.localtime(timezone.now() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M")


def row(name: str = "Casey Invented", **cells) -> dict[str, str]:
    values = {
        "name": name,
        "age": "24",
        "gender": "Female",
        "occurred_at": when(),
        "role": "Potential victim",
        "services_offered": "Food; Lodging or shelter",
        "services_accepted": "Food",
        "narrative": "",
    }
    values.update(cells)
    return values


def csv_bytes(rows: list[dict[str, str]], headers=None) -> bytes:
    headers = headers or list(dict.fromkeys([*HEADERS, *(k for r in rows for k in r)]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows: list[dict[str, str]], formulas: dict[tuple[int, str], str] | None = None) -> bytes:
    """A workbook; `formulas` puts real formula cells at (row index, column)."""
    headers = list(dict.fromkeys([*HEADERS, *(k for r in rows for k in r)]))
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for index, values in enumerate(rows):
        sheet.append([values.get(h, "") for h in headers])
        for (at, column), formula in (formulas or {}).items():
            if at == index:
                sheet.cell(row=index + 2, column=headers.index(column) + 1, value=formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, operation, content: bytes, name: str = "night-sheet.csv"):
    data = {"file": SimpleUploadedFile(name, content)}
    if operation is not None:
        data["operation"] = operation.pk
    return client.post(reverse("imports:create"), data)


def uploaded(client, operation, content: bytes, name: str = "night-sheet.csv") -> ContactImport:
    response = upload(client, operation, content, name)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ContactImport.objects.latest("id")


def confirm(client, capture, job: ContactImport, answers: dict | None = None):
    data = {f"row-{n}": v for n, v in (answers or {}).items()}
    with capture(execute=True):
        response = client.post(reverse("imports:confirm", args=[job.pk]), data)
    job.refresh_from_db()
    return response
