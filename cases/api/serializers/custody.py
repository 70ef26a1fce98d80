"""Protective-custody hand-offs of children and their chain of custody."""

from __future__ import annotations

from rest_framework import serializers

from agencies.limits import SHORT_TEXT, validate_event_time
from cases.models import CustodyEvent, CustodyEventKind, CustodyHandoff

from .base import ScopedModelSerializer, StrictSerializer
from .contacts import OWN_AGENCY_HELP
from .operations import RECORD_FIELDS


class CustodyEventSerializer(ScopedModelSerializer):
    class Meta:
        model = CustodyEvent
        fields = ["id", "kind", "at", "agency", "note", "recorded_at"]
        read_only_fields = ["id", "agency", "recorded_at"]


class CustodyHandoffSerializer(ScopedModelSerializer):
    """A hand-off is created once; afterwards only its workflow actions change it."""

    add_action = "custody.add"

    reference = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    events = CustodyEventSerializer(many=True, read_only=True)

    class Meta:
        model = CustodyHandoff
        fields = [
            "id",
            "reference",
            "person",
            "contact",
            "operation",
            "taken_at",
            "place",
            "custody_agency",
            "reason",
            "receiving_agency",
            "handed_over_at",
            "acknowledged_at",
            "child_age_at_custody",
            "status_label",
            "events",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["operation", "acknowledged_at", "child_age_at_custody", *RECORD_FIELDS]
        extra_kwargs = {
            "custody_agency": {"required": False, "help_text": OWN_AGENCY_HELP},
            "person": {"required": False, "help_text": "The child; taken from the contact when one is given."},
        }

    def validate_custody_agency(self, value):
        return self.own_agency_or_error("custody_agency", value)

    def validate(self, attrs):
        if not attrs.get("person") and not attrs.get("contact"):
            raise serializers.ValidationError({"person": ["Choose the child, or the contact in which custody began."]})
        return attrs

    def parent_for_add(self, validated):
        return validated.get("contact") or validated.get("person")

    def prepare(self, obj, validated, creating):
        if creating:
            if not obj.custody_agency_id:
                obj.custody_agency = self.agency
            if not obj.person_id and obj.contact_id:
                obj.person_id = obj.contact.person_id
            obj.custody_officer = self.user


class HandOverSerializer(StrictSerializer):
    at = serializers.DateTimeField(
        required=False, help_text="When the child was handed over; now if left out.", validators=[validate_event_time]
    )


class AcknowledgeCustodySerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=SHORT_TEXT)


class CustodyEventInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(
        choices=[c for c in CustodyEventKind.choices if c[0] not in ("taken", "handed_over", "acknowledged")],
        help_text="Taking, hand-over and acknowledgement are recorded by their own actions.",
    )
    at = serializers.DateTimeField(
        required=False, help_text="When it happened; now if left out.", validators=[validate_event_time]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=SHORT_TEXT)
