"""`{% idempotency_field %}`: the hidden key that makes a form safe to send twice.

Put it in every form that creates a record, beside `{% csrf_token %}`. A form shown again
after an error keeps the key it was sent with (nothing was saved under it yet).
"""

import uuid

from django import template
from django.utils.html import format_html

from idempotency.service import valid_key
from idempotency.web import FIELD

register = template.Library()


@register.simple_tag(takes_context=True)
def idempotency_field(context, form=None):
    """The key the form was sent with when it is shown again with errors; else a new one."""
    request = context.get("request")
    form = form if form is not None else context.get("form")
    sent = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    shown_again = form is None or getattr(form, "is_bound", False)
    key = sent if shown_again and valid_key(sent) else str(uuid.uuid4())
    return format_html('<input type="hidden" name="{}" value="{}" data-idempotency-key>', FIELD, key)
