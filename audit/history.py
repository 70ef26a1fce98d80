"""Change history for the case and agency models (django-simple-history).

Each tracked model gets a `history` manager and a historical table in its own app.
On top of simple_history's who/when/what/reason, every historical row records the
actor's agency, the client IP and the request id (filled in audit.signals).

Bulk inserts (`bulk_create`, used by the data generator) and queryset `.update()`
write no history: simple_history only sees model saves. That is deliberate for
generated data; staff changes always go through model saves (cases.actions).
"""

from __future__ import annotations

from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords

from agencies import acting as context


class HistoryContext(models.Model):
    """Extra columns on every historical table: which agency, from where, which request."""

    history_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    history_ip = models.GenericIPAddressField(null=True, blank=True)
    history_request_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        abstract = True


def history_user(instance=None, request=None, **kwargs):
    """The user behind a change: the named actor, else the request's signed-in user."""
    return context.current_actor()


def track(model: type[models.Model], **options) -> None:
    """Give `model` a change history with the audit context columns."""
    register(model, bases=[HistoryContext], get_user=history_user, **options)
    TRACKED.append(model)


# The models with a change history, for the audit viewer and the access policy.
TRACKED: list[type[models.Model]] = []


def track_all(*models_: type[models.Model], **options) -> None:
    for model in models_:
        track(model, **options)


def track_project_models() -> None:
    """Give the agency and case models their change history (called from audit.models).

    The audit app attaches itself to the models it records, so neither agencies nor cases
    imports it. It runs while Django loads the models (audit comes after agencies and cases
    in INSTALLED_APPS), the time at which a model class, here each historical one, may be made.
    Password hashes and log-in times stay out of the user's history: the hash is a secret
    and log-ins are already in the access log.
    """
    from agencies.models import Agency, Membership, User
    from cases import models as m

    track_all(Agency, Membership)
    track(User, excluded_fields=["password", "last_login"])
    track_all(
        m.ServiceType,
        m.Indicator,
        m.VulnerabilityFactor,
        m.Operation,
        m.Location,
        m.Participation,
        m.Person,
        m.Contact,
        m.ServiceOffer,
        m.Referral,
        m.ReferralEvent,
        m.CustodyHandoff,
        m.CustodyEvent,
        m.Detention,
        m.Charge,
        m.Note,
        m.Statute,
        m.Investigation,
        m.InvestigationAgency,
        m.InvestigationPerson,
        m.Prosecution,
        m.Count,
        m.CourtEvent,
        m.ReliefRequest,
        m.ReliefEvent,
        m.PersonMerge,
        m.NotSamePerson,
    )


__all__ = ["HistoricalRecords", "HistoryContext", "TRACKED", "track", "track_all", "track_project_models"]
