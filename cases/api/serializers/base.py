"""What every API serializer shares: strict input, scoped relations, writes through cases.actions."""

from __future__ import annotations

import copy

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import relations, serializers
from rest_framework.fields import SkipField, get_error_detail
from rest_framework.relations import PKOnlyObject

from agencies.roles import membership_of
from cases import access, actions

from ..fields import ScopedManyRelatedField, ScopedPrimaryKeyRelatedField, fast_representation, remember_visible


def django_error_to_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    """A model's ValidationError as a DRF one, keeping a message per field."""
    if hasattr(exc, "error_dict"):
        detail = {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in get_error_detail(exc).items()
        }
        return serializers.ValidationError(detail)
    return serializers.ValidationError({"non_field_errors": get_error_detail(exc)})


class ScopedListSerializer(serializers.ListSerializer):
    """Checks the related ids of a whole page in one query per related model."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        prime_page(self.child, items, self.context)
        return super().to_representation(items)


def prime_page(serializer, items: list, context: dict) -> None:
    """Check the related ids of a page's records, and of the records nested in them, at once.

    Lists of ids and nested records (an investigation's operations and people) are read
    from the view's prefetch; catalogue and directory entries need no check at all.
    """
    for field in serializer.fields.values():
        if field.write_only or len(field.source_attrs) != 1:
            continue
        source = field.source_attrs[0]
        if isinstance(field, ScopedManyRelatedField):
            pks = [obj.pk for item in items for obj in getattr(item, source).all()]
            remember_visible(context, field.child_relation.model, pks)
        elif isinstance(field, ScopedPrimaryKeyRelatedField):
            remember_visible(context, field.model, [getattr(item, source + "_id", None) for item in items])
        elif isinstance(field, ScopedListSerializer):
            prime_page(field.child, [obj for item in items for obj in getattr(item, source).all()], context)


def refuse_unknown_fields(serializer, data) -> None:
    if not isinstance(data, dict):
        raise serializers.ValidationError({"non_field_errors": [f"Send a JSON object, not {type(data).__name__}."]})
    unknown = sorted(set(data) - set(serializer.fields))
    if unknown:
        raise serializers.ValidationError({name: ["This field is unknown."] for name in unknown})


class StrictSerializer(serializers.Serializer):
    """The body of an action: a JSON object with no unknown fields."""

    def to_internal_value(self, data):
        refuse_unknown_fields(self, data)
        return super().to_internal_value(data)


# Serializer class → its fields as DRF builds them from the model (ScopedModelSerializer.get_fields).
_BUILT_FIELDS: dict[type, dict] = {}


class ScopedModelSerializer(serializers.ModelSerializer):
    """A model serializer that refuses unknown fields and saves through the domain actions.

    Subclasses name the policy actions for adding and changing, and say which record
    an addition belongs to (`parent_for_add`), as the browser forms do.
    """

    serializer_related_field = ScopedPrimaryKeyRelatedField
    add_action: str | None = None
    change_action: str | None = None
    # Fields saved after the record (many-to-many).
    m2m_fields: tuple[str, ...] = ()

    class Meta:
        list_serializer_class = ScopedListSerializer

    @classmethod
    def many_init(cls, *args, **kwargs):
        # As DRF's, but every list checks its page's related ids in bulk.
        list_kwargs = {}
        for key in serializers.LIST_SERIALIZER_KWARGS_REMOVE:
            value = kwargs.pop(key, None)
            if value is not None:
                list_kwargs[key] = value
        list_kwargs["child"] = cls(*args, **kwargs)
        list_kwargs.update({key: value for key, value in kwargs.items() if key in serializers.LIST_SERIALIZER_KWARGS})
        return ScopedListSerializer(*args, **list_kwargs)

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        # DRF turns a model's range validators into min_value/max_value with its own
        # wording; a range the model words itself ("Enter an age between 0 and 120.") keeps it.
        for validator in model_field.validators:
            key = {MinValueValidator: "min_value", MaxValueValidator: "max_value"}.get(type(validator))
            if key and validator.message != type(validator).message:
                field_kwargs.setdefault("error_messages", {})[key] = validator.message
        return field_class, field_kwargs

    def build_relational_field(self, field_name, relation_info):
        field_class, field_kwargs = super().build_relational_field(field_name, relation_info)
        if issubclass(field_class, ScopedPrimaryKeyRelatedField):
            # Read-only relations get no queryset from DRF; the field still needs the model to scope by.
            field_kwargs["model"] = relation_info.related_model
        return field_class, field_kwargs

    def get_fields(self):
        # DRF maps the model's fields to serializer fields on every use (once a request):
        # about a fifth of the CPU of an API list page, mostly in its field mapping
        # (docs/PERFORMANCE.md). The mapping depends on the class alone, so it is built once
        # per class and copied for each use, as DRF copies declared fields.
        built = _BUILT_FIELDS.get(type(self))
        if built is None:
            built = _BUILT_FIELDS[type(self)] = super().get_fields()
        return copy.deepcopy(built)

    @property
    def user(self):
        return self.context["request"].user

    # --- reading ---------------------------------------------------------------

    def _reading_plan(self) -> list[tuple]:
        """How each readable field is read, worked out once per serializer (once a request).

        A plain column is read from the instance and shown by its field (date-times with
        the time zone looked up once); a foreign key's id is read without loading the
        record; anything else goes through DRF's usual get_attribute. Same output as DRF's
        Serializer.to_representation, at about half the cost on a page of fifty.
        """
        plan = []
        model = self.Meta.model
        for field in self._readable_fields:
            kind, attname = "field", None
            if len(field.source_attrs) == 1 and not isinstance(field, relations.ManyRelatedField):
                try:
                    model_field = model._meta.get_field(field.source_attrs[0])
                except FieldDoesNotExist:
                    model_field = None
                if model_field is not None and model_field.concrete and not model_field.many_to_many:
                    if isinstance(field, relations.PrimaryKeyRelatedField) and model_field.many_to_one:
                        kind, attname = "pk", model_field.attname
                    elif not model_field.is_relation and not isinstance(field, relations.RelatedField):
                        kind, attname = "column", model_field.attname
            show = fast_representation(field) if kind == "column" else field.to_representation
            plan.append((field.field_name, kind, attname, field, show))
        return plan

    def to_representation(self, instance):
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self.__dict__["_plan"] = self._reading_plan()
        data = {}
        for name, kind, attname, field, show in plan:
            if kind == "column":
                value = getattr(instance, attname)
                data[name] = None if value is None else show(value)
            elif kind == "pk":
                value = getattr(instance, attname)
                data[name] = None if value is None else show(PKOnlyObject(pk=value))
            else:
                try:
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
                check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                data[name] = None if check is None else show(attribute)
        return data

    @property
    def agency(self):
        membership = membership_of(self.user)
        return membership.agency if membership else None

    def to_internal_value(self, data):
        refuse_unknown_fields(self, data)
        # Read-only fields may be sent back unchanged (a GET body reused for PUT): DRF ignores them.
        return super().to_internal_value(data)

    # --- writing ---------------------------------------------------------------

    def parent_for_add(self, validated: dict):
        return None

    def change_target(self, instance):
        """What `change_action` is checked on: the record itself, or the parent it is changed with."""
        return instance

    def prepare(self, obj, validated: dict, creating: bool) -> None:
        """Fill fields the writer does not choose (own agency, derived values)."""

    def _split(self, validated: dict) -> tuple[dict, dict]:
        m2m = {name: validated.pop(name) for name in self.m2m_fields if name in validated}
        return validated, m2m

    def create(self, validated_data):
        validated, m2m = self._split(dict(validated_data))
        parent = self.parent_for_add(validated)
        access.require(self.user, self.add_action, parent)
        obj = self.Meta.model(**validated)
        self.prepare(obj, validated, creating=True)
        try:
            return actions.create_record(self.user, obj, self.add_action, parent, m2m=m2m)
        except DjangoValidationError as exc:
            raise django_error_to_drf(exc) from exc

    def update(self, instance, validated_data):
        validated, m2m = self._split(dict(validated_data))
        for name, value in validated.items():
            setattr(instance, name, value)
        self.prepare(instance, validated, creating=False)
        try:
            return actions.update_record(
                self.user, instance, self.change_action, m2m=m2m, target=self.change_target(instance)
            )
        except DjangoValidationError as exc:
            raise django_error_to_drf(exc) from exc

    def own_agency_or_error(self, field: str, chosen):
        """Non-coordinators record in their own agency's name; coordinators may choose."""
        if chosen is None:
            return self.agency
        if chosen != self.agency and not access.can(self.user, "operation.choose_lead"):
            raise serializers.ValidationError({field: ["You can only record in your own agency's name."]})
        return chosen
