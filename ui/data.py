"""The app's access to the built data: which workspace, building it when it changed, the builds kept
for pinned links, rebuilds and uploads from the Data page, and cached queries through
pipelines/query.py.

Connections (PLATFORM.md): never one connection shared across sessions. Each version of a built
file gets its own in-memory DuckDB with the file attached read-only, cached by (path, inode, mtime,
size) so that a swapped-in build is seen at once; every query runs on a fresh cursor of it. Once a
build's id is known, its queries go to its kept copy (pipelines/builds.py), a file that never
changes: the caches are keyed by build, and a rebuild swapping the served file in mid-run cannot
mix two builds in one answer.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines import build as build_module
from pipelines import builds, query, report, summary, upload
from pipelines import config as config_module
from pipelines import workspace as workspace_module
from pipelines.config import Builds, WorkspaceError

ROOT = Path(__file__).resolve().parent.parent
DEMO_WORKSPACE = ROOT / "data" / "demo"
# Re-checking the workspace for changed files costs a few stat calls; do it at most this often.
_CHECK_EVERY_SECONDS = 5.0
# A swap between reading a file's version and attaching it makes the open start again; only a file
# swapped again and again (faster than it can be attached) runs out of attempts.
_OPEN_ATTEMPTS = 50
_build_lock = threading.Lock()
_last_check: dict[str, float] = {}
_last_error: dict[str, str | None] = {}  # the error of the last check, shown until the next one
# Workspace states (built file, fingerprint) whose build failed in this process: building the same
# files again fails the same way, so their error is shown instead of a build every few seconds.
_failed: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Build:
    """The build a session reads: where it is and what it is."""

    path: str  # the file queries attach: the build's kept copy when there is one
    version: tuple[int, int, int]  # inode, mtime, size: changes whenever the file is replaced
    build_id: str
    info: dict


class _Moved(Exception):
    """The file changed between reading its version and attaching it."""


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
    # A folder is a Spark build (pipelines/spark_build.py): it is built where Spark runs, never here.
    if not db.is_dir() and _due_for_check(db):
        with _build_lock:
            _last_error[str(db)] = _build_if_changed(workspace, db)
    error = _last_error.get(str(db))
    if not db.exists():
        return None, error or f"No built data at {db}."
    try:
        return _open(str(db)), error
    except (duckdb.Error, _Moved) as exc:
        return None, f"Could not open the built data {db}: {exc}"


def _build_if_changed(workspace: Path, db: Path) -> str | None:
    """Build when the workspace changed since the served build; the error of a build that failed."""
    fingerprint = None
    try:
        fingerprint = _stale_fingerprint(workspace, db)
        if fingerprint is None:
            return None
        if (str(db), fingerprint) in _failed:
            return _failed[(str(db), fingerprint)]
        with st.status(f"Building {workspace.name} …", expanded=False) as status:
            result = build_module.build(workspace, db)
            status.update(label=f"Built {workspace.name} in {result.seconds:.1f} s", state="complete")
        return None
    except WorkspaceError as exc:
        message = str(exc)
    except Exception as exc:  # noqa: BLE001 - the page shows one readable line; the history keeps it too
        message = f"the build failed unexpectedly: {type(exc).__name__}: {exc}"
    if fingerprint is not None:
        _failed[(str(db), fingerprint)] = message
    return message


def _due_for_check(db: Path) -> bool:
    now = time.monotonic()
    if not db.exists() or now - _last_check.get(str(db), -1e9) >= _CHECK_EVERY_SECONDS:
        _last_check[str(db)] = now
        return True
    return False


def forget_checks():
    """Check the workspace for changes on the next run, whenever the last check was."""
    _last_check.clear()


def _stale_fingerprint(workspace: Path, db: Path) -> str | None:
    """The workspace's fingerprint when the served build is missing or was built from other files."""
    config = config_module.load(workspace)
    files = workspace_module.discover(workspace, config)
    current = workspace_module.fingerprint(workspace, files)
    if db.exists() and _open(str(db)).info.get("fingerprint") == current:
        return None
    return current


