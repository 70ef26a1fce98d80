"""The API's front door, /api/v1/: what the API holds and where, for programs and for people.

A program (Accept: application/json, */*, or no Accept) gets JSON: each resource's name and
address, as DRF's own API root gives. A browser (Accept: text/html first) gets a page of the
staff site with the same list, a title and a language, so it reads like the rest of the site
and passes the accessibility checks; signed out, a browser is sent to the sign-in page, a
program gets the API's usual JSON refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ..permissions import MemberAccess


@dataclass(frozen=True)
class Endpoint:
    key: str
    title: str
    path: str
    about: str


def endpoints() -> list[Endpoint]:
    """Every list the router serves, then the reports, the tokens and the schema."""
    from ..urls import router

    found = []
    for prefix, viewset, basename in router.registry:
        model = viewset.serializer_class.Meta.model
        title = str(model._meta.verbose_name_plural).capitalize()
        about = (viewset.__doc__ or "").strip().split("\n")[0] or f"{title} in your scope."
        found.append(Endpoint(prefix, title, reverse(f"api:{basename}-list"), about))
    found += [
        Endpoint(
            "reports/summary",
            "Task-force summary report",
            reverse("api:reports-api:summary"),
            "The dashboard's counts for a period and an agency.",
        ),
        Endpoint(
            "reports/performance-measures",
            "Grant performance measures",
            reverse("api:reports-api:performance-measures"),
            "The quarterly grant report's measures.",
        ),
        Endpoint(
            "auth/tokens",
            "Your API tokens",
            reverse("api:token-list"),
            "List, make and revoke the tokens programs sign in with.",
        ),
        Endpoint(
            "imports",
            "Contact imports",
            reverse("api:import-list"),
            "Upload a sheet of contacts, read every row checked, confirm the import.",
        ),
        Endpoint("schema", "OpenAPI schema", reverse("api:schema"), "Every endpoint, field and answer (YAML)."),
        Endpoint("docs", "API documentation", reverse("api:docs"), "The schema to read and try out (Swagger UI)."),
    ]
    return found


class RootHTMLRenderer(TemplateHTMLRenderer):
    """The page for browsers; the renderer DRF picks when text/html comes first in Accept."""

    template_name = "cases/api/root.html"


@extend_schema(exclude=True)  # a directory of the schema's own endpoints, not a resource
class ApiRootView(APIView):
    # JSON first: a client that states no preference (*/*) gets JSON.
    renderer_classes = [JSONRenderer, RootHTMLRenderer]
    permission_classes = [MemberAccess]

    def get(self, request):
        found = endpoints()
        if isinstance(request.accepted_renderer, RootHTMLRenderer):
            one_operation = reverse("api:reports-api:operation", args=[0]).replace("/0/", "/<id>/")
            return Response({"endpoints": found, "operation_report": one_operation})
        return Response({e.key: request.build_absolute_uri(e.path) for e in found})

    def handle_exception(self, exc):
        signed_out = isinstance(exc, NotAuthenticated | AuthenticationFailed)
        if signed_out and isinstance(getattr(self.request, "accepted_renderer", None), RootHTMLRenderer):
            return redirect_to_login(self.request.get_full_path())
        response = super().handle_exception(exc)
        if isinstance(getattr(self.request, "accepted_renderer", None), RootHTMLRenderer):
            # A refusal is the API's JSON whatever the browser asked for (no error page template here).
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response
