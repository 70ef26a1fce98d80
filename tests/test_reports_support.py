"""Shared pieces of the report tests: a hand-built operation and readers for every format.

Operation Lantern (March 2025, led by SJPD; FBI, Safe Harbor and the Children's
Division take part), all invented:
- six adult men, buyers, detained; two of them arrested by the FBI (one on a trafficking
  and another charge, one on a trafficking charge), four cited by SJPD (one misdemeanour each);
- seven adult women: five potential and two confirmed victims; all seven offered food
  (five accept), three offered shelter (two accept). An eighth woman's contact, and a
  shelter offer to one of the seven, were voided and must not count;
- three children under five (girls aged 1 and 3, a boy aged 4) taken into protective
  custody and handed to the Children's Division two hours later;
- referrals: three to Safe Harbor (one acknowledged after 2, 4 and 10 hours… see
  below), one to Northland in service.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from fractions import Fraction
from html.parser import HTMLParser
from types import SimpleNamespace

from django.utils import timezone
from openpyxl import load_workbook

from cases import models as m
from tests import factories as f

T0 = timezone.make_aware(datetime(2025, 3, 10, 21, 0))


def build_lantern(world) -> SimpleNamespace:
    a, u = world.agencies, world.users
    food = f.ServiceTypeFactory(code="food", name="Food")
    shelter = f.ServiceTypeFactory(code="shelter", name="Lodging or shelter")
    op = f.OperationFactory(
        name="Operation Lantern",
        lead_agency=a.sjpd,
        starts_at=T0,
        trafficking_type=m.TraffickingType.SEX,
        ends_at=T0 + timedelta(hours=8),
    )
    f.ParticipationFactory(operation=op, agency=a.fbi)
    f.ParticipationFactory(operation=op, agency=a.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
    f.ParticipationFactory(operation=op, agency=a.childrens, role=m.ParticipationRole.CHILD_WELFARE)
    at = T0 + timedelta(hours=1)

    men = []
    for i in range(6):
        contact = f.ContactFactory(
            operation=op,
            agency=a.sjpd,
            role=m.ContactRole.BUYER,
            occurred_at=at,
            outcome=m.ContactOutcome.DETAINED,
            person__gender=m.Gender.MALE,
            person__estimated_age=30 + i,
            person__created_by_agency=a.sjpd,
        )
        arrested = i < 2
        detention = f.DetentionFactory(
            contact=contact,
            agency=a.fbi if arrested else a.sjpd,
            detained_at=at,
            outcome=m.DetentionOutcome.ARRESTED if arrested else m.DetentionOutcome.CITED,
        )
        if arrested:
            f.ChargeFactory(detention=detention)  # trafficking
            if i == 0:
                f.ChargeFactory(
                    detention=detention,
                    is_trafficking=False,
                    statute="RSMo 567.050",
                    description="Promoting prostitution",
                )
        else:
            f.ChargeFactory(
                detention=detention,
                is_trafficking=False,
                statute="RSMo 567.030",
                description="Patronizing prostitution",
                charge_class=m.ChargeClass.MISDEMEANOR,
            )
        men.append(contact)

    women = []
    for i in range(8):
        role = m.ContactRole.CONFIRMED_VICTIM if i in (0, 1) else m.ContactRole.POTENTIAL_VICTIM
        contact = f.ContactFactory(
            operation=op,
            agency=a.sjpd,
            role=role,
            occurred_at=at,
            person__created_by_agency=a.sjpd,
            person__estimated_age=20 + i,
        )
        f.ServiceOfferFactory(
            contact=contact,
            service_type=food,
            offered_by=a.harbor,
            offered_at=at,
            response=m.OfferResponse.ACCEPTED if i < 5 else m.OfferResponse.DECLINED,
        )
        if i < 3:
            f.ServiceOfferFactory(
                contact=contact,
                service_type=shelter,
                offered_by=a.harbor,
                offered_at=at,
                response=m.OfferResponse.ACCEPTED if i < 2 else m.OfferResponse.UNDECIDED,
            )
        women.append(contact)
    women[7].mark_voided(u.coordinator, "Entered twice.")
    voided_offer = f.ServiceOfferFactory(contact=women[3], service_type=shelter, offered_by=a.harbor, offered_at=at)
    voided_offer.mark_voided(u.coordinator, "Wrong person.")

    children = []
    for age, gender in ((1, m.Gender.FEMALE), (3, m.Gender.FEMALE), (4, m.Gender.MALE)):
        contact = f.ContactFactory(
            operation=op,
            agency=a.sjpd,
            role=m.ContactRole.ACCOMPANYING_CHILD,
            outcome=m.ContactOutcome.PROTECTIVE_CUSTODY,
            occurred_at=at,
            person__estimated_age=age,
            person__gender=gender,
            person__created_by_agency=a.sjpd,
        )
        f.CustodyHandoffFactory(
            contact=contact, receiving_agency=a.childrens, taken_at=at, handed_over_at=at + timedelta(hours=2)
        )
        children.append(contact)

    # Referrals sent at T0+2h; Safe Harbor acknowledges one after 2 hours.
    sent = T0 + timedelta(hours=2)
    referrals = [
        f.ReferralFactory(
            contact=women[0],
            to_agency=a.harbor,
            service_types=[shelter],
            sent_at=sent,
            status=m.ReferralStatus.ACKNOWLEDGED,
            acknowledged_at=sent + timedelta(hours=2),
        ),
        f.ReferralFactory(contact=women[1], to_agency=a.harbor, service_types=[shelter], sent_at=sent),
        f.ReferralFactory(contact=women[2], to_agency=a.harbor, service_types=[food], sent_at=sent),
        f.ReferralFactory(
            contact=women[3],
            to_agency=a.northland,
            service_types=[food],
            sent_at=sent,
            status=m.ReferralStatus.IN_SERVICE,
            acknowledged_at=sent + timedelta(hours=6),
        ),
    ]
    return SimpleNamespace(
        operation=op, men=men, women=women, children=children, referrals=referrals, food=food, shelter=shelter
    )


# --- reading a report back from each format --------------------------------------


def tables_from_api(data: dict) -> dict[str, list[list]]:
    """{table title: rows as shown, "Total" row included} from the API's JSON."""
    out = {}
    for t in data["tables"]:
        rows = []
        for r in t["rows"] + ([t["totals"]] if t["totals"] else []):
            row = [r["label"]] + [r["values"][c["key"]] for c in t["columns"]]
            if "total" in r:
                row.append(r["total"])
            rows.append(row)
        out[t["title"]] = rows
    return out


