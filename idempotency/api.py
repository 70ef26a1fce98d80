"""The API: POST with an `Idempotency-Key` header runs once per user and key.

A repeat of the same request (same address, same body) gets the first answer again (same
status, body and ETag, plus `Idempotent-Replayed: true`); the same key with another request
answers 422 and changes nothing. Only 2xx answers are kept: after a 4xx the key is still free.
"""

from __future__ import annotations

import json
from functools import partial

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework import serializers
from rest_framework.response import Response

from . import service

HEADER = "Idempotency-Key"
MISMATCH_STATUS = 422
INVALID_KEY = "Send 1 to 100 visible ASCII characters, such as a UUID made for this request."


class IdempotentPostMixin:
    """For DRF views whose POST answers are safe to replay (not the token endpoint: a secret)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # signed in, allowed, not throttled
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return
        if not service.valid_key(key.strip()):
            raise serializers.ValidationError({HEADER: [INVALID_KEY]})
        handler = getattr(self, "post", None)
        if handler is not None:
            # dispatch() calls self.post next: wrap it, now that the user is known.
            self.post = partial(self._post_once, handler, key.strip())

    def _post_once(self, handler, key, request, *args, **kwargs):
        data = request.data
        sent = {name: data.getlist(name) for name in data} if hasattr(data, "getlist") else data

        def keep(response):
            if not 200 <= response.status_code < 300:
                return None
            return {
                "status_code": response.status_code,
                "body": json.dumps(response.data, cls=DjangoJSONEncoder),
                "etag": response.get("ETag", "")[:100],
                "location": response.get("Location", "")[:500],
            }

        def replay(row):
            headers = {"Idempotent-Replayed": "true"}
            if row.etag:
                headers["ETag"] = row.etag
            if row.location:
                headers["Location"] = row.location
            body = json.loads(row.body) if row.body else None
            self.note_replayed(body)
            return Response(body, status=row.status_code, headers=headers)

        def mismatch(row):
            return Response(
                {
                    "detail": (
                        f"This {HEADER} was already used for another request ({row.method} {row.path}, "
                        "with other data). Nothing was done: send a new key for a new request."
                    )
                },
                status=MISMATCH_STATUS,
            )

        return service.run_once(
            request.user,
            key,
            method="POST",
            path=request.path,
            fingerprint=service.fingerprint(sent),
            produce=lambda: handler(request, *args, **kwargs),
            keep=keep,
            replay=replay,
            mismatch=mismatch,
        )

    def note_replayed(self, body) -> None:
        """A replayed answer shows a record again: the view writes it to the access log."""
