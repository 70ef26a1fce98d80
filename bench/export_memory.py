"""Run in a child process: the CSV export of all contacts through an export job; time and peak memory.

    python -m bench.export_memory <username> [max-seconds]

The job is asked for as the user (exports.service) and written by the worker's own code
(exports.writing.run) in this process, so the figures are the worker's. A job is never cut
short: max-seconds is accepted for the harness's command line and ignored.

Prints one JSON line: "complete" is true only when the job is done and the rows written
equal the rows counted (the file's last line says so too). Peak memory is the process's
maximum resident size (getrusage), Django itself included (its size before is printed too).
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main(username: str, max_seconds: float = 0) -> None:
    import django

    django.setup()
    from agencies.models import User
    from exports import writing
    from exports.models import ExportJob

    user = User.objects.get(username=username)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    # Queued here and run by the worker's code in this process (no queue involved).
    job = ExportJob.objects.create(requested_by=user, list_name="contact-list", what="contacts", format="csv")
    status = writing.run(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    size = job.size or 0
    last = ""
    if job.is_downloadable:
        with open(job.path, "rb") as handle:
            handle.seek(max(0, size - 64))
            last = handle.read().decode("utf-8", "replace").strip().splitlines()[-1]
        job.path.unlink()
    print(
        json.dumps(
            {
                "status": status,
                "streaming": False,
                "through_job": True,
                "seconds": round(seconds, 2),
                "complete": status == "done" and job.rows_written == job.rows_total,
                "rows_per_second": round(job.rows_written / seconds) if seconds else None,
                "rows": job.rows_written,
                "rows_total": job.rows_total,
                "last_line": last,
                "error": job.error,
                "megabytes": round(size / 2**20, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "rss_before_mb": round(before_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0)
