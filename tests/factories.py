"""factory_boy factories for every model. People are invented."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from agencies.models import Agency, AgencyKind, AgencyLevel, Membership, Role, User
from cases import models as m


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    short_name = factory.Sequence(lambda n: f"TA{n}")
    kind = AgencyKind.LAW_ENFORCEMENT
    level = AgencyLevel.LOCAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-staple")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ServiceType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"indicator-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    category = "behavioural"


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Operation

    name = factory.Sequence(lambda n: f"Operation Night Watch {n}")
    kind = m.OperationKind.STING
    trafficking_type = m.TraffickingType.SEX
    status = m.OperationStatus.ACTIVE
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    lead_agency = factory.SubFactory(AgencyFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Location

    operation = factory.SubFactory(OperationFactory)
    venue_name = factory.Sequence(lambda n: f"Truck Stop {n}")
    venue_type = m.VenueType.TRUCK_STOP
    county = "Buchanan"
    state = "MO"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Participation

    operation = factory.SubFactory(OperationFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = m.ParticipationRole.SUPPORT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Person

    # Invented, and never a name another test searches for ("Jordan", "Dana").
    legal_name = factory.Sequence(lambda n: f"Testperson Number{n}")
    estimated_age = 25
    gender = m.Gender.FEMALE
    created_by_agency = factory.SubFactory(AgencyFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Contact

    person = factory.SubFactory(PersonFactory)
    operation = factory.SubFactory(OperationFactory)
    agency = factory.LazyAttribute(lambda o: o.operation.lead_agency if o.operation else AgencyFactory())
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    role = m.ContactRole.POTENTIAL_VICTIM
    outcome = m.ContactOutcome.OFFERED_SERVICES


class ServiceOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ServiceOffer

    contact = factory.SubFactory(ContactFactory)
    person = factory.LazyAttribute(lambda o: o.contact.person)
    service_type = factory.SubFactory(ServiceTypeFactory)
    offered_by = factory.LazyAttribute(lambda o: o.contact.agency)
    response = m.OfferResponse.ACCEPTED


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Referral
        skip_postgeneration_save = True

    contact = factory.SubFactory(ContactFactory)
    person = factory.LazyAttribute(lambda o: o.contact.person)
    from_agency = factory.LazyAttribute(lambda o: o.contact.agency)
    to_agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.VICTIM_SERVICES, level=AgencyLevel.NON_PROFIT)
    reason = "Needs safe housing tonight."
    status = m.ReferralStatus.SENT
    consent = m.ConsentType.VERBAL
    consent_date = factory.LazyFunction(timezone.localdate)
    sent_at = factory.LazyFunction(timezone.now)
    acknowledge_due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))

    @factory.post_generation
    def service_types(obj, create, extracted, **kwargs):
        if create:
            obj.service_types.set(extracted or [ServiceTypeFactory(code="shelter", name="Lodging or shelter")])


class CustodyHandoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CustodyHandoff

    contact = factory.SubFactory(
        ContactFactory,
        person__estimated_age=4,
        role=m.ContactRole.ACCOMPANYING_CHILD,
        outcome=m.ContactOutcome.PROTECTIVE_CUSTODY,
    )
    person = factory.LazyAttribute(lambda o: o.contact.person)
    operation = factory.LazyAttribute(lambda o: o.contact.operation)
    taken_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=20))
    custody_agency = factory.LazyAttribute(lambda o: o.contact.agency)
    reason = "Child found at the scene with no guardian."
    receiving_agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.CHILD_WELFARE, level=AgencyLevel.STATE)
    handed_over_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=18))


class DetentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Detention

    contact = factory.SubFactory(
        ContactFactory,
        role=m.ContactRole.BUYER,
        outcome=m.ContactOutcome.ARRESTED,
        person__gender=m.Gender.MALE,
        person__estimated_age=40,
    )
    person = factory.LazyAttribute(lambda o: o.contact.person)
    agency = factory.LazyAttribute(lambda o: o.contact.agency)
    outcome = m.DetentionOutcome.ARRESTED


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Charge

    detention = factory.SubFactory(DetentionFactory)
    statute = "RSMo 566.209"
    description = "Trafficking for the purposes of sexual exploitation"
    charge_class = m.ChargeClass.FELONY
    is_trafficking = True


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Note

    operation = factory.SubFactory(OperationFactory)
    agency = factory.LazyAttribute(lambda o: o.operation.lead_agency)
    text = "Briefing held at 21:00."


def statute(code: str = "rsmo-566-209") -> m.Statute:
    """A statute of the catalogue (cases/catalogue_data.py), loaded on first use."""
    from cases.catalogue_data import STATUTES

    entry = next(s for s in STATUTES if s.code == code)
    return m.Statute.objects.get_or_create(
        code=entry.code,
        defaults={
            "citation": entry.citation,
            "name": entry.name,
            "jurisdiction": entry.jurisdiction,
            "is_trafficking": entry.is_trafficking,
        },
    )[0]


class InvestigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Investigation

    title = factory.Sequence(lambda n: f"Investigation {n}")
    trafficking_type = "sex"
    lead_agency = factory.SubFactory(AgencyFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))


class ProsecutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Prosecution

    investigation = factory.SubFactory(InvestigationFactory)
    prosecuting_agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.PROSECUTOR, level=AgencyLevel.COUNTY)
    court_jurisdiction = m.Jurisdiction.STATE
    court = "Buchanan County Circuit Court"
    docket_number = factory.Sequence(lambda n: f"26BU-CR{n:05d}")
    defendant = factory.SubFactory(PersonFactory, gender=m.Gender.MALE, estimated_age=40)
    filed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))


class CountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Count

    prosecution = factory.SubFactory(ProsecutionFactory)
    number = factory.Sequence(lambda n: n + 1)
    statute = factory.LazyFunction(statute)


class CourtEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CourtEvent

    prosecution = factory.SubFactory(ProsecutionFactory)
    kind = m.CourtEventKind.HEARING
    scheduled_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class ReliefRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.ReliefRequest

    person = factory.SubFactory(PersonFactory)
    kind = m.ReliefKind.T_VISA
    requested_by_agency = factory.SubFactory(
        AgencyFactory, kind=AgencyKind.VICTIM_SERVICES, level=AgencyLevel.NON_PROFIT
    )
    requested_of_agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.LAW_ENFORCEMENT)
    consent = "written"
    consent_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    requested_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))


def person_met(world, name: str, side: str = "sjpd", **person) -> m.Person:
    """An invented person recorded and met by SJPD in its operation ("sjpd") or by KCPD in its own ("kcpd")."""
    operation = world.records.op_sjpd if side == "sjpd" else world.records.op_kcpd
    agency = world.agencies.sjpd if side == "sjpd" else world.agencies.kcpd
    return ContactFactory(
        operation=operation,
        agency=agency,
        person__legal_name=name,
        person__created_by_agency=agency,
        **{f"person__{k}": v for k, v in person.items()},
    ).person


def notification(user, record, kind: str = "referral_to_acknowledge", stage: str = "48h", **extra):
    """A reminder about `record` and its notification to `user` (as notifications.rules makes them)."""
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import Notification, Reminder

    reminder, _ = Reminder.objects.get_or_create(
        key=f"{kind}:{stage}:{record._meta.label_lower}:{record.pk}",
        defaults={
            "kind": kind,
            "stage": stage,
            "content_type": ContentType.objects.get_for_model(record),
            "object_id": record.pk,
        },
    )
    return Notification.objects.create(recipient=user, reminder=reminder, kind=kind, link="/", **extra)
