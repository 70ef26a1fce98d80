"""Hand-written SQL for each report: the same numbers, computed as directly as we can.

The harness times these next to the report endpoints (as the coordinator, who sees
every record) and prints the ratio: how much the ORM, the access policy and the
report's presentation cost on top of the database work itself.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

VICTIM_ROLES = "('potential_victim', 'confirmed_victim', 'accompanying_child')"
GROUP = """CASE WHEN c.age_group = 'adult' THEN 'adult_' || p.gender
                 WHEN c.age_group IN ('infant', 'child', 'teen') THEN 'minor_' || p.gender
                 ELSE 'unknown' END"""


def operation_sql(operation_id: int) -> list[tuple[str, dict]]:
    op = {"op": operation_id}
    return [
        # What happened, by group of people.
        (f"""SELECT {GROUP} AS grp, count(DISTINCT c.person_id),
                    count(DISTINCT c.person_id) FILTER (WHERE c.outcome IN ('detained', 'arrested') OR d.id IS NOT NULL),
                    count(DISTINCT c.person_id) FILTER (WHERE c.outcome = 'arrested' OR d.outcome IN ('arrested', 'referred')),
                    count(DISTINCT c.person_id) FILTER (WHERE c.outcome = 'protective_custody' OR h.id IS NOT NULL)
             FROM cases_contact c JOIN cases_person p ON p.id = c.person_id
             LEFT JOIN cases_detention d ON d.contact_id = c.id AND d.voided_at IS NULL
             LEFT JOIN cases_custodyhandoff h ON h.contact_id = c.id AND h.voided_at IS NULL
             WHERE c.operation_id = %(op)s AND c.voided_at IS NULL GROUP BY 1""", op),
        ("""SELECT c.role, count(DISTINCT c.person_id) FROM cases_contact c
            WHERE c.operation_id = %(op)s AND c.voided_at IS NULL GROUP BY 1""", op),
        (f"""SELECT c.age_group, p.gender, count(DISTINCT c.person_id)
             FROM cases_contact c JOIN cases_person p ON p.id = c.person_id
             WHERE c.operation_id = %(op)s AND c.voided_at IS NULL AND c.role IN {VICTIM_ROLES} GROUP BY 1, 2""", op),
        ("""SELECT s.service_type_id, count(DISTINCT s.person_id),
                   count(DISTINCT s.person_id) FILTER (WHERE s.response = 'accepted')
            FROM cases_serviceoffer s
            LEFT JOIN cases_contact c ON c.id = s.contact_id
            LEFT JOIN cases_referral r ON r.id = s.referral_id
            LEFT JOIN cases_contact rc ON rc.id = r.contact_id
            WHERE s.voided_at IS NULL AND (c.operation_id = %(op)s OR rc.operation_id = %(op)s) GROUP BY 1""", op),
        ("""SELECT r.to_agency_id, r.status, count(*) FROM cases_referral r JOIN cases_contact c ON c.id = r.contact_id
            WHERE c.operation_id = %(op)s AND r.status <> 'draft' AND r.voided_at IS NULL GROUP BY 1, 2""", op),
        ("""SELECT h.receiving_agency_id, count(*) FILTER (WHERE h.child_age_at_custody < 5),
                   count(*) FILTER (WHERE h.child_age_at_custody BETWEEN 5 AND 12),
                   count(*) FILTER (WHERE h.child_age_at_custody >= 13)
            FROM cases_custodyhandoff h WHERE h.operation_id = %(op)s AND h.voided_at IS NULL GROUP BY 1""", op),
        ("""SELECT d.agency_id, count(*), count(*) FILTER (WHERE d.outcome IN ('arrested', 'referred')),
                   (SELECT count(*) FROM cases_charge ch JOIN cases_detention d2 ON d2.id = ch.detention_id
                    JOIN cases_contact c2 ON c2.id = d2.contact_id
                    WHERE c2.operation_id = %(op)s AND d2.agency_id = d.agency_id AND ch.is_trafficking)
            FROM cases_detention d JOIN cases_contact c ON c.id = d.contact_id
            WHERE c.operation_id = %(op)s AND d.voided_at IS NULL GROUP BY 1""", op),
    ]


def _period(start: date, end: date) -> dict:
    zone = timezone.get_current_timezone()
    return {
        "begins": timezone.make_aware(datetime.combine(start, time.min), zone),
        "ends": timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    }


def _victims_and_services(p: dict) -> list[tuple[str, dict]]:
    return [
        (f"""SELECT GROUPING(coalesce(o.trafficking_type, 'unknown'), c.age_group, p.citizenship, p.gender),
                    coalesce(o.trafficking_type, 'unknown'), c.age_group, p.citizenship, p.gender,
                    count(DISTINCT c.person_id)
             FROM cases_contact c JOIN cases_person p ON p.id = c.person_id
             LEFT JOIN cases_operation o ON o.id = c.operation_id
             WHERE c.occurred_at >= %(begins)s AND c.occurred_at < %(ends)s AND c.voided_at IS NULL
               AND c.role IN {VICTIM_ROLES}
             GROUP BY GROUPING SETS ((coalesce(o.trafficking_type, 'unknown')), (c.age_group), (p.citizenship), (p.gender))""", p),
        ("""SELECT s.service_type_id, count(DISTINCT s.person_id), count(DISTINCT s.person_id) FILTER (WHERE s.response = 'accepted')
            FROM cases_serviceoffer s WHERE s.offered_at >= %(begins)s AND s.offered_at < %(ends)s AND s.voided_at IS NULL
            GROUP BY 1""", p),
        ("""SELECT d.agency_id, count(*), count(*) FILTER (WHERE d.outcome IN ('arrested', 'referred')),
                   count(ch.id), count(ch.id) FILTER (WHERE ch.is_trafficking)
            FROM cases_detention d LEFT JOIN cases_charge ch ON ch.detention_id = d.id
            WHERE d.detained_at >= %(begins)s AND d.detained_at < %(ends)s AND d.voided_at IS NULL GROUP BY 1""", p),
    ]


def summary_sql(start: date, end: date) -> list[tuple[str, dict]]:
    p = _period(start, end)
    return [
        ("""SELECT o.status, o.kind, count(*) FROM cases_operation o
            WHERE o.starts_at >= %(begins)s AND o.starts_at < %(ends)s AND o.voided_at IS NULL GROUP BY 1, 2""", p),
        *_victims_and_services(p),
        (f"""SELECT date_trunc('month', c.occurred_at AT TIME ZONE 'America/Chicago'), count(DISTINCT c.person_id)
             FROM cases_contact c WHERE c.occurred_at >= %(begins)s AND c.occurred_at < %(ends)s
               AND c.voided_at IS NULL AND c.role IN {VICTIM_ROLES} GROUP BY 1""", p),
        ("""SELECT count(*), count(*) FILTER (WHERE r.acknowledged_at IS NOT NULL OR r.status IN ('acknowledged', 'accepted', 'declined', 'in_service', 'closed')),
                   count(*) FILTER (WHERE r.status IN ('accepted', 'in_service', 'closed') OR EXISTS (
                       SELECT 1 FROM cases_referralevent e WHERE e.referral_id = r.id AND e.to_status = 'accepted')),
                   count(*) FILTER (WHERE r.status = 'in_service' OR EXISTS (
                       SELECT 1 FROM cases_referralevent e WHERE e.referral_id = r.id AND e.to_status = 'in_service')),
                   count(*) FILTER (WHERE r.status = 'closed'), count(*) FILTER (WHERE r.status = 'declined'),
                   count(*) FILTER (WHERE r.status = 'revoked'),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.acknowledged_at - r.sent_at))
            FROM cases_referral r WHERE r.sent_at >= %(begins)s AND r.sent_at < %(ends)s AND r.voided_at IS NULL""", p),
        ("""SELECT h.receiving_agency_id, count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM h.handed_over_at - h.taken_at))
            FROM cases_custodyhandoff h WHERE h.taken_at >= %(begins)s AND h.taken_at < %(ends)s AND h.voided_at IS NULL
            GROUP BY 1""", p),
    ]


def measures_sql(year: int) -> list[tuple[str, dict]]:
    p = _period(date(year, 1, 1), date(year, 12, 31))
    return [
        *_victims_and_services(p),
        ("""SELECT a.kind, count(*) FROM cases_referral r JOIN agencies_agency a ON a.id = r.from_agency_id
            WHERE r.sent_at >= %(begins)s AND r.sent_at < %(ends)s AND r.voided_at IS NULL GROUP BY 1""", p),
    ]
