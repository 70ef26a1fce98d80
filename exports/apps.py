from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Downloads"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import access

        from .models import ExportJob

        access.register(ExportJob, access.own_rows_rule("requested_by"))
