"""Template helpers of the workflow pages: where a record lives, its notes, voiding."""

from __future__ import annotations

from django import template
from django.urls import reverse

from cases import access
from cases.models import (
    Contact,
    CustodyHandoff,
    Detention,
    Investigation,
    Location,
    Note,
    Operation,
    Person,
    Prosecution,
    Referral,
    ReliefRequest,
    ServiceOffer,
    VoidableModel,
)

register = template.Library()

# Which page shows each kind of record (tests/test_registries.py checks each resolves).
_DETAIL_URLS = {
    Referral: "web:referral_detail",
    CustodyHandoff: "web:handoff_detail",
    Detention: "web:detention_detail",
    Person: "web:person_detail",
    Operation: "web:operation_detail",
    Contact: "web:contact_detail",
    Investigation: "web:investigation_detail",
    Prosecution: "web:prosecution_detail",
    ReliefRequest: "web:relief_detail",
}


def url_for(obj) -> str:
    """The page that shows a record (or the record it belongs to)."""
    if isinstance(obj, ServiceOffer):
        obj = obj.referral or obj.contact
    elif isinstance(obj, Note):
        obj = obj.target
    elif isinstance(obj, Location):
        obj = obj.operation
    # A record without a page of its own is a bug to fix here, not a link to the home page.
    return reverse(_DETAIL_URLS[type(obj)], args=[obj.pk])


@register.simple_tag
def record_url(obj) -> str:
    return url_for(obj)


def note_target_name(target) -> str | None:
    for name in ("operation", "person", "referral"):
        if type(target).__name__.lower() == name:
            return name
    return None


@register.simple_tag
def void_url(obj) -> str:
    return reverse("web:void", args=[obj._meta.label_lower, obj.pk])


@register.simple_tag(takes_context=True)
def may_void(context, obj) -> bool:
    request = context.get("request")
    return bool(
        request and isinstance(obj, VoidableModel) and not obj.is_voided and access.can(request.user, "void", obj)
    )


@register.simple_tag(takes_context=True)
def notes_for(context, target):
    """The notes on a record that the user may read, newest first."""
    request = context.get("request")
    name = note_target_name(target)
    if request is None or name is None:
        return Note.objects.none()
    return (
        Note.objects.visible_to(request.user)
        .filter(**{name: target})
        .select_related("agency", "created_by", "voided_by")
    )


@register.simple_tag
def note_create_url(target) -> str:
    return reverse("web:note_create", args=[note_target_name(target), target.pk])


@register.filter
def staff_name(user, fallback: str = "") -> str:
    """A staff member's full name, else username; `fallback` when there is nobody."""
    if user is None:
        return fallback
    return user.get_full_name() or user.username
