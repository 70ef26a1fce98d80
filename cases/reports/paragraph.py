"""The operation report's press-release paragraph, written from the cells the report shows.

It says what a task force's press release says, in this order: how many agencies took
part and who led; how many people were rescued and who they were; the services offered
to them, per type with counts; the children taken into protective custody and to whom;
the people detained, how (cited, arrested) and the charges, each fact once; and the
referrals sent. Every number is a shown cell of the report, so an analyst reads "fewer
than five" where the table shows "<5", and nothing the tables hide.
"""

from __future__ import annotations

from typing import Any

from cases.models import Operation

from . import words as w
from .base import Report
from .counting import AGE_BANDS, RESCUED_NOUNS
from .queries import GROUP_NOUNS
from .tables import HIDDEN, Table


def _zero(value) -> bool:
    return value == 0 or value is None


def _shown(table: Table, column: str) -> list[tuple[str, Any]]:
    """(row key, shown value) of one column, rows with nothing in them left out."""
    index = [c.key for c in table.columns].index(column)
    return [(row.key, row.cells[index].shown) for row in table.rows if not _zero(row.cells[index].shown)]


def _of_them(value: Any) -> str:
    """ "three of them", "fewer than five of them"; a hidden count is "some of them"."""
    return "some of them" if value == HIDDEN else f"{w.count_words(value)} of them"


