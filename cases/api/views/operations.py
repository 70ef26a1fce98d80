"""Operations, with participants and locations nested (each through the access policy)."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cases import access, actions, operation_actions
from cases.filters import OperationFilterSet
from cases.models import Location, Operation, Participation

from ..serializers.operations import (
    LocationAddSerializer,
    OperationMoveSerializer,
    OperationSerializer,
    ParticipantAddSerializer,
)
from .base import ScopedViewSet, VoidMixin, VoidSerializer, WritableMixin


class OperationViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Operations the user's agency takes part in (all, for the coordinator).

    Service providers get the briefing only: no summary and no locations.
    """

    model = Operation
    serializer_class = OperationSerializer
    filterset_class = OperationFilterSet
    ordering_fields = ("starts_at", "code", "name", "status")
    ordering = ("-starts_at",)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_prefetches(self):
        user = self.request.user
        return [
            Prefetch("participations", queryset=Participation.objects.visible_to(user).order_by("id")),
            Prefetch("locations", queryset=Location.objects.visible_to(user).order_by("venue_name", "id")),
        ]

    def export_columns(self):
        columns = super().export_columns()
        allowed = access.operation_fields(self.request.user)
        return columns if allowed is None else [c for c in columns if c == "id" or c in allowed]

    @extend_schema(
        request=OperationMoveSerializer, summary="Move the operation along planned → active → concluded → closed"
    )
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        with transaction.atomic():
            operation = self.locked_object()
            access.require(request.user, "operation.change", operation)
            self.check_if_match(request, operation)
            body = OperationMoveSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            actions.move_operation(request.user, operation, body.validated_data["status"])
        return self.detail_response(self.fresh(operation))

    # --- who takes part and where: the same domain actions as the browser's pages ---------

    def _changing(self, request):
        """The operation, locked, once the user may change it and If-Match (if sent) holds."""
        operation = self.locked_object()
        access.require(request.user, "operation.change", operation)
        self.check_if_match(request, operation)
        return operation

    def _part_of(self, operation, model, pk):
        """A participation or location of this operation the user sees, else 404."""
        try:
            return model.objects.visible_to(self.request.user).get(operation=operation, pk=int(pk))
        except (ValueError, model.DoesNotExist):
            raise Http404 from None

    @extend_schema(
        request=ParticipantAddSerializer, responses={201: OperationSerializer}, summary="Add a participating agency"
    )
    @action(detail=True, methods=["post"], url_path="participants", url_name="participants")
    def add_participant(self, request, *args, **kwargs):
        with transaction.atomic():
            operation = self._changing(request)
            body = ParticipantAddSerializer(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            operation_actions.add_participant(request.user, operation, Participation(**body.validated_data))
        return self.detail_response(self.fresh(operation), status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        summary="Remove a participating agency (not the lead)",
        parameters=[OpenApiParameter("participation_pk", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"participants/(?P<participation_pk>[^/.]+)/remove",
        url_name="participant-remove",
    )
    def remove_participant(self, request, participation_pk, *args, **kwargs):
        with transaction.atomic():
            operation = self._changing(request)
            participation = self._part_of(operation, Participation, participation_pk)
            operation_actions.remove_participant(request.user, participation)
        return self.detail_response(self.fresh(operation))

    @extend_schema(request=LocationAddSerializer, responses={201: OperationSerializer}, summary="Add a location")
    @action(detail=True, methods=["post"], url_path="locations", url_name="locations")
    def add_location(self, request, *args, **kwargs):
        with transaction.atomic():
            operation = self._changing(request)
            body = LocationAddSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            operation_actions.add_location(request.user, operation, Location(**body.validated_data))
        return self.detail_response(self.fresh(operation), status.HTTP_201_CREATED)

    @extend_schema(
        request=VoidSerializer,
        summary="Remove a location (voided with a reason: contacts may name it)",
        parameters=[OpenApiParameter("location_pk", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True, methods=["post"], url_path=r"locations/(?P<location_pk>[^/.]+)/remove", url_name="location-remove"
    )
    def remove_location(self, request, location_pk, *args, **kwargs):
        with transaction.atomic():
            operation = self._changing(request)
            location = self._part_of(operation, Location, location_pk)
            body = VoidSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            operation_actions.remove_location(request.user, location, body.validated_data["reason"])
        return self.detail_response(self.fresh(operation))
