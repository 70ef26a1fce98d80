"""Referrals and their workflow: each step is a POST action calling cases.actions.transition_referral."""

from __future__ import annotations

from functools import partial

from django.db.models import Prefetch

from cases import access, actions
from cases.filters import ReferralFilterSet
from cases.models import Referral, ReferralEvent
from cases.models.referrals import REFERRAL_TRANSITIONS

from ..serializers.referrals import (
    ReferralCloseSerializer,
    ReferralReasonSerializer,
    ReferralSendSerializer,
    ReferralSerializer,
    ReferralStepSerializer,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin, workflow_step

# One workflow step: the state must allow it (400), the role must (403), If-Match must hold.
_step = partial(
    workflow_step,
    "referral",
    "referral",
    REFERRAL_TRANSITIONS,
    lambda *args, **kwargs: actions.transition_referral(*args, **kwargs),
)


class ReferralViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Referrals sent or received by the user's agency (drafts stay with the sender)."""

    model = Referral
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet
    ordering_fields = ("created_at", "sent_at", "acknowledge_due_at", "status")
    ordering = ("-created_at",)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_prefetches(self):
        return [
            "service_types",
            Prefetch(
                "events", queryset=access.prefetch_children(ReferralEvent, self.request.user).order_by("at", "id")
            ),
        ]

    send = _step("send", ReferralSendSerializer, "Send a draft referral (consent needed, or an override reason)")
    acknowledge = _step("acknowledge", ReferralStepSerializer, "Acknowledge a referral sent to your agency")
    accept = _step("accept", ReferralStepSerializer, "Accept an acknowledged referral")
    decline = _step("decline", ReferralReasonSerializer, "Decline an acknowledged referral, with a reason")
    start_service = _step("start_service", ReferralStepSerializer, "Record that service has begun")
    close = _step("close", ReferralCloseSerializer, "Close the referral, saying how it ended")
    revoke = _step("revoke", ReferralReasonSerializer, "Revoke a sent referral, with a reason")
