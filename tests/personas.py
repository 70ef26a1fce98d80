"""Named people of the task force and a small world of records they work on.

Stories read better with names: "the KCPD officer cannot see the St. Joseph sting".
Every person in the records is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from agencies.models import AgencyKind, AgencyLevel, Role
from cases import models as m
from exports.models import ExportJob
from imports.models import ContactImport
from work.models import Follow, Task

from . import factories as f


@dataclass
class World:
    agencies: SimpleNamespace = field(default_factory=SimpleNamespace)
    users: SimpleNamespace = field(default_factory=SimpleNamespace)
    records: SimpleNamespace = field(default_factory=SimpleNamespace)


def _agency(short, name, kind, level):
    return f.AgencyFactory(short_name=short, name=name, kind=kind, level=level)


def _member(username, agency, role, **extra):
    user = f.UserFactory(username=username, first_name=username.split("_")[0].title(), last_name="Tester")
    f.MembershipFactory(user=user, agency=agency, role=role, **extra)
    return user


def build_world() -> World:
    w = World()
    a = w.agencies
    a.task_force = _agency(
        "AGO-HTTF", "Missouri Attorney General's Human Trafficking Task Force", AgencyKind.TASK_FORCE, AgencyLevel.STATE
    )
    a.sjpd = _agency("SJPD", "St. Joseph Police Department", AgencyKind.LAW_ENFORCEMENT, AgencyLevel.LOCAL)
    a.kcpd = _agency("KCPD", "Kansas City Police Department", AgencyKind.LAW_ENFORCEMENT, AgencyLevel.LOCAL)
    a.fbi = _agency("FBI", "Federal Bureau of Investigation", AgencyKind.LAW_ENFORCEMENT, AgencyLevel.FEDERAL)
    a.harbor = _agency("HARBOR", "Safe Harbor Advocates", AgencyKind.VICTIM_SERVICES, AgencyLevel.NON_PROFIT)
    a.northland = _agency(
        "NORTHLAND", "Northland Survivor Services", AgencyKind.VICTIM_SERVICES, AgencyLevel.NON_PROFIT
    )
    a.childrens = _agency("MO-CD", "Missouri Children's Division", AgencyKind.CHILD_WELFARE, AgencyLevel.STATE)
    a.prosecutor = _agency("BCPA", "Buchanan County Prosecuting Attorney", AgencyKind.PROSECUTOR, AgencyLevel.COUNTY)
    a.usao = _agency(
        "USAO-WDMO", "U.S. Attorney's Office, Western District of Missouri", AgencyKind.PROSECUTOR, AgencyLevel.FEDERAL
    )

    u = w.users
    u.coordinator = _member("coordinator_casey", a.task_force, Role.COORDINATOR)
    u.analyst = _member("analyst_ana", a.task_force, Role.ANALYST)
    u.tf_auditor = _member("auditor_tfa", a.task_force, Role.AUDITOR)
    u.officer_sjpd = _member("officer_sam", a.sjpd, Role.OFFICER)
    u.supervisor_sjpd = _member("supervisor_sue", a.sjpd, Role.SUPERVISOR)
    u.auditor_sjpd = _member("auditor_al", a.sjpd, Role.AUDITOR)
    u.officer_kcpd = _member("officer_kim", a.kcpd, Role.OFFICER)
    u.agent_fbi = _member("agent_frank", a.fbi, Role.OFFICER)
    u.advocate_harbor = _member("advocate_hana", a.harbor, Role.ADVOCATE)
    u.advocate_northland = _member("advocate_nora", a.northland, Role.ADVOCATE)
    u.caseworker = _member("caseworker_cora", a.childrens, Role.CASEWORKER)
    u.prosecutor = _member("prosecutor_pia", a.prosecutor, Role.OFFICER)
    u.nobody = f.UserFactory(username="nobody_ned")
    # The system administrator: a superuser with no agency, who keeps accounts and catalogues
    # and sees no case record.
    u.sysadmin = f.UserFactory(
        username="sysadmin_rowan", first_name="Rowan", last_name="Tester", is_superuser=True, is_staff=True
    )

    r = w.records
    now = timezone.now()
    shelter = f.ServiceTypeFactory(code="shelter", name="Lodging or shelter")
    food = f.ServiceTypeFactory(code="food", name="Food")
    r.shelter, r.food = shelter, food
    r.indicator = f.IndicatorFactory(code="branding-tattoo", name="Branding tattoo", category="physical")
    r.vulnerability = m.VulnerabilityFactor.objects.create(code="runaway", name="Runaway or homeless")

    # The St. Joseph sting: SJPD leads; FBI, Safe Harbor and the Children's Division take part.
    r.op_sjpd = f.OperationFactory(name="Operation Crossroads", lead_agency=a.sjpd, created_by=u.officer_sjpd)
    f.ParticipationFactory(operation=r.op_sjpd, agency=a.fbi)
    f.ParticipationFactory(operation=r.op_sjpd, agency=a.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
    f.ParticipationFactory(operation=r.op_sjpd, agency=a.childrens, role=m.ParticipationRole.CHILD_WELFARE)
    r.location_sjpd = f.LocationFactory(operation=r.op_sjpd, venue_name="Riverside Travel Plaza")
    r.victim_sjpd = f.ContactFactory(
        operation=r.op_sjpd,
        agency=a.sjpd,
        person__legal_name="Dana Invented",
        person__created_by_agency=a.sjpd,
        location=r.location_sjpd,
    )
    r.victim_sjpd.indicators.add(r.indicator)
    r.victim_sjpd.person.vulnerabilities.add(r.vulnerability)
    r.offer_sjpd = f.ServiceOfferFactory(contact=r.victim_sjpd, service_type=shelter, offered_by=a.sjpd)
    r.referral_sjpd = f.ReferralFactory(contact=r.victim_sjpd, to_agency=a.harbor, service_types=[shelter])
    r.draft_sjpd = f.ReferralFactory(
        contact=r.victim_sjpd, to_agency=a.harbor, status=m.ReferralStatus.DRAFT, sent_at=None, acknowledge_due_at=None
    )
    r.child_contact = f.ContactFactory(
        operation=r.op_sjpd,
        agency=a.sjpd,
        role=m.ContactRole.ACCOMPANYING_CHILD,
        outcome=m.ContactOutcome.PROTECTIVE_CUSTODY,
        person__estimated_age=3,
        person__legal_name="Robin Invented",
        person__created_by_agency=a.sjpd,
    )
    r.handoff_sjpd = f.CustodyHandoffFactory(contact=r.child_contact, receiving_agency=a.childrens)
    r.buyer_contact = f.ContactFactory(
        operation=r.op_sjpd,
        agency=a.fbi,
        role=m.ContactRole.BUYER,
        outcome=m.ContactOutcome.ARRESTED,
        person__gender=m.Gender.MALE,
        person__estimated_age=44,
        person__created_by_agency=a.fbi,
    )
    r.detention_sjpd = f.DetentionFactory(contact=r.buyer_contact, agency=a.fbi)
    r.charge_sjpd = f.ChargeFactory(detention=r.detention_sjpd)
    r.note_sjpd = f.NoteFactory(operation=r.op_sjpd, agency=a.sjpd, text="Perimeter set at 22:00.")
    r.private_note_harbor = f.NoteFactory(
        operation=None, referral=r.referral_sjpd, agency=a.harbor, text="Client asked us not to call after 9 pm."
    )

    # A Kansas City operation in which none of the St. Joseph partners take part.
    r.op_kcpd = f.OperationFactory(name="Operation Blue Line", lead_agency=a.kcpd, created_by=u.officer_kcpd)
    f.ParticipationFactory(operation=r.op_kcpd, agency=a.northland, role=m.ParticipationRole.VICTIM_SERVICES)
    r.location_kcpd = f.LocationFactory(operation=r.op_kcpd, venue_name="Eastside Motel", venue_type=m.VenueType.HOTEL)
    r.victim_kcpd = f.ContactFactory(
        operation=r.op_kcpd, agency=a.kcpd, person__created_by_agency=a.kcpd, person__legal_name="Jordan Invented"
    )
    r.offer_kcpd = f.ServiceOfferFactory(contact=r.victim_kcpd, service_type=food, offered_by=a.kcpd)
    r.referral_kcpd = f.ReferralFactory(contact=r.victim_kcpd, to_agency=a.northland, service_types=[food])
    r.buyer_kcpd = f.ContactFactory(
        operation=r.op_kcpd,
        agency=a.kcpd,
        role=m.ContactRole.BUYER,
        outcome=m.ContactOutcome.ARRESTED,
        person__created_by_agency=a.kcpd,
        person__gender=m.Gender.MALE,
    )
    r.detention_kcpd = f.DetentionFactory(contact=r.buyer_kcpd, agency=a.kcpd)
    r.charge_kcpd = f.ChargeFactory(
        detention=r.detention_kcpd,
        is_trafficking=False,
        statute="RSMo 567.030",
        description="Purchasing sexual conduct",
        charge_class=m.ChargeClass.MISDEMEANOR,
    )
    r.note_kcpd = f.NoteFactory(operation=r.op_kcpd, agency=a.kcpd, text="Two rooms rented under one card.")

    # A KCPD child hand-off to the Children's Division in KCPD's own operation.
    r.kc_child_contact = f.ContactFactory(
        operation=r.op_kcpd,
        agency=a.kcpd,
        role=m.ContactRole.ACCOMPANYING_CHILD,
        outcome=m.ContactOutcome.PROTECTIVE_CUSTODY,
        person__estimated_age=1,
        person__created_by_agency=a.kcpd,
    )
    r.handoff_kcpd = f.CustodyHandoffFactory(
        contact=r.kc_child_contact, receiving_agency=a.childrens, handed_over_at=None, taken_at=now - timedelta(hours=3)
    )
    _after_the_operation(w)
    # Two downloads asked for (export jobs, not yet run): each is its requester's alone.
    r.export_officer_sjpd = ExportJob.objects.create(
        requested_by=u.officer_sjpd, list_name="contact-list", what="contacts", format="csv"
    )
    r.export_advocate_harbor = ExportJob.objects.create(
        requested_by=u.advocate_harbor, list_name="referral-list", what="referrals", format="xlsx"
    )
    # Two contact imports checked and waiting (imports/): the uploader's own, its supervisor's, the coordinator's.
    r.import_officer_sjpd = ContactImport.objects.create(
        uploaded_by=u.officer_sjpd, agency=a.sjpd, operation=r.op_sjpd, file_name="night-sheet.csv", checksum="a" * 64
    )
    r.import_officer_kcpd = ContactImport.objects.create(
        uploaded_by=u.officer_kcpd, agency=a.kcpd, operation=r.op_kcpd, file_name="intake.xlsx", checksum="b" * 64
    )
    # The sending of each referral, as its first workflow event.
    for referral, officer in ((r.referral_sjpd, u.officer_sjpd), (r.referral_kcpd, u.officer_kcpd)):
        m.ReferralEvent.objects.create(
            referral=referral,
            action="send",
            from_status="draft",
            to_status="sent",
            user=officer,
            agency=referral.from_agency,
        )
    _work(w)
    return w


def _work(w: World) -> None:
    """Tasks and follows: each visible to its holders only while they may see its record."""
    a, u, r = w.agencies, w.users, w.records
    due = timezone.localdate() + timedelta(days=3)
    # SJPD's queue, on its sting.
    r.task_sjpd_queue = Task.objects.create(
        title="Return the seized phones", operation=r.op_sjpd, assigned_agency=a.sjpd, created_by=u.officer_sjpd
    )
    # The coordinator asks the SJPD officer (its supervisor sees it too) about the victim's contact.
    r.task_officer_sjpd = Task.objects.create(
        title="Complete the contact narrative",
        contact=r.victim_sjpd,
        assigned_user=u.officer_sjpd,
        created_by=u.coordinator,
        due_date=due,
    )
    # An advocate's own task on the referral sent to her agency.
    r.task_advocate_harbor = Task.objects.create(
        title="Offer shelter again", referral=r.referral_sjpd, assigned_user=u.advocate_harbor
    )
    # The Children's Division's queue, on the St. Joseph hand-off.
    r.task_childrens_queue = Task.objects.create(
        title="Confirm the placement", handoff=r.handoff_sjpd, assigned_agency=a.childrens, created_by=u.caseworker
    )
    # The task force's queue, on the Kansas City investigation.
    r.task_tf_queue = Task.objects.create(
        title="Schedule the case review", investigation=r.investigation_kcpd, assigned_agency=a.task_force
    )
    # Given to the SJPD officer on a record it cannot see: nobody but its creator holds it.
    r.task_out_of_sight = Task.objects.create(
        title="Check the motel register", operation=r.op_kcpd, assigned_user=u.officer_sjpd, created_by=u.coordinator
    )
    r.follow_officer_sjpd = Follow.objects.create(user=u.officer_sjpd, operation=r.op_sjpd)
    r.follow_advocate_harbor = Follow.objects.create(user=u.advocate_harbor, referral=r.referral_sjpd)
    r.follow_coordinator = Follow.objects.create(user=u.coordinator, investigation=r.investigation_kcpd)
    # A follow of a record its user no longer sees counts for nobody.
    r.follow_out_of_sight = Follow.objects.create(user=u.officer_kcpd, operation=r.op_sjpd)


def _after_the_operation(w: World) -> None:
    """Each operation becomes an investigation with a prosecution, a court date and a relief request.

    St. Joseph: SJPD leads, FBI takes part, referred to the Buchanan County prosecutor, who
    charges the FBI's arrested buyer; Safe Harbor asks SJPD to sign a T-visa declaration
    for its client. Kansas City: KCPD leads, referred to the U.S. Attorney, who charges
    KCPD's arrested buyer; Northland asks KCPD for a declaration for its client.
    """
    a, r = w.agencies, w.records
    for side, lead, partners, prosecutor, victim, buyer, detention, advocate in (
        ("sjpd", a.sjpd, (a.fbi,), a.prosecutor, r.victim_sjpd, r.buyer_contact, r.detention_sjpd, a.harbor),
        ("kcpd", a.kcpd, (), a.usao, r.victim_kcpd, r.buyer_kcpd, r.detention_kcpd, a.northland),
    ):
        investigation = f.InvestigationFactory(
            title=f"{lead.short_name} trafficking investigation",
            lead_agency=lead,
            status=m.InvestigationStatus.REFERRED,
        )
        investigation.operations.add(victim.operation)
        for partner in partners:
            m.InvestigationAgency.objects.create(investigation=investigation, agency=partner, role="participant")
        m.InvestigationAgency.objects.create(investigation=investigation, agency=prosecutor, role="prosecution")
        m.InvestigationPerson.objects.create(investigation=investigation, person=victim.person, role="victim")
        m.InvestigationPerson.objects.create(investigation=investigation, person=buyer.person, role="suspect")
        detention.investigation = investigation
        detention.save()
        federal = prosecutor.level == AgencyLevel.FEDERAL
        prosecution = f.ProsecutionFactory(
            investigation=investigation,
            prosecuting_agency=prosecutor,
            defendant=buyer.person,
            court_jurisdiction=m.Jurisdiction.FEDERAL if federal else m.Jurisdiction.STATE,
            court="U.S. District Court, Western District of Missouri" if federal else "Buchanan County Circuit Court",
        )
        setattr(r, f"investigation_{side}", investigation)
        setattr(r, f"prosecution_{side}", prosecution)
        setattr(
            r,
            f"count_{side}",
            f.CountFactory(
                prosecution=prosecution, number=1, statute=f.statute("usc-18-1591" if federal else "rsmo-567-030")
            ),
        )
        setattr(r, f"court_event_{side}", f.CourtEventFactory(prosecution=prosecution))
        setattr(
            r,
            f"relief_{side}",
            f.ReliefRequestFactory(
                person=victim.person,
                requested_by_agency=advocate,
                requested_of_agency=lead,
                investigation=investigation,
            ),
        )
        officer = lead.memberships.first().user
        getattr(r, f"relief_{side}").apply("review", officer, lead)
