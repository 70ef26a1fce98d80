"""Detentions and charges: law enforcement, prosecutors and the coordinator only.

Other roles' querysets are empty (cases.access), so every page answers 404 for them.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from cases import access
from cases.forms.detentions import ChargeFormSet, DetentionForm
from cases.models import Charge, Detention, DetentionOutcome
from cases.templatetags.workflows import url_for

from .base import ScopedCreateView, ScopedDetailView, ScopedListView
from .workflow_base import SourceMixin, my_agency


class DetentionsOnlyMixin:
    def check_access(self) -> None:
        # Service providers and caseworkers never learn that detentions exist.
        if not access.sees_detentions(self.request.user):
            raise Http404("No such page.")
        super().check_access()


class DetentionCreateView(DetentionsOnlyMixin, SourceMixin, ScopedCreateView):
    model = Detention
    form_class = DetentionForm
    action = "detention.add"
    template_name = "cases/detentions/form.html"
    nav_section = "detention"
    success_message = "The detention of {object.person.reference} was recorded."

    def get_parent(self):
        return self.get_source()

    def get_initial(self):
        return {"detained_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_formset(self):
        if self.request.method == "POST":
            return ChargeFormSet(self.request.POST, instance=Detention())
        return ChargeFormSet(instance=Detention())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("charges", self.get_formset())
        context.update(self.source_context())
        return context

    def post(self, request, *args, **kwargs):
        self.object = None
        form = self.get_form()
        charges = self.get_formset()
        if "add_charge" in request.POST:
            # "Add another charge" without scripts: the page again with one more block.
            return self.render_to_response(self.get_context_data(form=form, charges=charges.with_one_more()))
        if form.is_valid() and charges.is_valid():
            self.charges = charges
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form, charges=charges))

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, charges=getattr(self, "charges", None) or self.get_formset())
        )

    def prepare(self, obj) -> None:
        obj.person = self.person
        obj.contact = self.contact
        obj.agency = my_agency(self.request.user)

    def save(self, form):
        with transaction.atomic():
            detention = super().save(form)
            for charge, delete in self.charges.kept():
                if delete:
                    continue
                charge.detention = detention
                charge.full_clean()
                charge.save()
        return detention

    def get_success_url(self):
        return url_for(self.object)


class DetentionListView(DetentionsOnlyMixin, ScopedListView):
    model = Detention
    template_name = "cases/detentions/list.html"
    nav_section = "detention"
    select_related = ("person", "agency", "contact__operation")
    prefetch_related = ("charges",)
    sort_fields = {"detained": "detained_at", "outcome": "outcome"}
    default_sort = "-detained"

    def get_queryset(self):
        qs = super().get_queryset()
        outcome = self.request.GET.get("outcome")
        if outcome in DetentionOutcome.values:
            qs = qs.filter(outcome=outcome)
        if self.request.GET.get("pending") == "1":
            qs = qs.filter(pending=True)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["outcomes"] = DetentionOutcome.choices
        context["outcome"] = self.request.GET.get("outcome", "")
        context["pending"] = self.request.GET.get("pending") == "1"
        context["is_filtered"] = bool(context["outcome"] or context["pending"])
        return context


class DetentionDetailView(DetentionsOnlyMixin, ScopedDetailView):
    model = Detention
    template_name = "cases/detentions/detail.html"
    nav_section = "detention"
    select_related = ("person", "agency", "contact", "contact__operation", "created_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["charges"] = Charge.objects.visible_to(self.request.user).filter(detention=self.object)
        return context
