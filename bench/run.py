"""The performance harness (`make bench`).

    python -m bench.run --database postgres://postgres@127.0.0.1:5432/bench --scale 0.05

Creates the database if missing, migrates it, fills it with `generate_data` at the
given scale when it holds no generated data yet, then measures every target as the
coordinator, a scoped officer, a scoped advocate and a prosecutor; each report against
hand-written SQL counting the same records, for each of them; the export of all contacts
through gunicorn as deployed and a real worker, downloaded and checked whole
(bench/export_http.py: time, peak memory); and the API operations list under load
(gunicorn, 2 workers, wrk). Prints a table and writes the figures as JSON. Timings are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {"p95_ms": 60, "queries": 12, "report_ratio": 1.5, "export_mb": 250, "rps": 150}


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # Each subject sends hundreds of API requests a minute: the per-user throttle (1,000/min)
    # is lifted, as for the load test, or a subject's last targets are timed as 429s.
    os.environ.setdefault("API_USER_RATE", "10000000/min")
    os.environ.setdefault("TASKFORCE_MODE", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(scale: float) -> None:
    from django.core.management import call_command

    from agencies.models import Agency

    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(short_name="GEN-HTTF").exists():
        started = time.monotonic()
        call_command("generate_data", scale=scale)
        print(f"generated scale {scale} in {time.monotonic() - started:.0f} s")


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    mem = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "?"
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 2**20, 1),
        "postgresql": pg,
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def measure_targets(
    subjects, repeat: int, warmup: int, budget: float, only: list[str] | None = None, skip: list[str] | None = None
) -> list[dict]:
    from django.urls import NoReverseMatch

    from .measure import time_url
    from .targets import TARGETS

    rows = []
    for target in TARGETS:
        if only and not any(part.lower() in target.name.lower() for part in only):
            continue
        if skip and any(part.lower() in target.name.lower() for part in skip):
            continue
        for subject in subjects:
            row = {"target": target.name, "kind": target.kind, "as": subject.label}
            try:
                url = target.url(subject)
            except NoReverseMatch:
                row["note"] = "not available yet"
            except LookupError as error:
                row["note"] = str(error)
            else:
                row["url"] = url
                row.update(time_url(subject.client, url, repeat, warmup, budget))
            rows.append(row)
            _print_row(row)
    return rows


def _print_row(row: dict) -> None:
    if "median_ms" not in row:
        print(f"  {row['target']:<32} {row['as']:<12} {row.get('note', '')}")
        return
    flag = "" if row["p95_ms"] <= LIMITS["p95_ms"] and row["queries"] <= LIMITS["queries"] else "  <-- over target"
    if row["kind"] in ("report", "baseline"):
        flag = ""
    print(
        f"  {row['target']:<32} {row['as']:<12} {row['status']}  median {row['median_ms']:7.1f} ms"
        f"  p95 {row['p95_ms']:7.1f} ms  queries {row['queries']:3d}{flag}"
    )


def measure_reports_sql(subjects, rows: list[dict], repeat: int, warmup: int) -> list[dict]:
    """Each report's endpoint against hand-written SQL counting the same records, for each role."""
    from django.utils import timezone

    from .measure import time_sql
    from .report_sql import measures_sql, operation_sql, summary_sql
    from .scoped import within

    today = timezone.localdate()
    start = (today.replace(year=today.year - 1)).replace(day=1)
    out = []
    for subject in subjects:
        scoped = within(subject.user)
        sql_for = {
            "report: operation outcome": operation_sql(subject.operation, scoped) if subject.operation else None,
            "report: task-force summary": summary_sql(start, today, scoped),
            "report: performance measures": measures_sql(today.year, scoped),
        }
        for name, statements in sql_for.items():
            endpoint = next(
                (r for r in rows if r["target"] == name and r["as"] == subject.label and "median_ms" in r), None
            )
            if endpoint is None or statements is None or endpoint["status"] != 200:
                out.append({"report": name, "as": subject.label, "note": "not measured"})
                continue
            sql = time_sql(statements, repeat, warmup)
            ratio = endpoint["median_ms"] / sql["median_ms"] if sql["median_ms"] else None
            out.append(
                {
                    "report": name,
                    "as": subject.label,
                    "endpoint_ms": endpoint["median_ms"],
                    "sql_ms": sql["median_ms"],
                    "ratio": ratio,
                }
            )
            over = "  <-- over target" if ratio and ratio > LIMITS["report_ratio"] else ""
            print(
                f"  {name:<32} {subject.label:<12} endpoint {endpoint['median_ms']:7.1f} ms"
                f"  hand-written SQL {sql['median_ms']:7.1f} ms  ratio {ratio:5.2f}{over}"
            )
    return out


