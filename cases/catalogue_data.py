"""The default catalogues: service types, trafficking indicators, vulnerability factors, statutes.

One home for the lists, so the demonstration data, the data generator, the tests and a
fresh production installation (`manage.py load_catalogues`) all use the same entries.
The lists stay editable in the admin; loading again updates entries by code and never
removes one that staff added.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction


class Entry(NamedTuple):
    code: str
    name: str
    description: str = ""
    category: str = ""  # indicators only


SERVICE_TYPES: tuple[Entry, ...] = (
    Entry("food", "Food", "Meals, groceries or food vouchers."),
    Entry("shelter", "Lodging or shelter", "Emergency shelter, hotel vouchers or transitional housing."),
    Entry("medical", "Medical care", "Emergency, onsite or follow-up medical care, including forensic exams."),
    Entry("counseling", "Counseling or therapy", "Trauma-informed counseling, therapy or peer support."),
    Entry("substance_use", "Substance-use treatment", "Detoxification, drug or alcohol rehabilitation."),
    Entry("childcare", "Childcare", "Care for the person's children while they receive services."),
    Entry("financial", "Financial assistance", "Emergency funds, benefits enrolment or budgeting help."),
    Entry("legal_aid", "Legal aid", "Civil or criminal legal help, including vacatur of convictions."),
    Entry("immigration", "Immigration assistance", "Continued presence, T visa or U visa applications."),
    Entry("interpreter", "Interpreter", "Spoken or sign-language interpretation."),
    Entry("transportation", "Transportation", "Rides to shelter, appointments or court; bus tickets home."),
    Entry("case_management", "Case management", "A named worker who coordinates the person's services."),
    Entry("crisis_intervention", "Crisis intervention", "Immediate safety planning and emotional support."),
)

INDICATORS: tuple[Entry, ...] = (
    Entry(
        "physical_abuse",
        "Signs of physical abuse",
        "Bruises, burns, cuts or injuries at different stages of healing.",
        "physical",
    ),
    Entry(
        "branding_tattoo",
        "Branding tattoo",
        "A tattoo or mark showing ownership, such as a name, crown or barcode.",
        "physical",
    ),
    Entry(
        "malnourished",
        "Malnourished or untreated medical needs",
        "Signs of hunger, exhaustion or untreated illness.",
        "physical",
    ),
    Entry(
        "appears_underage",
        "Appears younger than stated age",
        "Looks like a minor while claiming to be an adult.",
        "physical",
    ),
    Entry(
        "no_id_control",
        "Not in control of ID or passport",
        "Someone else holds the person's identity documents.",
        "control",
    ),
    Entry(
        "controlling_companion",
        "Controlling companion",
        "Another person speaks, answers or decides for them.",
        "control",
    ),
    Entry("no_money_control", "Not in control of own money", "Earnings are handed over to someone else.", "control"),
    Entry(
        "debt_bondage",
        "Owes a debt to an employer or recruiter",
        "A debt for travel, housing or fees that keeps growing.",
        "control",
    ),
    Entry(
        "restricted_movement", "Not free to come and go", "Watched, locked in or not allowed to leave alone.", "control"
    ),
    Entry(
        "fearful_submissive",
        "Fearful or submissive",
        "Anxious, afraid of police or of the people with them.",
        "behavioural",
    ),
    Entry("scripted_answers", "Scripted answers", "Rehearsed or identical answers to simple questions.", "behavioural"),
    Entry(
        "inconsistent_story",
        "Inconsistent story",
        "Details of age, travel or work change between answers.",
        "behavioural",
    ),
    Entry(
        "unaware_of_location",
        "Does not know where they are",
        "Cannot say their address or the city they are in.",
        "circumstance",
    ),
    Entry(
        "lives_at_workplace",
        "Lives at the workplace",
        "Sleeps where they work, often with many others.",
        "circumstance",
    ),
    Entry(
        "several_phones_keys",
        "Several phones or hotel keys",
        "Carries several phones, prepaid cards or room keys.",
        "circumstance",
    ),
    Entry("excessive_hours", "Works excessive hours", "Long hours, no days off, little or no pay.", "circumstance"),
)

VULNERABILITY_FACTORS: tuple[Entry, ...] = (
    Entry("foster_care", "Foster care", "In foster care now or in the past."),
    Entry("runaway_homeless", "Runaway or homeless", "Has run away or has no stable place to live."),
    Entry("unaccompanied_minor", "Unaccompanied minor", "A child without a parent or legal guardian."),
    Entry("asylum_seeker", "Asylum seeker", "Has asked, or means to ask, for asylum."),
    Entry("substance_use", "Substance use", "Dependent on drugs or alcohol."),
    Entry("disability", "Disability", "A physical, intellectual or developmental disability."),
    Entry("limited_english", "Limited English", "Speaks little or no English."),
    Entry("prior_abuse", "Prior abuse", "Sexual, physical or emotional abuse in the past."),
    Entry("domestic_violence", "Domestic violence", "Lives or lived with a violent partner."),
    Entry("mental_health", "Mental-health needs", "Untreated or serious mental-health conditions."),
    Entry("economic_hardship", "Economic hardship", "Poverty, debt or no work."),
    Entry("lgbtq_youth", "LGBTQ+ youth without family support", "A young person rejected by their family."),
    Entry("justice_involved", "Justice involvement", "Prior arrests or convictions, often linked to the trafficking."),
)


def upsert(model, lookup: dict, values: dict):
    """Get or create a row by its natural key and bring its fields up to date.

    Unlike update_or_create it saves only when something changed, so loading the same
    data again writes nothing (and leaves no spurious entries in the audit trail).
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    return obj


