"""Load test: gunicorn with 2 workers on the loopback, wrk for a bounded time, one API list."""

from __future__ import annotations

import re
import shutil
import subprocess

from . import served


def run_load(database_url: str, path: str, token: str, seconds: int = 20, connections: int = 8) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        return {"error": "wrk is not installed (apt-get install -y wrk)"}
    headers = {"Authorization": f"Token {token}"}
    with served.gunicorn(served.environment(database_url), workers=2) as (base, _):
        served.wait_ready(f"{base}{path}", headers)
        out = subprocess.run(
            [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
            + ["-H", f"Authorization: Token {token}", f"{base}{path}"],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return {
        "url": path,
        "seconds": seconds,
        "connections": connections,
        "requests": int(total.group(1)) if total else 0,
        "requests_per_second": float(rate.group(1)) if rate else 0.0,
        "errors": (int(non2xx.group(1)) if non2xx else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(0) if socket_errors else "none",
        "latency_p50": p50.group(1) if p50 else None,
        "latency_p99": p99.group(1) if p99 else None,
    }