def measure_exports(url: str, username: str, formats: list[str]) -> list[dict]:
    """The export of all contacts as a user gets it: through gunicorn as deployed, a real worker, a download."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_http", username, *formats],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        return [{"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed", "complete": False}]
    results = [json.loads(line) for line in done.stdout.strip().splitlines() if line.startswith("{")]
    for result in results:
        part = "" if result["complete"] else f"  <-- INCOMPLETE ({result['status']}: {result['error']})"
        print(
            f"  {result['format'].upper()} of all contacts through gunicorn and a worker: asked in {result['ask_ms']} ms,"
            f" written in {result['seconds_to_done']} s ({result['rows_written']:,} of {result['rows_total']:,} rows),"
            f" downloaded {result.get('megabytes', 0)} MB in {result.get('download_seconds', '-')} s,"
            f" {result.get('rows_in_file', 0):,} rows in the file, last line {result.get('last_line', '')!r};"
            f" peak memory: worker {result['worker_peak_rss_mb']} MB, gunicorn worker {result['gunicorn_peak_rss_mb']} MB"
            f"{part}"
        )
    return results


def measure_load(url: str, subjects, seconds: int) -> dict:
    from django.urls import reverse

    from apitokens.models import ApiToken

    from .load import run_load

    _, key = ApiToken.objects.create(user=subjects[0].user, name="Load test")
    result = run_load(url, reverse("api:operation-list"), key, seconds=seconds)
    if "error" in result:
        print(f"  load test: {result['error']}")
    else:
        print(
            f"  load test, {result['url']} for {seconds} s with {result['connections']} connections:"
            f" {result['requests_per_second']:.0f} requests/s, {result['errors']} errors"
            f" ({result['non_2xx']} non-2xx; socket errors: {result['socket_errors']}),"
            f" latency p50 {result['latency_p50']}, p99 {result['latency_p99']}"
        )
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    )
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per target and user.")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--budget",
        type=float,
        default=30,
        help="Seconds per target and user after which a slow target stops at three samples.",
    )
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--export-format",
        action="append",
        choices=["csv", "xlsx"],
        help="Formats of the export of all contacts to time (repeatable; default csv).",
    )
    parser.add_argument(
        "--only", action="append", help="Measure only the targets whose name contains this (repeatable)."
    )
    parser.add_argument("--skip", action="append", help="Leave out the targets whose name contains this (repeatable).")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--output", help="Where to write the JSON figures (default bench/results/scale-<N>.json).")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, also in CI logs

    started = time.monotonic()
    ensure_database(args.database)
    setup_django(args.database)
    prepare(args.scale)
    from django.conf import settings

    from .subjects import pick_subjects

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    results: dict = {"scale": args.scale, "database": urlparse(args.database).path.lstrip("/"), "machine": machine()}
    subjects = pick_subjects()
    from taskforce import heap

    heap.settle()  # as the WSGI entry point does once the application is loaded
    results["subjects"] = [str(s) for s in subjects]
    print("Measuring as:\n" + "\n".join(f"  {s}" for s in subjects))
    print(f"Pages, API lists and reports ({args.repeat} timed requests each after {args.warmup} warm-up):")
    results["targets"] = measure_targets(subjects, args.repeat, args.warmup, args.budget, args.only, args.skip)
    print("Reports against hand-written SQL counting the same records (each role):")
    results["reports_vs_sql"] = measure_reports_sql(subjects, results["targets"], args.repeat, args.warmup)
    if not args.skip_export:
        print("Export (through gunicorn, as the coordinator):")
        results["exports"] = measure_exports(args.database, subjects[0].user.username, args.export_format or ["csv"])
    if not args.skip_load:
        print("Load:")
        results["load"] = measure_load(args.database, subjects, args.load_seconds)
    results["seconds"] = round(time.monotonic() - started, 1)
    output = Path(args.output or ROOT / "bench" / "results" / f"scale-{args.scale:g}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str))
    print(
        f"Done in {results['seconds']} s; figures in {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}"
    )
    broken = [
        f"{row['target']} as {row['as']}: {row['status']}"
        for row in results["targets"]
        if (row.get("status") or 0) >= 500
    ]
    broken += [
        f"export {e.get('format', '')}: {e.get('status', '')} {e.get('error', '')}".strip()
        for e in results.get("exports", [])
        if not e.get("complete")
    ]
    if broken:  # a smoke run (CI) must fail when a target no longer answers or a download is not whole
        sys.exit("Server errors or incomplete downloads:\n  " + "\n  ".join(broken))


if __name__ == "__main__":
    main()
