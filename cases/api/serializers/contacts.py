"""Contacts (encounters) and the services offered to people."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Contact, ServiceOffer

from .base import ScopedModelSerializer
from .operations import RECORD_FIELDS

OWN_AGENCY_HELP = "Defaults to your agency; only the coordinator may record in another agency's name."


class ContactSerializer(ScopedModelSerializer):
    add_action = "contact.add"
    change_action = "contact.change"
    m2m_fields = ("indicators",)

    class Meta:
        model = Contact
        fields = [
            "id",
            "person",
            "operation",
            "location",
            "place",
            "occurred_at",
            "agency",
            "role",
            "age_group",
            "indicators",
            "outcome",
            "narrative",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["age_group", *RECORD_FIELDS]
        extra_kwargs = {"agency": {"required": False, "help_text": OWN_AGENCY_HELP}}

    def validate_agency(self, value):
        return self.own_agency_or_error("agency", value)

    def parent_for_add(self, validated):
        return validated.get("operation")

    def prepare(self, obj, validated, creating):
        if creating and not obj.agency_id:
            obj.agency = self.agency


class ServiceOfferSerializer(ScopedModelSerializer):
    add_action = "serviceoffer.add"
    change_action = "serviceoffer.change"

    class Meta:
        model = ServiceOffer
        fields = [
            "id",
            "person",
            "contact",
            "referral",
            "service_type",
            "offered_by",
            "offered_at",
            "response",
            "delivered_at",
            "provider",
            "notes",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["person", *RECORD_FIELDS]
        extra_kwargs = {"offered_by": {"required": False, "help_text": OWN_AGENCY_HELP}}

    def validate_offered_by(self, value):
        return self.own_agency_or_error("offered_by", value)

    def validate(self, attrs):
        if self.instance is None and not attrs.get("contact") and not attrs.get("referral"):
            raise serializers.ValidationError({"contact": ["An offer is made during a contact or under a referral."]})
        return attrs

    def parent_for_add(self, validated):
        return validated.get("contact") or validated.get("referral")

    def prepare(self, obj, validated, creating):
        if creating:
            if not obj.offered_by_id:
                obj.offered_by = self.agency
            source = obj.contact or obj.referral
            obj.person_id = source.person_id
