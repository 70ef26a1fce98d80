"""Immigration relief requests and their workflow: each step is a POST action calling
cases.lifecycle_actions.transition_relief."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from cases import access, lifecycle_actions
from cases.filters import ReliefRequestFilterSet
from cases.models import ReliefEvent, ReliefRequest
from cases.models.relief import RELIEF_TRANSITIONS

from ..serializers.relief import (
    ReliefDeclineSerializer,
    ReliefGrantSerializer,
    ReliefRequestSerializer,
    ReliefStepSerializer,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin


def _step(name: str, body_class, summary: str):
    """One workflow step: the state must allow it (400), the role must (403), If-Match must hold."""

    def step(self, request, *args, **kwargs):
        with transaction.atomic():
            relief = self.locked_object()
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            if name not in relief.allowed_actions():
                verb = RELIEF_TRANSITIONS[name][2]
                state = "void" if relief.is_voided else relief.get_status_display().lower()
                raise ValidationError({"status": [f"A relief request that is {state} cannot be {verb}."]})
            access.require(request.user, f"relief.{name}", relief)
            self.check_if_match(request, relief)
            lifecycle_actions.transition_relief(request.user, relief, name, **body.validated_data)
        return self.detail_response(self.fresh(relief))

    step.__name__ = name
    step = action(detail=True, methods=["post"], url_path=name, url_name=name)(step)
    return extend_schema(request=body_class, summary=summary)(step)


class ReliefRequestViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Relief requests asked of the user's agency, made by it, in its investigations or for its clients."""

    model = ReliefRequest
    serializer_class = ReliefRequestSerializer
    filterset_class = ReliefRequestFilterSet
    ordering_fields = ("requested_on", "answer_due_on", "expires_on", "status")
    ordering = ("-requested_on",)
    export_name = "relief-requests"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_prefetches(self):
        return [
            Prefetch("events", queryset=access.prefetch_children(ReliefEvent, self.request.user).order_by("on", "id")),
        ]

    review = _step("review", ReliefStepSerializer, "Put the request under review (the agency asked)")
    grant = _step("grant", ReliefGrantSerializer, "Sign or grant it (the agency asked)")
    decline = _step("decline", ReliefDeclineSerializer, "Decline it, with a reason (the agency asked)")
    expire = _step("expire", ReliefStepSerializer, "Mark granted relief expired (the agency asked)")
    renew = _step("renew", ReliefStepSerializer, "Renew granted relief: a new request follows (the agency asking)")
    withdraw = _step("withdraw", ReliefStepSerializer, "Withdraw an open request (the agency asking)")
