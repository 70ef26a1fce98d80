"""Run the whole generation: world first, then operations oldest first."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from agencies.models import Agency, Membership, User
from cases.models import (
    Charge,
    Contact,
    CourtEvent,
    CustodyEvent,
    CustodyHandoff,
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Location,
    Operation,
    Participation,
    Person,
    Prosecution,
    Referral,
    ReferralEvent,
    ReliefEvent,
    ReliefRequest,
    ServiceOffer,
)
from cases.models import Count as ProsecutionCount

from .records import CaseGenerator
from .world import build_world

# Parents before children: each flush writes the tables in this order.
TABLE_ORDER = [
    Agency,
    Agency.services.through,
    User,
    Membership,
    Operation,
    Participation,
    Location,
    Person,
    Person.vulnerabilities.through,
    Contact,
    Contact.indicators.through,
    Referral,
    Referral.service_types.through,
    ReferralEvent,
    ServiceOffer,
    CustodyHandoff,
    CustodyEvent,
    Investigation,
    Investigation.operations.through,
    InvestigationAgency,
    InvestigationPerson,
    Prosecution,
    ProsecutionCount,
    CourtEvent,
    ReliefRequest,
    ReliefEvent,
    Detention,
    Charge,
]


def anchor_time() -> datetime:
    """'Now' for the generated data: the last minute of yesterday, local time.

    Runs on the same day with the same seed give the same rows, and nothing is dated
    in the future.
    """
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(minutes=1)


def generate(
    scale: float, seed: int = 1, batch_rows: int = 50_000, check_foreign_keys: bool = False, log=print
) -> dict[str, int]:
    from .writer import Writer

    if Agency.objects.filter(short_name="GEN-HTTF").exists():
        raise ValueError("This database already holds generated data; use a fresh database.")
    started = time.monotonic()
    rng = random.Random(seed)
    now = anchor_time()
    writer = Writer(TABLE_ORDER, batch_rows=batch_rows, check_foreign_keys=check_foreign_keys)
    world = build_world(rng, writer, scale, now)
    writer.start_background()
    log(f"  {len(world.agencies):,} agencies and their staff written ({time.monotonic() - started:.1f} s)")
    CaseGenerator(rng, writer, world, scale, now, log=lambda m: log(f"{m} ({time.monotonic() - started:.0f} s)")).run()
    writer.finish()
    # Bulk rows send no signals: the person access rows are derived once, from everything written.
    from cases.access import people_access

    step = time.monotonic()
    access_rows = people_access.rebuild()
    log(f"  {access_rows:,} person access rows derived in {time.monotonic() - step:.1f} s")
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner, and the visibility map set as autovacuum would
        # leave a long-lived database (index-only scans, e.g. for counts, depend on it).
        # The access rows too: rebuild() only analyzes them, and the officer's person rule
        # counts them index-only (cases/access/rules.py, _sees_few_people).
        from cases.models import PersonAccess

        with connection.cursor() as cursor:
            for table in [*(t.name for t in writer.tables), PersonAccess._meta.db_table]:
                sql = "VACUUM (ANALYZE) {}" if not connection.in_atomic_block else "ANALYZE {}"
                cursor.execute(sql.format(connection.ops.quote_name(table)))
    log(f"  done in {time.monotonic() - started:.1f} s")
    return {t.name: t.written for t in writer.tables}
