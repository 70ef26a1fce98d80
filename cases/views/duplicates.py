"""One person, one record: the review list of likely duplicates, the merge page, "not the
same person", and undoing a merge (the coordinator).

Every record is looked up in the user's scope (404 otherwise); the review list proposes
only pairs of people the user sees both of, so nobody learns of a record it may not see.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from cases import access, merging, people_search
from cases.forms.base import ScopedForm
from cases.models import Person, PersonMerge

from .base import MemberRequiredMixin, ScopedConfirmView, apply_validation_error, require
from .paging import page_of, pagination_context


def _person(user, pk) -> Person:
    return get_object_or_404(Person.objects.visible_to(user), pk=pk)


class DuplicateReviewView(MemberRequiredMixin, TemplateView):
    """Pairs of records that are likely one person, best first, each to merge or to set apart."""

    template_name = "cases/people/duplicates.html"
    nav_section = "person"
    paginate_by = 20

    def check_access(self) -> None:
        require(self.request.user, "person.review_duplicates")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Person.objects.visible_to(self.request.user)
        pairs = people_search.likely_pairs(visible)
        page = page_of(self.request, pairs, self.paginate_by)
        context.update(
            pagination_context(page),
            pairs=page.object_list,
            # The people this page shows, for the access log.
            shown_people=[person for pair in page.object_list for person in (pair.first, pair.second)],
        )
        return context


class MergeForm(ScopedForm):
    """Field by field: keep the survivor's value, or take the other record's."""

    confirm = forms.BooleanField(
        label="I have checked: these two records are one person.",
        error_messages={"required": "Tick the box to confirm these are one person."},
    )
    reason = forms.CharField(
        label="Why they are one person (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, survivor: Person, other: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for name in merging.CHOOSABLE_FIELDS:
            mine, theirs = _shown(survivor, name), _shown(other, name)
            if mine == theirs:
                continue
            label = str(Person._meta.get_field(name).verbose_name).capitalize()
            self.fields[f"take_{name}"] = forms.ChoiceField(
                label=label,
                choices=[("survivor", mine or "(empty)"), ("other", theirs or "(empty)")],
                initial="other" if not mine and theirs else "survivor",
                widget=forms.RadioSelect,
            )
            self.rows.append(name)

    def taken_from_other(self) -> list[str]:
        return [name for name in self.rows if self.cleaned_data.get(f"take_{name}") == "other"]

    def choice_fields(self):
        return [self[f"take_{name}"] for name in self.rows]


def _shown(person: Person, name: str) -> str:
    value = getattr(person, name)
    display = getattr(person, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


class PersonMergeView(MemberRequiredMixin, FormView):
    """Merge `other` into `pk` (the record that remains), choosing each differing field."""

    template_name = "cases/people/merge.html"
    nav_section = "person"
    form_class = MergeForm

    def check_access(self) -> None:
        user = self.request.user
        self.survivor = _person(user, self.kwargs["pk"])
        self.other = _person(user, self.kwargs["other"])
        if self.survivor.pk == self.other.pk:
            raise PermissionDenied("Choose two different records to merge.")
        merging.check_may_merge(user, self.survivor, self.other)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, survivor=self.survivor, other=self.other)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        likeness = people_search.likeness(self.survivor, self.other)
        context.update(
            survivor=self.survivor,
            other=self.other,
            survivor_counts=merging.attached_counts(user, self.survivor),
            other_counts=merging.attached_counts(user, self.other),
            likeness=likeness,
            swap_url=reverse("web:person_merge", args=[self.other.pk, self.survivor.pk]),
        )
        return context

    def form_valid(self, form):
        try:
            merge = merging.merge_people(
                self.request.user,
                self.survivor,
                self.other,
                take_from_other=form.taken_from_other(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{merge.merged.reference} was merged into {merge.survivor.reference}: "
            f"{merge.moved_count()} record{'s' if merge.moved_count() != 1 else ''} moved.",
        )
        return HttpResponseRedirect(reverse("web:person_detail", args=[merge.survivor.pk]))


class NotSamePersonView(MemberRequiredMixin, TemplateView):
    """POST: remember that two records are two people; they are not proposed again."""

    http_method_names = ["post"]

    def check_access(self) -> None:
        user = self.request.user
        self.first = _person(user, self.kwargs["pk"])
        self.second = _person(user, self.kwargs["other"])
        require(user, "person.review_duplicates")

    def post(self, request, *args, **kwargs):
        try:
            merging.mark_not_same(request.user, self.first, self.second)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"{self.first.reference} and {self.second.reference} are kept apart and will not be proposed again.",
            )
        return HttpResponseRedirect(reverse("web:person_duplicates"))


class UndoMergeForm(ScopedForm):
    pass


class PersonMergeUndoView(ScopedConfirmView):
    model = PersonMerge
    action = "person.unmerge"
    form_class = UndoMergeForm
    nav_section = "person"
    confirm_title = "Undo the merge of {object.merged.reference} into {object.survivor.reference}?"
    confirm_text = (
        "Every record moved by the merge goes back to {object.merged.reference}, and "
        "{object.survivor.reference} gets back the values it had. Both changes are kept in the history."
    )
    confirm_label = "Undo the merge"
    success_message = "The merge was undone: {object.merged.reference} is a record of its own again."

    def get_queryset(self):
        return super().get_queryset().select_related("survivor", "merged")

    def get_cancel_url(self) -> str:
        return reverse("web:person_detail", args=[self.object.survivor_id])

    def get_success_url(self) -> str:
        return reverse("web:person_detail", args=[self.object.merged_id])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page names both people: the access log says so.
        context["shown_people"] = [self.object.survivor, self.object.merged]
        return context

    def perform(self, obj, form) -> None:
        merging.undo_merge(self.request.user, obj)


def candidates_or_none(user, draft: Person, confirmed: bool) -> list:
    """The people a record being made or changed may duplicate, unless the user said it is new."""
    if confirmed:
        return []
    return people_search.candidates_for(Person.objects.visible_to(user), draft)


def may_merge(user) -> bool:
    return access.can(user, "person.merge")
