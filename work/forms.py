"""A task: what, when, and for whom (one person or one agency's queue)."""

from __future__ import annotations

from django import forms

from agencies.models import Membership
from cases import access
from cases.forms.base import DateInput, ScopedModelForm

from .models import Task

PERSON, QUEUE = "user", "agency"


def assignee_choices(user) -> list:
    """The people and queues the policy lets this user give a task to, grouped."""
    people = (
        access.choosable_users(user)
        .filter(pk__in=Membership.objects.current().values("user_id"))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    queues = access.task_queues(user).order_by("short_name")
    return [
        ("", "Choose a person or a queue"),
        ("Agency queues", [(f"{QUEUE}:{a.pk}", f"{a.short_name} queue — anyone in {a.name}") for a in queues]),
        ("People", [(f"{PERSON}:{u.pk}", u.get_full_name() or u.username) for u in people]),
    ]


class TaskForm(ScopedModelForm):
    assignee = forms.ChoiceField(
        label="For",
        help_text="One person, or an agency's queue that anyone there may pick up. "
        "The person must be able to see the record.",
        error_messages={"required": "Choose who the task is for."},
    )

    class Meta:
        model = Task
        fields = ["title", "notes", "due_date"]
        labels = {"title": "Task", "due_date": "Due date (optional)"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}
        error_messages = {"title": {"required": "Say what needs doing."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = assignee_choices(self.user)
        task = self.instance
        if task.assigned_user_id:
            self.initial.setdefault("assignee", f"{PERSON}:{task.assigned_user_id}")
        elif task.assigned_agency_id:
            self.initial.setdefault("assignee", f"{QUEUE}:{task.assigned_agency_id}")
        self.order_fields(["title", "assignee", "due_date", "notes"])
        self._style_fields()

    def _post_clean(self):
        # The model checks one assignee is set: give the instance the chosen one first. With no
        # valid choice the form is already refused, saying so on the field.
        if "assignee" not in self.cleaned_data:
            return
        for name, value in self.assignment().items():
            setattr(self.instance, name, value)
        super()._post_clean()

    def assignment(self) -> dict:
        """The chosen assignee as the task's fields (assigned_user / assigned_agency)."""
        kind, _, pk = self.cleaned_data["assignee"].partition(":")
        if kind == PERSON:
            return {"assigned_user": access.choosable_users(self.user).get(pk=pk), "assigned_agency": None}
        return {"assigned_user": None, "assigned_agency": access.task_queues(self.user).get(pk=pk)}
