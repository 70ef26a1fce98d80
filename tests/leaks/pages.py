"""Every page, download, admin view and API answer a persona can open, from the registries.

The addresses come from the same tables that hold the access rules, so a URL added there
is crawled here without anyone remembering to: the web access table (tests/web_access),
the admin site's registry, the API router, the audit viewer's URL patterns. Records come
from the policy: each persona opens every record in its own scope.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from audit.policy import history_models
from cases import access
from cases.api.urls import router
from tests.web_access.registry import load_tables

AUDIT_PAGES_WITHOUT_OBJECT = ("audit:accesslog-list", "audit:accesslog-export", "audit:change-list")
# What the crawl asks of every API list besides its JSON.
API_FORMATS = ("json", "csv", "xlsx")


def web_pages(world, persona: str, user) -> Iterator[str]:
    """Every GET of the web access table that answers this persona 200.

    A page of one record (a `pk` in its address, a model on its view) is opened for
    every record of that model in the persona's scope, not only the table's examples.
    """
    for case in load_tables():
        if case.method != "get":
            continue
        for obj_name, kwargs_for in case.objects.items():
            if case.expect[obj_name].get(persona) != 200:
                continue
            kwargs = kwargs_for(world) or {}
            url = reverse(case.url_name, kwargs=kwargs or None)
            query = f"?{case.query(world)}" if case.query else ""
            yield f"{url}{query}"
            model = getattr(getattr(resolve(url).func, "view_class", None), "model", None)
            if set(kwargs) == {"pk"} and model is not None:
                for pk in model.objects.visible_to(user).values_list("pk", flat=True):
                    yield f"{reverse(case.url_name, kwargs={'pk': pk})}{query}"


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_pages(user) -> Iterator[str]:
    """Each admin list the user may open, its add form, and every record in it with its history."""
    request = _admin_request(user)
    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        yield _admin_url(model, "changelist")
        if model_admin.has_add_permission(request):
            yield _admin_url(model, "add")
        for pk in model_admin.get_queryset(request).values_list("pk", flat=True):
            yield _admin_url(model, "change", pk)
            yield _admin_url(model, "history", pk)
        for field in model_admin.get_autocomplete_fields(request):
            yield (
                f"{reverse('admin:autocomplete')}?app_label={model._meta.app_label}"
                f"&model_name={model._meta.model_name}&field_name={field}"
            )


def api_pages(user) -> Iterator[str]:
    """Every list of the API (as JSON, CSV and XLSX) and every record in it."""
    for prefix, viewset, _basename in router.registry:
        base = f"/api/v1/{prefix}/"
        for fmt in API_FORMATS:
            yield f"{base}?page_size=1000&format={fmt}"
        for pk in viewset.model.objects.visible_to(user).values_list("pk", flat=True):
            yield f"{base}{pk}/"


def audit_pages(user) -> Iterator[str]:
    """The audit viewer: its lists, each kind of change, and the trail of every record."""
    if not access.can(user, "audit.view"):
        return
    for name in AUDIT_PAGES_WITHOUT_OBJECT:
        yield reverse(name)
    for label, history_model in history_models().items():
        yield f"{reverse('audit:change-list')}?model={label}"
        for pk in history_model.objects.values_list("id", flat=True).distinct():
            try:
                yield reverse("audit:record-trail", args=[label, pk])
            except NoReverseMatch:
                continue
