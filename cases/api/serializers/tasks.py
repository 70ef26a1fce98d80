"""Tasks and follows: a task is made on one record (one of its record fields) and saved
through work.actions; a follow names the record followed."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from agencies.models import Agency
from cases import access
from work import actions as work
from work.models import FOLLOW_RECORD_FIELDS, TASK_RECORD_FIELDS, Follow, Task

from ..fields import ScopedPrimaryKeyRelatedField
from .base import ScopedModelSerializer, django_error_to_drf

ONE_RECORD = "Name exactly one record: {fields}."


class ChoosableUserField(ScopedPrimaryKeyRelatedField):
    """The person a task is for: one the policy offers the writer (access.choosable_users)."""

    def get_queryset(self):
        return access.choosable_users(self.context["request"].user)


def _one_record(attrs: dict, fields) -> tuple[str, object]:
    given = [(name, attrs[name]) for name in fields if attrs.get(name) is not None]
    if len(given) != 1:
        raise serializers.ValidationError({"non_field_errors": [ONE_RECORD.format(fields=", ".join(fields))]})
    return given[0]


class TaskSerializer(ScopedModelSerializer):
    """A task on one record, for one person (`assigned_user`) or one agency's queue (`assigned_agency`).

    The record is named once, when the task is made; status changes through done/ and cancel/.
    """

    add_action = "task.add"
    change_action = "task.change"

    assigned_user = ChoosableUserField(
        model=Task._meta.get_field("assigned_user").related_model,
        required=False,
        allow_null=True,
        help_text="The person the task is for: someone of your agency who can see the record.",
    )
    assigned_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        help_text="The agency whose queue the task goes to: your own (the coordinator: any).",
    )
    is_overdue = serializers.SerializerMethodField(help_text="Open and past its due date.")

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "notes",
            "due_date",
            "status",
            "assigned_user",
            "assigned_agency",
            *TASK_RECORD_FIELDS,
            "created_by",
            "closed_at",
            "source",
            "is_overdue",
            "created_at",
        ]
        read_only_fields = ["status", "created_by", "created_at", "closed_at", "source"]

    def get_is_overdue(self, task) -> bool:
        return task.is_overdue()

    def validate(self, attrs):
        if self.instance is None:
            _one_record(attrs, TASK_RECORD_FIELDS)
        elif any(name in attrs for name in TASK_RECORD_FIELDS):
            raise serializers.ValidationError({"non_field_errors": ["A task stays on its record."]})
        return attrs

    def _assignment(self, attrs: dict) -> dict:
        if "assigned_user" not in attrs and "assigned_agency" not in attrs:
            return {}
        user, agency = attrs.get("assigned_user"), attrs.get("assigned_agency")
        if (user is None) == (agency is None):
            raise serializers.ValidationError(
                {"assigned_user": ["Give the task to one person or to one agency's queue, not both."]}
            )
        return {"assigned_user": user, "assigned_agency": agency}

    def create(self, validated_data):
        field, record = _one_record(validated_data, TASK_RECORD_FIELDS)
        access.require(self.user, self.add_action, record)
        assignment = self._assignment(validated_data) or {"assigned_user": None, "assigned_agency": None}
        try:
            return work.create_task(
                self.user,
                record,
                title=validated_data["title"],
                notes=validated_data.get("notes", ""),
                due_date=validated_data.get("due_date"),
                **assignment,
            )
        except DjangoValidationError as exc:
            raise django_error_to_drf(exc) from exc

    def update(self, instance, validated_data):
        changes = {name: validated_data[name] for name in ("title", "notes", "due_date") if name in validated_data}
        try:
            return work.update_task(self.user, instance, **changes, **self._assignment(validated_data))
        except DjangoValidationError as exc:
            raise django_error_to_drf(exc) from exc


class FollowSerializer(ScopedModelSerializer):
    """A record you follow: name exactly one. Its changes show on My work."""

    add_action = "follow.add"

    class Meta:
        model = Follow
        fields = ["id", *FOLLOW_RECORD_FIELDS, "created_at", "seen_at"]
        read_only_fields = ["created_at", "seen_at"]

    def validate(self, attrs):
        _one_record(attrs, FOLLOW_RECORD_FIELDS)
        return attrs

    def create(self, validated_data):
        _field, record = _one_record(validated_data, FOLLOW_RECORD_FIELDS)
        return work.follow(self.user, record)


class MyWorkCountsSerializer(serializers.Serializer):
    my_tasks = serializers.IntegerField(help_text="Open tasks given to you.")
    queue_tasks = serializers.IntegerField(help_text="Open tasks in your agency's queue.")
    overdue_tasks = serializers.IntegerField(help_text="Of those, past their due date.")
    referrals_to_acknowledge = serializers.IntegerField(allow_null=True, help_text="Null for a role without referrals.")
    custody_receipts_to_confirm = serializers.IntegerField(
        allow_null=True, help_text="Null for a role without custody."
    )
    relief_requests_to_answer = serializers.IntegerField()
    followed_changes = serializers.IntegerField(help_text="Followed records changed by others since you last looked.")
