"""Timing one URL in-process: median and 95th percentile after warm-up, and query counts."""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _consume(response) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def time_url(client, url: str, repeat: int, warmup: int, budget_seconds: float = 30) -> dict:
    """Server time in milliseconds as the Django test client sees it (no network).

    A target far over its limit stops after three timed requests once it has used its
    time budget, so one slow page cannot hold up the whole run.
    """
    status = None
    started = time.perf_counter()
    for _ in range(warmup):
        status = client.get(url).status_code
        if time.perf_counter() - started > budget_seconds:
            break  # one warm-up is enough for a page this slow
    # A page whose single request exceeds the budget is timed once.
    minimum = 1 if warmup and time.perf_counter() - started > budget_seconds else 3
    times, queries = [], []
    spent = time.perf_counter()
    for _ in range(repeat):
        if len(times) >= minimum and time.perf_counter() - spent > budget_seconds:
            break
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            _consume(response)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
        status = response.status_code
    return {
        "status": status,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": max(queries),
        "queries_min": min(queries),
        "samples": len(times),
    }


def time_sql(statements: list[tuple[str, dict]], repeat: int, warmup: int) -> dict:
    def run_all():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    for _ in range(warmup):
        run_all()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_all()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95), "queries": len(statements)}


def middle_cursor_url(url_name: str, user) -> str:
    """The API list's page that starts halfway through the user's whole list (a cursor URL).

    Finding the middle row counts and offsets once, here; the page itself does neither.
    """
    from django.urls import resolve, reverse

    from cases.api.pagination import encode_cursor, order_by_keys, ordering_keys

    base = reverse(url_name)
    viewset = resolve(base).func.cls
    model = viewset.model
    terms = list(getattr(viewset, "ordering", None) or model._meta.ordering or [])
    if not any(term.lstrip("-") in ("id", "pk") for term in terms):
        terms.append("-id" if terms and terms[0].startswith("-") else "id")
    rows = model.objects.visible_to(user).order_by(*order_by_keys(ordering_keys(model, terms)))
    total = rows.count()
    if total < 2:
        return base
    return f"{base}?cursor={encode_cursor(rows.values_list('pk', flat=True)[total // 2])}"
