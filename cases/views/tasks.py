"""Tasks on records: add (from the record's page), edit, done, cancel, the list; following a record.

Every write goes through work.actions (the policy's checks, "still visible to its writer").
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View

from cases.disclosure import label
from cases.forms.base import ScopedForm
from cases.models import CustodyHandoff, Person, Referral
from cases.templatetags.workflows import url_for
from work import actions as work
from work.filters import TaskFilterSet, overdue_first
from work.forms import TaskForm
from work.models import FOLLOW_RECORD_FIELDS, TASK_RECORD_FIELDS, Task, TaskStatus

from .base import MemberRequiredMixin, ScopedConfirmView, ScopedCreateView, ScopedListView, ScopedUpdateView, require
from .workflow_base import safe_next

TASK_SELECT = ("assigned_user", "assigned_agency", *TASK_RECORD_FIELDS)


def record_of(user, kind: str, pk: int, kinds: dict[str, str]):
    """The record a task or a follow is on, from the URL: 404 unless the user may see it."""
    label = kinds.get(kind)
    if label is None:
        raise Http404("No such record.")
    model = apps.get_model(label)
    return get_object_or_404(model.objects.visible_to(user), pk=pk)


def records_named(records) -> list:
    """The records whose printed label names a person (a person's reference, a referral's or a
    hand-off's): in the context, the access log records the people the page shows."""
    return [record for record in records if isinstance(record, (Person, Referral, CustodyHandoff))]


class TaskCreateView(ScopedCreateView):
    model = Task
    form_class = TaskForm
    action = "task.add"
    template_name = "work/task_form.html"
    nav_section = "tasks"

    def get_parent(self):
        return record_of(self.request.user, self.kwargs["target"], self.kwargs["pk"], TASK_RECORD_FIELDS)

    def save(self, form):
        data = form.cleaned_data
        return work.create_task(
            self.request.user,
            self.parent,
            title=data["title"],
            notes=data["notes"],
            due_date=data["due_date"],
            **form.assignment(),
        )

    def get_success_url(self):
        messages.success(self.request, "The task was added.")
        return safe_next(self.request, url_for(self.parent) + "#tasks")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(record=self.parent, record_url=url_for(self.parent), adding=True)
        return context


class TaskUpdateView(ScopedUpdateView):
    model = Task
    form_class = TaskForm
    action = "task.change"
    template_name = "work/task_form.html"
    nav_section = "tasks"
    select_related = TASK_SELECT

    def save(self, form):
        data = form.cleaned_data
        task = Task.objects.get(pk=self.object.pk)  # the form changed self.object in place
        return work.update_task(
            self.request.user,
            task,
            title=data["title"],
            notes=data["notes"],
            due_date=data["due_date"],
            **form.assignment(),
        )

    def get_success_url(self):
        messages.success(self.request, "The task was saved.")
        return url_for(self.object.record) + "#tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The task is the page's record; its record is printed by name only.
        record = self.object.record
        context.update(record_label=label(record), record_url=url_for(record), adding=False)
        context["records_named"] = records_named([record])
        return context


class TaskDoneView(MemberRequiredMixin, View):
    """Mark a task done: one button, no confirmation (it is undone by adding it again)."""

    def post(self, request, pk):
        task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
        require(request.user, "task.change", task)
        work.close_task(request.user, task)
        messages.success(request, f"Done: {task.title}.")
        return HttpResponseRedirect(safe_next(request, url_for(task.record) + "#tasks"))


class TaskCancelForm(ScopedForm):
    pass


class TaskCancelView(ScopedConfirmView):
    model = Task
    action = "task.change"
    form_class = TaskCancelForm
    confirm_title = "Cancel this task?"
    confirm_text = (
        "“{object.title}” will be closed as cancelled and leave everyone's list of work. It cannot be reopened."
    )
    confirm_label = "Yes, cancel the task"
    success_message = "The task was cancelled."

    def get_cancel_url(self) -> str:
        return url_for(self.object.record) + "#tasks"

    def perform(self, obj, form) -> None:
        work.cancel_task(self.request.user, obj)


class TaskListView(ScopedListView):
    model = Task
    filterset_class = TaskFilterSet
    template_name = "work/task_list.html"
    context_object_name = "tasks"
    nav_section = "tasks"
    select_related = TASK_SELECT

    def get_queryset(self):
        qs = super().get_queryset()
        if "status" not in self.request.GET:
            qs = qs.filter(status=TaskStatus.OPEN)
        return overdue_first(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_only"] = "status" not in self.request.GET
        context["records_named"] = records_named(task.record for task in context["tasks"])
        context["today"] = timezone.localdate()
        return context


class FollowView(MemberRequiredMixin, View):
    """Follow or stop following a record (POST), back to its page."""

    def post(self, request, target, pk):
        record = record_of(request.user, target, pk, FOLLOW_RECORD_FIELDS)
        if request.POST.get("follow") == "off":
            work.unfollow(request.user, record)
            messages.success(request, "You no longer follow this record.")
        else:
            try:
                work.follow(request.user, record)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "You follow this record: its changes show on My work.")
        return HttpResponseRedirect(safe_next(request, url_for(record)))
