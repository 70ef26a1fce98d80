"""The directory of agencies and the editable catalogues (read by every member)."""

from rest_framework import serializers

from agencies.models import Agency
from cases.models import Indicator, ServiceType, VulnerabilityFactor

from .base import ScopedModelSerializer


class AgencySerializer(ScopedModelSerializer):
    add_action = "agency.manage"
    change_action = "agency.manage"
    m2m_fields = ("services",)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "level",
            "jurisdiction",
            "address",
            "phone",
            "email",
            "website",
            "services",
            "active",
        ]


class ServiceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceType
        fields = ["id", "code", "name", "description", "order", "active"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "category", "description", "order", "active"]


class VulnerabilityFactorSerializer(serializers.ModelSerializer):
    class Meta:
        model = VulnerabilityFactor
        fields = ["id", "code", "name", "description", "order", "active"]
