"""What every browser form shares: USWDS widget classes and dropdowns scoped to the user.

`ScopedModelForm(user=...)` narrows the queryset of every model-choice field to
what the user may see, so a form can never offer (or accept) a record outside the
user's scope. A form that needs a narrower list narrows it further in __init__.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from cases import access

_WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
}


def _css_class(widget: forms.Widget) -> str | None:
    if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return None  # rendered choice by choice in includes/field.html
    for kind, css in _WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            return css
    if isinstance(widget, forms.widgets.Input) and not isinstance(widget, forms.HiddenInput):
        return "usa-input"
    return None


def style_fields(form: forms.BaseForm) -> None:
    """Give a form's widgets their USWDS classes and point them at their hint and error.

    Works on any form, including a django-filter FilterSet's form.
    """
    errors = form._errors or {}  # not .errors: that would validate the form early
    for name, field in form.fields.items():
        css = _css_class(field.widget)
        if css and css not in field.widget.attrs.get("class", ""):
            existing = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{existing} {css}".strip()
        described = []
        if field.help_text:
            described.append(f"id_{form.add_prefix(name)}-hint")
        if name in errors:
            described.append(f"id_{form.add_prefix(name)}-error")
            if (
                css in ("usa-input", "usa-select", "usa-textarea")
                and "usa-input--error" not in field.widget.attrs["class"]
            ):
                field.widget.attrs["class"] += " usa-input--error"
            field.widget.attrs["aria-invalid"] = "true"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)


class UswdsFormMixin:
    """Style the form's widgets the USWDS way (again after validation, for errors)."""

    def _style_fields(self) -> None:
        style_fields(self)

    def full_clean(self):
        super().full_clean()
        self._style_fields()


def scope_choices(form: forms.BaseForm, user) -> None:
    """Narrow every model-choice field of a form to the records the user may see."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and hasattr(queryset, "visible_to"):
            field.queryset = queryset.visible_to(user)


class ScopedForm(UswdsFormMixin, forms.Form):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        scope_choices(self, user)
        self._style_fields()


class ScopedModelForm(UswdsFormMixin, forms.ModelForm):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        scope_choices(self, user)
        self._style_fields()


class SignInForm(UswdsFormMixin, AuthenticationForm):
    """Django's sign-in form with USWDS styling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


__all__ = [
    "DateInput",
    "DateTimeInput",
    "ScopedForm",
    "ScopedModelForm",
    "SignInForm",
    "access",
    "scope_choices",
    "style_fields",
]
