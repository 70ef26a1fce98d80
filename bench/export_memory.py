"""Run in a child process: stream the CSV export of all contacts and report time and peak memory.

    python -m bench.export_memory <username> [max-seconds]

With max-seconds the export is read for at most that long and the figures are those
of the part read (rows per second, peak memory so far); "complete" says which.

Prints one JSON line. Peak memory is the child's maximum resident size (getrusage):
everything the process held at once, Django itself included (its size before the
request is printed too). tracemalloc is left off because it slows the export down.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main(username: str, max_seconds: float = 0) -> None:
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from agencies.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    url = reverse("api:contact-list") + "?format=csv"
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get(url)
    size = rows = 0
    complete = True
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        size += len(chunk)
        rows += chunk.count(b"\n")
        if max_seconds and time.perf_counter() - started > max_seconds:
            complete = False
            break
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "status": response.status_code,
                "streaming": bool(response.streaming),
                "seconds": round(seconds, 2),
                "complete": complete,
                "rows_per_second": round(max(0, rows - 1) / seconds) if seconds else None,
                "rows": max(0, rows - 1),
                "megabytes": round(size / 2**20, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "rss_before_mb": round(before_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0)
