"""Sessions querying while a rebuild swaps the built file in (PLATFORM.md "DuckDB from Streamlit").

Ten threads, as ten browser sessions, query through the app's own data access (ui/data.py: an
in-memory DuckDB per build with the file attached read-only, a cursor per query) while builds of
two different workspaces are swapped in again and again. Every answer must come whole from one build:
the build a session opened, never a mix of two.

The two workspaces, by hand (all sign-ups on Monday 2026-03-02, one cohort):
  A: u1, u2 signed up; u1 activated            -> cohort (2 sign-ups, 1 activated); signups.csv 2 loaded
  B: u1..u4 signed up; u1, u2, u3 activated    -> cohort (4 sign-ups, 3 activated); signups.csv 4 loaded
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from pipeline_helpers import make_workspace, toml

from pipelines.build import build
from ui import data

WEEK = dt.date(2026, 3, 2)
SESSIONS = 8
PINNED_SESSIONS = 2
EXPECTED = {"A": (2, 1, 2), "B": (4, 3, 4)}  # (cohort sign-ups, activated, signups.csv rows loaded)


def variant_files(variant: str) -> dict[str, str]:
    users, activated = {"A": (2, 1), "B": (4, 3)}[variant]
    return {
        "signups.csv": "user_id,signed_up_at\n" + "".join(f"u{i},2026-03-02T09:00:00Z\n" for i in range(1, users + 1)),
        "events.csv": "user_id,event,occurred_at\n"
        + "".join(f"u{i},activated,2026-03-04T09:00:00Z\n" for i in range(1, activated + 1)),
    }


def write_variant(ws: Path, variant: str, tick: int):
    for name, text in variant_files(variant).items():
        (ws / name).write_text(text)
        os.utime(ws / name, ns=(tick * 1_000_000_000, tick * 1_000_000_000))


def answer(build: data.Build, iteration: int) -> tuple:
    """One session's run: the questions a page asks, each on its own cursor of the build it opened."""
    info = data.run(build, "query.build_info")
    cohorts = data.run(build, "query.outcome_cohorts")
    sources = data.run(build, "query.sources")
    # A different limit each time: a cache miss, so a real query on a fresh cursor every run.
    data.run(build, "query.rejects", iteration)
    week = cohorts[cohorts["cohort_week"].dt.date == WEEK].iloc[0]
    loaded = int(sources.loc[sources["table_name"] == "signups", "rows_loaded"].iloc[0])
    return info["build_id"].iloc[0], (int(week["signups"]), int(week["activated"]), loaded)


def run_sessions(open_build, stop: threading.Event, sessions: int) -> tuple[list, list, list]:
    """`sessions` threads, each opening a build with `open_build()` and asking its questions until
    `stop` (or 60 s); returns (answers, errors, threads), the threads still running."""
    answers, errors = [], []
    lock = threading.Lock()

    def session():
        deadline = time.monotonic() + 60
        iteration = 0
        while not stop.is_set() and time.monotonic() < deadline:
            iteration += 1
            try:
                build = open_build()
                shown_id, figures = answer(build, iteration)
                with lock:
                    answers.append((build.build_id, shown_id, figures, build.version[0]))
            except Exception as exc:  # noqa: BLE001 - every error counts; the test asserts there are none
                with lock:
                    errors.append(repr(exc))
            time.sleep(0.02)  # a person between two clicks, much shortened: leaves the builder some CPU

    threads = [threading.Thread(target=session) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    return answers, errors, threads


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    ws = make_workspace(tmp_path / "ws", variant_files("A"), toml(as_of="2026-04-30"))
    db = tmp_path / "seams.duckdb"
    monkeypatch.setenv("SEAMS_WORKSPACE", str(ws))
    monkeypatch.setenv("SEAMS_DB", str(db))
    return ws, db


def test_sessions_querying_through_rebuilds_get_whole_answers_from_one_build(app_env):
    ws, _db = app_env
    variants = {data.rebuild().build_id: "A"}
    first = next(iter(variants))
    stop = threading.Event()
    latest_answers, latest_errors, latest_threads = run_sessions(data.open_latest, stop, SESSIONS)
    # Two more sessions opened a link pinned to the first build.
    pinned_answers, pinned_errors, pinned_threads = run_sessions(
        lambda: data.pinned_build(first)[0], stop, PINNED_SESSIONS
    )
    try:
        for tick, variant in enumerate(["B", "A", "B", "A"], start=1):
            write_variant(ws, variant, tick)
            variants[data.rebuild().build_id] = variant
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in latest_threads + pinned_threads:
            thread.join()

    assert latest_errors == [] and pinned_errors == []
    assert len(latest_answers) >= SESSIONS * 3
    for opened, shown, figures, _inode in latest_answers:
        assert shown == opened
        assert figures == EXPECTED[variants[opened]], (opened, figures)
    # The sessions saw several builds come and go, not just one.
    assert len({answer[0] for answer in latest_answers}) >= 3
    assert pinned_answers and {answer[:3] for answer in pinned_answers} == {(first, first, EXPECTED["A"])}


def test_sessions_reading_a_served_file_swapped_without_a_store_never_mix_builds(app_env, tmp_path):
    """A built file put in place by hand (no kept copies beside it): each version is attached by its
    own (inode, mtime, size) and checked after attaching, so a swap mid-open is retried, not mixed."""
    ws, db = app_env
    prebuilt = {}
    for tick, variant in enumerate("AB", start=1):
        write_variant(ws, variant, tick)
        out = tmp_path / f"prebuilt-{variant}" / "seams.duckdb"
        prebuilt[variant] = (out, build(ws, out).build_id)
    variants = {build_id: variant for variant, (_, build_id) in prebuilt.items()}
    shutil.copy(prebuilt["A"][0], db)
    inodes = {db.stat().st_ino: "A"}  # which build each version of the served file holds

    stop = threading.Event()
    answers, errors, threads = run_sessions(data.open_latest, stop, SESSIONS)
    try:
        swap, deadline = 0, time.monotonic() + 30
        # At least 20 swaps, and on until the sessions have answered 3 times each on average.
        while (swap < 20 or len(answers) < SESSIONS * 3) and time.monotonic() < deadline:
            swap += 1
            incoming = tmp_path / f"incoming-{swap}.duckdb"
            shutil.copy(prebuilt["BA"[swap % 2]][0], incoming)
            inodes[incoming.stat().st_ino] = "BA"[swap % 2]
            os.replace(incoming, db)
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    assert errors == []
    assert len(answers) >= SESSIONS * 3
    for opened, shown, figures, inode in answers:
        assert shown == opened
        assert figures == EXPECTED[variants[opened]], (opened, figures)
        # The version a session opened is the file that holds that build: no cache entry of one
        # version holds another version's numbers.
        assert inodes[inode] == variants[opened]
    assert {variants[answer[0]] for answer in answers} == {"A", "B"}
