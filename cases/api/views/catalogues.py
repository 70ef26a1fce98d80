"""The agency directory and the catalogues: read by every member; agencies managed by the coordinator."""

from agencies.models import Agency
from cases.filters import AgencyFilterSet, ServiceTypeFilterSet, StatuteFilterSet
from cases.models import Indicator, ServiceType, Statute, VulnerabilityFactor

from ..serializers.catalogues import (
    AgencySerializer,
    IndicatorSerializer,
    ServiceTypeSerializer,
    VulnerabilityFactorSerializer,
)
from ..serializers.prosecutions import StatuteSerializer
from .base import ScopedViewSet, WritableMixin


class AgencyViewSet(WritableMixin, ScopedViewSet):
    """Agencies of the task force. Only the coordinator adds or changes them."""

    model = Agency
    person_level = False
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet
    prefetch_related = ("services",)
    ordering_fields = ("name", "short_name", "kind", "level")
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ServiceTypeViewSet(ScopedViewSet):
    """Services that can be offered: food, shelter, medical care… (read-only here; edited in the admin)."""

    model = ServiceType
    person_level = False
    serializer_class = ServiceTypeSerializer
    filterset_class = ServiceTypeFilterSet
    ordering_fields = ("order", "name", "code")


class IndicatorViewSet(ScopedViewSet):
    """Trafficking indicators that can be observed during a contact."""

    model = Indicator
    person_level = False
    serializer_class = IndicatorSerializer
    filterset_fields = ("category", "active")
    ordering_fields = ("order", "name", "code")


class VulnerabilityFactorViewSet(ScopedViewSet):
    """Circumstances that make a person more vulnerable to trafficking."""

    model = VulnerabilityFactor
    person_level = False
    serializer_class = VulnerabilityFactorSerializer
    filterset_fields = ("active",)
    ordering_fields = ("order", "name", "code")


class StatuteViewSet(ScopedViewSet):
    """Offences a count may cite: Missouri RSMo 566 and 567, 18 U.S.C. 1589–1594 and 2421–2423."""

    model = Statute
    person_level = False
    serializer_class = StatuteSerializer
    filterset_class = StatuteFilterSet
    ordering_fields = ("order", "citation", "name")
