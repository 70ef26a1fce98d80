"""What every admin page of the case tracker shares: the access policy, not Django permissions.

Staff use the admin for what their role allows: the lists are `visible_to(user)`, the
add, change and void buttons ask `cases.access.can`, every dropdown and filter offers
only records the user may see, and a record outside the user's scope answers 404.
Nobody needs Django model permissions; a staff user without a current membership sees
nothing. Case records are never deleted here: they are voided with a reason. The rows
of a list page and the record of a change page go to the access log like any page's.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst

from agencies.models import Agency
from audit import hooks as audit_hooks
from cases import access
from cases.actions import void_record
from cases.disclosure import NOT_SHOWN, disclosure_for, hides_related
from cases.models.base import AppendOnlyModel, VoidableModel
from cases.readonly_admin import ReadOnlyAdminMixin


def viewer(request) -> access.Viewer:
    return access.viewer_for(request.user)


def is_member(request) -> bool:
    """The system administrator, or a user with a current membership; nobody else sees anything."""
    v = viewer(request)
    return v.sysadmin or v.membership is not None


def scoped_queryset(model, request):
    """The records of `model` the user may see; every dropdown and filter uses this."""
    if model is get_user_model():
        return access.choosable_users(request.user)
    manager = model._default_manager
    if not hasattr(manager, "visible_to"):
        raise TypeError(f"{model.__name__} has no visible_to(); it cannot be offered in the admin.")
    return manager.visible_to(request.user)


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on a related record that lists only records the user may see.

    Django's own filter lists every row of the related table, which would leak the
    names of other agencies' operations and people.
    """

    def field_choices(self, field, request, model_admin):
        qs = scoped_queryset(field.related_model, request)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            qs = qs.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in qs]


# A list column or read-only field "<field>_shown" prints the related record through the policy.
SHOWN = "_shown"


def related_column(field):
    """The related record's name, or "Not shown" when it is outside the viewer's scope.

    The viewer's Disclosure rides on the row (stamped by ScopedAdminMixin), since Django
    calls a column with the row alone; a row without one shows nothing of the record.
    """

    @admin.display(description=field.verbose_name, ordering=field.name)
    def column(obj):
        related = getattr(obj, field.name)
        disclosure = getattr(obj, "_disclosure", None)
        if related is None:
            return None
        return disclosure.label(related) if disclosure is not None else NOT_SHOWN

    return column


