"""Notes on operations, people and referrals.

The panel (templates/cases/notes/panel.html) is included by the operation, person and
referral pages; its form posts here with htmx and gets the refreshed panel back.
Without JavaScript the same form posts and redirects back to the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from cases.forms.notes import NoteForm
from cases.models import Note, Operation, Person, Referral
from cases.templatetags.workflows import url_for

from .base import ScopedCreateView
from .workflow_base import my_agency, safe_next

TARGETS = {"operation": Operation, "person": Person, "referral": Referral}


class NoteCreateView(ScopedCreateView):
    model = Note
    form_class = NoteForm
    action = "note.add"
    template_name = "cases/notes/form.html"

    def get_parent(self):
        model = TARGETS.get(self.kwargs["target"])
        if model is None:
            raise Http404("No such record.")
        self.target_name = self.kwargs["target"]
        return get_object_or_404(model.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def is_htmx(self) -> bool:
        return self.request.headers.get("HX-Request") == "true"

    def get_form_kwargs(self):
        # The note knows its record and agency before validation (Note.clean checks them).
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Note(**{self.target_name: self.parent}, agency=my_agency(self.request.user))
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.is_htmx() and response.status_code == 302:
            panel = self.render_panel(NoteForm(user=self.request.user), saved=True)
            panel.idempotency_location = response["Location"]  # a repeat goes to the record's notes
            return panel
        if response.status_code == 302:
            messages.success(self.request, "Your note was added.")
        return response

    def form_invalid(self, form):
        if self.is_htmx():
            return self.render_panel(form)
        return super().form_invalid(form)

    def render_panel(self, form, saved=False):
        return render(
            self.request, "cases/notes/panel.html", {"target": self.parent, "note_form": form, "note_saved": saved}
        )

    def get_success_url(self):
        return safe_next(self.request, url_for(self.parent) + "#notes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["target"] = self.parent
        context["target_url"] = url_for(self.parent)
        return context
