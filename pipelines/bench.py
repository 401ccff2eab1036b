"""The benchmark: how fast a build is against the read floor, and how fast the pages' queries are.

    python -m pipelines.bench [--scales 0.1 1] [--formats csv parquet] [--repeat 20] [--json FILE]
                              [--cold-start] [--workdir DIR]

For each scale and format it generates the demo workspace (pipelines/demo.py), then measures in one
run on the same files:
- build: a full `pipelines.build` in a subprocess (so peak RSS is the build's own), with time per step;
- rebuild: the same build again after one new ticket is appended to the tickets export, reusing the
  staged tables of every other export (pipelines/stage_cache.py);
- floor: DuckDB reading every file once and parsing its timestamps, with nothing else;
- queries: every question the pages ask, through pipelines/query.py, uncached, p50 and p95;
- cold start (with --cold-start): a fresh `streamlit run app.py` to a rendered Overview in Chromium.
Figures go to stdout and to a JSON file. Performance goals live here, never in a timed unit test.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines import demo, query, summary
from pipelines.contract import TABLES

ROOT = Path(__file__).resolve().parent.parent
BENCH_WEEKS = 52


def _build_in_subprocess(workspace: Path, out: Path) -> dict:
    """A full build in a child process: its wall time, its peak RSS and its per-step times."""
    code = (
        "import json, resource, sys; from pipelines.build import build; "
        "r = build(sys.argv[1], sys.argv[2]); "
        "print(json.dumps({'steps': r.model_seconds, 'reused': r.reused, "
        "'peak_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, str(workspace), str(out)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "seconds": seconds, "peak_rss_mb": figures["peak_kb"] / 1024, "steps": figures["steps"],
        "reused": figures["reused"],
    }


def append_ticket(workspace: Path, fmt: str):
    """A tiny edit, as the next export of a support tool makes: one more ticket at the end of the file,
    a copy of the first one under a new id."""
    path = workspace / f"tickets.{fmt}"
    if fmt == "parquet":
        table = pq.read_table(path)
        first = table.slice(0, 1)
        ids = table.column("ticket_id")
        new_id = pa.array([pc.max(ids).as_py() + 1], ids.type)
        pq.write_table(pa.concat_tables([table, first.set_column(0, "ticket_id", new_id)]), path)
        return
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first = next(row for row in reader if len(row) == len(header))
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        ends_with_newline = handle.read(1) == b"\n"
    with open(path, "a", newline="", encoding="utf-8") as handle:
        if not ends_with_newline:
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerow([f"bench-{first[0]}", *first[1:]])


def _read_floor(workspace: Path) -> float:
    """DuckDB reading every export once and parsing its timestamps: the least a build can cost."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    started = time.perf_counter()
    for table in TABLES.values():
        for path in sorted(workspace.glob(f"{table.name}.*")):
            reader = "read_parquet(?)" if path.suffix == ".parquet" else "read_csv(?, all_varchar = true)"
            stamps = [f"try_cast(cast({c} as varchar) as timestamptz)" for c in table.timestamp_columns]
            measures = ", ".join([*(f"max({s})" for s in stamps), "count(*)"])
            con.execute(f"select {measures} from {reader}", [str(path)]).fetchall()
    return time.perf_counter() - started


def page_questions(cur) -> dict[str, tuple]:
    """Every query the Overview and Data pages make, with the arguments a typical view passes."""
    week = query.default_week(cur)
    return {
        "weeks": (query.weeks,),
        "default_week": (query.default_week,),
        "status_grid": (query.status_grid, None),
        "outcome_cohorts": (query.outcome_cohorts, None),
        "coordination_weekly": (query.coordination_weekly, None),
        "org_changes": (query.org_changes,),
        "week_summary": (summary.week_summary, week),
        "sources": (query.sources,),
        "reject_reasons": (query.reject_reasons,),
        "rejects": (query.rejects,),
    }


