"""Sign-in backend that refuses demonstration accounts outside the demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class TaskForceBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and settings.DEMO_PASSWORD is None:
            return False
        return super().user_can_authenticate(user)
