"""Investigations: the agencies working them and the people in them, closing and reopening."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from cases import access
from cases import investigation_actions as steps
from cases.filters import InvestigationFilterSet
from cases.models import (
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    InvestigationStatus,
    Operation,
)

from ..serializers.investigations import (
    InvestigationAgencyAddSerializer,
    InvestigationCloseSerializer,
    InvestigationPersonAddSerializer,
    InvestigationSerializer,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin


class InvestigationViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """Investigations the user's agency leads, works on or was referred for prosecution (all, for the coordinator).

    Service providers and child welfare see none. Its prosecutions: /prosecutions/?investigation=<id>.
    """

    model = Investigation
    serializer_class = InvestigationSerializer
    filterset_class = InvestigationFilterSet
    ordering_fields = ("opened_on", "reference", "title", "status")
    ordering = ("-opened_on",)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_prefetches(self):
        user = self.request.user
        return [
            Prefetch("agencies", queryset=access.prefetch_children(InvestigationAgency, user).order_by("role", "id")),
            Prefetch("people", queryset=access.prefetch_children(InvestigationPerson, user).order_by("role", "id")),
            Prefetch("operations", queryset=Operation.objects.only("pk").order_by("pk")),
            Prefetch("detentions", queryset=Detention.objects.only("pk", "investigation_id").order_by("pk")),
        ]

    def _changing(self, request, action_name: str = "investigation.change", closed: bool = False):
        """The investigation, locked, once its state allows the step (400), the user may take it (403)
        and If-Match holds (428/412)."""
        investigation = self.locked_object()
        if closed != (investigation.status == InvestigationStatus.CLOSED):
            needed = (
                "Only a closed investigation is reopened." if closed else "A closed investigation is reopened first."
            )
            raise ValidationError({"status": [needed]})
        access.require(request.user, action_name, investigation)
        self.check_if_match(request, investigation)
        return investigation

    def _part_of(self, investigation, model, pk):
        return self._linked(model.objects.filter(investigation=investigation), pk)

    def _linked(self, records, pk):
        """One of these records (of the investigation), if the user may see it; else 404."""
        try:
            return records.visible_to(self.request.user).get(pk=int(pk))
        except (ValueError, records.model.DoesNotExist):
            raise Http404 from None

    @extend_schema(request=InvestigationCloseSerializer, summary="Close the investigation, with its reason")
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            body = InvestigationCloseSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
            steps.close_investigation(
                request.user,
                investigation,
                data["closing_reason"],
                note=data["closing_note"],
                closed_on=data.get("closed_on"),
            )
        return self.detail_response(self.fresh(investigation))

    @extend_schema(request=None, summary="Reopen a closed investigation")
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request, "investigation.reopen", closed=True)
            steps.reopen_investigation(request.user, investigation)
        return self.detail_response(self.fresh(investigation))

    @extend_schema(
        request=InvestigationAgencyAddSerializer,
        responses={201: InvestigationSerializer},
        summary="Add an agency working on it, or refer it for prosecution (role prosecution)",
    )
    @action(detail=True, methods=["post"], url_path="agencies", url_name="agencies")
    def add_agency(self, request, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            body = InvestigationAgencyAddSerializer(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            steps.join_investigation(request.user, investigation, **body.validated_data)
        return self.detail_response(self.fresh(investigation), status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        summary="Remove an agency (not the lead)",
        parameters=[OpenApiParameter("agency_pk", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"agencies/(?P<agency_pk>[^/.]+)/remove", url_name="agency-remove")
    def remove_agency(self, request, agency_pk, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            row = self._part_of(investigation, InvestigationAgency, agency_pk)
            steps.remove_agency(request.user, row)
        return self.detail_response(self.fresh(investigation))

    @extend_schema(
        request=InvestigationPersonAddSerializer,
        responses={201: InvestigationSerializer},
        summary="Add a person (suspect, victim, witness or other)",
    )
    @action(detail=True, methods=["post"], url_path="people", url_name="people")
    def add_person(self, request, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            body = InvestigationPersonAddSerializer(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            steps.add_person(request.user, investigation, **body.validated_data)
        return self.detail_response(self.fresh(investigation), status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        summary="Remove a person from it",
        parameters=[OpenApiParameter("person_pk", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"people/(?P<person_pk>[^/.]+)/remove", url_name="person-remove")
    def remove_person(self, request, person_pk, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            row = self._part_of(investigation, InvestigationPerson, person_pk)
            steps.remove_person(request.user, row)
        return self.detail_response(self.fresh(investigation))

    @extend_schema(
        request=None,
        summary="Unlink an operation it came from (the operation itself stays)",
        parameters=[OpenApiParameter("operation_pk", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"operations/(?P<operation_pk>[^/.]+)/unlink",
        url_name="operation-unlink",
    )
    def unlink_operation(self, request, operation_pk, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            operation = self._linked(Operation.objects.filter(investigations=investigation), operation_pk)
            steps.unlink_operation(request.user, investigation, operation)
        return self.detail_response(self.fresh(investigation))

    @extend_schema(
        request=None,
        summary="Unlink an arrest or detention (the detention itself stays)",
        parameters=[OpenApiParameter("detention_pk", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"detentions/(?P<detention_pk>[^/.]+)/unlink",
        url_name="detention-unlink",
    )
    def unlink_detention(self, request, detention_pk, *args, **kwargs):
        with transaction.atomic():
            investigation = self._changing(request)
            detention = self._linked(Detention.objects.filter(investigation=investigation), detention_pk)
            steps.unlink_detention(request.user, detention)
        return self.detail_response(self.fresh(investigation))
