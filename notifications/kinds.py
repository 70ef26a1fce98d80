"""What each kind of notification says: fixed sentences with counts, never a record's details.

Mail and phone notifications travel outside the system, so neither they nor the in-app
text name a person, an alias, a reference, a birth date or a place (survivor safety).
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    REFERRAL_TO_ACKNOWLEDGE = "referral_to_acknowledge", "Referral to acknowledge"
    REFERRAL_OVERDUE = "referral_overdue", "Referral overdue (escalated)"
    CUSTODY_TO_CONFIRM = "custody_to_confirm", "Custody receipt to confirm"
    FOLLOW_UP_OFFER = "follow_up_offer", "Follow-up offer of services due"
    COURT_DATE_WEEK = "court_date_week", "Court date within a week"
    COURT_DATE_TOMORROW = "court_date_tomorrow", "Court date tomorrow"
    RELIEF_EXPIRING = "relief_expiring", "Immigration relief expiring"
    RELIEF_TO_ANSWER = "relief_to_answer", "Relief request waiting for an answer"


# kind → (one, several): "You have 1 referral to acknowledge", "You have 2 referrals to acknowledge".
COUNTED: dict[str, tuple[str, str]] = {
    Kind.REFERRAL_TO_ACKNOWLEDGE: ("referral to acknowledge", "referrals to acknowledge"),
    Kind.REFERRAL_OVERDUE: ("overdue referral at your agency", "overdue referrals at your agency"),
    Kind.CUSTODY_TO_CONFIRM: ("custody receipt to confirm", "custody receipts to confirm"),
    Kind.FOLLOW_UP_OFFER: ("follow-up offer of services due", "follow-up offers of services due"),
    Kind.COURT_DATE_WEEK: ("court date in the coming week", "court dates in the coming week"),
    Kind.COURT_DATE_TOMORROW: ("court date tomorrow", "court dates tomorrow"),
    Kind.RELIEF_EXPIRING: ("grant of immigration relief expiring soon", "grants of immigration relief expiring soon"),
    Kind.RELIEF_TO_ANSWER: ("relief request waiting for your answer", "relief requests waiting for your answer"),
}

# The sentence of one notification in the application (the link opens the record).
SENTENCES: dict[str, str] = {
    Kind.REFERRAL_TO_ACKNOWLEDGE: "A referral sent to your agency is waiting to be acknowledged.",
    Kind.REFERRAL_OVERDUE: "A referral sent to your agency is still not acknowledged: it is overdue.",
    Kind.CUSTODY_TO_CONFIRM: "A child handed to your agency is waiting for you to confirm receipt.",
    Kind.FOLLOW_UP_OFFER: "A person who declined services a week ago is due a follow-up offer.",
    Kind.COURT_DATE_WEEK: "A court date you follow is within a week.",
    Kind.COURT_DATE_TOMORROW: "A court date you follow is tomorrow.",
    Kind.RELIEF_EXPIRING: "Immigration relief your agency asked for runs out soon: consider a renewal.",
    Kind.RELIEF_TO_ANSWER: "A request for immigration relief to your agency is waiting for an answer.",
}


def sentence(kind: str) -> str:
    return SENTENCES[kind]


def counted(kind: str, number: int) -> str:
    """ "You have 2 referrals to acknowledge." """
    one, several = COUNTED[kind]
    return f"You have {number} {one if number == 1 else several}."
