"""The case records of the task force, one module per topic."""

from .base import VoidableModel, VoidedRecordError
from .catalogues import Indicator, ServiceType, VulnerabilityFactor
from .contacts import Contact, ContactOutcome, ContactRole, OfferResponse, ServiceOffer
from .custody import CustodyEvent, CustodyEventKind, CustodyHandoff
from .detentions import Charge, ChargeClass, Detention, DetentionOutcome
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
from .referrals import ConsentType, Referral, ReferralClosure, ReferralEvent, ReferralStatus, TransitionError

__all__ = [
    "AgeGroup",
    "BriefingGender",
    "Charge",
    "ChargeClass",
    "Citizenship",
    "ConsentType",
    "Contact",
    "ContactOutcome",
    "ContactRole",
    "CustodyEvent",
    "CustodyEventKind",
    "CustodyHandoff",
    "Detention",
    "DetentionOutcome",
    "Gender",
    "Indicator",
    "Location",
    "Note",
    "OfferResponse",
    "Operation",
    "OperationKind",
    "OperationStatus",
    "Participation",
    "ParticipationRole",
    "Person",
    "Referral",
    "ReferralClosure",
    "ReferralEvent",
    "ReferralStatus",
    "ServiceOffer",
    "ServiceType",
    "TraffickingType",
    "TransitionError",
    "VenueType",
    "VoidableModel",
    "VoidedRecordError",
    "VulnerabilityFactor",
    "age_group_for",
]
