"""The Django admin of the case tracker, scoped by the access policy (see base.py)."""

from django.contrib import admin

from . import accounts, catalogues, custody, lifecycle, operations, people, referrals, tasks  # noqa: F401  (registers the pages)

admin.site.site_header = "Task-force case tracker administration"
admin.site.site_title = "Task-force case tracker administration"
admin.site.index_title = "Records and settings"
