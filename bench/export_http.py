"""An export of all contacts through gunicorn as deployed, written by a real worker, downloaded over HTTP.

    DATABASE_URL=postgres://… python -m bench.export_http <username> [csv] [xlsx]

Starts gunicorn as docs/DEPLOYMENT.md runs it (sync workers, `--timeout 60`) and one
`manage.py db_worker` (the database backend), both with the same environment. As the user,
through an API token and over the loopback:
1. `POST /api/v1/exports/` asks for the contact list as a file (timed: the request is short);
2. `GET /api/v1/exports/<id>/` is followed every half second, as the progress bar does;
3. `GET /api/v1/exports/<id>/file/` downloads the file through gunicorn, in 1 MB reads.
The download is then checked whole, the way a user's program would: the CSV is parsed and its
data rows counted against its last line ("# rows: N") and the job's count; in the XLSX the
rows of every data sheet are counted against the "Manifest" sheet's "Rows". Peak resident
memory (VmHWM) of the worker and of each gunicorn worker is sampled throughout.

Prints one JSON line per format; "complete" is true only when every count agrees.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile

from . import served

CHUNK = 2**20


def _call(method: str, url: str, token: str, body: dict | None = None):
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers |= {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
    return urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method), timeout=120)


class Peaks:
    """The highest VmHWM seen of the worker and of gunicorn's workers (which come and go)."""

    def __init__(self, worker: int, server: int):
        self.worker_pid, self.server_pid = worker, server
        self.worker = self.server = 0.0

    def sample(self) -> None:
        self.worker = max(self.worker, served.peak_mb(self.worker_pid))
        for pid in served.children(self.server_pid):
            self.server = max(self.server, served.peak_mb(pid))


def count_csv(path: str) -> tuple[int, str]:
    """(data rows, the last line) of a downloaded CSV, parsed as CSV (narratives hold line breaks)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)  # the heading
        rows, last = 0, []
        for line in reader:
            rows, last = rows + 1, line
    # The count line is a row of its own: the rows above it are the data.
    return rows - 1, ",".join(last)


def count_xlsx(path: str) -> tuple[int, str]:
    """(data rows on every data sheet, the manifest's "Rows" line): rows counted in the sheets' XML."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    manifest = dict(row[:2] for row in book["Manifest"].iter_rows(values_only=True))
    book.close()
    rows = 0
    with zipfile.ZipFile(path) as archive:
        for index, name in enumerate(names, start=1):
            if name == "Manifest":
                continue
            with archive.open(f"xl/worksheets/sheet{index}.xml") as sheet:
                tail = b""  # 5 bytes: a closing tag cut between two reads is counted once, never twice
                while block := sheet.read(CHUNK):
                    text = tail + block
                    rows += text.count(b"</row>")
                    tail = text[-5:]
            rows -= 1  # the heading
    return rows, f"Rows | {manifest.get('Rows')} ({len(names) - 1} data sheet(s))"


def export(base: str, token: str, fmt: str, peaks: Peaks) -> dict:
    started = time.perf_counter()
    answer = _call("POST", f"{base}/api/v1/exports/", token, {"list": "contact-list", "format": fmt})
    asked_ms = (time.perf_counter() - started) * 1000
    job = json.loads(answer.read())
    location = base + answer.headers["Location"]
    polls = 0
    while job["status"] in ("queued", "running"):
        time.sleep(0.5)
        peaks.sample()
        job = json.loads(_call("GET", location, token).read())
        polls += 1
    written_s = time.perf_counter() - started
    result = {
        "format": fmt,
        "status": job["status"],
        "ask_ms": round(asked_ms, 1),
        "seconds_to_done": round(written_s, 1),
        "progress_polls": polls,
        "rows_total": job["rows_total"],
        "rows_written": job["rows_written"],
        "error": job["error"],
    }
    if job["status"] != "done":
        return result | {"complete": False}
    downloaded = time.perf_counter()
    size = 0
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as copy:
        with _call("GET", base + job["file"], token) as response:
            status = response.status
            while block := response.read(CHUNK):
                copy.write(block)
                size += len(block)
                peaks.sample()
        copy.flush()
        download_s = time.perf_counter() - downloaded
        rows, last = count_csv(copy.name) if fmt == "csv" else count_xlsx(copy.name)
    expected_last = f"# rows: {job['rows_written']}" if fmt == "csv" else f"Rows | {job['rows_written']}"
    return result | {
        "download_status": status,
        "download_seconds": round(download_s, 1),
        "megabytes": round(size / 2**20, 1),
        "rows_in_file": rows,
        "last_line": last,
        "complete": rows == job["rows_written"] == job["rows_total"] and last.startswith(expected_last),
    }


def main(username: str, formats: list[str]) -> None:
    import django

    django.setup()
    from agencies.models import User
    from apitokens.models import ApiToken

    _, token = ApiToken.objects.create(user=User.objects.get(username=username), name="Harness export")
    with tempfile.TemporaryDirectory() as folder:
        env = served.environment(os.environ["DATABASE_URL"], TASKS_BACKEND="database", EXPORT_DIR=folder)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
            cwd=served.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with served.gunicorn(env, workers=3, timeout=60) as (base, server):
                served.wait_ready(f"{base}/api/v1/", {"Authorization": f"Token {token}"})
                for fmt in formats:
                    peaks = Peaks(worker.pid, server.pid)
                    result = export(base, token, fmt, peaks)
                    peaks.sample()
                    result |= {
                        "worker_peak_rss_mb": round(peaks.worker, 1),
                        "gunicorn_peak_rss_mb": round(peaks.server, 1),
                    }
                    print(json.dumps(result), flush=True)
        finally:
            worker.terminate()
            worker.wait()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or ["csv"])
