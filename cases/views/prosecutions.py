"""Prosecutions: filed from an investigation, their counts (statute, disposition, sentence)
and court dates; the list of prosecutions.

Like investigations, only law enforcement, prosecutors and the coordinator see these
pages (everyone else: 404). An advocate learns of a court date through its client's
page, never here.
"""

from __future__ import annotations

from django.db.models import Count as Tally
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cases import access
from cases import investigation_actions as steps
from cases.filters import ProsecutionFilterSet
from cases.forms.prosecutions import CountForm, CourtEventForm, CourtEventStatusForm, ProsecutionForm
from cases.models import Count, CourtEvent, Investigation, Person, Prosecution
from cases.models.prosecutions import Disposition

from .base import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView, require
from .investigations import InvestigationsOnlyMixin


class DefendantsShownMixin:
    """The people a page names as defendants go to the access log like any person shown."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = context.get("object_list") or []
        defendants = {p.defendant_id: p.defendant for p in rows}
        visible = access.visible_ids(self.request.user, Person, list(defendants)) if defendants else set()
        context["defendants_shown"] = [person for pk, person in defendants.items() if pk in visible]
        return context


class ProsecutionListView(DefendantsShownMixin, InvestigationsOnlyMixin, ScopedListView):
    model = Prosecution
    filterset_class = ProsecutionFilterSet
    template_name = "cases/prosecutions/list.html"
    extra_context = {"what": "prosecutions"}
    select_related = ("prosecuting_agency", "investigation", "defendant")
    sort_fields = {"filed": "filed_on", "court": "court"}
    default_sort = "-filed"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                count_total=Tally("counts", distinct=True),
                count_pending=Tally("counts", filter=Q(counts__disposition=Disposition.PENDING), distinct=True),
            )
        )


class ProsecutionDetailView(InvestigationsOnlyMixin, ScopedDetailView):
    model = Prosecution
    template_name = "cases/prosecutions/detail.html"
    select_related = ("investigation", "prosecuting_agency", "defendant", "created_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, pr = self.request.user, self.object
        context.update(
            counts=Count.objects.visible_to(user).filter(prosecution=pr).select_related("statute"),
            court_events=CourtEvent.objects.visible_to(user).filter(prosecution=pr),
            can_change=access.can(user, "prosecution.change", pr),
            # The defendant, when the viewer may see the person (the page names them: logged).
            defendant=pr.defendant if access.is_visible(user, pr.defendant) else None,
        )
        return context


class ProsecutionCreateView(InvestigationsOnlyMixin, ScopedCreateView):
    model = Prosecution
    form_class = ProsecutionForm
    action = "prosecution.add"
    template_name = "cases/prosecutions/form.html"
    success_message = "Prosecution {object.reference} is filed. Add its counts and court dates."

    def get_parent(self):
        return get_object_or_404(Investigation.objects.visible_to(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["investigation"] = self.parent
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["investigation"] = self.parent
        context["people_offered"] = list(context["form"].fields["defendant"].queryset)
        return context

    def save(self, form):
        prosecution = form.save(commit=False)
        prosecution.investigation = self.parent
        return steps.file_prosecution(self.request.user, prosecution)

    def get_success_url(self):
        return reverse("web:prosecution_detail", args=[self.object.pk])


class ProsecutionUpdateView(InvestigationsOnlyMixin, ScopedUpdateView):
    model = Prosecution
    form_class = ProsecutionForm
    action = "prosecution.change"
    template_name = "cases/prosecutions/form.html"
    success_message = "Prosecution {object.reference} is saved."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["investigation"] = self.object.investigation
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people_offered"] = list(context["form"].fields["defendant"].queryset)
        return context

    def get_success_url(self):
        return reverse("web:prosecution_detail", args=[self.object.pk])


class ProsecutionChildMixin(InvestigationsOnlyMixin):
    """A count or court date, recorded or corrected under its prosecution (404 out of scope, 403 by role)."""

    action = "prosecution.change"
    template_name = "cases/prosecutions/child_form.html"
    #: What the page is called ("Add a count"), and the anchor of its list on the prosecution page.
    page_title = ""
    anchor = ""

    def get_prosecution(self) -> Prosecution:
        raise NotImplementedError

    def check_access(self) -> None:
        # The action is checked on the prosecution, not on the count or court date itself.
        if not access.sees_investigations(self.request.user):
            raise Http404("No such page.")
        self.parent = self.prosecution = self.get_prosecution()
        require(self.request.user, self.action, self.prosecution)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class is CountForm:
            kwargs["prosecution"] = self.prosecution
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(prosecution=self.prosecution, page_title=self.page_title, is_new=self.object is None)
        return context

    def save(self, form):
        return steps.save_in_prosecution(self.request.user, form.save(commit=False), self.prosecution)

    def get_success_url(self):
        return reverse("web:prosecution_detail", args=[self.prosecution.pk]) + f"#{self.anchor}"


class ChildCreateView(ProsecutionChildMixin, ScopedCreateView):
    def get_prosecution(self):
        return get_object_or_404(Prosecution.objects.visible_to(self.request.user), pk=self.kwargs["pk"])


class ChildUpdateView(ProsecutionChildMixin, ScopedUpdateView):
    def get_prosecution(self):
        self.object = get_object_or_404(
            self.model.objects.visible_to(self.request.user).select_related("prosecution"), pk=self.kwargs["pk"]
        )
        return self.object.prosecution

    def get_object(self, queryset=None):
        return self.object


class CountCreateView(ChildCreateView):
    model = Count
    form_class = CountForm
    page_title = "Add a count"
    anchor = "counts"
    success_message = "Count {object.number} is added."


class CountUpdateView(ChildUpdateView):
    model = Count
    form_class = CountForm
    page_title = "Count {number}: disposition and sentence"
    anchor = "counts"
    success_message = "Count {object.number} is saved."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title.format(number=self.object.number)
        return context


class CourtEventCreateView(ChildCreateView):
    model = CourtEvent
    form_class = CourtEventForm
    page_title = "Add a court date"
    anchor = "court-dates"
    success_message = "The court date is added: {object}."


class CourtEventUpdateView(ChildUpdateView):
    model = CourtEvent
    form_class = CourtEventForm
    page_title = "Edit the court date"
    anchor = "court-dates"
    success_message = "The court date is saved: {object}."


class CourtEventStatusView(ChildUpdateView):
    model = CourtEvent
    form_class = CourtEventStatusForm
    page_title = "What happened to the court date?"
    anchor = "court-dates"

    def save(self, form):
        event = super().save(form)
        self.success_message = f"The {event.get_kind_display().lower()} is now {event.get_status_display().lower()}."
        return event