def _normal(value):
    """Numbers as numbers, whatever the format wrote."""
    if value is None or value == "" or value == "—":
        return None
    if isinstance(value, (int, float)):
        return value
    text = str(value).replace(",", "").rstrip("%")
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return value


def normalise(tables: dict[str, list[list]]) -> dict[str, list[list]]:
    return {title: [[row[0]] + [_normal(v) for v in row[1:]] for row in rows] for title, rows in tables.items()}


def tables_from_csv(content: bytes, titles: list[str]) -> dict[str, list[list]]:
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    out = {}
    for i, line in enumerate(lines):
        if line and line[0] in titles and len(line) == 1:
            rows, j = [], i + 2
            while j < len(lines) and lines[j]:
                rows.append(lines[j])
                j += 1
            out[line[0]] = rows
    return out


def tables_from_xlsx(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    out = {}
    for sheet in book.worksheets[1:]:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        out[rows[0][0]] = [r for r in rows[2:] if any(v is not None for v in r)]
    return out


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list]] = {}
        self.titles: dict[str, str] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = attrs["data-table"]
            self.tables[self._table] = []
        elif self._table and tag == "tr" and "data-row" in attrs:
            self._row = []
        elif self._row is not None and tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables_from_page(html: str, titles_by_key: dict[str, str]) -> dict[str, list[list]]:
    parser = _TableParser()
    parser.feed(html)
    return {titles_by_key[key]: rows for key, rows in parser.tables.items()}


def _rank(rows: list[dict[int, Fraction]]) -> int:
    """Rank of sparse rows (column → coefficient), by plain Gaussian elimination."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for row in rows:
        row = dict(row)
        while row:
            col = min(row)
            if col not in pivots:
                pivots[col] = row
                break
            factor = row[col] / pivots[col][col]
            for k, v in pivots[col].items():
                row[k] = row.get(k, Fraction(0)) - factor * v
            row = {k: v for k, v in row.items() if v}
    return len(pivots)


def equations_ok(report) -> list:
    """Hidden counts from 1 to 4 that a reader could work out from the shown cells: must be none.

    Built here, apart from the suppression module: every line with a shown total is an
    equation (parts − total = 0), and so is every pair of lines with the same true sum.
    A hidden cell can be worked out exactly when adding its unit vector to the equations
    (restricted to the hidden cells) does not raise their rank.
    """
    lines = [line for t in report.tables for line in t.lines()]
    equations = []
    for parts, total in lines:
        if total is not None:
            equations.append([(c, 1) for c in parts] + [(total, -1)])
    last_with_sum: dict = {}  # a = b and b = c give a = c: each line against the previous one
    for parts, _total in lines:
        value = sum(c.value or 0 for c in parts)
        other = last_with_sum.get(value)
        if value and other is not None and {id(c) for c in other} != {id(c) for c in parts}:
            equations.append([(c, 1) for c in parts] + [(c, -1) for c in other])
        if value:
            last_with_sum[value] = parts
    hidden = list({id(c): c for eq in equations for c, _k in eq if c.is_hidden}.values())
    index = {id(c): i for i, c in enumerate(hidden)}
    matrix = []
    for eq in equations:
        row: dict[int, Fraction] = {}
        for c, k in eq:
            if id(c) in index:
                row[index[id(c)]] = row.get(index[id(c)], Fraction(0)) + k
        row = {k: v for k, v in row.items() if v}
        if row:
            matrix.append(row)
    base = _rank(matrix)
    return [
        c.value for c in hidden if c.suppressed == "small" and _rank(matrix + [{index[id(c)]: Fraction(1)}]) == base
    ]


def shown_small_counts(report) -> list:
    """Counts from 1 to 4 that an analyst would see as numbers: must be none."""
    found = []
    for t in report.tables:
        for c in t.all_cells():
            if not c.derived and not c.is_hidden and isinstance(c.value, int) and 1 <= c.value <= 4:
                found.append((t.key, c.value))
    return found
