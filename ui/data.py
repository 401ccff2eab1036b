"""The app's access to the built data: which workspace, building it when it changed, and cached
queries through pipelines/query.py.

Connections (PLATFORM.md): never one connection shared across sessions. Each version of the built
file gets its own in-memory DuckDB with the file attached read-only, cached by (path, inode, mtime,
size) so that a swapped-in build is seen at once; every query runs on a fresh cursor of it.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st

from pipelines import build as build_module
from pipelines import config as config_module
from pipelines import query, summary
from pipelines import workspace as workspace_module
from pipelines.config import WorkspaceError

ROOT = Path(__file__).resolve().parent.parent
DEMO_WORKSPACE = ROOT / "data" / "demo"
# Re-checking the workspace for changed files costs a few stat calls; do it at most this often.
_CHECK_EVERY_SECONDS = 5.0
_build_lock = threading.Lock()
_last_check: dict[str, float] = {}


@dataclass(frozen=True)
class Build:
    """The build a session reads: where it is and what it is."""

    path: str
    version: tuple[int, int, int]  # inode, mtime, size: changes whenever the file is replaced
    build_id: str
    info: dict


def workspace_dir() -> Path:
    """SEAMS_WORKSPACE, else `workspace` in .streamlit/secrets.toml, else the bundled demo."""
    configured = os.environ.get("SEAMS_WORKSPACE") or _secret("workspace")
    return Path(configured).expanduser().resolve() if configured else DEMO_WORKSPACE


def database_path(workspace: Path) -> Path:
    """SEAMS_DB, else `.seams/seams.duckdb` inside the workspace (ignored when reading exports)."""
    configured = os.environ.get("SEAMS_DB") or _secret("database")
    return Path(configured).expanduser().resolve() if configured else workspace / ".seams" / "seams.duckdb"


def _secret(name: str) -> str | None:
    try:
        return st.secrets.get(name)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return None


def current_build() -> tuple[Build | None, str | None]:
    """The build to read, rebuilt first when the workspace changed; and an error to show, if any.

    A workspace that fails to build while an earlier build exists keeps that build serving, and
    the error says so.
    """
    workspace = workspace_dir()
    db = database_path(workspace)
    error = None
    if _due_for_check(db):
        with _build_lock:
            try:
                if _needs_build(workspace, db):
                    with st.status(f"Building {workspace.name} …", expanded=False) as status:
                        result = build_module.build(workspace, db)
                        status.update(label=f"Built {workspace.name} in {result.seconds:.1f} s", state="complete")
            except WorkspaceError as exc:
                error = str(exc)
    if not db.exists():
        return None, error or f"No built data at {db}."
    try:
        return _open(str(db)), error
    except duckdb.Error as exc:
        return None, f"Could not open the built data {db}: {exc}"


def _due_for_check(db: Path) -> bool:
    now = time.monotonic()
    if not db.exists() or now - _last_check.get(str(db), -1e9) >= _CHECK_EVERY_SECONDS:
        _last_check[str(db)] = now
        return True
    return False


def forget_checks():
    """Check the workspace for changes on the next run, whenever the last check was."""
    _last_check.clear()


def _needs_build(workspace: Path, db: Path) -> bool:
    if not db.exists():
        return True
    config = config_module.load(workspace)
    files = workspace_module.discover(workspace, config)
    current = workspace_module.fingerprint(workspace, files)
    return _open(str(db)).info.get("fingerprint") != current


def _open(path: str) -> Build:
    stat = os.stat(path)
    version = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    info = query.build_info(_cursor(_attached(path, *version))).iloc[0].to_dict()
    return Build(path, version, info["build_id"], info)


@st.cache_resource(max_entries=4, show_spinner=False)
def _attached(path: str, inode: int, mtime_ns: int, size: int) -> duckdb.DuckDBPyConnection:
    """One in-memory database per version of the built file (the arguments after path key it)."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    con.execute("attach ? as seams (read_only)", [path])
    return con


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    cur = con.cursor()
    cur.execute("use seams")  # cursors do not inherit `use`
    return cur


_QUESTIONS = {"query": query, "summary": summary}


def run(build: Build, question: str, *args):
    """The answer to `<module>.<function>(cursor, *args)` on this build (e.g. "query.sources"),
    cached per build version."""
    return _cached(build.path, build.version, question, args)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path: str, version: tuple, question: str, args: tuple):
    module, function = question.split(".")
    cur = _cursor(_attached(path, *version))
    try:
        return getattr(_QUESTIONS[module], function)(cur, *args)
    finally:
        cur.close()