def _largest_first(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Groups as a person lists them: the largest first ("five adult women and one adult man")."""
    return sorted(pairs, key=lambda pair: -pair[1] if isinstance(pair[1], int) else 0)


def paragraph(report: Report, operation: Operation) -> str:
    sentences = [
        *_agencies(report, operation),
        *_rescued(report),
        *_services(report),
        *_custody(report),
        *_enforcement(report),
        *_referrals(report),
    ]
    if not sentences:
        return "No outcomes have been recorded for this operation yet."
    return " ".join(sentences)


def _agencies(report: Report, operation: Operation) -> list[str]:
    if not report.has("agencies"):
        return []
    total = report.table("agencies").value("total", "agencies")
    if _zero(total):
        return []
    lead = w.the(operation.lead_agency.name)
    if total == 1:
        return [w.sentence(f"{operation.name} was carried out by {lead} alone")]
    return [w.sentence(f"{w.counted(total, 'agency', 'agencies')} took part in {operation.name}, led by {lead}")]


def _rescued(report: Report) -> list[str]:
    if not report.has("rescued"):
        return []
    table = report.table("rescued")
    total = table.value("total", "people")
    if _zero(total):
        return []
    groups = [w.counted(value, *RESCUED_NOUNS[key]) for key, value in _shown(table, "people")]
    if len(groups) == 1:
        return [w.sentence(f"{groups[0]} {w.be(total)} rescued")]
    return [w.sentence(f"{w.counted(total, 'person', 'people')} {w.be(total)} rescued: {w.join_list(groups)}")]


def _services(report: Report) -> list[str]:
    """Who was offered services, each type with the number offered it, and how many accepted."""
    outcomes, services = report.table("outcomes"), report.table("services")
    offered = _largest_first(_shown(outcomes, "offered"))
    if not offered:
        return []
    who = w.join_list([w.counted(value, *GROUP_NOUNS[key]) for key, value in offered])
    values = [value for _key, value in offered]
    total = sum(values) if all(isinstance(v, int) for v in values) else None
    by_count: dict[Any, list[str]] = {}
    for row in services.rows:
        value = row.cells[0].shown
        if not _zero(value):
            by_count.setdefault(value, []).append(w.lower_name(row.label))
    everyone = by_count.pop(total, []) if total is not None else []
    # The rest, most offered first; suppressed counts ("<5", "hidden") last.
    rest = sorted(by_count.items(), key=lambda item: -item[0] if isinstance(item[0], int) else 0)
    verb = "were" if len(offered) > 1 or w.is_plural(values[0]) else "was"
    if everyone:
        some = "".join(f", and {_of_them(n)} {w.join_list(names)}" for n, names in rest)
        text = f"{who} {verb} offered {w.join_list(everyone)}{some}"
    elif total is not None:
        some = "; ".join(f"{w.join_list(names)} to {_of_them(n)}" for n, names in rest)
        text = f"{who} {verb} offered services" + (f": {some}" if some else "")
    else:  # some groups are suppressed: say how many people were offered each type
        some = "; ".join(
            f"{w.join_list(names)} to {'some of them' if n == HIDDEN else w.counted(n, 'person', 'people')}"
            for n, names in rest
        )
        text = f"{who} {verb} offered services" + (f": {some}" if some else "")
    sentences = [w.sentence(text)]
    accepted = [value for _key, value in _shown(outcomes, "accepted")]
    # Said only when every count is shown: a sum of "<5" cells says nothing true.
    if total is not None and total > 1 and all(isinstance(v, int) for v in accepted):
        n = sum(accepted)
        who_accepted = {0: "None of them", total: "All of them"}.get(n, _of_them(n))
        sentences.append(w.sentence(f"{who_accepted} accepted {'a service' if n == 0 else 'at least one service'}"))
    return sentences


def _custody(report: Report) -> list[str]:
    if not report.has("custody"):
        return []
    table = report.table("custody")
    out = []
    for i, row in enumerate(table.rows):
        bands = [(phrase, cell.shown) for (_k, _l, phrase, _q), cell in zip(AGE_BANDS, row.cells)]
        bands = [(phrase, v) for phrase, v in bands if not _zero(v)]
        if len(bands) == 1:
            phrase, value = bands[0]
            who, verb = f"{w.counted(value, 'child', 'children')} {phrase}", w.be(value)
        elif bands:
            total = table.total_col[i].shown
            parts = w.join_list([f"{w.count_words(v)} {phrase}" for phrase, v in bands])
            who, verb = f"{w.counted(total, 'child', 'children')} ({parts})", w.be(total)
        else:
            continue
        out.append(w.sentence(f"{who} {verb} placed in protective custody with {w.the(row.label)}"))
    return out


def _enforcement(report: Report) -> list[str]:
    """Who was detained and how it ended (cited, arrested), then the charges: each fact once."""
    if not report.has("enforcement"):
        return []
    table = report.table("enforcement")
    if table.total_row is None or not table.rows:
        return []
    detentions, cited, arrests, charges, trafficking = (
        table.value("total", k) for k in ("detentions", "cited", "arrests", "charges", "trafficking")
    )
    detained = _largest_first(_shown(report.table("outcomes"), "detained")) if "detained" in _keys(report) else []
    if detained:
        who = w.join_list([w.counted(value, *GROUP_NOUNS[key]) for key, value in detained])
        plural = len(detained) > 1 or w.is_plural(detained[0][1])
    else:
        who, plural = w.counted(detentions, "person", "people"), w.is_plural(detentions)
    verb = "were" if plural else "was"
    if _zero(detentions):
        what = ""
    elif arrests == detentions:
        what = f"{who} {verb} arrested"
    elif cited == detentions:
        what = f"{who} {verb} detained and cited"
    elif _zero(arrests) and _zero(cited):
        what = f"{who} {verb} detained"
    else:
        how = w.join_list(
            [f"{w.count_words(v)} {label}" for v, label in ((cited, "cited"), (arrests, "arrested")) if not _zero(v)]
        )
        what = f"{who} {verb} detained: {how}"
    if _zero(charges):
        return [w.sentence(what)] if what else []
    if _zero(trafficking):
        of_them = ""
    elif isinstance(charges, int) and trafficking == charges:
        of_them = " for human trafficking" if charges == 1 else ", all of them for human trafficking"
    else:
        of_them = f", {_of_them(trafficking)} for human trafficking"
    brought = f"{w.counted(charges, 'charge', 'charges')} {w.be(charges)} brought{of_them}"
    return [w.sentence(f"{what}; {brought}" if what else brought)]


def _keys(report: Report) -> list[str]:
    return [c.key for c in report.table("outcomes").columns]


def _referrals(report: Report) -> list[str]:
    table = report.table("referrals")
    if not table.rows:
        return []
    total = table.grand_total.shown
    partners = len(table.rows)
    return [
        w.sentence(
            f"{w.counted(total, 'referral', 'referrals')} {w.be(total)} sent to "
            f"{w.counted(partners, 'partner agency', 'partner agencies')}"
        )
    ]
