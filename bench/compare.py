"""Print a Markdown table of harness runs side by side (for docs/PERFORMANCE.md).

python -m bench.compare bench/results/scale-1.json bench/results/scale-10.json
python -m bench.compare "before=old.json" "after=new.json"   # a label of your own per run
"""

from __future__ import annotations

import json
import sys


def _cell(row: dict | None) -> str:
    if row is None:
        return "–"
    if "median_ms" not in row:
        return row.get("note", "–")
    return f"{row['median_ms']:.0f} / {row['p95_ms']:.0f} ms, {row['queries']} q"


def main(paths: list[str]) -> None:
    labelled = [path.split("=", 1) if "=" in path else (None, path) for path in paths]
    runs = [json.load(open(path)) for _, path in labelled]
    heads = [label or f"scale {run['scale']:g}" for (label, _), run in zip(labelled, runs)]
    print("| target | as | " + " | ".join(f"{h} (median / p95, queries)" for h in heads) + " |")
    print("|---|---|" + "---|" * len(runs))
    keys = []
    for run in runs:
        for row in run["targets"]:
            key = (row["target"], row["as"])
            if key not in keys:
                keys.append(key)
    for key in keys:
        cells = [_cell(next((r for r in run["targets"] if (r["target"], r["as"]) == key), None)) for run in runs]
        print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + " |")
    print()
    print("| report | as | " + " | ".join(f"{h}: endpoint / SQL = ratio" for h in heads) + " |")
    print("|---|---|" + "---|" * len(runs))
    # Older runs timed the coordinator only and did not say so.
    keys = list(dict.fromkeys((r["report"], r.get("as", "coordinator")) for r in runs[0]["reports_vs_sql"]))
    for name, who in keys:
        cells = []
        for run in runs:
            r = next((x for x in run["reports_vs_sql"] if (x["report"], x.get("as", "coordinator")) == (name, who)), {})
            cells.append(f"{r['endpoint_ms']:.0f} / {r['sql_ms']:.0f} ms = {r['ratio']:.1f}×" if "ratio" in r else "–")
        print(f"| {name} | {who} | " + " | ".join(cells) + " |")
    print()
    for head, run in zip(heads, runs):
        load = run.get("load", {})
        for e in run.get("exports", []):
            if "rows_written" in e:
                whole = "whole file" if e["complete"] else "INCOMPLETE"
                print(
                    f"- {head}: {e['format'].upper()} of all contacts through gunicorn ({whole}):"
                    f" {e['rows_written']:,} rows written in {e['seconds_to_done']} s,"
                    f" downloaded in {e.get('download_seconds', '-')} s ({e.get('megabytes', 0)} MB),"
                    f" peak memory worker {e['worker_peak_rss_mb']} MB, gunicorn {e['gunicorn_peak_rss_mb']} MB"
                )
        if "requests_per_second" in load:
            print(
                f"- {head}: load test on {load['url']}: {load['requests_per_second']:.0f} requests/s,"
                f" {load['errors']} errors, {load['requests']:,} requests in {load['seconds']} s,"
                f" latency p50 {load['latency_p50']}, p99 {load['latency_p99']}"
            )
        print(f"- {head}: machine load average during the run {run['machine'].get('load_average')}")


if __name__ == "__main__":
    main(sys.argv[1:])
