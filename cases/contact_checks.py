"""What a contact form checks before saving without refusing, and what it suggests after.

Two mistakes made at night are caught here: a contact time outside its operation (the
form used to default to "now" the morning after), and an accompanying child whose age
makes them an adult (a mistyped birth date silently took the custody hand-off away).
Both are warnings the officer may confirm, since either can be true; the contact page
flags them for as long as they hold.

After saving, the steps that fit the role recorded come first; who may take each step is
the access policy's answer, never decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from cases import access
from cases.models import Contact, ContactRole, Operation, Person
from cases.models.people import ADULT_AGE, MINOR_AGE_GROUPS


@dataclass(frozen=True)
class ContactWarning:
    code: str
    message: str  # on the form, before saving
    flag: str  # on the contact's page, once saved


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def default_time(operation: Operation | None, now: datetime | None = None) -> datetime:
    """Now, when now lies within the operation; else its start (never a time ahead)."""
    now = _minute(timezone.localtime(now or timezone.now()))
    if operation is None or operation.starts_at is None:
        return now
    start = _minute(timezone.localtime(operation.starts_at))
    if start > now:
        return now  # a contact cannot be recorded ahead of time; the form warns instead
    if operation.ends_at is not None and now > operation.ends_at:
        return start
    return now


def outside_window(operation: Operation | None, when: datetime | None) -> bool:
    """Whether a contact time lies outside its operation's start and end (to the minute)."""
    if operation is None or when is None or operation.starts_at is None:
        return False
    if when < _minute(operation.starts_at):
        return True
    return operation.ends_at is not None and _minute(when) > operation.ends_at


def _spoken(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%B} {local.day}, {local.year} at {local:%H:%M}"


def window_text(operation: Operation) -> str:
    if operation.ends_at is None:
        return f"{operation.code} started {_spoken(operation.starts_at)}"
    return f"{operation.code} ran from {_spoken(operation.starts_at)} to {_spoken(operation.ends_at)}"


def short_window_text(operation: Operation) -> str:
    """The operation's time on one line of a phone, e.g. "Aug 21, 19:00 – Aug 22, 02:30"."""
    start = timezone.localtime(operation.starts_at)
    text = f"{start:%b} {start.day}, {start:%H:%M}"
    if operation.ends_at is None:
        return f"since {text}"
    end = timezone.localtime(operation.ends_at)
    return f"{text} – " + (f"{end:%b} {end.day}, {end:%H:%M}" if end.date() != start.date() else f"{end:%H:%M}")


def adult_age_as_child(role: str, person: Person | None, when: datetime | None) -> int | None:
    """The age of an "accompanying child" who was an adult on the day, else None."""
    if role != ContactRole.ACCOMPANYING_CHILD or person is None or when is None:
        return None
    age = person.age_on(timezone.localtime(when).date())
    return age if age is not None and age >= ADULT_AGE else None


def warnings_for(operation: Operation | None, when: datetime | None, role: str, person: Person | None):
    """What the officer confirms before a contact is saved (an empty list: nothing to confirm)."""
    found = []
    if outside_window(operation, when):
        found.append(
            ContactWarning(
                "outside_operation",
                f"The contact time is outside the operation: {window_text(operation)}. "
                "Check the date and time, or save anyway if that is when it happened.",
                f"Recorded outside the operation's time: {window_text(operation)}.",
            )
        )
    age = adult_age_as_child(role, person, when)
    if age is not None:
        found.append(
            ContactWarning(
                "adult_accompanying_child",
                f"Recorded as an accompanying child, but the age or date of birth makes them {age} on that day. "
                "Check the age, the date of birth and the role: a child is offered the protective-custody hand-off, "
                "an adult is not.",
                f"Recorded as an accompanying child, but the age or date of birth makes them {age} on that day. "
                "Check the person's age and the role: no protective-custody hand-off is offered for an adult.",
            )
        )
    return found


def flags_for(contact: Contact) -> list[ContactWarning]:
    """The warnings that still hold for a saved contact, shown on its page."""
    return warnings_for(contact.operation, contact.occurred_at, contact.role, contact.person)


def child_age_unknown(contact: Contact) -> bool:
    """An accompanying child with no age or birth date: the hand-off waits for one."""
    return contact.role == ContactRole.ACCOMPANYING_CHILD and contact.person.age_on() is None


@dataclass(frozen=True)
class NextStep:
    action: str
    label: str
    url_name: str
    fits: bool


# Which step fits which role; the order is the order of the buttons.
_FITTING = {
    "referral.add": {ContactRole.POTENTIAL_VICTIM, ContactRole.CONFIRMED_VICTIM, ContactRole.ACCOMPANYING_CHILD},
    "custody.add": {ContactRole.ACCOMPANYING_CHILD},
    "detention.add": {ContactRole.SUSPECTED_TRAFFICKER, ContactRole.BUYER},
}
_STEPS = (
    ("custody.add", "Start a custody hand-off", "web:handoff_create"),
    ("referral.add", "Start a referral", "web:referral_create"),
    ("detention.add", "Record a detention or arrest", "web:detention_create"),
)


def _fits(action: str, contact: Contact) -> bool:
    if action == "custody.add":
        # Any child met is offered the hand-off, whatever the role recorded.
        return contact.role in _FITTING[action] or contact.age_group in MINOR_AGE_GROUPS
    return contact.role in _FITTING[action]


def next_steps(user, contact: Contact) -> list[NextStep]:
    """The steps after a contact the user may take: those fitting the role first."""
    if contact.is_voided:
        return []
    steps = []
    for action, label, url_name in _STEPS:
        if action == "detention.add" and not access.sees_detentions(user):
            continue
        if access.can(user, action, contact):
            steps.append(NextStep(action, label, url_name, _fits(action, contact)))
    return sorted(steps, key=lambda s: not s.fits)
