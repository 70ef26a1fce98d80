"""Template helpers for the staff pages: sort links, optional links, badges, related records via the policy."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from cases import access
from cases.disclosure import NOT_SHOWN, disclosure_for, label

from .workflows import url_for

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header link that sorts by `key`, toggling the direction."""
    current = context.get("current_sort") or ""
    base = context.get("querystring_without_sort") or ""
    if current == key:
        new, arrow, state = f"-{key}", " ▲", "ascending"
    elif current == f"-{key}":
        new, arrow, state = key, " ▼", "descending"
    else:
        new, arrow, state = key, "", None
    href = f"?{base}&sort={new}" if base else f"?sort={new}"
    if state:
        return format_html(
            '<a href="{}" aria-label="{}, sorted {}; select to reverse">{}{}</a>', href, label, state, label, arrow
        )
    return format_html('<a href="{}" aria-label="Sort by {}">{}</a>', href, label, label)


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """{% can "operation.change" operation as allowed %}: show a button only if allowed."""
    request = context.get("request")
    return bool(request and access.can(request.user, action, obj))


@register.simple_tag(takes_context=True)
def navigation(context):
    """{% navigation as nav %}: the primary navigation for the user's role (base.html)."""
    from cases.navigation import navigation as build

    request = context.get("request")
    return build(request)["nav"] if request is not None else None


@register.filter
def badge(value: str, label: str = "") -> str:
    return format_html('<span class="tf-badge tf-badge--{}">{}</span>', value, label or value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def include_if_exists(context, template_name: str, **extra):
    """Include a template that another part of the app provides, if it is there yet.

    Pages leave hooks this way for sections built elsewhere (notes, void controls):
    {% include_if_exists "cases/notes/_section.html" target=object %}.
    """
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        tpl = get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    with context.push(**extra):
        return tpl.render(context.flatten(), context.get("request"))


@register.simple_tag(takes_context=True)
def related(context, obj, link: bool = True):
    """{% related h.operation %}: a related record's name (linked), or "Not shown" outside the user's scope.

    Every page prints related records through this tag (cases.disclosure), so a record
    the user may not see is never named, nor linked, on a record it may.
    """
    request = context.get("request")
    if obj is None:
        return ""
    if request is None or not disclosure_for(request).sees(obj):
        return format_html('<span class="usa-hint">{}</span>', NOT_SHOWN)
    return format_html('<a href="{}">{}</a>', url_for(obj), label(obj)) if link else label(obj)


@register.simple_tag(takes_context=True)
def shown(context, obj):
    """{% shown c.operation as op %}: the related record if the user may see it, else None."""
    request = context.get("request")
    return disclosure_for(request).shown(obj) if request is not None and obj is not None else None


@register.simple_tag(takes_context=True)
def prime_related(context, objects, *paths):
    """{% prime_related page "contact.operation" %}: check a list's related records in one query per kind."""
    request = context.get("request")
    if request is not None and objects:
        disclosure_for(request).prime(objects, *paths)
    return ""
