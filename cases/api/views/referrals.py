"""Referrals and their workflow: each step is a POST action calling cases.actions.transition_referral."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

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
from .base import ScopedViewSet, VoidMixin, WritableMixin


def _step(name: str, body_class, summary: str):
    """One workflow action: the state must allow it (400), the role must (403)."""

    def step(self, request, *args, **kwargs):
        with transaction.atomic():
            referral = self.locked_object()
            body = body_class(data=request.data)
            body.is_valid(raise_exception=True)
            if name not in referral.allowed_actions():
                verb = REFERRAL_TRANSITIONS[name][2]
                state = "void" if referral.is_voided else referral.get_status_display().lower()
                raise ValidationError({"status": [f"A referral that is {state} cannot be {verb}."]})
            access.require(request.user, f"referral.{name}", referral)
            self.check_if_match(request, referral)
            actions.transition_referral(request.user, referral, name, **body.validated_data)
        return self.detail_response(self.fresh(referral))

    step.__name__ = name
    step = action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name.replace("_", "-"))(step)
    return extend_schema(request=body_class, summary=summary)(step)


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
