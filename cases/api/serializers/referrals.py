"""Referrals to partner agencies, their workflow steps and event history."""

from __future__ import annotations

from rest_framework import serializers

from agencies.limits import SHORT_TEXT
from cases.models import Referral, ReferralClosure, ReferralEvent

from .base import ScopedModelSerializer, StrictSerializer
from .contacts import OWN_AGENCY_HELP
from .operations import RECORD_FIELDS


class ReferralEventSerializer(ScopedModelSerializer):
    class Meta:
        model = ReferralEvent
        fields = ["id", "action", "from_status", "to_status", "at", "agency", "note"]
        read_only_fields = fields


class ReferralSerializer(ScopedModelSerializer):
    """A referral. Its status changes only through the workflow actions."""

    add_action = "referral.add"
    change_action = "referral.change"
    m2m_fields = ("service_types",)

    reference = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, help_text="Sent and not acknowledged in time.")
    events = ReferralEventSerializer(many=True, read_only=True)
    # Declared so the schema says it may be blank until the referral is closed.
    closure = serializers.ChoiceField(choices=ReferralClosure.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "person",
            "contact",
            "from_agency",
            "to_agency",
            "service_types",
            "reason",
            "status",
            "consent",
            "consent_date",
            "consent_override_reason",
            "sent_at",
            "acknowledge_due_at",
            "acknowledged_at",
            "decline_reason",
            "closure",
            "closed_at",
            "is_overdue",
            "events",
            *RECORD_FIELDS,
        ]
        read_only_fields = [
            "status",
            "consent_override_reason",
            "sent_at",
            "acknowledge_due_at",
            "acknowledged_at",
            "decline_reason",
            "closure",
            "closed_at",
            *RECORD_FIELDS,
        ]
        extra_kwargs = {
            "from_agency": {"required": False, "help_text": OWN_AGENCY_HELP},
            "person": {"required": False, "help_text": "Taken from the contact when one is given."},
        }

    def validate_from_agency(self, value):
        return self.own_agency_or_error("from_agency", value)

    def validate(self, attrs):
        if self.instance is None and not attrs.get("person") and not attrs.get("contact"):
            raise serializers.ValidationError(
                {"person": ["Choose the person referred, or the contact the referral came out of."]}
            )
        return attrs

    def parent_for_add(self, validated):
        return validated.get("contact") or validated.get("person")

    def prepare(self, obj, validated, creating):
        if creating:
            if not obj.from_agency_id:
                obj.from_agency = self.agency
            if not obj.person_id and obj.contact_id:
                obj.person_id = obj.contact.person_id


class ReferralStepSerializer(StrictSerializer):
    """acknowledge, accept, start-service: an optional note."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=SHORT_TEXT)


class ReferralSendSerializer(ReferralStepSerializer):
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=SHORT_TEXT,
        help_text="Send without the person's consent, for this reason (needs the consent-override permission).",
    )


class ReferralReasonSerializer(ReferralStepSerializer):
    """decline and revoke: a reason is required."""

    reason = serializers.CharField(help_text="Why the referral is declined or revoked.", max_length=SHORT_TEXT)


class ReferralCloseSerializer(ReferralStepSerializer):
    closure = serializers.ChoiceField(choices=ReferralClosure.choices, help_text="How the referral ended.")
