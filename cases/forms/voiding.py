"""The reason asked for before a record is voided."""

from __future__ import annotations

from django import forms

from .base import ScopedForm


class VoidForm(ScopedForm):
    reason = forms.CharField(
        label="Reason for voiding",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: entered twice, or recorded on the wrong person. The record stays in history.",
        error_messages={"required": "Give a reason for voiding this record."},
    )
