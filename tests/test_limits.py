"""Every text has a length limit and every date a plausible range, enforced by the models.

The tables are read off the models themselves, so a new field without a limit fails here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.constraints import BaseConstraint
from django.utils import timezone

from agencies import limits
from cases import actions
from cases import models as m

DATE_VALIDATORS = {
    limits.validate_event_time,
    limits.validate_scheduled_time,
    limits.validate_birth_date,
    limits.validate_past_day,
}


def _models():
    found = []
    for label in ("cases", "agencies"):
        found += [
            model for model in apps.get_app_config(label).get_models() if not model.__name__.startswith("Historical")
        ]
    return found


def _fields(kinds, *, editable_only=False):
    return [
        pytest.param(model, field, id=f"{model.__name__}.{field.name}")
        for model in _models()
        for field in model._meta.concrete_fields
        if isinstance(field, kinds) and (field.editable or not editable_only)
    ]


TEXT_FIELDS = _fields((models.CharField, models.TextField))
# Dates a person types; Django's own user dates (last sign-in, joined) are set by Django.
DATE_FIELDS = [
    p
    for p in _fields((models.DateField,), editable_only=True)
    if p.values[0]._meta.label != "agencies.User" and not p.values[1].auto_now
]


def _refusal(model, field, value) -> list[str]:
    """The messages the model gives for this one field's value."""
    instance = model()
    setattr(instance, field.attname, value)
    others = [f.name for f in model._meta.fields if f.name != field.name]
    with pytest.raises(ValidationError) as caught:
        instance.clean_fields(exclude=others)
    return caught.value.message_dict[field.name]


@pytest.mark.parametrize("model, field", TEXT_FIELDS)
def test_every_text_field_has_a_limit_the_model_enforces(model, field):
    assert field.max_length is not None and field.max_length <= limits.NARRATIVE
    if field.choices:
        # A fixed list: the model refuses anything else, and every choice fits.
        assert max(len(value) for value, _ in field.flatchoices) <= field.max_length
        return
    if isinstance(field, models.TextField):
        # Django checks a TextField's max_length in forms only; the validator makes the model check it.
        assert any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators)
    messages = _refusal(model, field, "x" * (field.max_length + 1))
    assert f"at most {field.max_length} characters" in " ".join(messages)


@pytest.mark.parametrize("model, field", DATE_FIELDS)
def test_every_typed_date_has_a_plausible_range(model, field):
    assert DATE_VALIDATORS & set(field.validators), "no plausibility validator"
    as_value = (
        (lambda d: datetime.combine(d, datetime.min.time(), tzinfo=UTC))
        if isinstance(field, models.DateTimeField)
        else (lambda d: d)
    )
    if limits.validate_birth_date in field.validators:
        assert _refusal(model, field, as_value(date(1800, 1, 1))) == [
            "Enter a date of birth from January 1, 1900 onwards."
        ]
        tomorrow = timezone.localdate() + timedelta(days=2)
        assert _refusal(model, field, as_value(tomorrow)) == ["The date of birth cannot be in the future."]
        return
    for implausible in (date(15, 1, 1), date(1800, 6, 1), date(9999, 12, 31)):
        messages = _refusal(model, field, as_value(implausible))
        assert messages[0].startswith("Enter a date between January 1, 2000 and "), messages


def test_event_dates_follow_the_task_forces_first_year(settings):
    settings.TASK_FORCE_FIRST_YEAR = 2015
    with pytest.raises(ValidationError, match="between January 1, 2015 and"):
        limits.validate_event_time(timezone.make_aware(datetime(2014, 12, 31, 23, 0)))
    limits.validate_event_time(timezone.make_aware(datetime(2015, 1, 1, 0, 0)))
    limits.validate_event_time(timezone.now() + timedelta(days=300))  # a planned operation


