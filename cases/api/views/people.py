"""People: full records, or the minimum a service provider may learn."""

from rest_framework.exceptions import ValidationError

from cases import access
from cases.filters import PersonFilterSet
from cases.models import Person

from ..serializers.people import PersonSerializer
from .base import ScopedViewSet, VoidMixin, WritableMixin

# What a user with the minimum view of people may filter and order by: nothing they may not read.
MINIMUM_VIEW_PARAMS = {"q", "age_group", "ordering", "cursor", "page_size", "format", "raw"}
MINIMUM_VIEW_ORDERING = {"reference", "legal_name", "age_group"}


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
