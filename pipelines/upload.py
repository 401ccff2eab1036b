"""New export files uploaded into a workspace: validated by a trial build before anything is replaced.

1. Every name must be a plain file name of an export (`tickets.csv`): no folder, no path, nothing
   hidden; it is written only directly inside the workspace.
2. A trial copy of the workspace (its files hard-linked, never modified) gets the uploaded files and
   is built into a scratch file. A failure, or an uploaded file that the workspace would not read,
   stops here: nothing in the workspace or its builds has changed.
3. Each file it replaces is kept in `.seams/replaced/<time>/`, the new file is swapped in with one
   rename, and the workspace is built and swapped in as usual. Should that build still fail, the
   previous files are put back.

No Streamlit here: the Data page calls `ui.data.replace_exports`, and tests call this directly.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines import build as build_module
from pipelines.config import CONFIG_NAME, WorkspaceError
from pipelines.workspace import format_of

REPLACED = Path(".seams") / "replaced"  # inside the workspace: where replaced exports are kept
_NOTHING_CHANGED = "nothing was changed"


@dataclass(frozen=True)
class UploadResult:
    replaced: list[str]  # names that replaced a file (the previous one is in kept_in)
    added: list[str]  # names that are new to the workspace
    kept_in: Path | None  # the folder holding the replaced files
    build: build_module.BuildResult


def check_name(name: object) -> str:
    """`name` if it is a plain export file name, else a WorkspaceError saying what is allowed."""
    allowed = "use the file's plain name, such as tickets.csv"
    if not isinstance(name, str) or not name or name.strip() != name:
        raise WorkspaceError(f"{name!r}: not a file name; {allowed}")
    if "/" in name or "\\" in name or name in {".", ".."} or Path(name).name != name:
        raise WorkspaceError(f"{name!r}: a path, not a file name; {allowed} (files go only into the workspace folder)")
    if name.startswith(".") or any(unicodedata.category(c).startswith("C") for c in name):
        raise WorkspaceError(f"{name!r}: hidden or control characters in the name; {allowed}")
    if len(name.encode("utf-8")) > 255:
        raise WorkspaceError(f"{name[:40]!r}…: the name is too long; {allowed}")
    if name == CONFIG_NAME or format_of(Path(name)) is None:
        raise WorkspaceError(
            f"{name}: not an export file; upload .csv, .parquet, .jsonl or .ndjson files (optionally .gz)"
        )
    return name


def replace_exports(
    workspace: Path, out: Path, files: dict[str, bytes], progress: build_module.Progress | None = None
) -> UploadResult:
    """Validate `files` (name -> content) by a trial build, then swap them into `workspace` and build
    it into `out`. Raises WorkspaceError naming the file and the fix, having changed nothing."""
    step = progress or (lambda _message: None)
    workspace = Path(workspace).resolve()
    out = Path(out).resolve()
    if not files:
        raise WorkspaceError(f"no files were uploaded; {_NOTHING_CHANGED}")
    step(f"Checking {len(files)} file name(s)")
    for name in files:
        check_name(name)
    _trial(workspace, out, files, step)
    step("Keeping the previous files and swapping the new ones in")
    kept_in, replaced, added = _swap_in(workspace, files)
    try:
        result = build_module.build(workspace, out, step)
    except Exception:
        _put_back(workspace, kept_in, replaced, added)
        raise
    return UploadResult(replaced, added, kept_in if replaced else None, result)


def _trial(workspace: Path, out: Path, files: dict[str, bytes], step):
    """Build a copy of the workspace holding the uploaded files, beside `out` (so that hard links
    work), into a scratch file; raise what the build raises."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".trial-", dir=out.parent) as scratch:
        trial = Path(scratch) / workspace.name
        step("Copying the workspace for a trial build")
        _copy_workspace(workspace, trial, skip=Path(scratch))
        for name, content in files.items():
            target = trial / name
            if target.is_symlink() or target.exists():
                target.unlink()
            target.write_bytes(content)
        step("Trial build with the uploaded files")
        scratch_out = Path(scratch) / "trial.duckdb"
        try:
            build_module.build(trial, scratch_out, lambda message: step(f"Trial: {message}"))
        except WorkspaceError as exc:
            raise WorkspaceError(f"{_in_workspace_terms(str(exc), trial, workspace)}; {_NOTHING_CHANGED}") from None
        except Exception as exc:  # noqa: BLE001 - one readable line for the page
            message = _in_workspace_terms(f"{type(exc).__name__}: {exc}", trial, workspace)
            raise WorkspaceError(f"the trial build failed: {message}; {_NOTHING_CHANGED}") from None
        with duckdb.connect(str(scratch_out), read_only=True) as con:
            read = {row[0] for row in con.execute("select file from sources").fetchall()}
    unread = [name for name in files if name not in read]
    if unread:
        raise WorkspaceError(
            f"{unread[0]}: this workspace reads no file of that name; name an export after its table "
            f"(tickets.csv, events.parquet, …) or map the name in [sources] of {CONFIG_NAME}; {_NOTHING_CHANGED}"
        )


