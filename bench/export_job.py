"""An export of all contacts through a real worker process, and a worker killed in the middle.

    DATABASE_URL=postgres://… python -m bench.export_job <username> [csv|xlsx] [--kill]

Starts `manage.py db_worker` (the database backend) as a child process, asks for the export
as the user, follows the job (as the progress bar does) and samples the worker's peak
resident memory (VmHWM) while it writes. Prints one JSON line: seconds from asking to done,
rows counted and written, the file's last line (CSV) and size, the worker's peak memory.

With --kill the worker is killed (SIGKILL) once the job has written 20,000 rows; the job
is then left "running" with no worker, and `fail_stale` (run by `purge_exports` and every
worker, here with EXPORT_STALE_SECONDS=5) must turn it "failed" and delete its partial file,
never "done".
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import served

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.settings")
os.environ.setdefault("TASKFORCE_MODE", "test")
os.environ["TASKS_BACKEND"] = "database"
os.environ.setdefault("EXPORT_STALE_SECONDS", "5")


def main(username: str, fmt: str = "csv", kill: bool = False) -> None:
    import django

    django.setup()
    from agencies.models import User
    from exports import service, writing
    from exports.models import ExportJob

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        started = time.perf_counter()
        job = service.start_export(User.objects.get(username=username), "contact-list", "", fmt)
        peak, killed_at, seen = 0.0, None, []
        while True:
            time.sleep(0.25)
            peak = max(peak, served.peak_mb(worker.pid))
            job.refresh_from_db()
            seen.append(job.status)
            if kill and killed_at is None and job.rows_written >= 20000:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                killed_at = job.rows_written
            if job.is_finished or (killed_at is not None and time.perf_counter() - started > 600):
                break
            if killed_at is not None:
                time.sleep(6)
                after_kill = ExportJob.objects.get(pk=job.pk).status
                partial = job.path.exists()
                writing.fail_stale()
                job.refresh_from_db()
                result = {
                    "killed_after_rows": killed_at,
                    "status_after_kill": after_kill,
                    "partial_file_left_by_worker": partial,
                    "status_after_fail_stale": job.status,
                    "file_after": job.path.exists() if job.file_name else False,
                    "error": job.error,
                    "ever_done": "done" in seen,
                }
                print(json.dumps(result))
                return
        seconds = time.perf_counter() - started
        last = ""
        if job.is_downloadable and fmt == "csv":
            with open(job.path, "rb") as handle:
                handle.seek(max(0, job.size - 64))
                last = handle.read().decode().strip().splitlines()[-1]
        result = {
            "format": fmt,
            "status": job.status,
            "seconds": round(seconds, 1),
            "rows_total": job.rows_total,
            "rows_written": job.rows_written,
            "last_line": last,
            "megabytes": round((job.size or 0) / 2**20, 1),
            "worker_peak_rss_mb": round(peak, 1),
            "error": job.error,
        }
        if job.is_downloadable:
            job.path.unlink()
        print(json.dumps(result))
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(args[0], args[1] if len(args) > 1 else "csv", kill="--kill" in sys.argv)
