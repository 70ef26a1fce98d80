"""Protective-custody hand-offs: created once, then moved on by hand-over, acknowledgement and events."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cases import access, actions
from cases.filters import CustodyHandoffFilterSet
from cases.models import CustodyEvent, CustodyHandoff

from ..serializers.custody import (
    AcknowledgeCustodySerializer,
    CustodyEventInputSerializer,
    CustodyHandoffSerializer,
    HandOverSerializer,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin


class CustodyHandoffViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Children in protective custody and their hand-off to child welfare. The chain of custody is append-only."""

    model = CustodyHandoff
    serializer_class = CustodyHandoffSerializer
    filterset_class = CustodyHandoffFilterSet
    ordering_fields = ("taken_at", "handed_over_at", "acknowledged_at")
    ordering = ("-taken_at",)
    export_name = "custody-handoffs"
    # A hand-off changes only through its actions, never by PUT or PATCH.
    http_method_names = ["get", "post", "head", "options"]

    def get_prefetches(self):
        return [
            Prefetch("events", queryset=access.prefetch_children(CustodyEvent, self.request.user).order_by("at", "id"))
        ]

    @extend_schema(request=HandOverSerializer, summary="Record that the child was handed to the receiving agency")
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over")
    def hand_over(self, request, *args, **kwargs):
        with transaction.atomic():
            handoff = self.locked_object()
            access.require(request.user, "custody.hand_over", handoff)
            self.check_if_match(request, handoff)
            body = HandOverSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            actions.hand_over_child(request.user, handoff, at=body.validated_data.get("at"))
        return self.detail_response(self.fresh(handoff))

    @extend_schema(request=AcknowledgeCustodySerializer, summary="Acknowledge receipt of the child (receiving agency)")
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        with transaction.atomic():
            handoff = self.locked_object()
            access.require(request.user, "custody.acknowledge", handoff)
            self.check_if_match(request, handoff)
            body = AcknowledgeCustodySerializer(data=request.data)
            body.is_valid(raise_exception=True)
            actions.acknowledge_custody(request.user, handoff, note=body.validated_data["note"])
        return self.detail_response(self.fresh(handoff))

    @extend_schema(
        request=CustodyEventInputSerializer,
        responses={201: CustodyHandoffSerializer},
        summary="Add an event to the chain of custody",
    )
    @action(detail=True, methods=["post"])
    def events(self, request, *args, **kwargs):
        with transaction.atomic():
            handoff = self.locked_object()
            access.require(request.user, "custody.add_event", handoff)
            self.check_if_match(request, handoff)
            body = CustodyEventInputSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            actions.add_custody_event(request.user, handoff, **body.validated_data)
        return self.detail_response(self.fresh(handoff), status.HTTP_201_CREATED)
