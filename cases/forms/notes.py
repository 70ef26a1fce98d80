"""A note on an operation, a person or a referral."""

from __future__ import annotations

from django import forms

from cases.models import Note

from .base import ScopedModelForm


class NoteForm(ScopedModelForm):
    class Meta:
        model = Note
        fields = ["text"]
        labels = {"text": "Add a note"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Write the note."}}
