"""The case records of the task force, one module per topic."""

from .base import VoidableModel, VoidedRecordError
from .catalogues import Indicator, ServiceType, VulnerabilityFactor
from .contacts import Contact, ContactOutcome, ContactRole, OfferResponse, ServiceOffer
from .custody import CustodyEvent, CustodyEventKind, CustodyHandoff
from .detentions import Charge, ChargeClass, Detention, DetentionOutcome
from .investigations import (
    ClosingReason,
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    InvestigationPersonRole,
    InvestigationStatus,
)
from .merges import NotSamePerson, PersonMerge
from .notes import Note
from .operations import (
    BriefingGender,
    Location,
    Operation,
    OperationKind,
    OperationStatus,
    Participation,
    ParticipationRole,
    TraffickingType,
    VenueType,
)
from .people import AgeGroup, Citizenship, Gender, Person, age_group_for
from .people_access import PersonAccess
from .prosecutions import (
    Count,
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    Disposition,
    Jurisdiction,
    Prosecution,
    Statute,
)
from .referrals import ConsentType, Referral, ReferralClosure, ReferralEvent, ReferralStatus, TransitionError
from .relief import ReliefEvent, ReliefKind, ReliefRequest, ReliefStatus

__all__ = [
    "AgeGroup",
    "BriefingGender",
    "Charge",
    "ChargeClass",
    "Citizenship",
    "ClosingReason",
    "ConsentType",
    "Contact",
    "ContactOutcome",
    "ContactRole",
    "Count",
    "CourtEvent",
    "CourtEventKind",
    "CourtEventStatus",
    "CustodyEvent",
    "CustodyEventKind",
    "CustodyHandoff",
    "Detention",
    "DetentionOutcome",
    "Disposition",
    "Gender",
    "Indicator",
    "Investigation",
    "InvestigationAgency",
    "InvestigationAgencyRole",
    "InvestigationPerson",
    "InvestigationPersonRole",
    "InvestigationStatus",
    "Jurisdiction",
    "Location",
    "Note",
    "NotSamePerson",
    "OfferResponse",
    "Operation",
    "OperationKind",
    "OperationStatus",
    "Participation",
    "ParticipationRole",
    "Person",
    "PersonAccess",
    "PersonMerge",
    "Prosecution",
    "Referral",
    "ReferralClosure",
    "ReferralEvent",
    "ReferralStatus",
    "ReliefEvent",
    "ReliefKind",
    "ReliefRequest",
    "ReliefStatus",
    "ServiceOffer",
    "ServiceType",
    "Statute",
    "TraffickingType",
    "TransitionError",
    "VenueType",
    "VoidableModel",
    "VoidedRecordError",
    "VulnerabilityFactor",
    "age_group_for",
]
