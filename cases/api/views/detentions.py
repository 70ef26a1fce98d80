"""Detentions and arrests with their charges (never shown to service providers or child welfare)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cases import access
from cases.filters import DetentionFilterSet
from cases.models import Charge, Detention

from ..serializers.detentions import ChargeSerializer, DetentionSerializer
from .base import ScopedViewSet, VoidMixin, WritableMixin


class DetentionViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    model = Detention
    serializer_class = DetentionSerializer
    filterset_class = DetentionFilterSet
    ordering_fields = ("detained_at", "outcome")
    ordering = ("-detained_at",)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_prefetches(self):
        return [Prefetch("charges", queryset=access.prefetch_children(Charge, self.request.user).order_by("id"))]

    @extend_schema(
        request=ChargeSerializer, responses={201: DetentionSerializer}, summary="Add a charge to the detention"
    )
    @action(detail=True, methods=["post"])
    def charges(self, request, *args, **kwargs):
        with transaction.atomic():
            detention = self.locked_object()
            access.require(request.user, "detention.change", detention)
            self.check_if_match(request, detention)
            body = ChargeSerializer(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            charge = Charge(detention=detention, **body.validated_data)
            charge.full_clean()
            charge.save()
        return self.detail_response(self.fresh(detention), status.HTTP_201_CREATED)
