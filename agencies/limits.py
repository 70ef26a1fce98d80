"""How long a text may be and how far back or ahead a date may lie, for every record.

The models carry these limits as field validators, so every path that validates a
record (pages, API, admin, imports: all call full_clean) refuses the same values with
the same plain message. Texts set without full_clean (void reasons, workflow notes)
are checked again when the record is saved (`check_text_limits`).

It lives in agencies, the app every other depends on, and stays free of model imports:
agencies.models uses it as the case models do.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils import timezone

# Characters. A name fits a line; a narrative is several pages of a report.
NAME = 200
ALIASES = 1_000
ADDRESS = 500
SHORT_TEXT = 2_000
NARRATIVE = 20_000

OLDEST_BIRTH_DATE = date(1900, 1, 1)
MAX_AGE = 120
# Planned operations lie ahead; nothing is planned further than this.
FUTURE_MARGIN = timedelta(days=366)

age_limit = MaxValueValidator(MAX_AGE, message=f"Enter an age between 0 and {MAX_AGE}.")


def limited_text(limit: int, **kwargs) -> models.TextField:
    """A TextField whose limit is enforced by the model, not only by forms."""
    validators = [MaxLengthValidator(limit), *kwargs.pop("validators", [])]
    return models.TextField(max_length=limit, validators=validators, **kwargs)


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _spoken(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def first_event_day() -> date:
    """The first day the task force could have records for (setting TASK_FORCE_FIRST_YEAR)."""
    return date(settings.TASK_FORCE_FIRST_YEAR, 1, 1)


def last_event_day() -> date:
    return timezone.localdate() + FUTURE_MARGIN


def validate_event_time(value: date | datetime) -> None:
    """A date or time of something the task force did: within its years, not far ahead.

    Also keeps times out of the centuries whose local-mean-time offsets (e.g. -05:50:36)
    are not valid RFC 3339.
    """
    _check_between(value, first_event_day(), last_event_day())


# How far ahead a court date or the end of granted relief may lie (a T visa runs four years).
SCHEDULE_MARGIN = timedelta(days=5 * 366)


def validate_scheduled_time(value: date | datetime) -> None:
    """A date or time set ahead (a court date, the day relief runs out): up to five years out."""
    _check_between(value, first_event_day(), timezone.localdate() + SCHEDULE_MARGIN)


def _check_between(value: date | datetime, first: date, last: date) -> None:
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Compared as instants: converting year 1 or 9999 to local time can overflow.
        zone = timezone.get_current_timezone()
        start = datetime.combine(first, time.min, tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        too_early, too_late = value < start, value >= end
    else:
        day = _day(value)
        too_early, too_late = day < first, day > last
    if too_early or too_late:
        raise ValidationError(f"Enter a date between {_spoken(first)} and {_spoken(last)}.", code="implausible_date")


def before_minute_of(later: datetime | None, earlier: datetime | None) -> bool:
    """Whether `later` is before the minute of `earlier` (pages type times to the minute)."""
    return bool(later and earlier and later < earlier.replace(second=0, microsecond=0))


def validate_birth_date(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError("The date of birth cannot be in the future.", code="future_birth_date")
    if value < OLDEST_BIRTH_DATE:
        raise ValidationError(
            f"Enter a date of birth from {_spoken(OLDEST_BIRTH_DATE)} onwards.", code="implausible_birth_date"
        )


def validate_past_day(value: date) -> None:
    """A day something was observed (an age estimated): within the task force's years, not ahead."""
    validate_event_time(value)
    if value > timezone.localdate():
        raise ValidationError("This date cannot be in the future.", code="future_date")


def check_length(name: str, value: str, limit: int) -> None:
    """Refuse a text typed into an action (a reason, a note) before anything changes."""
    try:
        MaxLengthValidator(limit)(value or "")
    except ValidationError as error:
        raise ValidationError({name: error.error_list}) from error


def check_text_limits(instance: models.Model, update_fields=None) -> None:
    """Refuse a text over its field's limit, for values set without full_clean."""
    errors: dict[str, list] = {}
    for field in instance._meta.concrete_fields:
        if field.max_length is None or not isinstance(field, (models.CharField, models.TextField)):
            continue
        if update_fields is not None and field.name not in update_fields and field.attname not in update_fields:
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > field.max_length:
            try:
                MaxLengthValidator(field.max_length)(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
    if errors:
        raise ValidationError(errors)