class StatuteEntry(NamedTuple):
    code: str
    citation: str
    name: str
    jurisdiction: str  # state or federal
    is_trafficking: bool


# The offences a count may cite (headings as in the Revised Statutes of Missouri and the U.S.
# Code). The trafficking offences are flagged: the grant reports count them apart.
STATUTES: tuple[StatuteEntry, ...] = (
    StatuteEntry("rsmo-566-203", "RSMo 566.203", "Abusing an individual through forced labor", "state", True),
    StatuteEntry(
        "rsmo-566-206",
        "RSMo 566.206",
        "Trafficking for the purposes of slavery, involuntary servitude, peonage or forced labor",
        "state",
        True,
    ),
    StatuteEntry("rsmo-566-209", "RSMo 566.209", "Trafficking for the purposes of sexual exploitation", "state", True),
    StatuteEntry("rsmo-566-210", "RSMo 566.210", "Sexual trafficking of a child in the first degree", "state", True),
    StatuteEntry("rsmo-566-211", "RSMo 566.211", "Sexual trafficking of a child in the second degree", "state", True),
    StatuteEntry(
        "rsmo-566-212",
        "RSMo 566.212",
        "Contributing to human trafficking through the misuse of documentation",
        "state",
        True,
    ),
    StatuteEntry(
        "rsmo-566-213", "RSMo 566.213", "Contributing to human trafficking through forced labor", "state", True
    ),
    StatuteEntry("rsmo-567-020", "RSMo 567.020", "Prostitution", "state", False),
    StatuteEntry("rsmo-567-030", "RSMo 567.030", "Patronizing prostitution", "state", False),
    StatuteEntry("rsmo-567-050", "RSMo 567.050", "Promoting prostitution in the first degree", "state", False),
    StatuteEntry("rsmo-567-060", "RSMo 567.060", "Promoting prostitution in the second degree", "state", False),
    StatuteEntry("rsmo-567-070", "RSMo 567.070", "Promoting prostitution in the third degree", "state", False),
    StatuteEntry("usc-18-1589", "18 U.S.C. 1589", "Forced labor", "federal", True),
    StatuteEntry(
        "usc-18-1590",
        "18 U.S.C. 1590",
        "Trafficking with respect to peonage, slavery, involuntary servitude or forced labor",
        "federal",
        True,
    ),
    StatuteEntry(
        "usc-18-1591",
        "18 U.S.C. 1591",
        "Sex trafficking of children or by force, fraud or coercion",
        "federal",
        True,
    ),
    StatuteEntry(
        "usc-18-1592",
        "18 U.S.C. 1592",
        "Unlawful conduct with respect to documents in furtherance of trafficking",
        "federal",
        True,
    ),
    StatuteEntry(
        "usc-18-1593a",
        "18 U.S.C. 1593A",
        "Benefiting financially from peonage, slavery and trafficking in persons",
        "federal",
        True,
    ),
    StatuteEntry(
        "usc-18-1594", "18 U.S.C. 1594", "Attempt or conspiracy to commit a trafficking offense", "federal", True
    ),
    StatuteEntry(
        "usc-18-2421", "18 U.S.C. 2421", "Transportation for prostitution or criminal sexual activity", "federal", False
    ),
    StatuteEntry("usc-18-2422", "18 U.S.C. 2422", "Coercion and enticement", "federal", False),
    StatuteEntry("usc-18-2423", "18 U.S.C. 2423", "Transportation of minors", "federal", False),
)


def _load(model, entries: tuple[Entry, ...], with_category: bool = False) -> None:
    for position, entry in enumerate(entries, start=1):
        values = {"name": entry.name, "description": entry.description, "order": position * 10}
        if with_category:
            values["category"] = entry.category
        upsert(model, {"code": entry.code}, values)


@transaction.atomic
def load_catalogues() -> dict[str, int]:
    """Create or update the default entries; return how many of each list there are."""
    from cases.models import Indicator, ServiceType, Statute, VulnerabilityFactor

    _load(ServiceType, SERVICE_TYPES)
    _load(Indicator, INDICATORS, with_category=True)
    _load(VulnerabilityFactor, VULNERABILITY_FACTORS)
    for position, statute in enumerate(STATUTES, start=1):
        upsert(
            Statute,
            {"code": statute.code},
            {
                "citation": statute.citation,
                "name": statute.name,
                "jurisdiction": statute.jurisdiction,
                "is_trafficking": statute.is_trafficking,
                "order": position * 10,
            },
        )
    return {
        "service types": ServiceType.objects.count(),
        "indicators": Indicator.objects.count(),
        "vulnerability factors": VulnerabilityFactor.objects.count(),
        "statutes": Statute.objects.count(),
    }
