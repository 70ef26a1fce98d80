"""The task list's filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone

from agencies.roles import membership_of

from .models import Task, TaskStatus


class Holder:
    MINE = "mine"
    QUEUE = "queue"
    GIVEN = "given"
    CHOICES = [(MINE, "Given to me"), (QUEUE, "My agency's queue"), (GIVEN, "Given out by me")]


def overdue(today=None) -> Q:
    return Q(status=TaskStatus.OPEN, due_date__lt=today or timezone.localdate())


def overdue_first(queryset):
    """Open tasks with the earliest due date first (so the overdue ones), those without a date last."""
    return queryset.order_by(F("due_date").asc(nulls_last=True), "id")


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label="Task")
    holder = django_filters.ChoiceFilter(
        choices=Holder.CHOICES, method="filter_holder", label="Whose", empty_label="All I can see"
    )
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label="Status", empty_label="Any status")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Only overdue", widget=forms.CheckboxInput)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = Task
        fields = ["q", "holder", "status", "overdue", "due_before"]

    def filter_holder(self, queryset, name, value):
        user = self.request.user
        if value == Holder.MINE:
            return queryset.filter(assigned_user_id=user.pk)
        if value == Holder.QUEUE:
            membership = membership_of(user)
            return queryset.filter(assigned_agency_id=membership.agency_id if membership else None)
        if value == Holder.GIVEN:
            return queryset.filter(created_by_id=user.pk)
        return queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue()) if value else queryset
