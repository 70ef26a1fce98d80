"""The notification pages: the list (read and unread), marking read, the e-mail preference,
and the count in the page header (an htmx fragment)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from cases.forms.base import UswdsFormMixin
from cases.views.base import CappedPaginator, MemberRequiredMixin
from cases.views.paging import pagination_context

from . import actions
from .models import EmailPreference, Notification

SHOWN = {"unread": {"read_at__isnull": True}, "read": {"read_at__isnull": False}, "all": {}}


class NotificationMixin(MemberRequiredMixin):
    view_action = "notification.view"
    nav_section = "notifications"


class NotificationListView(NotificationMixin, ListView):
    template_name = "notifications/list.html"
    paginate_by = 25
    paginator_class = CappedPaginator
    context_object_name = "notifications"

    def shown(self) -> str:
        value = self.request.GET.get("show", "all")
        return value if value in SHOWN else "all"

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        page = self.request.GET.get(self.page_kwarg, "")
        hint = int(page) if page.isdigit() and len(page) < 7 else 1
        return super().get_paginator(queryset, per_page, *args, page_hint=hint, **kwargs)

    def get_queryset(self):
        return (
            Notification.objects.visible_to(self.request.user)
            .filter(**SHOWN[self.shown()])
            .select_related("reminder")
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.shown()
        context.update(pagination_context(context.get("page_obj"), f"show={self.shown()}"))
        context["unread_count"] = actions.unread_count(self.request.user)
        context["filters"] = [("all", "All"), ("unread", "Unread"), ("read", "Read")]
        return context


class NotificationCountView(NotificationMixin, TemplateView):
    """The header's count, fetched by htmx when a page loads and every minute after."""

    template_name = "notifications/_count.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = actions.unread_count(self.request.user)
        return context


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


class MarkReadView(NotificationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        # Another user's notification is simply not found.
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        actions.mark_read(request.user, notification)
        if request.POST.get("open") and notification.link:
            return redirect(notification.link)
        messages.success(request, "Marked as read.")
        return _back(request)


class MarkAllReadView(NotificationMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        done = actions.mark_all_read(request.user)
        messages.success(request, f"{done} notification{'s' if done != 1 else ''} marked as read.")
        return _back(request)


class PreferenceForm(UswdsFormMixin, forms.Form):
    email = forms.ChoiceField(
        choices=EmailPreference.choices,
        widget=forms.RadioSelect,
        label="E-mail me about new notifications",
        help_text=(
            "The e-mail only counts what is new (“You have 2 referrals to acknowledge”) and links to the sign-in "
            "page: it never names a person or a record. Notifications always show here in the application."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class PreferenceView(NotificationMixin, FormView):
    template_name = "notifications/settings.html"
    form_class = PreferenceForm

    def get_initial(self):
        return {"email": actions.preference_of(self.request.user).email}

    def form_valid(self, form):
        actions.set_preference(self.request.user, form.cleaned_data["email"])
        messages.success(self.request, "Your e-mail preference is saved.")
        return redirect("notifications:settings")
