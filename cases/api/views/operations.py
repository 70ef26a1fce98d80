"""Operations, with participants and locations nested (each through the access policy)."""

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cases import access, actions
from cases.filters import OperationFilterSet
from cases.models import Location, Operation, Participation

from ..serializers.operations import OperationMoveSerializer, OperationSerializer
from .base import ScopedViewSet, VoidMixin, WritableMixin


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

    @extend_schema(request=OperationMoveSerializer, summary="Move the operation along planned → active → concluded → closed")
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
