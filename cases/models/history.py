"""Every case model keeps a change history (see audit.history)."""

from audit.history import track_all

from .catalogues import Indicator, ServiceType, VulnerabilityFactor
from .contacts import Contact, ServiceOffer
from .custody import CustodyEvent, CustodyHandoff
from .detentions import Charge, Detention
from .notes import Note
from .operations import Location, Operation, Participation
from .people import Person
from .referrals import Referral, ReferralEvent

track_all(
    ServiceType,
    Indicator,
    VulnerabilityFactor,
    Operation,
    Location,
    Participation,
    Person,
    Contact,
    ServiceOffer,
    Referral,
    ReferralEvent,
    CustodyHandoff,
    CustodyEvent,
    Detention,
    Charge,
    Note,
)
