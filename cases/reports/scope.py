"""Which records a report is computed over, for the user asking.

Every role reads reports within its own scope (`visible_to`); the analyst reads the
whole task force's, with small counts suppressed; the auditor reads none.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, Lookup, Q, QuerySet

from agencies.models import Agency, AgencyKind
from cases import access
from cases.models import Operation
from taskforce import replica

# Parents whose voiding voids the record for reporting purposes.
_PARENTS = {
    "Contact": ("person", "operation"),
    "ServiceOffer": ("person", "contact", "referral"),
    "Referral": ("person", "contact"),
    "CustodyHandoff": ("person", "contact", "operation"),
    "Detention": ("person", "contact"),
    "Operation": (),
    "Investigation": (),
    "Prosecution": ("investigation", "defendant"),
    "ReliefRequest": ("person", "investigation"),
}
# Records with no void of their own: voided with their parents (paths to each parent).
_VOIDED_WITH = {
    "Charge": ("detention", "detention__person"),
    "Count": ("prosecution", "prosecution__investigation", "prosecution__defendant"),
    "InvestigationPerson": ("investigation", "person"),
}


@dataclass(frozen=True)
class ReportScope:
    user: object
    suppressed: bool  # the analyst: whole task force, small counts hidden
    sees_contacts: bool
    sees_custody: bool
    sees_enforcement: bool
    sees_investigations: bool = False
    sees_relief: bool = False
    # Users of the same key count the same records (access.report_scope_key): kept reports are shared by key.
    key: str = ""

    def records(self, model) -> QuerySet:
        """The model's records this report may count: in scope and not voided."""
        qs = model.objects.all() if self.suppressed else model.objects.visible_to(self.user)
        if model.__name__ in _VOIDED_WITH:
            return qs.filter(**{f"{parent}__voided_at__isnull": True for parent in _VOIDED_WITH[model.__name__]})
        qs = qs.filter(voided_at__isnull=True)
        for parent in _PARENTS.get(model.__name__, ()):
            # Not joined to every parent row: the few voided ids come from a partial index
            # (cases/migrations/0006_indexes_of_voided_records.py).
            voided = model._meta.get_field(parent).related_model.objects.filter(voided_at__isnull=False).values("id")
            qs = qs.exclude(**{f"{parent}_id__in": voided})
        return qs

    def operation(self, pk) -> Operation:
        """The operation, if this user may report on it; Operation.DoesNotExist otherwise."""
        return self.records(Operation).select_related("lead_agency").get(pk=pk)


@contextmanager
def reading():
    """One transaction for a report's queries; on PostgreSQL without JIT compilation.

    A report's aggregates are estimated as costly enough for PostgreSQL to compile them
    (JIT), which took longer than running them; and their sorts and hashes of a year of
    records spilled to disk at the default work_mem (figures in docs/PERFORMANCE.md).
    """
    with replica.reading() as alias, transaction.atomic(using=alias, savepoint=False):
        connection = connections[alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
        yield


class AnyOf(Lookup):
    """`field IN (ids)` with the ids as one parameter: `= ANY(%s)` on PostgreSQL.

    An operation's thousands of ids written as one placeholder each cost more time in
    building and binding the query than the database spent running it.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*lhs_params, *self.rhs]


def any_of(field: str, ids: list[int]) -> Q:
    return Q(AnyOf(F(field), list(ids)))


def report_scope(user) -> ReportScope:
    """The user's reporting scope; PermissionDenied (403) for a role without reports."""
    access.require(user, "report.view")
    parts = access.report_parts(user)
    return ReportScope(
        user=user,
        suppressed=access.can(user, "report.suppressed"),
        sees_contacts=parts.contacts,
        sees_custody=parts.custody,
        sees_enforcement=parts.enforcement,
        sees_investigations=parts.investigations,
        sees_relief=parts.relief,
        key=access.report_scope_key(user),
    )


def task_force_name() -> str:
    found = (
        Agency.objects.filter(kind=AgencyKind.TASK_FORCE, active=True)
        .order_by("id")
        .values_list("name", flat=True)
        .first()
    )
    return found or "Human Trafficking Task Force"
