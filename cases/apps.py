from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        # Agencies, memberships and accounts are scoped by the policy held here; agencies
        # does not import cases, so the policy is handed to it.
        from agencies.models import install_policy

        from . import access

        install_policy(access.scope)

        # The person access rows follow every write of the records they are derived from.
        from .access import people_access

        people_access.connect()
