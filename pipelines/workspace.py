"""Finds a workspace's export files: which file feeds which canonical table, in which format and zone.

DESIGN.md "File names": `TABLE.csv`, `TABLE.parquet`, `TABLE.jsonl` or `TABLE.ndjson`, each optionally
`.gz`; `[sources]` in the config names other files (or globs) and overrides the canonical name.
Nothing outside the workspace folder is ever read: a file or link that resolves outside is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.config import CONFIG_NAME, Config, Source, WorkspaceError
from pipelines.contract import CALENDAR_TABLES, OUTCOME_TABLES, TABLES

OWN_FOLDER = ".seams"  # the app's own folder in a workspace (kept builds, replaced exports): never read
_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path  # resolved, inside the workspace
    name: str  # as shown to users: relative to the workspace
    format: str  # csv | parquet | jsonl for the canonical reader; what an adapter sniffed otherwise
    compressed: bool
    adapter: str
    timezone: str
    order: int  # file order: name order within a table (DESIGN.md "Duplicates")
    event: str | None = None  # [sources] `event`: the event that marks a sign-up in an event stream
    annual_hours: float | None = None  # [sources] `annual_hours` of people: prices an annual salary
    as_of: dt.date | dt.datetime | None = None  # the config's as_of: calendars expand series up to it
    workspace_timezone: str | None = None
    group: tuple[Path, ...] = ()  # every file of this table read by the same adapter (joined by some)
    tried: str | None = None  # the shapes tried, when the canonical reader was the fallback


def format_of(path: Path) -> tuple[str, bool] | None:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    fmt = _FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None or (compressed and fmt == "parquet"):
        return None
    return fmt, compressed


@dataclass(frozen=True)
class _Planned:
    path: Path
    adapter: str
    entry: Source | None  # the [sources] entry that named it (None: a canonical name or detected)
    how: str  # "named", "canonical" or "detected"
    tried: str | None = None


def discover(root: Path, config: Config) -> dict[str, list[SourceFile]]:
    """Every table's files, in file order; raises WorkspaceError for what cannot be built.

    A table's files are, in this order of precedence: the files `[sources]` names (read by the adapter
    it names, or else the one that recognises each file's shape); its canonical file (`tickets.csv`,
    read by an adapter when its shape is a tool's export); other export files in the workspace folder
    whose shape an adapter recognises. A file that feeds one table of an adapter also feeds the
    adapter's other tables that have no source of their own (an .ics feeds meetings and attendees).
    """
    from pipelines import adapters  # adapters read through pipelines.read, which this module serves

    root = root.resolve()
    named = {s.table: s for s in config.sources}
    plan: dict[str, list[_Planned]] = {}
    claimed: set[Path] = set()
    for table, entry in named.items():
        for path in _glob(root, entry.path, f"[sources] {table}"):
            _inside(root, path)
            adapter, tried = entry.adapter, None
            if adapter is None:
                adapter, tried = _choose(root, path, table, adapters)
            _check_adapter(root, table, adapter, entry, adapters)
            plan.setdefault(table, []).append(_Planned(path, adapter, entry, "named", tried))
            claimed.add(path)
    for table in TABLES:
        paths = sorted(p for p in root.iterdir() if _canonical_name(p) == table)
        claimed.update(paths)
        if table in named:
            continue
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            raise WorkspaceError(
                f"{root}: {names} both hold {table}; keep one, or name the one to read in [sources] "
                f"of {CONFIG_NAME}"
            )
        for path in paths:
            _inside(root, path)
            found = adapters.recognising(adapters.sniff(path), table)
            adapter = found[0].name if found else "canonical"
            plan.setdefault(table, []).append(_Planned(path, adapter, None, "canonical"))
    unrecognised = []
    for path in sorted(root.iterdir()):
        if path in claimed or not _is_export_candidate(path, adapters):
            continue
        _inside(root, path)
        found = adapters.recognising(adapters.sniff(path))
        if not found:
            unrecognised.append(path.name)
            continue
        for table in found[0].detected_tables:
            if table not in named:
                plan.setdefault(table, []).append(_Planned(path, found[0].name, None, "detected"))
    _check_one_kind(root, plan)
    # Companions: an .ics named for meetings feeds attendees too, unless attendees has its own source.
    for table in [t for t in TABLES if t in plan]:
        for planned in plan[table]:
            spec = adapters.ADAPTERS.get(planned.adapter)
            for other in spec.detected_tables if spec else ():
                if other not in plan:
                    plan[other] = [p for p in plan[table] if p.adapter == planned.adapter]
    found = {table: _source_files(root, config, table, plan[table]) for table in TABLES if table in plan}
    _check_required(root, config, found, unrecognised)
    return found


def _choose(root: Path, path: Path, table: str, adapters) -> tuple[str, str | None]:
    """The adapter for a file [sources] names without one: the first that recognises its shape, else
    the canonical reader for a canonical format (which names a missing column), else an error."""
    found = adapters.recognising(adapters.sniff(path), table)
    if found:
        return found[0].name, None
    tried = adapters.shapes_tried(table)
    if format_of(path) is not None:
        return "canonical", tried
    raise WorkspaceError(
        f"{path.relative_to(root).as_posix()}: no adapter recognises this file as {table}; shapes tried: {tried}. "
        f"Name its adapter in [sources] of {CONFIG_NAME}, or export it in one of these shapes"
    )


def _check_adapter(root: Path, table: str, adapter: str, entry: Source, adapters):
    key = f"{root / CONFIG_NAME} [sources.{table}"
    if adapter == "canonical":
        if entry.event is not None:
            raise WorkspaceError(f"{key}.event]: the canonical reader reads sign-ups as they are; remove event")
        return
    spec = adapters.ADAPTERS[adapter]
    if table not in spec.tables:
        raise WorkspaceError(
            f"{key}.adapter]: adapter {adapter!r} reads {', '.join(spec.tables)}, not {table}"
        )
    for needing, option in spec.needs:
        if needing == table and getattr(entry, option) is None:
            raise WorkspaceError(
                f"{key}]: adapter {adapter!r} needs {option} for {table} "
                f'(for example {option} = "Sign Up": the event that marks a sign-up)'
            )


def _is_export_candidate(path: Path, adapters) -> bool:
    if path.name.startswith(".") or path.name == CONFIG_NAME or not path.is_file():
        return False
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in adapters.base.EXPORT_SUFFIXES


def _check_one_kind(root: Path, plan: dict[str, list[_Planned]]):
    """Without [sources], one table is fed by one kind of export: a canonical file and a Zendesk export
    of the same tickets would count every ticket twice."""
    for table, planned in plan.items():
        kinds = {(p.how == "named", p.adapter) for p in planned}
        if len(kinds) > 1 and not any(p.how == "named" for p in planned):
            names = " and ".join(f"{p.path.name} ({p.adapter})" for p in planned)
            raise WorkspaceError(
                f"{root}: {names} both hold {table}; keep one, or name the one to read in [sources] of {CONFIG_NAME}"
            )


def _source_files(root: Path, config: Config, table: str, planned: list[_Planned]) -> list[SourceFile]:
    files = []
    planned = sorted(planned, key=lambda p: p.path.relative_to(root).as_posix())
    for order, item in enumerate(planned):
        path, entry = item.path, item.entry
        if item.adapter == "canonical":
            fmt = format_of(path)
            if fmt is None:
                raise WorkspaceError(
                    f"{path.name}: unknown file type; expected .csv, .parquet, .jsonl or .ndjson (optionally .gz)"
                )
        else:
            fmt = (path.suffixes[-1].lower().lstrip(".") if path.suffixes else "", _is_gzip(path))
        resolved = _inside(root, path)
        zone = (entry.timezone if entry else None) or config.workspace.timezone
        group = tuple(p.path.resolve() for p in planned if p.adapter == item.adapter)
        files.append(
            SourceFile(
                table,
                resolved,
                path.relative_to(root).as_posix(),
                fmt[0],
                fmt[1],
                item.adapter,
                zone,
                order,
                event=entry.event if entry and entry.table == table else None,
                annual_hours=entry.annual_hours if entry else None,
                as_of=config.workspace.as_of,
                workspace_timezone=config.workspace.timezone,
                group=group,
                tried=item.tried,
            )
        )
    return files


def _is_gzip(path: Path) -> bool:
    return bool(path.suffixes) and path.suffixes[-1].lower() == ".gz"


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
    found = [exact] if exact.is_file() else sorted(p for p in root.glob(pattern) if p.is_file())
    # `.seams/` holds the app's kept builds and replaced exports: a `**` glob must not read them again.
    paths = [p for p in found if not _is_own(root, p)]
    if not paths:
        own = f" (files under {OWN_FOLDER}/ are Seams' own and never read)" if found else ""
        raise WorkspaceError(f"{root / CONFIG_NAME} {key}: no file matches {pattern!r} in {root}{own}")
    return paths


def _is_own(root: Path, path: Path) -> bool:
    """A file in the workspace's `.seams` folder, by its path or where a link to it leads."""
    for candidate in (path, path.resolve()):
        try:
            if candidate.relative_to(root).parts[:1] == (OWN_FOLDER,):
                return True
        except ValueError:
            pass
    return False


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise WorkspaceError(f"{path}: resolves outside the workspace ({resolved}); only files inside {root} are read")
    return resolved


def required_tables(config: Config) -> list[str]:
    return list(dict.fromkeys([*OUTCOME_TABLES, *(f.table for f in config.functions)]))


def _check_required(root: Path, config: Config, found: dict, unrecognised: list[str]):
    from pipelines import adapters

    for table in required_tables(config):
        if table not in found:
            why = "the outcome needs it" if table in OUTCOME_TABLES else "a function KPI in seams.toml reads it"
            hint = (
                f"; no adapter recognised {', '.join(unrecognised)} (shapes tried: {adapters.shapes_tried(table)})"
                if unrecognised
                else ""
            )
            raise WorkspaceError(
                f"{root}: no export for table {table!r} ({why}); add {table}.csv (or .parquet / .jsonl) "
                f"or name a file in [sources]{hint}"
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
