"""gunicorn as docs/DEPLOYMENT.md runs it, on a free loopback port, for the harness's HTTP figures."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, headers: dict, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5).read()
            return
        except Exception:  # not up yet
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def environment(database_url: str, **extra: str) -> dict:
    """The server's environment: the bench database, its own settings mode, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKFORCE_MODE": "test",
        # One token sends every request, so the per-user throttle is lifted for the harness.
        "API_USER_RATE": "10000000/min",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = 2, timeout: int = 60):
    """Yields (base URL, the server's process); sync workers and --timeout as deployed."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "taskforce.wsgi:application",
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def children(pid: int) -> list[int]:
    """The processes a process started (gunicorn's workers)."""
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_mb(pid: int) -> float:
    """The process's peak resident size so far (VmHWM), in MB; 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
