"""People, shown in full or as the minimum a service provider may learn."""

from __future__ import annotations

from cases import access
from cases.models import Person

from .base import ScopedModelSerializer
from .operations import RECORD_FIELDS


class PersonSerializer(ScopedModelSerializer):
    """A person. Advocates see only the minimum of people their agency did not record."""

    add_action = "person.add"
    change_action = "person.change"
    m2m_fields = ("vulnerabilities",)

    class Meta:
        model = Person
        fields = [
            "id",
            "reference",
            "legal_name",
            "aliases",
            "date_of_birth",
            "estimated_age",
            "age_estimated_on",
            "age_group",
            "is_minor",
            "gender",
            "citizenship",
            "languages",
            "interpreter_needed",
            "vulnerabilities",
            "phone",
            "email",
            "safe_contact_notes",
            "created_by_agency",
            *RECORD_FIELDS,
        ]
        read_only_fields = ["reference", "age_group", "is_minor", "created_by_agency", *RECORD_FIELDS]

    def prepare(self, obj, validated, creating):
        if creating:
            obj.created_by_agency = self.agency

    def to_representation(self, instance):
        data = super().to_representation(instance)
        keep = access.visible_person_fields(self.user, instance) | {"id"}
        return {name: value for name, value in data.items() if name in keep}
