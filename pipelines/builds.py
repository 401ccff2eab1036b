"""The build store: the last N good builds kept beside the served file, and the history of every build.

    <dir>/seams.duckdb                         the served build: the latest good one, swapped in atomically
    <dir>/seams.builds/<build_id>.duckdb       the last N good builds ([builds] keep, default 26)
    <dir>/seams.builds/history.jsonl           every build, good or failed: one JSON object a line

A kept build is a hard link to the file that was swapped in (a copy where links are not possible),
so keeping one costs no space until the served file moves on. Nothing writes a built file in place,
so a kept build never changes: a link pinned to its id reopens the same numbers. A failed build
appends one history line and changes nothing else. Pruning drops the oldest kept builds beyond N;
their history lines stay, which is how an expired id is told apart from an unknown one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

HISTORY_NAME = "history.jsonl"
# The history is read whole on the Data page; the oldest lines go beyond this many.
HISTORY_LIMIT = 1000
# Build ids come from pipelines/build.py: UTC time of the build, then 6 hex digits. An id from a URL
# must match this before it goes anywhere near a path.
BUILD_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")


def store_dir(served: Path) -> Path:
    """Where the builds of the served file `served` are kept: `<dir>/<stem>.builds`."""
    served = Path(served)
    return served.with_name(f"{served.stem}.builds")


def is_build_id(text: object) -> bool:
    return isinstance(text, str) and BUILD_ID.fullmatch(text) is not None


def kept_path(served: Path, build_id: str) -> Path | None:
    """The kept file of `build_id`, or None when that build is not kept (pruned, failed or unknown)."""
    if not is_build_id(build_id):
        return None
    path = store_dir(served) / f"{build_id}.duckdb"
    return path if path.is_file() else None


def keep(served: Path, built: Path, build_id: str) -> Path:
    """Keep the finished (closed) file `built` as build `build_id`, before it is swapped in."""
    if not is_build_id(build_id):
        raise ValueError(f"not a build id: {build_id!r}")
    folder = store_dir(served)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{build_id}.duckdb"
    try:
        os.link(built, target)
    except OSError:
        # Another file system, or one without hard links: a copy keeps the same numbers.
        shutil.copy2(built, target)
    return target


def forget(served: Path, build_id: str):
    """Drop a kept build that was never swapped in (its swap failed)."""
    path = kept_path(served, build_id)
    if path is not None:
        path.unlink(missing_ok=True)


@dataclass(frozen=True)
class Record:
    """One history line: a build that was swapped in (`ok`) or one that failed (`failed`)."""

    result: str  # ok | failed
    started_at: str  # ISO 8601, UTC
    duration_seconds: float
    workspace: str
    build_id: str | None = None  # a failed build has none: nothing was built
    as_of: str | None = None  # ISO date of as_of (ok builds)
    rows_rejected: int | None = None
    error: str | None = None  # the readable message of a failed build
    fingerprint: str | None = None  # the workspace's fingerprint when it was known

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def record(served: Path, entry: Record):
    """Append `entry` to the history (one write of one line: readers never see half a line)."""
    folder = store_dir(served)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / HISTORY_NAME
    line = json.dumps(entry.as_dict(), ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
    _trim(path)


def _trim(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) > HISTORY_LIMIT:
        tmp = path.with_name(f"{path.name}.tmp")
        tmp.write_text("".join(lines[-HISTORY_LIMIT:]), encoding="utf-8")
        os.replace(tmp, path)


def history(served: Path) -> list[Record]:
    """Every recorded build, oldest first. A line that is not a record (cut short, edited) is skipped."""
    path = store_dir(served) / HISTORY_NAME
    if not path.is_file():
        return []
    records = []
    fields = set(Record.__dataclass_fields__)
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            raw = json.loads(line)
            records.append(Record(**{k: v for k, v in raw.items() if k in fields}))
        except (ValueError, TypeError):
            continue
    return records


def history_frame(served: Path) -> pd.DataFrame:
    """The history for the Data page, newest first, with whether each build is still kept."""
    rows = [
        {
            "build_id": r.build_id,
            "started_at": pd.Timestamp(r.started_at),
            "as_of": r.as_of,
            "duration_seconds": r.duration_seconds,
            "result": r.result,
            "rows_rejected": r.rows_rejected,
            "kept": kept_path(served, r.build_id) is not None if r.build_id else False,
            "error": r.error,
        }
        for r in reversed(history(served))
    ]
    columns = ["build_id", "started_at", "as_of", "duration_seconds", "result", "rows_rejected", "kept", "error"]
    return pd.DataFrame(rows, columns=columns)


def prune(served: Path, keep_count: int) -> list[str]:
    """Delete kept builds beyond the newest `keep_count`; returns the ids deleted.

    Newest is the history's order of good builds; kept files the history does not know (it was
    trimmed or removed) count as older than all of them, oldest modified first.
    """
    folder = store_dir(served)
    if not folder.is_dir():
        return []
    files = {p.stem: p for p in folder.glob("*.duckdb") if is_build_id(p.stem)}
    recorded = [r.build_id for r in history(served) if r.result == "ok" and r.build_id in files]
    unknown = sorted((i for i in files if i not in set(recorded)), key=lambda i: files[i].stat().st_mtime_ns)
    order = unknown + list(dict.fromkeys(recorded))
    doomed = order[: max(0, len(order) - keep_count)]
    for build_id in doomed:
        files[build_id].unlink(missing_ok=True)
    return doomed


@dataclass(frozen=True)
class Resolved:
    """What a build id from a link resolves to."""

    status: str  # kept | expired | unknown
    path: Path | None  # the kept file when status is kept
    record: Record | None  # its history line, when there is one


def resolve(served: Path, build_id: str) -> Resolved:
    """`kept`: the file is there; `expired`: it was built here but pruned (or failed); `unknown`: never
    built here, or not a build id at all."""
    path = kept_path(served, build_id)
    line = next((r for r in reversed(history(served)) if is_build_id(build_id) and r.build_id == build_id), None)
    if path is not None:
        return Resolved("kept", path, line)
    return Resolved("expired" if line is not None else "unknown", None, line)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
