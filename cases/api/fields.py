"""Related-object fields that go through the access policy, for input and for output."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, relations, serializers
from rest_framework.settings import api_settings

from cases import access

# Directory and catalogue models every member may read: no per-row check needed.
OPEN_MODELS = access.OPEN_MODELS

# Larger than any id a bigint column can hold: answered like any unknown id.
MAX_ID = 2**63 - 1

VISIBLE_CACHE = "_visible_ids"


def fast_representation(field) -> Callable:
    """The field's `to_representation`, with the time zone looked up once for date-times.

    DRF looks the current time zone up for every value (a third of an export's time);
    the result is the same, as long as the field has the default ISO 8601 format.
    """
    if type(field) is serializers.DateTimeField and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601:
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        if zone is not None:

            def datetime_text(value):
                if timezone.is_naive(value):
                    return field.to_representation(value)
                text = value.astimezone(zone).isoformat()
                return text[:-6] + "Z" if text.endswith("+00:00") else text

            return datetime_text
    return field.to_representation


def remember_visible(context: dict, model, pks) -> None:
    """Check a page's worth of related ids in one query (called by ScopedListSerializer)."""
    cache = context.setdefault(VISIBLE_CACHE, {}).setdefault(model, {})
    wanted = {pk for pk in pks if pk is not None and pk not in cache}
    if not wanted:
        return
    user = context["request"].user
    seen = wanted if access.sees_every_row(user, model) else access.visible_ids(user, model, wanted)
    for pk in wanted:
        cache[pk] = pk in seen


def forget_visible(context: dict) -> None:
    """Drop the remembered checks (an export does, chunk by chunk, so memory stays flat)."""
    context.pop(VISIBLE_CACHE, None)


def is_visible_id(context: dict, model, pk) -> bool:
    cache = context.setdefault(VISIBLE_CACHE, {}).setdefault(model, {})
    if pk not in cache:
        remember_visible(context, model, [pk])
    return cache[pk]


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key that must name a record the requesting user may see.

    An id outside the user's scope gives exactly the error of an id that does not
    exist, so a request body cannot probe for records. On output, the id of a related
    record the user may not see is shown as null.
    """

    default_error_messages = {
        "does_not_exist": "No record with id {pk_value} exists.",
        "incorrect_type": "Give the record's id as a whole number, not {data_type}.",
    }

    def __init__(self, model: type[models.Model] | None = None, **kwargs):
        self.model = model or kwargs["queryset"].model
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", self.model._default_manager.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or isinstance(data, float) and not data.is_integer():
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            number = int(data)
        except (TypeError, ValueError):
            if isinstance(data, str):
                self.fail("does_not_exist", pk_value=data)
            self.fail("incorrect_type", data_type=type(data).__name__)
        if number < 1 or number > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)

    def to_representation(self, value):
        if is_visible_id(self.context, self.model, value.pk):
            return value.pk
        return None


class ScopedManyRelatedField(relations.ManyRelatedField):
    """A list of ids; ids of records outside the user's scope are left out."""

    def to_representation(self, iterable):
        items = list(iterable)
        # One check for the record's whole list (a page's lists are checked at once beforehand).
        remember_visible(self.context, self.child_relation.model, [item.pk for item in items])
        return [pk for pk in (self.child_relation.to_representation(item) for item in items) if pk is not None]


def _scoped_many_init(cls, *args, **kwargs):
    child_kwargs = {key: value for key, value in kwargs.items() if key not in relations.MANY_RELATION_KWARGS}
    list_kwargs = {"child_relation": cls(*args, **child_kwargs)}
    for key in kwargs:
        if key in relations.MANY_RELATION_KWARGS:
            list_kwargs[key] = kwargs[key]
    return ScopedManyRelatedField(**list_kwargs)


ScopedPrimaryKeyRelatedField.many_init = classmethod(_scoped_many_init)
