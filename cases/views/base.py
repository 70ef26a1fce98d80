"""The view base every browser page is built on.

A page is declared, not hand-written:

    class OperationListView(ScopedListView):
        model = Operation
        filterset_class = OperationFilterSet
        sort_fields = {"code": "code", "start": "starts_at"}
        default_sort = "-start"
        template_name = "cases/operations/list.html"

What the base guarantees, so a view cannot forget it:
- the user is signed in (else: redirect to sign-in) and holds a current membership
  (else: 403 saying so);
- every queryset is `Model.objects.visible_to(user)`: a record out of scope is simply
  not found, so detail/edit/confirm pages answer 404 and never leak its existence;
- `action` (and `view_action`) are checked with cases.access: a role that lacks the
  action gets 403 with a message saying who may do it;
- writes go through cases.actions.create_record / update_record (policy check, model
  validation, and the "still visible to its writer" rule); a ValidationError from the
  model lands on the form, field by field, and nothing typed is lost;
- every record of personal data the rendered page was given goes to the access log,
  one row per request (`note_shown`), so no page logs by hand or forgets to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from agencies.roles import membership_of
from audit import hooks as audit_hooks
from cases import access, actions
from cases.forms.base import style_fields

from .paging import pagination_context, query_without

NO_MEMBERSHIP = (
    "Your account has no current role in an agency, so it cannot open case records. "
    "Ask your agency's supervisor or the task-force coordinator to give you a role."
)


def require(user, action: str, obj=None) -> None:
    """access.require: the 403 message says who may do it (cases/access/actions.py)."""
    access.require(user, action, obj)


def apply_validation_error(form, error: ValidationError) -> None:
    """Put a model's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


