from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import access

        from .models import ContactImport

        access.register(ContactImport, access.import_rule("uploaded_by"))
