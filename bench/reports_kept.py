"""Report pages and API answers computed (REPORT_MAX_AGE_SECONDS=0) and kept (900), per subject.

    DATABASE_URL=postgres://…/bench1 python -m bench.reports_kept [--repeat 5]
The cache is the database's table unless REDIS_URL is set, as in production.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("TASKFORCE_MODE", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests of a kept report.")
    parser.add_argument("--computed-repeat", type=int, help="Timed requests of a computed one (default --repeat).")
    parser.add_argument("--kept-only", action="store_true", help="Time the kept answers only.")
    parser.add_argument("--only", help="Measure the targets whose name contains this text.")
    parser.add_argument("--subjects", help="Comma-separated labels, e.g. coordinator,officer (default all).")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from bench.measure import time_url
    from bench.subjects import pick_subjects
    from bench.targets import TARGETS

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("createcachetable", verbosity=0)
    wanted = [
        t for t in TARGETS if t.kind == "report" and "HTRS" not in t.name and (not args.only or args.only in t.name)
    ]
    labels = set(args.subjects.split(",")) if args.subjects else None
    for subject in pick_subjects():
        if labels is not None and subject.label not in labels:
            continue
        for target in wanted:
            try:
                url = target.url(subject)
            except LookupError:
                continue
            cells = []
            for age in (900,) if args.kept_only else (0, 900):
                settings.REPORT_MAX_AGE_SECONDS = age
                repeat = args.repeat if age else (args.computed_repeat or args.repeat)
                r = time_url(subject.client, url, repeat, 1 if age else 0, budget_seconds=20)
                cells.append(f"{r['median_ms']:.0f} / {r['p95_ms']:.0f} ms, {r['queries']} q")
            size = len(subject.client.get(url).content)
            print(f"| {target.name} | {subject.label} | {' | '.join(cells)} | {size / 1024:.0f} KB |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
