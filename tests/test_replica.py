"""Reports read from a real streaming replica (scripts/start_replica.sh), a user's reads after its own
writes from the primary (taskforce/replica.py). Run only when DATABASE_REPLICA_URL is set (CI's
PostgreSQL pass): the replica alias is then pointed at the replica's copy of the test database.

The proof that a read went to the replica: replay is paused on the replica, a record is written on
the primary, and the report counts it only when read from the primary."""

from __future__ import annotations

import os
import time

import dj_database_url
import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from agencies.models import AgencyKind, Role
from cases import reports
from cases.models import Operation
from taskforce import replica

from . import factories as f

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not os.environ.get("DATABASE_REPLICA_URL"), reason="needs DATABASE_REPLICA_URL (a replica)"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def real_replica(settings):
    settings.REPLICA_READS = True
    target = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    conn = connections["replica"]
    conn.close()
    mirrored = conn.settings_dict
    conn.settings_dict = {**connections["default"].settings_dict, "HOST": target["HOST"], "PORT": target["PORT"]}
    try:
        yield conn
    finally:
        _replay(conn, "resume")
        conn.close()
        conn.settings_dict = mirrored


def _caught_up(conn) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    for _ in range(200):
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up in 10 s")


def _replay(conn, what: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{what}()")


def _operations_counted(report) -> int:
    return report.table("operations_by_month").grand_total.value


@pytest.fixture
def coordinator():
    task_force = f.AgencyFactory(kind=AgencyKind.TASK_FORCE)
    user = f.MembershipFactory(agency=task_force, role=Role.COORDINATOR).user
    f.OperationFactory(lead_agency=task_force)
    return user


def test_the_replica_is_a_streaming_standby(real_replica):
    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True


def test_report_reads_go_to_the_replica_and_reads_after_a_write_to_the_primary(real_replica, coordinator, client):
    _caught_up(real_replica)
    _replay(real_replica, "pause")
    f.OperationFactory(lead_agency=coordinator.memberships.get().agency)  # on the primary only, for now
    client.force_login(coordinator)

    def counted() -> int:
        data = client.get("/api/v1/reports/summary/").json()
        table = next(t for t in data["tables"] if t["key"] == "operations_by_month")
        return table["totals"]["total"]

    assert Operation.objects.count() == 2
    assert counted() == 1  # the replica has not replayed the second operation
    client.post("/reports/")  # any write request (here refused, 405) pins its user to the primary
    assert counted() == 2
    replica.cache.delete(replica._pin_key(coordinator.pk))
    assert counted() == 1


def test_a_write_pins_the_rest_of_the_request_to_the_primary(real_replica, coordinator):
    _caught_up(real_replica)
    _replay(real_replica, "pause")
    scope = reports.report_scope(coordinator)
    seen = {}

    def view(request):
        with replica.reading() as before:
            seen["before"] = before
        f.OperationFactory(lead_agency=coordinator.memberships.get().agency)
        with replica.reading() as after:
            seen["after"] = after
            seen["counted"] = _operations_counted(reports.summary_report(scope, *_period()))
        return HttpResponse()

    request = RequestFactory().get("/reports/")
    request.user = coordinator
    replica.ReplicaPinMiddleware(view)(request)
    assert seen == {"before": "replica", "after": "default", "counted": 2}
    assert replica.user_pinned(coordinator)  # and for the next few seconds, on every server


def _period():
    from cases.reports.summary import default_period

    return default_period()


def test_an_export_job_reads_its_rows_from_the_replica_unless_its_requester_just_wrote(
    real_replica, coordinator, settings, tmp_path
):
    from exports.models import ExportJob
    from exports.writing import run

    settings.EXPORT_DIR = tmp_path
    _caught_up(real_replica)
    _replay(real_replica, "pause")
    f.OperationFactory(lead_agency=coordinator.memberships.get().agency)  # on the primary only
    replica.cache.delete(replica._pin_key(coordinator.pk))

    def rows_written() -> int:
        job = ExportJob.objects.create(
            requested_by=coordinator, list_name="operation-list", what="Operations", query="", format="csv"
        )
        assert run(job.pk) == "done"
        return ExportJob.objects.get(pk=job.pk).rows_written

    assert rows_written() == 1  # the replica's copy: replay is paused
    replica.pin(coordinator)  # as a write request of the coordinator does
    assert rows_written() == 2
