"""Importing a night sheet: checked row by row, matched within the importer's scope, imported at once.

The St. Joseph police officer uploads sheets of invented people into the St. Joseph operation.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases import models as m
from imports.models import ContactImport, ImportStatus

from .imports_help import confirm, csv_bytes, row, upload, uploaded, when, xlsx_bytes


@pytest.fixture
def officer(client, world):
    client.force_login(world.users.officer_sjpd)
    return client


def _contacts(world):
    return m.Contact.objects.filter(operation=world.records.op_sjpd)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_sheet_is_checked_then_imported_through_the_domain_actions(
    world, officer, django_capture_on_commit_callbacks, fmt
):
    rows = [row("Casey Invented"), row("Morgan Invented", age="31", services_accepted="")]
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    before = _contacts(world).count()
    job = uploaded(officer, world.records.op_sjpd, content, f"night-sheet.{fmt}")
    assert job.status == ImportStatus.CHECKED and job.rows_total == 2 and job.rows_with_errors == 0
    assert len(job.checksum) == 64 and job.uploaded_by == world.users.officer_sjpd
    preview = officer.get(reverse("imports:detail", args=[job.pk]))
    assert preview.status_code == 200
    assert _contacts(world).count() == before  # nothing saved by the preview
    assert "Import 2 rows" in preview.content.decode()

    response = confirm(officer, django_capture_on_commit_callbacks, job)
    assert response.status_code == 302
    assert job.status == ImportStatus.DONE, job.error
    assert (job.contacts_created, job.people_created, job.people_matched) == (2, 2, 0)
    made = _contacts(world).filter(person__legal_name__in=["Casey Invented", "Morgan Invented"])
    assert made.count() == 2
    casey = made.get(person__legal_name="Casey Invented")
    assert casey.agency == world.agencies.sjpd and casey.outcome == m.ContactOutcome.OFFERED_SERVICES
    offers = {o.service_type.name: o.response for o in casey.service_offers.all()}
    assert offers == {"Food": "accepted", "Lodging or shelter": "declined"}
    morgan = made.get(person__legal_name="Morgan Invented")
    assert set(morgan.service_offers.values_list("response", flat=True)) == {"declined"}
    # The history says who recorded them, as for a typed contact.
    history = casey.history.first()
    assert history.history_type == "+" and history.history_user == world.users.officer_sjpd
    assert casey.person.history.first().history_user == world.users.officer_sjpd
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "2 contacts recorded" in page


def test_errors_are_given_per_row_and_column_and_nothing_is_lost(world, officer, django_capture_on_commit_callbacks):
    rows = [
        row("Casey Invented"),
        row("Robin Invented", age="two hundred", gender="Femal"),
        row("Sky Invented", occurred_at="tomorrow-ish", role=""),
        row("Lee Invented", services_offered="Food; Spa day", location="Nowhere Motel"),
    ]
    job = uploaded(officer, world.records.op_sjpd, csv_bytes(rows))
    assert job.rows_with_errors == 3
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "Row 3, Age (estimate): “two hundred” is not a whole number." in page
    assert "Row 3, Gender: “Femal” is not one of the choices" in page
    assert "Row 4, When: “tomorrow-ish” is not a date and time" in page
    assert "Row 4, The person&#x27;s role: Say the person&#x27;s role in the contact." in page
    assert "Row 5, Services offered: “Spa day” is not a service of the catalogue" in page
    assert "Row 5, Location: “Nowhere Motel” is not a location of this operation." in page
    assert "3 rows to correct" in page and "Import 4 rows" not in page
    # Every uploaded cell is kept on the import and shown, the wrong ones too.
    assert job.rows[1]["age"] == "two hundred" and "tomorrow-ish" in page
    before = m.Contact.objects.count()
    response = confirm(officer, django_capture_on_commit_callbacks, job)
    assert response.status_code == 400 and job.status == ImportStatus.CHECKED
    assert m.Contact.objects.count() == before


def test_the_same_file_twice_changes_nothing(world, officer, django_capture_on_commit_callbacks):
    rows = [row("Casey Invented"), row("Morgan Invented")]
    job = uploaded(officer, world.records.op_sjpd, csv_bytes(rows))
    confirm(officer, django_capture_on_commit_callbacks, job)
    assert job.status == ImportStatus.DONE
    counts = (m.Person.objects.count(), m.Contact.objects.count(), m.ServiceOffer.objects.count())
    # The same file: refused at once by its checksum.
    again = upload(officer, world.records.op_sjpd, csv_bytes(rows))
    assert again.status_code == 302 and again["Location"] == reverse("imports:detail", args=[job.pk])
    assert ContactImport.objects.count() == 3  # the world's two, and this one
    # The same rows in another file (another order of columns, a new row): only the new row is imported.
    reordered = csv_bytes([*reversed(rows), row("Quinn Invented")], headers=list(reversed(list(rows[0]))))
    second = uploaded(officer, world.records.op_sjpd, reordered, "night-sheet-resaved.csv")
    confirm(officer, django_capture_on_commit_callbacks, second)
    assert second.status == ImportStatus.DONE, second.error
    assert (second.contacts_created, second.rows_skipped) == (1, 2)
    assert (m.Person.objects.count(), m.Contact.objects.count()) == (counts[0] + 1, counts[1] + 1)
    # A line repeated in one file is imported once.
    third = uploaded(officer, world.records.op_sjpd, csv_bytes([row("Ari Invented")] * 2), "twice.csv")
    confirm(officer, django_capture_on_commit_callbacks, third)
    assert (third.contacts_created, third.rows_skipped) == (1, 1)


def test_formula_and_html_cells_are_kept_as_text_and_printed_escaped(
    world, officer, django_capture_on_commit_callbacks
):
    rows = [
        row('=HYPERLINK("http://example.invalid","click")', narrative="<script>alert(1)</script><b>bold</b>"),
        row("+Casey Invented", narrative="@SUM(A1:A2)"),
        row("-Morgan Invented", narrative="=1+1"),
    ]
    content = xlsx_bytes(rows, formulas={(2, "narrative"): "=1+1"})
    job = uploaded(officer, world.records.op_sjpd, content, "formulas.xlsx")
    assert job.rows[2]["narrative"] == "=1+1"  # the formula's text, never its result
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    confirm(officer, django_capture_on_commit_callbacks, job)
    assert job.status == ImportStatus.DONE, job.error
    made = m.Contact.objects.filter(narrative__in=["<script>alert(1)</script><b>bold</b>", "@SUM(A1:A2)", "=1+1"])
    assert made.count() == 3
    assert m.Person.objects.filter(legal_name='=HYPERLINK("http://example.invalid","click")').exists()
    contact = made.get(narrative__startswith="<script>")
    shown = officer.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "<script>alert(1)</script>" not in shown and "&lt;b&gt;bold&lt;/b&gt;" in shown


def test_an_oversized_file_and_too_many_rows_are_refused_with_a_clear_message(world, officer, settings):
    settings.IMPORT_MAX_BYTES = 2_000
    big = csv_bytes([row(f"Person {n} Invented", narrative="x" * 100) for n in range(30)])
    response = upload(officer, world.records.op_sjpd, big)
    assert response.status_code == 200
    assert (
        "the largest file that can be imported is 2.0\xa0KB. Split it into smaller files." in response.content.decode()
    )
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    settings.IMPORT_MAX_ROWS = 5
    response = upload(officer, world.records.op_sjpd, csv_bytes([row(f"P{n} Invented") for n in range(6)]))
    assert "The file has more than 5 rows of contacts; at most 5 can be imported at once." in response.content.decode()
    response = upload(officer, world.records.op_sjpd, b"%PDF-1.4", "sheet.pdf")
    assert "Upload a CSV file (.csv) or an Excel workbook (.xlsx)." in response.content.decode()
    assert (
        not ContactImport.objects.filter(uploaded_by=world.users.officer_sjpd)
        .exclude(pk=world.records.import_officer_sjpd.pk)
        .exists()
    )


def test_a_match_is_confirmed_or_rejected_by_the_uploader(world, officer, django_capture_on_commit_callbacks):
    dana = world.records.victim_sjpd.person
    rows = [
        row("Dana Invented", age="", gender=""),  # the woman met before
        row("Dana Invented", age="", gender="", occurred_at=when(30), narrative="Another Dana"),
    ]
    job = uploaded(officer, world.records.op_sjpd, csv_bytes(rows))
    page = officer.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert dana.reference in page and "is this one of these people?" in page
    # No answer: refused, nothing saved, the page says which row.
    response = confirm(officer, django_capture_on_commit_callbacks, job, {2: str(dana.pk)})
    assert response.status_code == 400 and job.status == ImportStatus.CHECKED
    assert "Say whether this is one of the people on record" in response.content.decode()
    confirm(officer, django_capture_on_commit_callbacks, job, {2: str(dana.pk), 3: "new"})
    assert job.status == ImportStatus.DONE, job.error
    assert (job.people_matched, job.people_created) == (1, 1)
    assert dana.contacts.count() == 2
    assert m.Person.objects.filter(legal_name="Dana Invented").count() == 2


def test_only_the_uploader_confirms_and_others_of_the_agency_see_it_as_its_supervisor(
    world, client, django_capture_on_commit_callbacks
):
    client.force_login(world.users.officer_sjpd)
    job = uploaded(client, world.records.op_sjpd, csv_bytes([row("Casey Invented")]))
    client.force_login(world.users.supervisor_sjpd)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 200
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 403
    client.force_login(world.users.agent_fbi)  # takes part in the operation, another agency
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404


def test_a_night_sheet_of_200_contacts_is_imported_in_one_go(world, officer, django_capture_on_commit_callbacks):
    rows = [
        row(f"Person{n:03d} Nightsheet", age=str(18 + n % 40), occurred_at=when(60 + n % 50), narrative=f"Line {n}")
        for n in range(200)
    ]
    job = uploaded(officer, world.records.op_sjpd, csv_bytes(rows))
    assert job.rows_total == 200 and job.rows_with_errors == 0
    before = m.Contact.objects.count()
    confirm(officer, django_capture_on_commit_callbacks, job)
    assert job.status == ImportStatus.DONE, job.error
    assert job.contacts_created == 200 and job.rows_done == 200 and job.percent == 100
    assert m.Contact.objects.count() == before + 200
    assert m.ServiceOffer.objects.filter(contact__narrative__startswith="Line ").count() == 400


def test_the_preview_query_count_does_not_grow_with_the_rows(world, officer, django_assert_max_num_queries):
    small = uploaded(officer, world.records.op_sjpd, csv_bytes([row(f"Few{n} Invented") for n in range(3)]), "a.csv")
    with django_assert_max_num_queries(60) as few:
        officer.get(reverse("imports:detail", args=[small.pk]))
    # Counted now: the next request starts a new query log.
    few_count = len(few.captured_queries)
    assert few_count > 5
    rows = [row(f"Many{n:03d} Invented", narrative=str(n)) for n in range(200)]
    big = uploaded(officer, world.records.op_sjpd, csv_bytes(rows), "b.csv")
    # 200 rows: the people search runs in chunks of 100 rows; nothing else grows.
    with django_assert_max_num_queries(few_count + 2):
        response = officer.get(reverse("imports:detail", args=[big.pk]))
    assert len(response.context["rows"]) == 200


def test_a_failed_row_at_import_time_rolls_back_the_whole_file(world, officer, django_capture_on_commit_callbacks):
    job = uploaded(officer, world.records.op_sjpd, csv_bytes([row("Casey Invented"), row("Morgan Invented")]))
    before = m.Contact.objects.count()
    # Meanwhile the operation is closed: no new records.
    m.Operation.objects.filter(pk=world.records.op_sjpd.pk).update(status=m.OperationStatus.CLOSED)
    confirm(officer, django_capture_on_commit_callbacks, job)
    assert job.status in (ImportStatus.CHECKED, ImportStatus.FAILED)
    assert m.Contact.objects.count() == before


def test_the_template_and_the_example_download(world, officer):
    csv_template = officer.get(reverse("imports:template", args=["csv"]))
    assert csv_template.status_code == 200
    first_line = csv_template.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("person_reference,name,aliases,age,birth_year")
    xlsx = officer.get(reverse("imports:template", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    example = officer.get(reverse("imports:example"))
    assert b"Kaylee Brannock" in example.content


def test_a_person_outside_the_importers_scope_is_never_revealed(world, client, django_capture_on_commit_callbacks):
    jordan = world.records.victim_kcpd.person  # Kansas City's; St. Joseph's officer does not see her
    rows = [
        row("Jordan Invented", age="", gender=""),
        row("Casey Invented", person_reference=jordan.reference),
        row("Casey Invented", person_reference="P-999999", occurred_at=when(20)),
    ]
    # The coordinator, who sees her, is offered her: the test can tell a match from none.
    client.force_login(world.users.coordinator)
    seen = uploaded(client, world.records.op_sjpd, csv_bytes(rows[:1]), "coordinator.csv")
    assert jordan.reference in client.get(reverse("imports:detail", args=[seen.pk])).content.decode()

    client.force_login(world.users.officer_sjpd)
    job = uploaded(client, world.records.op_sjpd, csv_bytes(rows[:1]))
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert jordan.reference not in page.content.decode()
    assert jordan not in page.context["shown_people"]
    (checked,) = page.context["rows"]
    assert checked.candidates == [] and checked.person is None
    api = APIClient()
    api.force_authenticate(world.users.officer_sjpd)
    body = api.get(reverse("api:import-detail", kwargs={"pk": job.pk})).json()
    assert body["rows"][0]["candidates"] == [] and jordan.reference not in str(body)
    # Her reference reads exactly as one that does not exist.
    named = uploaded(client, world.records.op_sjpd, csv_bytes(rows[1:]), "references.csv")
    first, second = client.get(reverse("imports:detail", args=[named.pk])).context["rows"]
    assert first.person is None and second.person is None
    mine = first.errors["person_reference"][0].replace(jordan.reference, "REF")
    assert mine == second.errors["person_reference"][0].replace("P-999999", "REF")
    body = api.get(reverse("api:import-detail", kwargs={"pk": named.pk})).json()
    assert [r["person"] for r in body["rows"]] == [None, None]
    # Imported without the wrong reference: the row makes a new person, never her.
    confirm(client, django_capture_on_commit_callbacks, job)
    assert job.status == ImportStatus.DONE and job.people_created == 1
    assert jordan.contacts.count() == 1
