"""The home page: "My work" (tasks, what waits, what changed) and what needs the role's attention."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import TemplateView

from cases import access
from cases.models import Contact, CustodyHandoff, Operation, OperationStatus, Person, Referral, ReferralStatus
from work.actions import mark_seen
from work.home import my_work

from .base import MemberRequiredMixin
from .court_dates import home_court_dates
from .relief import relief_asked, relief_waiting
from .tasks import records_named

LIMIT = 10


class HomeView(MemberRequiredMixin, TemplateView):
    """Every role has a home page; analysts and auditors get their one link."""

    template_name = "cases/home.html"
    view_action = None
    nav_section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        viewer = access.viewer_for(user)
        # The policy says which home page the role gets (access.workspace).
        workspace = access.workspace(user)
        context["workspace"] = workspace
        builder = getattr(self, f"_for_{workspace}", None)
        if builder:
            context.update(builder(user, viewer))
        if access.can(user, "person_level.view"):
            # "My work" heads the home page of every working role; what changed on the
            # records followed is new until now.
            work = context["work"] = my_work(user)
            shown = [*work.my_tasks, *work.queue_tasks, *work.changes]
            context["work_records_named"] = records_named(item.record for item in shown)
            context["today"] = timezone.localdate()
            mark_seen(user)
        return context

    def _operations(self, user, statuses):
        return (
            Operation.objects.visible_to(user)
            .active()
            .filter(status__in=statuses)
            .select_related("lead_agency")
            .order_by("starts_at")
        )

    def _for_investigations(self, user, viewer):
        ops = self._operations(user, [OperationStatus.ACTIVE, OperationStatus.PLANNED]).filter(
            participations__agency_id=viewer.agency_id
        )
        contacts = (
            Contact.objects.visible_to(user)
            .active()
            .filter(agency_id=viewer.agency_id)
            .select_related("person", "operation")
            .order_by("-occurred_at")
        )
        if not access.home_shows_agency_work(user):
            contacts = contacts.filter(created_by=user)
        return {"operations": ops[:LIMIT], "recent_contacts": contacts[:LIMIT], **relief_waiting(user)}

    def _for_services(self, user, viewer):
        waiting = (
            Referral.objects.visible_to(user)
            .active()
            .filter(to_agency_id=viewer.agency_id, status=ReferralStatus.SENT)
            .select_related("person", "from_agency")
            .order_by("acknowledge_due_at", "sent_at")[: LIMIT * 2]
        )
        in_service = (
            Person.objects.visible_to(user)
            .active()
            .filter(
                referrals__to_agency_id=viewer.agency_id,
                referrals__status__in=[ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE],
                referrals__voided_at__isnull=True,
            )
            .distinct()
            .order_by("reference")
        )
        return {
            "awaiting_ack": waiting,
            "in_service": in_service[: LIMIT * 2],
            "now": timezone.now(),
            **relief_asked(user),
            **home_court_dates(user),
        }

    def _for_custody(self, user, viewer):
        waiting = (
            CustodyHandoff.objects.visible_to(user)
            .active()
            .filter(receiving_agency_id=viewer.agency_id, acknowledged_at__isnull=True)
            .select_related("person", "custody_agency", "operation")
            .order_by("handed_over_at", "taken_at")
        )
        return {"handoffs_waiting": waiting[: LIMIT * 2], **home_court_dates(user)}

    def _for_task_force(self, user, viewer):
        overdue = (
            Referral.objects.visible_to(user)
            .active()
            .filter(status=ReferralStatus.SENT, acknowledge_due_at__lt=timezone.now())
            .select_related("person", "from_agency", "to_agency")
            .order_by("acknowledge_due_at")
        )
        return {
            "active_operations": self._operations(user, [OperationStatus.ACTIVE])[: LIMIT * 2],
            "planned_operations": self._operations(user, [OperationStatus.PLANNED])[: LIMIT * 2],
            "overdue_referrals": overdue[: LIMIT * 2],
        }
