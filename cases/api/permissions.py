"""Who may use an endpoint at all; which records they reach is cases.access's business."""

from rest_framework.permissions import BasePermission

from cases import access


class PersonLevelAccess(BasePermission):
    """Analysts, auditors and users without a membership get 403 on case records."""

    message = "Your role does not give access to case records; analysts use the reports."

    def has_permission(self, request, view) -> bool:
        if not getattr(view, "person_level", True):
            return True
        return access.can(request.user, "person_level.view")


class MemberAccess(BasePermission):
    """The directory and catalogues are for members of the task force only."""

    message = "You have no current membership in the task force."

    def has_permission(self, request, view) -> bool:
        viewer = access.viewer_for(request.user)
        return viewer.sysadmin or viewer.membership is not None
