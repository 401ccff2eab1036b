"""Helpers for the hand-worked pipeline tests: write a tiny workspace, build it, query the result.

Each test names its own small workspace (files written from the test), builds it into tmp_path and
asserts whole rows against values worked out by hand from DESIGN.md "Definitions".
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import duckdb

from pipelines.build import build

# A config with no function KPIs: the outcome only. Tests add `[[functions]]` or other keys.
BASE_TOML = """\
[workspace]
name = "Test"
timezone = "{timezone}"
{workspace_extra}

[outcome]
milestone_event = "activated"
window_days = {window_days}
target = 0.40
stall_weeks = 4
stall_min_gain = 0.01
"""


# Workspace keys whose values are TOML dates or date-times, written bare (`as_of = 2026-04-15`).
_BARE_KEYS = {"as_of", "start"}


def toml(
    timezone: str = "Europe/London", as_of: str | None = None, extra: str = "", window_days: int = 30, **workspace
) -> str:
    """A seams.toml: [workspace] with `timezone`, `as_of` and any other workspace keys, then `extra`."""
    lines = [f"as_of = {as_of}"] if as_of else []
    lines += [
        f"{key} = {value}" if key in _BARE_KEYS or not isinstance(value, str) else f'{key} = "{value}"'
        for key, value in workspace.items()
    ]
    return BASE_TOML.format(
        timezone=timezone, workspace_extra="\n".join(lines), window_days=window_days
    ) + textwrap.dedent(extra)


def csv(text: str) -> str:
    """A CSV file from an indented block: common indentation and the first newline removed."""
    return textwrap.dedent(text).lstrip("\n")


def make_workspace(root: Path, files: dict[str, str | bytes], config: str) -> Path:
    """Write `files` (name -> text or bytes) and `seams.toml` into a new folder `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "seams.toml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" keeps the text's own line ends (a test may write CRLF on purpose).
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
    return root


def build_workspace(tmp_path: Path, files: dict[str, str | bytes], config: str, name: str = "ws") -> Path:
    """Write a workspace under tmp_path/name, build it to tmp_path/name.duckdb; return the built file."""
    workspace = make_workspace(tmp_path / name, files, config)
    out = tmp_path / f"{name}.duckdb"
    build(workspace, out)
    return out


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the built file, opened read-only; timestamps are best cast to text in the SQL."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        # Text of a TIMESTAMPTZ then reads in UTC whatever this machine's zone is.
        con.execute("set TimeZone = 'UTC'")
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def d(text: str) -> dt.date:
    """A date from ISO text, to keep expected rows short."""
    return dt.date.fromisoformat(text)


def epoch(text: str) -> int:
    """Epoch seconds of an ISO instant with an offset (used to write inputs, never expectations)."""
    return int(dt.datetime.fromisoformat(text).timestamp())
