"""The notifications resource of the API: a user's own notifications, and marking them read.

GET /api/v1/notifications/ (?read=true|false), GET /api/v1/notifications/<id>/,
POST /api/v1/notifications/<id>/read/ (If-Match, as every write to a record),
POST /api/v1/notifications/read-all/. Mounted by cases/api/urls.py beside the router's
resources; scoped by the policy (a user's own rows only: 404 for anyone else's).
"""

from __future__ import annotations

import django_filters
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from cases import access
from notifications import actions
from notifications.models import Notification

from .base import ScopedViewSet


class NotificationAccess(BasePermission):
    message = "Notifications are for staff with a role in an agency."

    def has_permission(self, request, view) -> bool:
        return access.can(request.user, "notification.view")


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.CharField(read_only=True, help_text="What it is about, naming no person or record.")
    read = serializers.BooleanField(source="is_read", read_only=True)
    resolved = serializers.SerializerMethodField(help_text="Whether what it reminds of is done.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "text", "link", "created_at", "read", "read_at", "resolved"]
        read_only_fields = fields

    def get_resolved(self, notification) -> bool:
        return notification.reminder.closed_at is not None


class NotificationFilterSet(django_filters.FilterSet):
    read = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", exclude=True, label="Read")
    kind = django_filters.ChoiceFilter(choices=Notification._meta.get_field("kind").choices)

    class Meta:
        model = Notification
        fields = ["read", "kind"]


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)


class NotificationViewSet(ScopedViewSet):
    model = Notification
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    permission_classes = [NotificationAccess]
    person_level = False
    select_related = ("reminder",)
    ordering_fields = ("created_at",)
    ordering = ["-created_at"]
    export_name = "notifications"

    @extend_schema(request=None, summary="Mark one of your notifications read (If-Match)")
    @action(detail=True, methods=["post"])
    def read(self, request, *args, **kwargs):
        with transaction.atomic():
            notification = self.locked_object()
            self.check_if_match(request, notification)
            actions.mark_read(request.user, notification)
        return self.detail_response(self.fresh(notification))

    @extend_schema(request=None, responses=ReadAllSerializer, summary="Mark all your notifications read")
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request, *args, **kwargs):
        return Response({"marked": actions.mark_all_read(request.user)})
