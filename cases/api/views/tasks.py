"""Tasks (list, detail, create, update, done, cancel), follows (list, follow, unfollow) and
the "My work" counts for a dashboard widget. Writes go through work.actions."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access
from work import actions as work
from work.filters import TaskFilterSet
from work.home import changes_since_seen, task_counts, waiting_for
from work.models import Follow, Task

from ..permissions import MemberAccess, PersonLevelAccess
from ..serializers.base import StrictSerializer
from ..serializers.tasks import FollowSerializer, MyWorkCountsSerializer, TaskSerializer
from .base import ScopedViewSet, WritableMixin


class TaskViewSet(WritableMixin, ScopedViewSet):
    """Tasks you hold (given to you, to your agency's queue, or by you) on records you may see."""

    model = Task
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    select_related = ("assigned_user", "assigned_agency")
    ordering_fields = ("due_date", "created_at", "status")
    ordering = ("due_date",)
    export_name = "tasks"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _close(self, request, close):
        with transaction.atomic():
            task = self.locked_object()
            access.require(request.user, "task.change", task)
            self.check_if_match(request, task)
            close(request.user, task)
        return self.detail_response(self.fresh(task))

    @extend_schema(request=StrictSerializer, summary="Mark the task done")
    @action(detail=True, methods=["post"])
    def done(self, request, *args, **kwargs):
        return self._close(request, work.close_task)

    @extend_schema(request=StrictSerializer, summary="Cancel the task")
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        return self._close(request, work.cancel_task)


class FollowViewSet(mixins.CreateModelMixin, ScopedViewSet):
    """Records you follow (their changes show on My work); following twice is once."""

    model = Follow
    serializer_class = FollowSerializer
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)
    export_name = "follows"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.detail_response(self.fresh(serializer.save()), 201)

    @extend_schema(request=StrictSerializer, summary="Stop following the record (answers with the follow as it was)")
    @action(detail=True, methods=["post"])
    def unfollow(self, request, *args, **kwargs):
        with transaction.atomic():
            follow = self.locked_object()
            self.check_if_match(request, follow)
            last = self.get_serializer(follow).data
            work.unfollow(request.user, follow.record)
        return Response(last)


class MyWorkCountsView(APIView):
    """How much work waits for you: for a dashboard widget (counts only, no names)."""

    permission_classes = [MemberAccess, PersonLevelAccess]

    @extend_schema(responses=MyWorkCountsSerializer, summary="Counts of My work")
    def get(self, request):
        user = request.user
        counts = task_counts(user)
        waiting = {item.key: item.count for item in waiting_for(user)}
        data = {
            "my_tasks": counts["mine"],
            "queue_tasks": counts["queue"],
            "overdue_tasks": counts["overdue"],
            "referrals_to_acknowledge": waiting.get("referrals"),
            "custody_receipts_to_confirm": waiting.get("custody"),
            "relief_requests_to_answer": waiting["relief"],
            "followed_changes": len(changes_since_seen(user, limit=1000)),
        }
        return Response(MyWorkCountsSerializer(data).data)