def open_latest() -> Build:
    """The served build as it is now, without checking the workspace for changes."""
    return _open(str(database_path(workspace_dir())))


def pinned_build(build_id: str) -> tuple[Build | None, builds.Resolved]:
    """The kept build `build_id` of this workspace's built file, and how the id resolved (kept,
    expired or unknown); None when it is not kept."""
    db = database_path(workspace_dir())
    resolved = builds.resolve(db, build_id)
    if resolved.path is None:
        return None, resolved
    try:
        return _open(str(resolved.path)), resolved
    except (duckdb.Error, OSError, _Moved):
        # Pruned between resolving and opening: as good as expired.
        return None, builds.Resolved("expired", None, resolved.record)


def _version(path: str) -> tuple[int, int, int]:
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _open(path: str) -> Build:
    for _attempt in range(_OPEN_ATTEMPTS):
        version = _version(path)
        try:
            con = _attached(path, *version)
        except _Moved:
            time.sleep(0.005)  # swapped while attaching: read the new version
            continue
        info = query.build_info(query.cursor_of(con)).iloc[0].to_dict()
        kept = builds.kept_path(Path(path), info["build_id"])
        if kept is not None and _version(str(kept))[0] == version[0]:
            # The same file under a name that is never replaced: queries go there.
            return Build(str(kept), _version(str(kept)), info["build_id"], info)
        return Build(path, version, info["build_id"], info)
    raise _Moved(f"{path} kept changing while it was opened; reload the page")


@st.cache_resource(max_entries=16, show_spinner=False)
def _attached(path: str, inode: int, mtime_ns: int, size: int) -> duckdb.DuckDBPyConnection:
    """One in-memory database per version of a built file (the arguments after path key it)."""
    con = query.attach(path)
    if _version(path) != (inode, mtime_ns, size):
        # The file was swapped between the caller's stat and the attach: this is not that version,
        # and caching it under that version's key would mix two builds.
        con.close()
        raise _Moved(path)
    return con


_QUESTIONS = {"query": query, "summary": summary, "report": report}


def run(build: Build, question: str, *args):
    """The answer to `<module>.<function>(cursor, *args)` on this build (e.g. "query.sources"),
    cached per build version."""
    return _cached(build.path, build.version, question, args)


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path: str, version: tuple, question: str, args: tuple):
    module, function = question.split(".")
    cur = query.cursor_of(_attached(path, *version))
    try:
        return getattr(_QUESTIONS[module], function)(cur, *args)
    finally:
        cur.close()


def history() -> pd.DataFrame:
    """Every build of this workspace's built file, newest first (pipelines/builds.py)."""
    return builds.history_frame(database_path(workspace_dir()))


def builds_kept() -> int:
    """`[builds] keep` of the workspace's config (its default when the config cannot be read)."""
    try:
        return config_module.load(workspace_dir()).builds.keep
    except WorkspaceError:
        return Builds().keep


def rebuild(progress: build_module.Progress | None = None) -> build_module.BuildResult:
    """Build the workspace now, whether or not it changed; raises what the build raises (the last
    good build keeps serving)."""
    workspace = workspace_dir()
    _refuse_spark_build(database_path(workspace))
    with _build_lock:
        try:
            return build_module.build(workspace, database_path(workspace), progress)
        finally:
            _after_build()


def replace_exports(files: dict[str, bytes], progress: build_module.Progress | None = None) -> upload.UploadResult:
    """Uploaded export files, validated by a trial build, swapped into the workspace and built
    (pipelines/upload.py); raises WorkspaceError having changed nothing."""
    workspace = workspace_dir()
    _refuse_spark_build(database_path(workspace))
    with _build_lock:
        try:
            return upload.replace_exports(workspace, database_path(workspace), files, progress)
        finally:
            _after_build()


def _refuse_spark_build(db: Path):
    if db.is_dir():
        raise WorkspaceError(
            f"{db} is a Spark build: build it again where Spark runs "
            "(python -m pipelines.build WORKSPACE --engine spark --out FOLDER)"
        )


def _after_build():
    _failed.clear()
    _last_error.clear()
    forget_checks()