class VoidedFilter(admin.SimpleListFilter):
    title = "voided"
    parameter_name = "voided"

    def lookups(self, request, model_admin):
        return [("no", "In force"), ("yes", "Voided")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(voided_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(voided_at__isnull=True)
        return queryset


@admin.display(description="Voided", boolean=True, ordering="voided_at")
def voided(obj) -> bool:
    return obj.voided_at is not None


class VoidForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why these records are void. It is kept with each record.",
    )


@admin.action(description="Void selected records", permissions=["void"])
def void_selected(modeladmin, request, queryset):
    """Ask for a reason on a confirmation page, then void each record the user may void."""
    form = VoidForm(request.POST if "confirm_void" in request.POST else None)
    if form.is_bound and form.is_valid():
        reason = form.cleaned_data["reason"]
        done, refused = 0, 0
        for obj in queryset:
            if not access.can(request.user, "void", obj):
                refused += 1
                continue
            try:
                void_record(request.user, obj, reason)
            except (PermissionDenied, ValidationError):
                refused += 1
                continue
            done += 1
        noun = modeladmin.opts.verbose_name if done == 1 else modeladmin.opts.verbose_name_plural
        modeladmin.message_user(request, f"Voided {done} {noun}.", messages.SUCCESS if done else messages.WARNING)
        if refused:
            modeladmin.message_user(
                request,
                f"{refused} could not be voided: already void, or not a record your role may void.",
                messages.WARNING,
            )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Void records",
        "opts": modeladmin.opts,
        "queryset": queryset,
        "form": form,
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/cases/void_confirmation.html", context)


class ScopedAdminMixin:
    """The access policy for one admin page.

    A subclass names the policy actions that apply: `add_action` (checked with
    `add_target(obj)`, for example the operation a contact is recorded in) and
    `change_action` (checked with `change_target(obj)`). No change action means the
    records are read-only here. `own_agency_fields` are agency fields that only the
    coordinator may set to another agency than the user's own.
    """

    view_action: str | None = "person_level.view"
    add_action: str | None = None
    change_action: str | None = None
    own_agency_fields: tuple[str, ...] = ()
    show_full_result_count = False

    # --- what the user sees -------------------------------------------------

    def get_queryset(self, request):
        return self.scope(super().get_queryset(request), request)

    def scope(self, qs, request):
        return qs.visible_to(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope and missing look the same: 404, never a hint that it exists.
        raise Http404("No such record.")

    # --- related records: printed through the policy -------------------------

    def __getattr__(self, name):
        # "<field>_shown" names the policy-checked column of a related record (see SHOWN).
        if name.endswith(SHOWN) and "model" in self.__dict__:
            field = self._hiding_field(name[: -len(SHOWN)])
            if field is not None:
                return related_column(field)
        raise AttributeError(name)

    def _hiding_field(self, name):
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return field if hides_related(field) else None

    def _shown_names(self, names):
        return [f"{name}{SHOWN}" if isinstance(name, str) and self._hiding_field(name) else name for name in names]

    def get_list_display(self, request):
        return self._shown_names(super().get_list_display(request))

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        disclosure = disclosure_for(request)
        related = [name[: -len(SHOWN)] for name in self.get_list_display(request) if str(name).endswith(SHOWN)]
        disclosure.prime(cl.result_list, *related)  # one query per kind of record on the page
        for obj in cl.result_list:
            obj._disclosure = disclosure
        return cl

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._disclosure = disclosure_for(request)
        return obj

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only, each related record is printed by name and link-free through the policy.
            return self._shown_names(fields)
        return fields

    def get_list_filter(self, request):
        return [
            (name, VisibleRelatedFilter) if isinstance(name, str) and self._is_relation(name) else name
            for name in super().get_list_filter(request)
        ]

    def _is_relation(self, name: str) -> bool:
        try:
            field = self.opts.get_field(name)
        except Exception:
            return False
        return field.is_relation and field.related_model is not None

    # --- what the user may do -----------------------------------------------

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        # `obj` comes from get_queryset, so it is already within the user's scope.
        if not is_member(request) or not request.user.is_staff:
            return False
        return self.view_action is None or access.can(request.user, self.view_action)

    def may_add(self, request) -> bool:
        """May the user add records of this kind at all (each one is checked on save)?"""
        return self.add_action is not None and access.can(request.user, self.add_action, None)

    def has_add_permission(self, request):
        return self.has_view_permission(request) and self.may_add(request)

    def add_target(self, obj):
        return None

    def change_target(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        if self.change_action is None or not self.has_view_permission(request):
            return False
        if obj is None:
            return True
        if isinstance(obj, VoidableModel) and obj.is_voided:
            return False
        return access.can(request.user, self.change_action, self.change_target(obj))

    def has_delete_permission(self, request, obj=None):
        # Case records and events are never deleted; directory rows only by the system administrator.
        if issubclass(self.model, (VoidableModel, AppendOnlyModel)):
            return False
        return bool(request.user.is_superuser and request.user.is_active)

    def has_void_permission(self, request):
        return (
            issubclass(self.model, VoidableModel)
            and self.has_view_permission(request)
            and access.may_void_any(request.user)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if issubclass(self.model, (VoidableModel, AppendOnlyModel)):
            actions.pop("delete_selected", None)
        return actions

    # --- dropdowns ------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            if db_field.name in self.own_agency_fields and not self.chooses_any_agency(request):
                kwargs["queryset"] = Agency.objects.filter(pk=viewer(request).agency_id)
            else:
                kwargs["queryset"] = scoped_queryset(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scoped_queryset(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def chooses_any_agency(self, request) -> bool:
        return access.task_force_wide(request.user)

    # --- saving ---------------------------------------------------------------

    def write_problem(self, request, obj, adding: bool) -> str | None:
        """Why the policy refuses this write as the form stands, or None."""
        user = request.user
        if adding:
            if not self.add_action or not access.can(user, self.add_action, self.add_target(obj)):
                return "Your role does not allow adding this record here."
        elif self.change_action and not access.can(user, self.change_action, self.change_target(obj)):
            return "Your role does not allow this change."
        own = viewer(request).agency_id
        for name in self.own_agency_fields:
            if getattr(obj, f"{name}_id", None) not in (None, own) and not self.chooses_any_agency(request):
                return "Only the coordinator records this for another agency."
        return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        model_admin, adding = self, obj is None

        class PolicyCheckedForm(form):
            def _post_clean(self):
                super()._post_clean()
                if not self._errors:
                    problem = model_admin.write_problem(request, self.instance, adding)
                    if problem:
                        self.add_error(None, problem)

        PolicyCheckedForm.__name__ = form.__name__
        return PolicyCheckedForm

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "created_by_id") and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inside the admin's transaction: a record its writer could not see is rolled back.
        access.ensure_visible(request.user, form.instance)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().changeform_view(request, object_id, form_url, extra_context)
        except access.OutOfScope as exc:
            self.message_user(request, f"Nothing was saved. {exc}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        original = (getattr(response, "context_data", None) or {}).get("original")
        if original is not None:
            audit_hooks.shown(request, original, model=self.model, detail="Admin change page")
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # The admin has counted the page's rows (len) by now, so reading them costs no query.
            terms = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()) if v and k not in ("p", "o"))[:500]
            searching = bool(terms) and self.model._meta.label_lower == "cases.person"
            audit_hooks.shown(
                request,
                audit_hooks.records_in(changelist.result_list),
                model=self.model,
                action="person_search" if searching else "record_list",
                detail=terms or "Admin list",
                even_if_none=searching,
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, VoidableModel) and obj is not None:
            trail = ("created_at", "created_by", "voided_at", "voided_by", "void_reason")
            fields += [name for name in trail if name not in fields]
        return fields


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    actions = [void_selected]


class ScopedInlineMixin:
    """An inline under the same policy: rows visible to the user, changed with the parent."""

    parent_action: str = "operation.change"
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def parent_target(self, parent):
        return parent

    def _may_change_parent(self, request, parent) -> bool:
        if not is_member(request) or not request.user.is_staff:
            return False
        if parent is None:
            return True  # adding the parent: its own add check applies
        if isinstance(parent, VoidableModel) and parent.is_voided:
            return False
        return access.can(request.user, self.parent_action, self.parent_target(parent))

    def has_view_permission(self, request, obj=None):
        return is_member(request) and request.user.is_staff

    def has_add_permission(self, request, obj):
        return self._may_change_parent(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_change_parent(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_queryset(db_field.related_model, request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not isinstance(self, admin.TabularInline):
            return formset

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                # A table row's inputs have no <label>: the column heading names them only to the eye.
                # (On the widget itself: a related-record wrapper's copy shares its original's attrs.)
                for name, field in form.fields.items():
                    widget = getattr(field.widget, "widget", field.widget)
                    widget.attrs.setdefault("aria-label", capfirst(field.label or name))

        return LabelledFormSet


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Append-only events shown under their record: never added, changed or removed here."""

    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("user", "agency")

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_view_permission(self, request, obj=None):
        return is_member(request) and request.user.is_staff


class EventAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """A read-only list of append-only events, for everyone who can see their records."""

    actions = []


class WorkflowEventAdmin(EventAdmin):
    """The steps of a workflow (a referral's, a relief request's): when, of which record, which
    step, from and to which status, by whom. A subclass names the record and the time field."""

    #: The event's record (its foreign key) and when the step was taken.
    record_field = ""
    when_field = ""
    list_filter = ("action", "to_status", "agency")
    search_fields = ("note",)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.record_field:
            cls.list_display = (
                cls.when_field,
                cls.record_field,
                "action",
                "from_status",
                "to_status",
                "user",
                "agency",
            )
            cls.list_select_related = (cls.record_field, "user", "agency")
            cls.date_hierarchy = cls.when_field


__all__ = [
    "EventAdmin",
    "WorkflowEventAdmin",
    "EventInline",
    "Q",
    "ScopedAdminMixin",
    "ScopedInlineMixin",
    "ScopedModelAdmin",
    "VisibleRelatedFilter",
    "VoidedFilter",
    "is_member",
    "scoped_queryset",
    "viewer",
    "void_selected",
    "voided",
]
