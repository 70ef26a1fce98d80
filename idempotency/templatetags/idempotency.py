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
def idempotency_field(context):
    request = context.get("request")
    sent = request.POST.get(FIELD, "") if request is not None and request.method == "POST" else ""
    key = sent if valid_key(sent) else str(uuid.uuid4())
    return format_html('<input type="hidden" name="{}" value="{}" data-idempotency-key>', FIELD, key)