def test_ages_run_from_0_to_120():
    field = m.Person._meta.get_field("estimated_age")
    assert _refusal(m.Person, field, 121) == ["Enter an age between 0 and 120."]
    assert _refusal(m.Person, field, -1)
    person = m.Person(estimated_age=120)
    person.clean_fields(exclude=[f.name for f in m.Person._meta.fields if f.name != "estimated_age"])


def test_each_alias_is_the_length_of_a_name():
    field = m.Person._meta.get_field("aliases")
    assert _refusal(m.Person, field, "Short One\n" + "y" * 201) == [
        "Each alias can have at most 200 characters; put one alias per line."
    ]


def test_coordinates_out_of_range_are_refused_in_plain_words():
    assert _refusal(m.Location, m.Location._meta.get_field("latitude"), 95) == ["Latitude must be between -90 and 90."]
    assert _refusal(m.Location, m.Location._meta.get_field("longitude"), -181) == [
        "Longitude must be between -180 and 180."
    ]


@pytest.mark.parametrize(
    "constraint",
    [pytest.param(c, id=f"{model.__name__}.{c.name}") for model in _models() for c in model._meta.constraints],
)
def test_every_database_constraint_explains_itself_in_plain_words(constraint):
    # The default message is "Constraint “<name>” is violated.", which means nothing to a user.
    assert constraint.violation_error_message != BaseConstraint.default_violation_error_message
    assert constraint.name not in constraint.violation_error_message


def test_a_service_is_not_delivered_before_it_was_offered(world):
    offer = world.records.offer_sjpd
    offer.response = m.OfferResponse.ACCEPTED
    offer.delivered_at = offer.offered_at - timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        offer.full_clean()
    assert caught.value.message_dict["delivered_at"] == ["A service cannot be delivered before it was offered."]


def test_an_over_long_void_reason_is_refused_and_nothing_is_voided(world):
    offer = world.records.offer_sjpd
    with pytest.raises(ValidationError) as caught:
        actions.void_record(world.users.supervisor_sjpd, offer, "z" * 2_000_001)
    assert "at most 2000 characters" in caught.value.message_dict["void_reason"][0]
    offer.refresh_from_db()
    assert not offer.is_voided


def test_an_over_long_workflow_reason_is_refused_before_the_referral_moves(world):
    referral = world.records.referral_sjpd
    actions.transition_referral(world.users.advocate_harbor, referral, "acknowledge")
    with pytest.raises(ValidationError) as caught:
        actions.transition_referral(world.users.advocate_harbor, referral, "decline", reason="r" * 2_001)
    assert "at most 2000 characters" in caught.value.message_dict["reason"][0]
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.ACKNOWLEDGED


def test_records_saved_without_full_clean_still_keep_the_limits(world):
    # Workflow events are written by the models, not through forms.
    handoff = world.records.handoff_sjpd
    with pytest.raises(ValidationError, match="at most 2000 characters"):
        m.CustodyEvent.objects.create(handoff=handoff, kind=m.CustodyEventKind.NOTE, note="n" * 2_001)


def test_a_detention_or_custody_is_not_before_the_contact_it_came_out_of(world):
    detention = world.records.detention_sjpd
    detention.detained_at = detention.contact.occurred_at - timedelta(hours=2)
    with pytest.raises(ValidationError) as caught:
        detention.full_clean()
    assert caught.value.message_dict["detained_at"] == ["A detention cannot be before the contact it came out of."]
    handoff = world.records.handoff_sjpd
    handoff.taken_at = handoff.contact.occurred_at - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        handoff.full_clean()
    assert "Custody cannot begin before the contact it came out of." in caught.value.message_dict["taken_at"]


def test_times_typed_to_the_minute_count_as_the_same_minute(world):
    # Pages send times without seconds; a record in the contact's own minute is not "before" it.
    detention = world.records.detention_sjpd
    detention.detained_at = detention.contact.occurred_at.replace(second=0, microsecond=0)
    detention.full_clean()
