"""Detentions and arrests, with their charges."""

from __future__ import annotations

from django.db import transaction
from rest_framework import serializers

from cases.models import Charge, Detention

from .base import ScopedModelSerializer
from .contacts import OWN_AGENCY_HELP
from .operations import RECORD_FIELDS


class ChargeSerializer(ScopedModelSerializer):
    class Meta:
        model = Charge
        fields = ["id", "statute", "description", "charge_class", "is_trafficking"]


class DetentionSerializer(ScopedModelSerializer):
    """A detention. Charges are given when it is recorded, and added later by the charges action."""

    add_action = "detention.add"
    change_action = "detention.change"

    charges = ChargeSerializer(many=True, required=False)

    class Meta:
        model = Detention
        fields = [
            "id",
            "person",
            "contact",
            "agency",
            "detained_at",
            "outcome",
            "pending",
            "notes",
            "charges",
            *RECORD_FIELDS,
        ]
        read_only_fields = RECORD_FIELDS
        extra_kwargs = {
            "agency": {"required": False, "help_text": OWN_AGENCY_HELP},
            "person": {"required": False, "help_text": "Taken from the contact when one is given."},
        }

    def validate_agency(self, value):
        return self.own_agency_or_error("agency", value)

    def validate_charges(self, value):
        if self.instance is not None:
            raise serializers.ValidationError(
                "Charges are added with the detention's charges action, not by an update."
            )
        return value

    def validate(self, attrs):
        if self.instance is None and not attrs.get("person") and not attrs.get("contact"):
            raise serializers.ValidationError({"person": ["Choose the person detained, or the contact."]})
        return attrs

    def parent_for_add(self, validated):
        return validated.get("contact")

    def prepare(self, obj, validated, creating):
        if creating:
            if not obj.agency_id:
                obj.agency = self.agency
            if not obj.person_id and obj.contact_id:
                obj.person_id = obj.contact.person_id

    def _split(self, validated):
        self._charges = validated.pop("charges", [])
        return super()._split(validated)

    @transaction.atomic
    def create(self, validated_data):
        detention = super().create(validated_data)
        for charge in self._charges:
            Charge(detention=detention, **charge).save()
        return detention
