"""Investigations, with the agencies working them and the people in them nested."""

from __future__ import annotations

from rest_framework import serializers

from agencies.limits import SHORT_TEXT
from agencies.models import Agency
from cases.models import (
    ClosingReason,
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    InvestigationPersonRole,
    Operation,
    Person,
)

from ..fields import ScopedPrimaryKeyRelatedField
from .base import ScopedModelSerializer, StrictSerializer
from .operations import RECORD_FIELDS


class InvestigationAgencySerializer(ScopedModelSerializer):
    class Meta:
        model = InvestigationAgency
        fields = ["id", "agency", "role", "since"]
        read_only_fields = fields


class InvestigationPersonSerializer(ScopedModelSerializer):
    class Meta:
        model = InvestigationPerson
        fields = ["id", "person", "role", "note"]
        read_only_fields = fields


class InvestigationSerializer(ScopedModelSerializer):
    """An investigation. Its agencies and people change through their own actions, its status
    through close and reopen (it is referred for prosecution when a prosecutor is added)."""

    add_action = "investigation.add"
    change_action = "investigation.change"
    m2m_fields = ("operations",)

    reference = serializers.CharField(read_only=True)
    agencies = InvestigationAgencySerializer(many=True, read_only=True)
    people = InvestigationPersonSerializer(many=True, read_only=True)
    detentions = ScopedPrimaryKeyRelatedField(
        model=Detention, many=True, read_only=True, help_text="Arrests linked to it that you may see."
    )
    # Declared so the schema says it may be blank until the investigation is closed.
    closing_reason = serializers.ChoiceField(choices=ClosingReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "id",
            "reference",
            "title",
            "trafficking_type",
            "lead_agency",
            "status",
            "opened_on",
            "closed_on",
            "closing_reason",
            "closing_note",
            "summary",
            "operations",
            "agencies",
            "people",
            "detentions",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["reference", "status", "closed_on", "closing_note", *RECORD_FIELDS]
        extra_kwargs = {
            "lead_agency": {
                "required": False,
                "help_text": "Defaults to your agency; only the coordinator may choose another.",
            },
            "operations": {"required": False},
        }

    def validate_lead_agency(self, value):
        return self.own_agency_or_error("lead_agency", value)

    def prepare(self, obj, validated, creating):
        if creating and not obj.lead_agency_id:
            obj.lead_agency = self.agency

    def update(self, instance, validated_data):
        if "operations" in validated_data:
            # The list sent names the operations the writer sees; the others stay linked.
            visible = Operation.objects.visible_to(self.user).values("pk")
            hidden = list(instance.operations.exclude(pk__in=visible))
            validated_data = {**validated_data, "operations": [*validated_data["operations"], *hidden]}
        return super().update(instance, validated_data)


class InvestigationAgencyAddSerializer(StrictSerializer):
    """An agency joining the investigation; "prosecution" refers it for prosecution to that agency."""

    agency = ScopedPrimaryKeyRelatedField(model=Agency, help_text="An active agency not yet working on it.")
    role = serializers.ChoiceField(
        choices=[c for c in InvestigationAgencyRole.choices if c[0] != InvestigationAgencyRole.LEAD],
        default=InvestigationAgencyRole.PARTICIPANT,
    )

    def validate_agency(self, agency):
        if not agency.active:
            raise serializers.ValidationError("This agency is no longer active.")
        return agency


class InvestigationPersonAddSerializer(StrictSerializer):
    person = ScopedPrimaryKeyRelatedField(model=Person, help_text="A person you may see.")
    role = serializers.ChoiceField(choices=InvestigationPersonRole.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=SHORT_TEXT)


class InvestigationCloseSerializer(StrictSerializer):
    closing_reason = serializers.ChoiceField(choices=ClosingReason.choices, help_text="Why it closes.")
    closed_on = serializers.DateField(required=False, help_text="The day it closed; today if left out.")
    closing_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=SHORT_TEXT,
        help_text="Needed when the reason is Other.",
    )
