"""Prosecutions with their counts, the counts themselves, court dates and the statute catalogue."""

from __future__ import annotations

from rest_framework import serializers

from agencies.limits import validate_event_time
from agencies.models import AgencyKind
from cases import access
from cases.models import Count, CourtEvent, Prosecution, Statute

from ..fields import ScopedPrimaryKeyRelatedField
from .base import ScopedModelSerializer
from .operations import RECORD_FIELDS

COUNT_FIELDS = [
    "id",
    "prosecution",
    "number",
    "statute",
    "disposition",
    "disposition_on",
    "custody_months",
    "probation_months",
    "restitution",
    "is_conviction",
]


class StatuteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statute
        fields = ["id", "code", "citation", "name", "jurisdiction", "is_trafficking", "description", "order", "active"]


class InProsecution:
    """A count or a court date is added and changed with its prosecution ("prosecution.change")."""

    add_action = "prosecution.change"
    change_action = "prosecution.change"

    def parent_for_add(self, validated):
        return validated.get("prosecution")

    def change_target(self, instance):
        return instance.prosecution

    def validate_prosecution(self, value):
        if self.instance is not None and value != self.instance.prosecution:
            raise serializers.ValidationError("It stays in its prosecution; add a new one to the other.")
        return value


class CountSerializer(InProsecution, ScopedModelSerializer):
    """One count: the statute, its disposition and, after a plea or conviction, the sentence."""

    is_conviction = serializers.BooleanField(read_only=True, help_text="Pleaded guilty or convicted at trial.")

    class Meta:
        model = Count
        fields = COUNT_FIELDS


class ProsecutionCountSerializer(ScopedModelSerializer):
    class Meta:
        model = Count
        fields = [name for name in COUNT_FIELDS if name != "prosecution"]
        read_only_fields = fields


class ProsecutionSerializer(ScopedModelSerializer):
    """A prosecution in an investigation referred to the prosecuting agency, with its counts."""

    add_action = "prosecution.add"
    change_action = "prosecution.change"

    reference = serializers.CharField(read_only=True)
    counts = ProsecutionCountSerializer(many=True, read_only=True)
    court_events = ScopedPrimaryKeyRelatedField(
        model=CourtEvent, many=True, read_only=True, help_text="Its court dates (the court-events resource)."
    )

    class Meta:
        model = Prosecution
        fields = [
            "id",
            "reference",
            "investigation",
            "prosecuting_agency",
            "court_jurisdiction",
            "court",
            "docket_number",
            "defendant",
            "filed_on",
            "notes",
            "counts",
            "court_events",
            *RECORD_FIELDS,
        ]
        read_only_fields = RECORD_FIELDS
        extra_kwargs = {
            "prosecuting_agency": {
                "required": False,
                "help_text": "Defaults to your agency; only the coordinator may choose another.",
            }
        }

    def validate_prosecuting_agency(self, value):
        agency = self.own_agency_or_error("prosecuting_agency", value)
        if agency is not None and agency.kind != AgencyKind.PROSECUTOR:
            raise serializers.ValidationError(
                ["Choose a prosecutor's office: a county prosecutor, the Attorney General or a U.S. Attorney."]
            )
        return agency

    def validate_investigation(self, value):
        if self.instance is not None and value != self.instance.investigation:
            raise serializers.ValidationError("A prosecution stays in its investigation.")
        return value

    def parent_for_add(self, validated):
        return validated.get("investigation")

    def prepare(self, obj, validated, creating):
        if creating and not obj.prosecuting_agency_id:
            obj.prosecuting_agency = self.agency


class CourtEventSerializer(InProsecution, ScopedModelSerializer):
    """A court date. Advocates and caseworkers read only when, what kind and where."""

    class Meta:
        model = CourtEvent
        fields = ["id", "prosecution", "kind", "scheduled_at", "court", "courtroom", "status", "notes", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "court": {"help_text": "Left empty: the prosecution's court."},
            "scheduled_at": {"validators": [validate_event_time]},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        allowed = access.court_event_fields(self.user)
        if allowed is not None:
            keep = {"id", *allowed}
            data = {name: value for name, value in data.items() if name in keep}
        return data