def _query_times(db: Path, repeat: int) -> dict[str, dict]:
    cur = query.cursor_of(query.attach(db))
    figures = {}
    for name, (function, *args) in page_questions(cur).items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            function(cur, *args)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        figures[name] = {"p50_ms": statistics.median(times), "p95_ms": times[max(0, round(0.95 * repeat) - 1)]}
    return figures


def _cold_start(workspace: Path, db: Path) -> float:
    """Seconds from `streamlit run` to an Overview with its charts drawn, in headless Chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import CHROMIUM, CHROMIUM_ARGS, serve, settled
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as logs, serve(
        {"SEAMS_WORKSPACE": str(workspace), "SEAMS_DB": str(db)}, Path(logs) / "server.log"
    ) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "/")
        settled(page)
        page.get_by_test_id("stVegaLiteChart").first.locator("svg, canvas").first.wait_for()
        seconds = time.perf_counter() - started
        browser.close()
    return seconds


def run(scales: list[float], formats: list[str], repeat: int, workdir: Path, cold_start: bool) -> dict:
    results = []
    for scale in scales:
        for fmt in formats:
            workspace = workdir / f"scale-{scale}-{fmt}"
            started = time.perf_counter()
            # The demo's scale counts sign-ups per 39 weeks (scale 1 = 1M); the benchmark's spreads
            # the same 1M sign-ups over 52 weeks.
            counts = demo.generate(workspace, scale=scale * 39 / BENCH_WEEKS, fmt=fmt, weeks=BENCH_WEEKS)
            generated = time.perf_counter() - started
            db = workdir / f"scale-{scale}-{fmt}.duckdb"
            floor = _read_floor(workspace)
            build = _build_in_subprocess(workspace, db)
            queries = _query_times(db, repeat)
            append_ticket(workspace, fmt)
            rebuild = _build_in_subprocess(workspace, db)
            row = {
                "scale": scale, "format": fmt, "rows": counts, "generate_seconds": generated,
                "build_seconds": build["seconds"], "floor_seconds": floor, "ratio": build["seconds"] / floor,
                "peak_rss_mb": build["peak_rss_mb"], "steps": build["steps"], "queries": queries,
                "rebuild_seconds": rebuild["seconds"], "rebuild_ratio": rebuild["seconds"] / build["seconds"],
                "rebuild_peak_rss_mb": rebuild["peak_rss_mb"], "rebuild_reused": rebuild["reused"],
                "rebuild_steps": rebuild["steps"],
            }
            if cold_start:
                row["cold_start_seconds"] = _cold_start(workspace, db)
            results.append(row)
            _print_row(row)
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "duckdb": duckdb.__version__},
        "results": results,
    }


def _print_row(row: dict):
    slowest = max(row["queries"].items(), key=lambda item: item[1]["p95_ms"])
    steps = sorted(row["steps"].items(), key=lambda item: -item[1])[:3]
    print(
        f"scale {row['scale']:<5} {row['format']:<8} build {row['build_seconds']:6.2f} s  floor "
        f"{row['floor_seconds']:6.2f} s  ratio {row['ratio']:4.2f}  peak RSS {row['peak_rss_mb']:7.0f} MB  "
        f"slowest query p95 {slowest[1]['p95_ms']:6.1f} ms ({slowest[0]})"
        + (f"  cold start {row['cold_start_seconds']:.1f} s" if "cold_start_seconds" in row else "")
        + f"  rebuild after one new ticket {row['rebuild_seconds']:6.2f} s ({row['rebuild_ratio']:.0%} of build)",
        flush=True,
    )
    print("    slowest steps: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=["csv", "parquet"])
    parser.add_argument("--repeat", type=int, default=20, help="runs of each page query")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--cold-start", action="store_true", help="also time a cold start in Chromium")
    parser.add_argument("--workdir", type=Path, help="where workspaces are generated (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        figures = run(args.scales, args.formats, args.repeat, workdir, args.cold_start)
    args.json.write_text(json.dumps(figures, indent=2, default=str))
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
