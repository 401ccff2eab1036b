"""Finds a workspace's export files: which file feeds which canonical table, in which format and zone.

DESIGN.md "File names": `TABLE.csv`, `TABLE.parquet`, `TABLE.jsonl` or `TABLE.ndjson`, each optionally
`.gz`; `[sources]` in the config names other files (or globs) and overrides the canonical name.
Nothing outside the workspace folder is ever read: a file or link that resolves outside is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import CONFIG_NAME, Config, WorkspaceError
from pipelines.contract import CALENDAR_TABLES, OUTCOME_TABLES, TABLES

_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path  # resolved, inside the workspace
    name: str  # as shown to users: relative to the workspace
    format: str  # csv | parquet | jsonl
    compressed: bool
    adapter: str
    timezone: str
    order: int  # file order: name order within a table (DESIGN.md "Duplicates")


def format_of(path: Path) -> tuple[str, bool] | None:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None or (compressed and fmt == "parquet"):
        return None
    return fmt, compressed


def discover(root: Path, config: Config) -> dict[str, list[SourceFile]]:
    """Every table's files, in file order; raises WorkspaceError for what cannot be built."""
    root = root.resolve()
    named = {s.table: s for s in config.sources}
    found: dict[str, list[SourceFile]] = {}
    for table in TABLES:
        if table in named:
            source = named[table]
            paths = _glob(root, source.path, f"[sources] {table}")
            adapter, zone = source.adapter, source.timezone or config.workspace.timezone
        else:
            paths = sorted(p for p in root.iterdir() if _canonical_name(p) == table)
            if len(paths) > 1:
                names = " and ".join(p.name for p in paths)
                raise WorkspaceError(
                    f"{root}: {names} both hold {table}; keep one, or name the one to read in [sources] "
                    f"of {CONFIG_NAME}"
                )
            adapter, zone = "canonical", config.workspace.timezone
        files = []
        for order, path in enumerate(paths):
            fmt = format_of(path)
            if fmt is None:
                raise WorkspaceError(
                    f"{path.name}: unknown file type; expected .csv, .parquet, .jsonl or .ndjson (optionally .gz)"
                )
            resolved = _inside(root, path)
            files.append(
                SourceFile(table, resolved, path.relative_to(root).as_posix(), fmt[0], fmt[1], adapter, zone, order)
            )
        if files:
            found[table] = files
    _check_required(root, config, found)
    return found


def _canonical_name(path: Path) -> str | None:
    if not path.is_file() or format_of(path) is None:
        return None
    # TABLE.csv or TABLE.csv.gz: nothing between the table and its format (signups.old.csv is no export).
    if len(path.suffixes) != 1 + format_of(path)[1]:
        return None
    return path.name.split(".")[0]


def _glob(root: Path, pattern: str, key: str) -> list[Path]:
    if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
        raise WorkspaceError(
            f"{root / CONFIG_NAME} {key}: {pattern!r} must be a file name or glob inside the workspace"
        )
    # A name that exists is that file, even when it holds glob characters (`export [1].csv`).
    exact = root / pattern
    paths = [exact] if exact.is_file() else sorted(p for p in root.glob(pattern) if p.is_file())
    if not paths:
        raise WorkspaceError(f"{root / CONFIG_NAME} {key}: no file matches {pattern!r} in {root}")
    return paths


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise WorkspaceError(f"{path}: resolves outside the workspace ({resolved}); only files inside {root} are read")
    return resolved


def required_tables(config: Config) -> list[str]:
    return list(dict.fromkeys([*OUTCOME_TABLES, *(f.table for f in config.functions)]))


def _check_required(root: Path, config: Config, found: dict):
    for table in required_tables(config):
        if table not in found:
            why = "the outcome needs it" if table in OUTCOME_TABLES else "a function KPI in seams.toml reads it"
            raise WorkspaceError(
                f"{root}: no export for table {table!r} ({why}); add {table}.csv (or .parquet / .jsonl) "
                f"or name a file in [sources]"
            )
    present = [t for t in CALENDAR_TABLES if t in found]
    if len(present) == 1:
        missing = next(t for t in CALENDAR_TABLES if t not in found)
        raise WorkspaceError(
            f"{root}: {present[0]} is given without {missing}; meetings and attendees come as a pair "
            f"(add {missing}.csv, or remove {found[present[0]][0].name})"
        )


def fingerprint(root: Path, files: dict[str, list[SourceFile]]) -> str:
    """Changes when the config or any export changes (name, size or modification time)."""
    digest = hashlib.sha256()
    for path in [root / CONFIG_NAME, *(f.path for fs in files.values() for f in fs)]:
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()
