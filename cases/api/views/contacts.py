"""Contacts and service offers."""

from cases.filters import ContactFilterSet, ServiceOfferFilterSet
from cases.models import Contact, ServiceOffer

from ..serializers.contacts import ContactSerializer, ServiceOfferSerializer
from .base import ScopedViewSet, VoidMixin, WritableMixin

WRITABLE_METHODS = ["get", "post", "put", "patch", "head", "options"]


class ContactViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Encounters with people, in operations or as walk-ins."""

    model = Contact
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
    prefetch_related = ("indicators",)
    ordering_fields = ("occurred_at", "role", "outcome")
    ordering = ("-occurred_at",)
    http_method_names = WRITABLE_METHODS


class ServiceOfferViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Services offered to people, during a contact or under a referral."""

    model = ServiceOffer
    serializer_class = ServiceOfferSerializer
    filterset_class = ServiceOfferFilterSet
    ordering_fields = ("offered_at", "response", "delivered_at")
    ordering = ("-offered_at",)
    export_name = "service-offers"
    http_method_names = WRITABLE_METHODS
