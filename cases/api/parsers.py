"""The API's JSON parser, bounded in depth, so no body can exhaust the server.

Python's decoder raises RecursionError on a body of thousands of nested brackets,
which used to answer a 500 HTML page. The size is bounded before parsing: DRF reads
JSON through request.body, which refuses more than DATA_UPLOAD_MAX_MEMORY_SIZE
(cases.api.exceptions turns that into a 413).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

# No request body of this API is more than a few levels deep (a detention with its charges).
MAX_DEPTH = 32


def too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest more than `limit` levels (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=json.strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(f"The JSON is nested too deeply (at most {MAX_DEPTH} levels).") from None
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from None
        if too_deep(data):
            raise ParseError(f"The JSON is nested too deeply (at most {MAX_DEPTH} levels).")
        return data
