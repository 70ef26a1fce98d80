"""Operations, with their participating agencies and locations nested."""

from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency
from cases import access
from cases.models import Location, Operation, OperationStatus, Participation, ParticipationRole
from cases.models.operations import LATITUDE_MESSAGE, LONGITUDE_MESSAGE

from ..fields import ScopedPrimaryKeyRelatedField
from .base import ScopedModelSerializer, StrictSerializer

RECORD_FIELDS = ["created_at", "updated_at", "voided_at", "void_reason"]


class ParticipationSerializer(ScopedModelSerializer):
    class Meta:
        model = Participation
        fields = ["id", "agency", "role", "staff_count"]
        read_only_fields = fields


class LocationSerializer(ScopedModelSerializer):
    class Meta:
        model = Location
        fields = [
            "id",
            "venue_name",
            "venue_type",
            "address",
            "city",
            "county",
            "state",
            "latitude",
            "longitude",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class OperationSerializer(ScopedModelSerializer):
    """An operation. Service providers (advocates) get the briefing only."""

    add_action = "operation.add"
    change_action = "operation.change"

    participations = ParticipationSerializer(many=True, read_only=True)
    locations = LocationSerializer(many=True, read_only=True, help_text="Not shown to service providers.")

    class Meta:
        model = Operation
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "trafficking_type",
            "status",
            "starts_at",
            "ends_at",
            "lead_agency",
            "summary",
            "expected_victims",
            "expected_genders",
            "expected_languages",
            "minors_expected",
            "briefing_notes",
            "participations",
            "locations",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["code", "status", *RECORD_FIELDS]
        extra_kwargs = {
            "lead_agency": {
                "required": False,
                "help_text": "Defaults to your agency; only the coordinator may choose another.",
            }
        }

    def validate_lead_agency(self, value):
        return self.own_agency_or_error("lead_agency", value)

    def prepare(self, obj, validated, creating):
        if creating and not obj.lead_agency_id:
            obj.lead_agency = self.agency
        if creating:
            obj.status = OperationStatus.PLANNED
            # The code is assigned here, not on save, because the record is validated first.
            obj.code = obj._next_code()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        allowed = access.operation_fields(self.user)
        if allowed is not None:
            keep = {"id", "participations", *allowed}
            data = {name: value for name, value in data.items() if name in keep}
        return data


class OperationMoveSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=OperationStatus.choices, help_text="The status to move to.")


class ParticipantAddSerializer(StrictSerializer):
    """An agency joining an operation (the lead agency is chosen on the operation itself)."""

    agency = ScopedPrimaryKeyRelatedField(model=Agency, help_text="An active agency not yet taking part.")
    role = serializers.ChoiceField(
        choices=[choice for choice in ParticipationRole.choices if choice[0] != ParticipationRole.LEAD],
        default=ParticipationRole.SUPPORT,
    )
    staff_count = serializers.IntegerField(
        min_value=0,
        max_value=5_000,
        required=False,
        allow_null=True,
        help_text="Staff taking part.",
        error_messages={"max_value": "Enter a staff count up to 5,000."},
    )

    def validate_agency(self, agency):
        if not agency.active:
            raise serializers.ValidationError("This agency is no longer active.")
        return agency


class LocationAddSerializer(StrictSerializer):
    """A place where the operation works."""

    venue_name = serializers.CharField(max_length=200)
    venue_type = serializers.ChoiceField(choices=Location._meta.get_field("venue_type").choices)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    county = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    state = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default="", help_text="Two-letter state code."
    )
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        min_value=-90,
        max_value=90,
        error_messages={"min_value": LATITUDE_MESSAGE, "max_value": LATITUDE_MESSAGE},
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        min_value=-180,
        max_value=180,
        error_messages={"min_value": LONGITUDE_MESSAGE, "max_value": LONGITUDE_MESSAGE},
    )
