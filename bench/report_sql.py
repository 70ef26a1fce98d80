"""Hand-written SQL for each report: the same numbers, computed as directly as we can.

The harness times these next to the report endpoints, for each role, and prints the
ratio: how much the ORM and the report's presentation cost on top of the database work
itself. A role's statements count only the records its report counts: `Within` adds
`<table>.id IN (<the policy's own SQL of the records the user may see>)` to each
statement's main table (bench/scoped.py builds it from `visible_to`, so the policy is not
written twice), and leaves out the statements of the parts its report does not show.

Each statement list gives the report's numbers exactly, for the coordinator and for the
other roles (checked by tests/test_report_sql.py against cases.reports): voided records and records whose
person, contact, referral or operation is voided are left out; a person confirmed as a
victim anywhere in the set counts as confirmed only. Like the reports, the statements
run without JIT compilation and with 64 MB of work_mem (set first, reset last).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

SETTINGS = ("SELECT set_config('jit', 'off', false), set_config('work_mem', '64MB', false)", {})
RESET = ("SELECT set_config(name, reset_val, false) FROM pg_settings WHERE name IN ('jit', 'work_mem')", {})

NOTHING = ("SELECT NULL WHERE FALSE", {})  # a part of the report this role is not shown


class Within:
    """The condition keeping a statement's main table to the records a report counts.

    `visible` maps a table ("contact", "offer", "referral", "handoff", "detention",
    "operation") to SQL selecting the ids the user may see, or to "" when it may see none; a
    table it does not name is not restricted (the coordinator's, the analyst's whole task
    force). `contacts`, `custody` and `enforcement` say which parts of the report the role
    is shown.
    """

    def __init__(self, visible: dict[str, str] | None = None, *, contacts=True, custody=True, enforcement=True):
        self.visible = visible or {}
        self.contacts, self.custody, self.enforcement = contacts, custody, enforcement

    def __call__(self, alias: str, table: str) -> str:
        sql = self.visible.get(table)
        if sql is None:
            return "TRUE"
        return f"{alias}.id IN ({sql})" if sql else "FALSE"


EVERYTHING = Within()

GROUP = """CASE WHEN {age} = 'adult' AND p.gender = 'male' THEN 'adult_male'
                 WHEN {age} = 'adult' AND p.gender = 'female' THEN 'adult_female'
                 WHEN {age} = 'adult' THEN 'adult_other'
                 WHEN {age} IN ('infant', 'child', 'teen') AND p.gender = 'male' THEN 'minor_male'
                 WHEN {age} IN ('infant', 'child', 'teen') AND p.gender = 'female' THEN 'minor_female'
                 WHEN {age} IN ('infant', 'child', 'teen') THEN 'minor_other'
                 ELSE 'unknown_age' END"""

# Victims among the contacts of `base`: confirmed anywhere wins over potential; an
# accompanying child taken into protective custody is a potential victim (`r_custody_child`,
# CUSTODY_CHILD; the rule of cases/reports/counting.py).
VICTIMS = """victims AS (
    SELECT *, CASE WHEN r_role = 'confirmed_victim' THEN 'confirmed' ELSE 'potential' END AS r_status FROM base
    WHERE r_role = 'confirmed_victim' OR (
        (r_role = 'potential_victim' OR (r_role = 'accompanying_child' AND r_custody_child))
        AND r_person NOT IN (SELECT r_person FROM base WHERE r_role = 'confirmed_victim')))"""
CUSTODY_CHILD = """(c.outcome = 'protective_custody' OR EXISTS (
    SELECT 1 FROM cases_custodyhandoff ch WHERE ch.contact_id = c.id AND ch.voided_at IS NULL))"""

# The operation's contacts with a live detention or hand-off (not voided, nor their person
# or, for a hand-off, its operation), as hashed sets.
# As arrays (= ANY(ARRAY(…))), the planner reads each table by index from these ids.
OPERATION_CONTACTS = "SELECT id FROM cases_contact WHERE operation_id = %(op)s"
CONTACT_IDS = f"ARRAY({OPERATION_CONTACTS})"
REFERRAL_IDS = "ARRAY(SELECT id FROM cases_referral WHERE operation_id = %(op)s)"
DETAINED = """SELECT d.contact_id FROM cases_detention d WHERE d.operation_id = %(op)s AND {within}
               AND d.voided_at IS NULL AND d.person_id NOT IN (SELECT id FROM cases_person WHERE voided_at IS NOT NULL)"""
IN_CUSTODY = f"""SELECT h.contact_id FROM cases_custodyhandoff h WHERE h.contact_id = ANY({CONTACT_IDS}) AND {{within}}
                 AND h.voided_at IS NULL AND h.person_id NOT IN (SELECT id FROM cases_person WHERE voided_at IS NOT NULL)
                 AND (h.operation_id IS NULL OR h.operation_id NOT IN (
                     SELECT id FROM cases_operation WHERE voided_at IS NOT NULL))"""


def operation_sql(operation_id: int, within: Within = EVERYTHING) -> list[tuple[str, dict]]:
    op = {"op": operation_id}
    detained = DETAINED.format(within=within("d", "detention"))
    in_custody = IN_CUSTODY.format(within=within("h", "handoff"))
    return [
        SETTINGS,
        # What happened, by group of people; people by role; victims by age and gender.
        (
            f"""WITH base AS (
                SELECT c.person_id AS r_person, c.role AS r_role, c.age_group AS r_age, p.gender AS r_gender,
                       {GROUP.format(age="c.age_group")} AS r_group,
                       c.outcome IN ('detained', 'arrested') OR c.id IN ({detained}) AS r_detained,
                       c.outcome = 'arrested' OR c.id IN ({detained} AND d.outcome IN ('arrested', 'referred'))
                           AS r_arrested,
                       c.id IN ({detained} AND d.outcome = 'cited') AS r_cited,
                       c.outcome = 'protective_custody' OR c.id IN ({in_custody}) AS r_custody,
                       {CUSTODY_CHILD} AS r_custody_child
                FROM cases_contact c JOIN cases_person p ON p.id = c.person_id
                JOIN cases_operation o ON o.id = c.operation_id
                WHERE c.operation_id = %(op)s AND c.voided_at IS NULL AND p.voided_at IS NULL AND o.voided_at IS NULL
                  AND {within("c", "contact")}
             ), {VICTIMS}
             SELECT 'outcomes', r_group, NULL, NULL, count(DISTINCT r_person),
                    count(DISTINCT r_person) FILTER (WHERE r_detained), count(DISTINCT r_person) FILTER (WHERE r_arrested),
                    count(DISTINCT r_person) FILTER (WHERE r_custody), count(DISTINCT r_person) FILTER (WHERE r_cited)
             FROM base GROUP BY r_group
             UNION ALL SELECT 'roles', r_role, NULL, NULL, count(DISTINCT r_person), NULL, NULL, NULL, NULL
             FROM base GROUP BY r_role
             UNION ALL SELECT 'victims', r_age, r_gender, r_status, count(DISTINCT r_person), NULL, NULL, NULL, NULL
             FROM victims GROUP BY r_age, r_gender, r_status""",
            op,
        )
        if within.contacts
        else NOTHING,
        # Services offered and accepted by type (people), people offered services and who
        # accepted one, by group: the operation's offers, found by index.
        (
            f"""WITH base AS (
                SELECT s.person_id AS r_person, s.service_type_id AS r_type, t.name AS r_type_name,
                       s.response = 'accepted' AS r_accepted,
                       {GROUP.format(age="coalesce(c.age_group, rc.age_group, p.age_group)")} AS r_group
                FROM cases_serviceoffer s JOIN cases_person p ON p.id = s.person_id
                JOIN cases_servicetype t ON t.id = s.service_type_id
                LEFT JOIN cases_contact c ON c.id = s.contact_id
                LEFT JOIN cases_referral r ON r.id = s.referral_id LEFT JOIN cases_contact rc ON rc.id = r.contact_id
                WHERE (s.contact_id = ANY({CONTACT_IDS}) OR s.referral_id = ANY({REFERRAL_IDS}))
                  AND {within("s", "offer")} AND s.voided_at IS NULL AND p.voided_at IS NULL AND c.voided_at IS NULL AND r.voided_at IS NULL
             )
             SELECT 'services', r_type_name, NULL, count(DISTINCT r_person), count(DISTINCT r_person) FILTER (WHERE r_accepted)
             FROM base GROUP BY r_type_name
             UNION ALL SELECT 'groups', r_group, NULL, count(DISTINCT r_person),
                    count(DISTINCT r_person) FILTER (WHERE r_accepted)
             FROM base GROUP BY r_group""",
            op,
        ),
        # Referrals by partner and status.
        (
            f"""SELECT a.name, r.status, count(*) FROM cases_referral r JOIN cases_contact c ON c.id = r.contact_id
            JOIN cases_person p ON p.id = r.person_id JOIN agencies_agency a ON a.id = r.to_agency_id
            WHERE r.operation_id = %(op)s AND {within("r", "referral")}
              AND r.status <> 'draft' AND r.voided_at IS NULL AND c.voided_at IS NULL
              AND p.voided_at IS NULL
            GROUP BY a.name, r.status""",
            op,
        ),
        # Children taken into protective custody, by receiving agency and age.
        (
            f"""SELECT a.name, count(DISTINCT h.person_id) FILTER (WHERE h.child_age_at_custody < 5),
                   count(DISTINCT h.person_id) FILTER (WHERE h.child_age_at_custody >= 5 AND h.child_age_at_custody < 13),
                   count(DISTINCT h.person_id) FILTER (WHERE h.child_age_at_custody >= 13)
            FROM cases_custodyhandoff h JOIN cases_person p ON p.id = h.person_id
            JOIN agencies_agency a ON a.id = h.receiving_agency_id
            LEFT JOIN cases_contact c ON c.id = h.contact_id LEFT JOIN cases_operation o ON o.id = h.operation_id
            WHERE (h.operation_id = %(op)s OR h.contact_id = ANY({CONTACT_IDS})) AND {within("h", "handoff")}
              AND h.voided_at IS NULL AND p.voided_at IS NULL AND c.voided_at IS NULL AND o.voided_at IS NULL
            GROUP BY a.name""",
            op,
        )
        if within.custody
        else NOTHING,
        # Detentions, citations, arrests and charges, by agency.
        (
            f"""SELECT a.name, count(DISTINCT d.id), count(DISTINCT d.id) FILTER (WHERE d.outcome IN ('arrested', 'referred')),
                   count(ch.id), count(ch.id) FILTER (WHERE ch.is_trafficking)
            FROM cases_detention d JOIN cases_contact c ON c.id = d.contact_id JOIN cases_person p ON p.id = d.person_id
            JOIN agencies_agency a ON a.id = d.agency_id LEFT JOIN cases_charge ch ON ch.detention_id = d.id
            WHERE d.contact_id = ANY({CONTACT_IDS}) AND {within("d", "detention")}
              AND d.voided_at IS NULL AND c.voided_at IS NULL AND p.voided_at IS NULL
            GROUP BY a.name""",
            op,
        )
        if within.enforcement
        else NOTHING,
        RESET,
    ]


def _period(start: date, end: date) -> dict:
    zone = timezone.get_current_timezone()
    return {
        "begins": timezone.make_aware(datetime.combine(start, time.min), zone),
        "ends": timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
        "zone": str(zone),
    }


def _contacts(p: dict, age: str, dashboard: bool, within: Within) -> tuple[str, dict]:
    """Victims by type, age, citizenship and gender; on the dashboard, people by role and by agency."""
    if not within.contacts:
        return NOTHING
    by_dimension = " UNION ALL ".join(
        f"""SELECT '{name}', {column}, r_status, count(*) FROM (
                SELECT DISTINCT {column}, r_status, r_person FROM victims) v GROUP BY {column}, r_status"""
        for name, column in (
            ("type", "r_type"),
            ("age", "r_age"),
            ("citizenship", "r_citizenship"),
            ("gender", "r_gender"),
        )
    )
    dashboard_sql = (
        """ UNION ALL SELECT 'roles', r_role, NULL, count(*) FROM (
                            SELECT DISTINCT r_role, r_person FROM base) x GROUP BY r_role
                        UNION ALL SELECT 'agencies', r_agency::text, NULL, count(*) FROM (
                            SELECT DISTINCT r_agency, r_person FROM base) x GROUP BY r_agency"""
        if dashboard
        else ""
    )
    return (
        f"""WITH base AS (
                    SELECT c.person_id AS r_person, c.role AS r_role, c.agency_id AS r_agency,
                           coalesce(o.trafficking_type, 'unknown') AS r_type, {age} AS r_age,
                           p.citizenship AS r_citizenship, p.gender AS r_gender, {CUSTODY_CHILD} AS r_custody_child
                    FROM cases_contact c JOIN cases_person p ON p.id = c.person_id
                    LEFT JOIN cases_operation o ON o.id = c.operation_id
                    WHERE c.occurred_at >= %(begins)s AND c.occurred_at < %(ends)s AND c.voided_at IS NULL
                      AND p.voided_at IS NULL AND o.voided_at IS NULL AND {within("c", "contact")}
                ), {VICTIMS}
                {by_dimension}{dashboard_sql}""",
        p,
    )


# Live offers, referrals, hand-offs and detentions of the period (not voided, nor their
# parents): the few voided parents come from partial indexes (migration 0006), not joins.
def _live(column: str, table: str, nullable: bool = True) -> str:
    voided = f"{column} NOT IN (SELECT id FROM {table} WHERE voided_at IS NOT NULL)"
    return f"({column} IS NULL OR {voided})" if nullable else voided


OFFERS = f"""cases_serviceoffer s
            WHERE {{within}} AND s.offered_at >= %(begins)s AND s.offered_at < %(ends)s AND s.voided_at IS NULL
              AND {_live("s.person_id", "cases_person", False)} AND {_live("s.contact_id", "cases_contact")}
              AND {_live("s.referral_id", "cases_referral")}"""
REFERRALS = f"""cases_referral r
               WHERE {{within}} AND r.sent_at >= %(begins)s AND r.sent_at < %(ends)s AND r.voided_at IS NULL
                 AND {_live("r.person_id", "cases_person", False)} AND {_live("r.contact_id", "cases_contact")}"""
HANDOFFS = f"""cases_custodyhandoff h
              WHERE {{within}} AND h.taken_at >= %(begins)s AND h.taken_at < %(ends)s AND h.voided_at IS NULL
                AND {_live("h.person_id", "cases_person", False)} AND {_live("h.contact_id", "cases_contact")}
                AND {_live("h.operation_id", "cases_operation")}"""
DETENTIONS = f"""cases_detention d
                WHERE {{within}} AND d.detained_at >= %(begins)s AND d.detained_at < %(ends)s AND d.voided_at IS NULL
                  AND {_live("d.person_id", "cases_person", False)} AND {_live("d.contact_id", "cases_contact")}"""
REACHED = "EXISTS (SELECT 1 FROM cases_referralevent e WHERE e.referral_id = r.id AND e.to_status = '{}')"


def _from(fragment: str, alias: str, table: str, within: Within) -> str:
    """One of the fragments above, kept to the records the report counts."""
    return fragment.replace("{within}", within(alias, table))


def _offers_by_type(p: dict, dashboard: bool, within: Within) -> tuple[str, dict]:
    offers = _from(OFFERS, "s", "offer", within)
    agencies = (
        f" UNION ALL SELECT 'agencies', s.offered_by_id, NULL, count(*), NULL, NULL FROM {offers} GROUP BY 2"
        if dashboard
        else ""
    )
    return (
        f"""SELECT 'services', s.service_type_id, t.name, count(*), count(*) FILTER (WHERE s.response = 'accepted'),
                       count(*) FILTER (WHERE s.delivered_at IS NOT NULL)
                FROM {offers.replace("WHERE", "JOIN cases_servicetype t ON t.id = s.service_type_id WHERE", 1)}
                GROUP BY 2, 3{agencies}""",
        p,
    )


def _enforcement(p: dict, within: Within) -> tuple[str, dict]:
    if not within.enforcement:
        return NOTHING
    return (
        f"""SELECT a.name, count(DISTINCT d.id), count(DISTINCT d.id) FILTER (WHERE d.outcome IN ('arrested', 'referred')),
                       count(ch.id), count(ch.id) FILTER (WHERE ch.is_trafficking)
                FROM {
            _from(DETENTIONS, "d", "detention", within).replace(
                "WHERE",
                "JOIN agencies_agency a ON a.id = d.agency_id "
                "LEFT JOIN cases_charge ch ON ch.detention_id = d.id WHERE",
                1,
            )
        }
                GROUP BY a.name""",
        p,
    )


def summary_sql(start: date, end: date, within: Within = EVERYTHING) -> list[tuple[str, dict]]:
    p = _period(start, end)
    referrals = _from(REFERRALS, "r", "referral", within)
    handoffs = _from(HANDOFFS, "h", "handoff", within)
    return [
        SETTINGS,
        (
            f"""SELECT date_trunc('month', o.starts_at AT TIME ZONE %(zone)s), o.trafficking_type, count(*)
            FROM cases_operation o WHERE o.starts_at >= %(begins)s AND o.starts_at < %(ends)s AND o.voided_at IS NULL
              AND {within("o", "operation")}
            GROUP BY 1, 2""",
            p,
        ),
        _contacts(
            p,
            "CASE WHEN c.age_group = 'adult' THEN 'adult' WHEN c.age_group IN ('infant', 'child', 'teen') "
            "THEN 'minor' ELSE 'unknown' END",
            dashboard=True,
            within=within,
        ),
        _offers_by_type(p, dashboard=True, within=within),
        # The funnel, referrals and acknowledgement by partner, referrals by sender.
        (
            f"""SELECT 'funnel', NULL, count(*) FILTER (WHERE r.sent_at IS NOT NULL),
                    count(*) FILTER (WHERE r.acknowledged_at IS NOT NULL
                                     OR r.status IN ('acknowledged', 'accepted', 'declined', 'in_service', 'closed')),
                    count(*) FILTER (WHERE r.status IN ('accepted', 'in_service', 'closed') OR {REACHED.format("accepted")}),
                    count(*) FILTER (WHERE r.status = 'in_service' OR {REACHED.format("in_service")}),
                    count(*) FILTER (WHERE r.status = 'closed'), count(*) FILTER (WHERE r.status = 'declined'),
                    count(*) FILTER (WHERE r.status = 'revoked'), NULL
             FROM {referrals}
             UNION ALL SELECT 'partners', a.name, count(*), count(*) FILTER (WHERE r.acknowledged_at IS NOT NULL),
                    NULL, NULL, NULL, NULL, NULL,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.acknowledged_at - r.sent_at))
             FROM {referrals.replace("WHERE", "JOIN agencies_agency a ON a.id = r.to_agency_id WHERE", 1)}
             GROUP BY a.id, a.name
             UNION ALL SELECT 'senders', r.from_agency_id::text, count(*), NULL, NULL, NULL, NULL, NULL, NULL, NULL
             FROM {referrals} GROUP BY r.from_agency_id""",
            p,
        ),
        # Children taken into custody and time to hand-off, by receiving agency; by custody agency.
        (
            f"""SELECT 'receiving', a.name, count(*), count(*) FILTER (WHERE h.handed_over_at IS NOT NULL),
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.handed_over_at - h.taken_at))
             FROM {handoffs.replace("WHERE", "JOIN agencies_agency a ON a.id = h.receiving_agency_id WHERE", 1)}
             GROUP BY a.id, a.name
             UNION ALL SELECT 'custody', h.custody_agency_id::text, count(*), NULL, NULL FROM {handoffs}
             GROUP BY h.custody_agency_id""",
            p,
        )
        if within.custody
        else NOTHING,
        _enforcement(p, within),
        # Operations taken part in, by agency, with every agency's name.
        (
            f"""SELECT pa.agency_id, a.name, count(DISTINCT pa.operation_id) FROM cases_participation pa
            JOIN cases_operation o ON o.id = pa.operation_id JOIN agencies_agency a ON a.id = pa.agency_id
            WHERE o.starts_at >= %(begins)s AND o.starts_at < %(ends)s AND o.voided_at IS NULL
              AND {within("o", "operation")} GROUP BY 1, 2""",
            p,
        ),
        RESET,
    ]


def measures_sql(year: int, within: Within = EVERYTHING) -> list[tuple[str, dict]]:
    p = _period(date(year, 1, 1), date(year, 12, 31))
    referrals = _from(REFERRALS, "r", "referral", within)
    detentions = _from(DETENTIONS, "d", "detention", within)
    return [
        SETTINGS,
        _contacts(p, "c.age_group", dashboard=False, within=within),
        _offers_by_type(p, dashboard=False, within=within),
        (
            f"""SELECT a.kind, count(*) FROM {referrals.replace("WHERE", "JOIN agencies_agency a ON a.id = r.from_agency_id WHERE", 1)}
             GROUP BY 1""",
            p,
        ),
        _enforcement(p, within),
        (
            f"""SELECT ch.charge_class, ch.is_trafficking, count(*) FROM cases_charge ch JOIN cases_detention d ON d.id = ch.detention_id
             WHERE {detentions.split("WHERE", 1)[1]}
             GROUP BY 1, 2""",
            p,
        )
        if within.enforcement
        else NOTHING,
        RESET,
    ]
