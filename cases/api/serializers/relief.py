"""Immigration relief requests, their workflow steps and event history."""

from __future__ import annotations

from rest_framework import serializers

from agencies.limits import SHORT_TEXT
from cases.models import Investigation, ReliefEvent, ReliefRequest
from cases.models.investigations import investigations_of

from .base import ScopedModelSerializer, StrictSerializer
from .contacts import OWN_AGENCY_HELP
from .operations import RECORD_FIELDS


class ReliefEventSerializer(ScopedModelSerializer):
    class Meta:
        model = ReliefEvent
        fields = ["id", "action", "from_status", "to_status", "on", "recorded_at", "agency", "note"]
        read_only_fields = fields


class ReliefRequestSerializer(ScopedModelSerializer):
    """A request for Continued Presence, a T-visa declaration or a U-visa certification.

    Its status changes only through the workflow actions.
    """

    add_action = "relief.add"
    change_action = "relief.change"

    reference = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Not answered in time.")
    is_expiring = serializers.BooleanField(read_only=True, help_text="Granted, and running out soon.")
    events = ReliefEventSerializer(many=True, read_only=True)
    # Declared so the schema says it may be blank until a request is declined.
    decline_reason = serializers.CharField(read_only=True, allow_blank=True)

    class Meta:
        model = ReliefRequest
        fields = [
            "id",
            "reference",
            "person",
            "kind",
            "requested_by_agency",
            "requested_of_agency",
            "investigation",
            "consent",
            "consent_date",
            "status",
            "requested_on",
            "answer_due_on",
            "reviewed_on",
            "decided_on",
            "expires_on",
            "decline_reason",
            "renewal_of",
            "notes",
            "is_overdue",
            "is_expiring",
            "events",
            *RECORD_FIELDS,
        ]
        read_only_fields = [
            "status",
            "answer_due_on",
            "reviewed_on",
            "decided_on",
            "expires_on",
            "renewal_of",
            *RECORD_FIELDS,
        ]
        extra_kwargs = {
            "requested_by_agency": {"required": False, "help_text": OWN_AGENCY_HELP},
            "investigation": {"required": False, "help_text": "The investigation it is asked in, if you may see it."},
        }

    def validate_requested_by_agency(self, value):
        return self.own_agency_or_error("requested_by_agency", value)

    def validate_person(self, value):
        if self.instance is not None and value != self.instance.person:
            raise serializers.ValidationError("A request stays with its person; make a new one for someone else.")
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        person = attrs.get("person", getattr(self.instance, "person", None))
        investigation = attrs.get("investigation")
        if investigation is not None and person is not None:
            if not investigations_of(Investigation.objects.filter(pk=investigation.pk), person).exists():
                raise serializers.ValidationError(
                    {"investigation": [f"{person.reference} is not in {investigation.reference}."]}
                )
        return attrs

    def parent_for_add(self, validated):
        return validated.get("person")

    def prepare(self, obj, validated, creating):
        if creating and not obj.requested_by_agency_id:
            obj.requested_by_agency = self.agency


class ReliefStepSerializer(StrictSerializer):
    """review, expire, renew, withdraw: an optional note and the day it happened."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=SHORT_TEXT)
    on = serializers.DateField(required=False, help_text="The day of the step; today if left out.")


class ReliefGrantSerializer(ReliefStepSerializer):
    expires_on = serializers.DateField(
        required=False, help_text="When it runs out; Continued Presence: a year from the grant if left out."
    )


class ReliefDeclineSerializer(ReliefStepSerializer):
    reason = serializers.CharField(help_text="Why the request is declined.", max_length=SHORT_TEXT)
