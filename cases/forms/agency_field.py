"""Choosing an agency in a filter: a text box that suggests agencies as you type.

A <select> of every agency in the state was slow to render through Django's widget
templates and heavy to send, on every list page (figures in docs/PERFORMANCE.md). This
box comes with an empty <datalist> that htmx fills from `web:agency_suggestions` the
first time the box is focused (the browser keeps that list for ten minutes), and accepts
what a person types (the agency's abbreviation or full name) as well as an id (links and
the API).
"""

from __future__ import annotations

from html import escape

import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe


def agency_options(agencies) -> str:
    """One <option> per agency (abbreviation, full name), built in a single pass."""
    rows = agencies.order_by("short_name").values_list("short_name", "name")
    return "".join(f'<option value="{escape(short)}">{escape(full)}</option>' for short, full in rows)


class AgencyInput(forms.TextInput):
    """A text input whose <datalist> of agencies is fetched when the box is first focused."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-agencies"
        attrs.update(
            {
                "list": list_id,
                "autocomplete": "off",
                "hx-get": reverse("web:agency_suggestions"),
                "hx-trigger": "focus once",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        if value not in (None, "") and str(value).isdigit():
            # Opened by a link with an id: show the abbreviation the person would type.
            value = self.choices.queryset.filter(pk=value).values_list("short_name", flat=True).first() or value
        box = super().render(name, value, attrs, renderer)
        return mark_safe(f'{box}<datalist id="{escape(list_id)}"></datalist>')


class AgencyField(django_filters.fields.ModelChoiceField):
    """An agency by id, abbreviation or full name (case ignored), within the field's queryset."""

    widget = AgencyInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit():
            return super().to_python(text)
        agency = self.queryset.filter(Q(short_name__iexact=text) | Q(name__iexact=text)).order_by("pk").first()
        if agency is None:
            raise ValidationError(
                "No agency you can choose has this name or abbreviation. Pick one from the suggestions.",
                code="invalid_choice",
            )
        return agency