def _in_workspace_terms(message: str, trial: Path, workspace: Path) -> str:
    """A trial build's message names the trial copy's folder; the user knows the workspace's."""
    return message.replace(str(trial), str(workspace))


def _copy_workspace(source: Path, target: Path, skip: Path):
    """Every file of `source` but its `.seams` folder, hard-linked (copied where links cannot be made).
    A link that resolves inside the workspace becomes its file; any other stays a link to where it
    points, so the trial refuses it exactly as a real build would."""
    for folder, dirs, names in os.walk(source):
        here = Path(folder)
        relative = here.relative_to(source)
        # The built files and this very copy are no exports (the copy may sit inside the workspace).
        dirs[:] = [d for d in dirs if not (relative == Path(".") and d == ".seams") and here / d != skip]
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in [*names, *(d for d in dirs if (here / d).is_symlink())]:
            path = here / name
            resolved = path.resolve()
            if path.is_symlink() and not (resolved.is_relative_to(source) and resolved.is_file()):
                os.symlink(resolved, target / relative / name)
            elif resolved.is_file():
                _link_or_copy(resolved, target / relative / name)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]


def _link_or_copy(source: Path, target: Path):
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap_in(workspace: Path, files: dict[str, bytes]) -> tuple[Path, list[str], list[str]]:
    """Keep each file being replaced in `.seams/replaced/<time>/`, then rename each new file into
    place: at no moment is an export missing or half written."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept_in = workspace / REPLACED / stamp
    suffix = 1
    while kept_in.exists():
        suffix += 1
        kept_in = workspace / REPLACED / f"{stamp}-{suffix}"
    staging = workspace / ".seams"
    staging.mkdir(parents=True, exist_ok=True)
    replaced, added = [], []
    for name, content in files.items():
        target = workspace / name  # a plain name: directly inside the workspace
        incoming = staging / f"upload-{uuid.uuid4().hex[:8]}.tmp"
        incoming.write_bytes(content)
        if target.is_symlink() or target.exists():
            kept_in.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                os.replace(target, kept_in / name)  # the link itself, not what it points to
            else:
                _link_or_copy(target, kept_in / name)
            replaced.append(name)
        else:
            added.append(name)
        os.replace(incoming, target)
    return kept_in, replaced, added


def _put_back(workspace: Path, kept_in: Path, replaced: list[str], added: list[str]):
    """Undo `_swap_in`: the kept files return (with their own times, so the workspace is as it was)."""
    for name in replaced:
        os.replace(kept_in / name, workspace / name)
    for name in added:
        (workspace / name).unlink(missing_ok=True)
    if kept_in.is_dir() and not any(kept_in.iterdir()):
        kept_in.rmdir()
