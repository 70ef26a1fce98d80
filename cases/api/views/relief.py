"""Immigration relief requests and their workflow: each step is a POST action calling
cases.actions.transition_relief."""

from __future__ import annotations

from functools import partial

from django.db.models import Prefetch

from cases import access, actions
from cases.filters import ReliefRequestFilterSet
from cases.models import ReliefEvent, ReliefRequest
from cases.models.relief import RELIEF_TRANSITIONS

from ..serializers.relief import (
    ReliefDeclineSerializer,
    ReliefGrantSerializer,
    ReliefRequestSerializer,
    ReliefStepSerializer,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin, workflow_step

# One workflow step: the state must allow it (400), the role must (403), If-Match must hold.
_step = partial(
    workflow_step,
    "relief",
    "relief request",
    RELIEF_TRANSITIONS,
    lambda *args, **kwargs: actions.transition_relief(*args, **kwargs),
)


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
