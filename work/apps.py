from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "work"
    verbose_name = "Tasks and following"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Tasks and follows are under the policy held in cases.access; cases does not
        # import this app, so the rules are handed to it (as the audit trail's are).
        from cases import access

        from .models import Follow, Task

        access.register(Task, access.task_rule)
        access.register(Follow, access.follow_rule)
