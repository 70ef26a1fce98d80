"""People: full records, or the minimum a service provider may learn."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cases import access, merging, people_search
from cases.filters import PersonFilterSet
from cases.models import Person, PersonMerge

from ..serializers.people import (
    CONFIRM_NEW,
    PersonMergeRequestSerializer,
    PersonMergeSerializer,
    PersonSerializer,
    PersonUnmergeRequestSerializer,
    PossibleDuplicates,
)
from .base import ScopedViewSet, VoidMixin, WritableMixin

_CONFIRM = OpenApiParameter(
    CONFIRM_NEW,
    bool,
    description="true: record or rename the person even though people with a name that sounds the same are on record.",
)
_DUPLICATES = OpenApiResponse(description="Possible duplicates: people on record who may be this one; nothing saved.")

# What a user with the minimum view of people may filter and order by: nothing they may not read.
MINIMUM_VIEW_PARAMS = {"q", "age_group", "ordering", "cursor", "page_size", "format", "raw"}
MINIMUM_VIEW_ORDERING = {"reference", "legal_name", "age_group"}


@extend_schema_view(
    create=extend_schema(parameters=[_CONFIRM], responses={201: PersonSerializer, 409: _DUPLICATES}),
    update=extend_schema(parameters=[_CONFIRM], responses={200: PersonSerializer, 409: _DUPLICATES}),
    partial_update=extend_schema(parameters=[_CONFIRM], responses={200: PersonSerializer, 409: _DUPLICATES}),
)
class PersonViewSet(WritableMixin, VoidMixin, ScopedViewSet):
    """People in the user's scope. Advocates get the minimum of people their agency did not record."""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    prefetch_related = ("vulnerabilities",)
    ordering_fields = ("reference", "legal_name", "age_group", "created_at")
    ordering = ("reference",)
    export_name = "people"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def handle_exception(self, exc):
        if isinstance(exc, PossibleDuplicates):
            return Response(exc.payload, status=exc.status_code)
        return super().handle_exception(exc)

    def filter_queryset(self, queryset):
        params = self.request.query_params
        if access.person_fields(self.request.user) is not None:
            refused = sorted(set(params) - MINIMUM_VIEW_PARAMS)
            ordering = {term.strip().lstrip("-") for term in params.get("ordering", "").split(",") if term.strip()}
            if ordering - MINIMUM_VIEW_ORDERING:
                refused.append("ordering")
            if refused:
                raise ValidationError({name: ["You cannot filter or sort people by this."] for name in refused})
        age = params.get("age")
        if age not in (None, ""):
            try:
                valid = 0 <= float(age) <= 130
            except ValueError:
                valid = False
            if not valid:
                raise ValidationError({"age": ["Enter an age from 0 to 130."]})
        return super().filter_queryset(queryset)

    def export_columns(self):
        columns = super().export_columns()
        allowed = access.visible_person_fields(self.request.user)
        return [c for c in columns if c == "id" or c in allowed]

    @extend_schema(
        request=PersonMergeRequestSerializer,
        responses={201: PersonMergeSerializer},
        summary="Merge another record of the same person into this one (supervisors and the coordinator)",
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        with transaction.atomic():
            survivor = self.locked_object()
            access.require(request.user, "person.merge", survivor)
            self.check_if_match(request, survivor)
            body = PersonMergeRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            other = get_object_or_404(Person.objects.visible_to(request.user), pk=body.validated_data["other"])
            merge = merging.merge_people(
                request.user,
                survivor,
                other,
                take_from_other=body.validated_data["take_from_other"],
                reason=body.validated_data["reason"],
            )
        return Response(PersonMergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PersonUnmergeRequestSerializer,
        responses={200: PersonMergeSerializer},
        summary="Undo a merge into this person: every moved record goes back (the coordinator only, once)",
    )
    @action(detail=True, methods=["post"], url_path="undo-merge", url_name="undo-merge")
    def undo_merge(self, request, *args, **kwargs):
        with transaction.atomic():
            survivor = self.locked_object()
            access.require(request.user, "person.unmerge")
            self.check_if_match(request, survivor)
            body = PersonUnmergeRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            merge = get_object_or_404(
                PersonMerge.objects.visible_to(request.user), pk=body.validated_data["merge"], survivor=survivor
            )
            merge = merging.undo_merge(request.user, merge)
        return Response(PersonMergeSerializer(merge).data)

    @extend_schema(
        responses={200: OpenApiResponse(description="People on record who may be this one, best first.")},
        summary="Possible duplicates of this person, among the people you can see",
    )
    @action(detail=True, methods=["get"], url_path="possible-duplicates", url_name="possible-duplicates")
    def possible_duplicates(self, request, *args, **kwargs):
        person = self.get_object()
        visible = Person.objects.visible_to(request.user)
        found = (
            people_search.candidates_for(visible, person) if access.person_fields(request.user, person) is None else []
        )
        return Response(
            [
                {"id": c.person.pk, "reference": c.person.reference, "score": c.score, "reasons": c.reasons}
                for c in found
            ]
        )