class MemberRequiredMixin(LoginRequiredMixin):
    """Signed in, with a current membership; then the view's role-level action."""

    #: An action every request to the view needs (e.g. "person_level.view").
    view_action: str | None = "person_level.view"
    #: Which entry of the primary navigation is current.
    nav_section: str | None = None
    #: Query parameters that make the page a search for people (logged as one, with its terms).
    search_params: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if membership_of(request.user) is None and not access.viewer_for(request.user).sysadmin:
            raise PermissionDenied(NO_MEMBERSHIP)
        if self.view_action:
            require(request.user, self.view_action)
        self.check_access()
        return super().dispatch(request, *args, **kwargs)

    def check_access(self) -> None:
        """Further checks before the view runs (raise Http404 or PermissionDenied)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav_section"] = self.nav_section
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # After rendering, the querysets the template looped over hold their rows: those
        # (and only those) were shown, and reading them costs no query.
        response.add_post_render_callback(lambda rendered: self.note_shown(context))
        return response

    def note_shown(self, context) -> None:
        model = getattr(self, "model", None)
        action = self.access_action(context)
        audit_hooks.shown(
            self.request,
            audit_hooks.records_in(context),
            model=model if audit_hooks.is_personal_model(model) else None,
            action=action,
            detail=self.access_detail(context),
            even_if_none=action == "person_search",
        )

    def access_action(self, context) -> str:
        """The access-log action, when the records shown do not say it (see audit.log.Shown)."""
        return "person_search" if self.search_terms() else ""

    def access_detail(self, context) -> str:
        """What the access log keeps besides the records (a search, a section)."""
        return self.search_terms()

    def search_terms(self) -> str:
        return "&".join(f"{k}={v}" for k in self.search_params for v in self.request.GET.getlist(k) if v)[:200]


class ScopedMixin(MemberRequiredMixin):
    model = None
    #: select_related / prefetch_related applied to every queryset of the view.
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()

    def get_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model.")
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


class CappedPaginator(Paginator):
    """Pages whose count stops `cap` rows past the page asked for.

    A statewide agency's scope holds far more people than anyone pages through; counting
    them all, each checked against the access policy, was slow (figures in
    docs/PERFORMANCE.md), and nobody pages that far. The count reads at most the rows up
    to the requested page plus `cap`: `exact` says whether it is the whole count or a lower
    bound ("more than N"). There is always a next page while rows remain, since the count
    runs `cap` rows ahead.
    """

    cap = 500

    def __init__(self, object_list, per_page, *args, page_hint=1, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.limit = max(page_hint, 1) * per_page + self.cap
        self.exact = True

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            # How many rows there are up to the limit does not depend on their order.
            found = rows.order_by()[: self.limit + 1].count()
        else:
            found = len(rows[: self.limit + 1])
        self.exact = found <= self.limit
        return min(found, self.limit)


class ScopedListView(ScopedMixin, ListView):
    """A list: visible records, filtered by a django-filter FilterSet, sorted, paginated."""

    filterset_class = None
    paginate_by = 25
    paginator_class = CappedPaginator
    #: ?sort=<key> → ORM field; "-key" sorts descending.
    sort_fields: dict[str, str] = {}
    default_sort: str | None = None
    #: Break ties in the sort's own direction (…, id ascending for an ascending sort), so one
    #: (field, id) index serves the sort both ways; otherwise ties are newest first.
    ties_follow_sort = False

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        # A filter set shared with the API names the filters its page offers; the API's others
        # (a dropdown of every operation, say) apply on the page only when the address names them.
        offered = getattr(filterset, "page_filters", None)
        if offered is not None:
            for name in list(filterset.form.fields):
                if name not in offered and name not in self.request.GET:
                    del filterset.form.fields[name]
        style_fields(filterset.form)
        return filterset

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        page = self.request.GET.get(self.page_kwarg, "")
        hint = int(page) if page.isdigit() and len(page) < 7 else 1
        return super().get_paginator(queryset, per_page, *args, page_hint=hint, **kwargs)

    def get_sort(self) -> str | None:
        sort = self.request.GET.get("sort") or self.default_sort
        if sort and sort.lstrip("-") in self.sort_fields:
            return sort
        return self.default_sort

    def get_queryset(self):
        qs = super().get_queryset()
        self.filterset = self.get_filterset(qs)
        if self.filterset is not None:
            # An invalid filter (e.g. a bad date) shows its error and filters nothing.
            qs = self.filterset.qs if self.filterset.is_valid() else qs
            style_fields(self.filterset.form)  # again, now that errors are known
        sort = self.get_sort()
        if sort:
            field = self.sort_fields[sort.lstrip("-")]
            descending = sort.startswith("-")
            tie = "pk" if self.ties_follow_sort and not descending else "-pk"
            qs = qs.order_by(f"-{field}" if descending else field, tie)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(pagination_context(context.get("page_obj"), query_without(self.request.GET, "page")))
        context["querystring_without_sort"] = query_without(self.request.GET, "page", "sort")
        context["filter"] = self.filterset
        context["current_sort"] = self.get_sort()
        context["is_filtered"] = bool(
            self.filterset is not None and any(v for k, v in self.request.GET.items() if k not in ("page", "sort"))
        )
        return context

    def access_action(self, context) -> str:
        # Filtering people is looking for someone: logged even when nobody is found.
        if context.get("is_filtered") and self.model is not None and self.model._meta.label_lower == "cases.person":
            return "person_search"
        return "record_list"

    def access_detail(self, context) -> str:
        return context["querystring"][:200] if context.get("is_filtered") else ""


class ScopedDetailView(ScopedMixin, DetailView):
    """One visible record; anything else is 404."""


class SectionedDetailView(ScopedDetailView):
    """A detail page whose sections load after it (htmx) and are pages of their own.

    `?section=<name>` gives the section's whole page, `&preview=1` the part the detail
    page loads into itself. A section the user may not see is 404, like a record.
    """

    #: section name → whatever the view keeps about it (a heading, …)
    sections: dict = {}
    #: (the part loaded into the detail page, the section's own page)
    section_templates: tuple[str, str] = ("", "")

    def dispatch(self, request, *args, **kwargs):
        self.section = request.GET.get("section") or None
        return super().dispatch(request, *args, **kwargs)

    def section_allowed(self, name: str) -> bool:
        return name != "detentions" or access.sees_detentions(self.request.user)

    def check_access(self) -> None:
        if self.section is not None and (self.section not in self.sections or not self.section_allowed(self.section)):
            raise Http404("No such section.")

    def access_detail(self, context) -> str:
        return f"section: {self.section}" if self.section else ""

    def get_template_names(self):
        if self.section is None:
            return [self.template_name]
        preview, page = self.section_templates
        return [preview if self.request.GET.get("preview") else page]


class FormWritesMixin:
    """Save through the domain actions; model errors go back onto the form."""

    #: The access action for the write, e.g. "operation.add".
    action: str = ""
    success_message: str = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_m2m(self, form) -> dict:
        """Many-to-many values to set after the save (ModelForm fields that are m2m)."""
        opts = form.instance._meta
        return {f.name: form.cleaned_data[f.name] for f in opts.many_to_many if f.name in form.cleaned_data}

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message.format(object=self.object))
        return HttpResponseRedirect(self.get_success_url())


class ScopedCreateView(FormWritesMixin, ScopedMixin, CreateView):
    """Create a record: `action` is checked against `get_parent()` (e.g. the operation)."""

    def get_parent(self):
        """The record the action is checked against (None: a role-level check)."""
        return None

    def check_access(self) -> None:
        # Parent lookups are scoped (404) and the action checked (403) before any form.
        self.parent = self.get_parent()
        require(self.request.user, self.action, self.parent)

    def prepare(self, obj) -> None:
        """Fill in what the form does not ask: agency, parent, creator."""

    def save(self, form):
        obj = form.save(commit=False)
        self.prepare(obj)
        return actions.create_record(self.request.user, obj, self.action, self.parent, m2m=self.get_m2m(form))


class ScopedUpdateView(FormWritesMixin, ScopedMixin, UpdateView):
    """Edit a visible record (else 404) when the role may (else 403)."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        require(self.request.user, self.action, obj)
        return obj

    def save(self, form):
        obj = form.save(commit=False)
        return actions.update_record(self.request.user, obj, self.action, m2m=self.get_m2m(form))


class ScopedConfirmView(ScopedMixin, SingleObjectMixin, FormView):
    """Ask before a destructive action (void, revoke, remove), then do it on POST.

    Subclasses set model, action, form_class (e.g. a reason form taking user=),
    confirm_* texts, and implement perform(obj, form). The record is looked up in
    the user's scope (404) and the action checked on it (403) before anything shows.
    Renders templates/confirm.html by default.
    """

    template_name = "confirm.html"
    action: str = ""
    confirm_title = "Are you sure?"
    confirm_text = ""
    confirm_label = "Yes, go ahead"
    success_message = ""

    def check_access(self) -> None:
        self.object = self.get_object()
        require(self.request.user, self.action, self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else "/"

    def get_success_url(self) -> str:
        return self.get_cancel_url()

    def perform(self, obj, form) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(self.object, form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message.format(object=self.object))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            confirm_title=self.confirm_title.format(object=self.object),
            confirm_text=self.confirm_text.format(object=self.object),
            confirm_label=self.confirm_label,
            cancel_url=self.get_cancel_url(),
        )
        return context
