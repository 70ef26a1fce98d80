"""People, shown in full or as the minimum a service provider may learn."""

from __future__ import annotations

from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from cases import access, merging, people_search
from cases.models import Person

from ..fields import MAX_ID
from .base import ScopedModelSerializer
from .operations import RECORD_FIELDS

CONFIRM_NEW = "confirm_new_person"
IDENTITY_FIELDS = {"legal_name", "date_of_birth", "estimated_age", "age_estimated_on", "gender"}


class PossibleDuplicates(APIException):
    """409: people already on record may be this one; nothing was saved."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "possible_duplicates"

    def __init__(self, candidates):
        # Kept as given: DRF would turn every value of an exception's detail into text.
        self.payload = {
            "detail": "These people are already on record with a name that sounds the same. Nothing was saved. "
            f"Use one of them, or send again with ?{CONFIRM_NEW}=true if this is another person.",
            "possible_duplicates": [
                {"id": c.person.pk, "reference": c.person.reference, "score": c.score, "reasons": c.reasons}
                for c in candidates
            ],
        }
        super().__init__(self.payload["detail"])


class PersonMergeRequestSerializer(serializers.Serializer):
    other = serializers.IntegerField(help_text="The id of the record merged into this one (it stays, pointing here).")
    take_from_other = serializers.ListField(
        child=serializers.ChoiceField(choices=merging.CHOOSABLE_FIELDS),
        required=False,
        default=list,
        help_text="The fields whose value comes from the other record; the others keep this record's.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class PersonMergeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    survivor = serializers.IntegerField(source="survivor_id")
    merged = serializers.IntegerField(source="merged_id")
    merged_at = serializers.DateTimeField()
    moved = serializers.JSONField()
    undone_at = serializers.DateTimeField(allow_null=True, read_only=True)


class PersonUnmergeRequestSerializer(serializers.Serializer):
    merge = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of the merge into this person to undo (from the merge's answer).",
    )


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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        self._refuse_possible_duplicates(attrs)
        return attrs

    def _refuse_possible_duplicates(self, attrs) -> None:
        """Before a person is recorded or renamed: is this one of the people already on record?"""
        request = self.context.get("request")
        if request is None or request.query_params.get(CONFIRM_NEW) == "true":
            return
        changed = IDENTITY_FIELDS & {k for k, v in attrs.items() if getattr(self.instance, k, None) != v}
        if self.instance is not None and not changed:
            return
        draft = Person(pk=getattr(self.instance, "pk", None))
        for name in IDENTITY_FIELDS:
            setattr(draft, name, attrs.get(name, getattr(self.instance, name, None) if self.instance else None))
        draft.gender = draft.gender or "unknown"
        draft.legal_name = draft.legal_name or ""
        found = people_search.candidates_for(Person.objects.visible_to(self.user), draft)
        if found:
            raise PossibleDuplicates(found)

    def prepare(self, obj, validated, creating):
        if creating:
            obj.created_by_agency = self.agency

    def to_representation(self, instance):
        data = super().to_representation(instance)
        keep = access.visible_person_fields(self.user, instance) | {"id"}
        return {name: value for name, value in data.items() if name in keep}
