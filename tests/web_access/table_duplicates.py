"""Access table: possible duplicates, merges and their undo (see registry.py).

The pair "own" is two records of one woman in the St. Joseph operation (SJPD met both),
"other" the same in Kansas City (KCPD met both). The review list and the merge are for
supervisors and the coordinator; whoever does not see both records gets 404 (it never
learns they exist), an officer who sees them 403. A merge is undone by the coordinator only.
"""

from cases import merging
from tests import factories as f

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}


def _pair(w, side: str) -> tuple:
    """Two records of one invented person met by one agency, made once per world."""
    made = getattr(w.records, f"duplicates_{side}", None)
    if made is None:
        # Other names on each side: a page "shows" a person whose name it prints (tests/test_access_log_reads.py).
        names = (
            ("Destiny Quarrington", "Destny Quarrington") if side == "sjpd" else ("Guadalupe Vell", "Guadelupe Vell")
        )
        made = tuple(f.person_met(w, name, side) for name in names)
        setattr(w.records, f"duplicates_{side}", made)
    return made


def _merge(w):
    """A merge of two SJPD records, made by SJPD's supervisor."""
    made = getattr(w.records, "merge_sjpd", None)
    if made is None:
        survivor, merged = (f.person_met(w, name) for name in ("Oleksandra Quarrington", "Aleksandra Quarrington"))
        made = merging.merge_people(w.users.supervisor_sjpd, survivor, merged)
        w.records.merge_sjpd = made
    return made


def _pair_kwargs(side: str):
    def kwargs(w):
        first, second = _pair(w, side)
        return {"pk": first.pk, "other": second.pk}

    return kwargs


PAIRS = {"own": _pair_kwargs("sjpd"), "other": _pair_kwargs("kcpd")}
SJPD_SEES = dict(officer_sjpd=403, agent_fbi=403)

register(
    UrlCase("web:person_duplicates", expect={"none": expect(403, coordinator=200, supervisor_sjpd=200)}),
    UrlCase(
        "web:person_merge",
        objects=PAIRS,
        expect={
            "own": expect(404, coordinator=200, supervisor_sjpd=200, **SJPD_SEES, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=200, officer_kcpd=403, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "web:person_not_same",
        method="post",
        objects=PAIRS,
        expect={
            "own": expect(404, coordinator=302, supervisor_sjpd=302, **SJPD_SEES, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=302, officer_kcpd=403, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "web:person_merge_undo",
        objects={"own": lambda w: {"pk": _merge(w).pk}},
        expect={"own": expect(404, coordinator=200, supervisor_sjpd=403, **SJPD_SEES, **NO_PERSON_LEVEL)},
    ),
    UrlCase(
        "web:person_merge_undo",
        label="post",
        method="post",
        objects={"own": lambda w: {"pk": _merge(w).pk}},
        expect={"own": expect(404, coordinator=302, supervisor_sjpd=403, **SJPD_SEES, **NO_PERSON_LEVEL)},
    ),
)
