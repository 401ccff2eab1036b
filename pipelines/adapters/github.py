"""GitHub issues JSON (REST `GET /repos/{owner}/{repo}/issues`, pages concatenated into one array, or
`gh issue list --json …`) -> issues.

- Pull requests come from the same endpoint (items with a `pull_request` key): left out, counted.
- issue_key `owner/repo#number` (from `repository_url`), or `#number` when the repository is not given.
- issue_type: GitHub's issue `type.name` when set, else the first label that names a type (bug,
  feature, enhancement, task, story, epic, chore, documentation), else `issue`.
- status: `open`; a closed issue's `state_reason` (`completed`, `not_planned`), or `closed` without one.
- resolved_at: `closed_at` of a closed issue, except `not_planned`: not shipped, so not resolved.
- labels: label names joined with `, ` (GitHub names may hold spaces). No story points in GitHub.
"""

from __future__ import annotations

import json
import re

from pipelines.adapters.base import Adapter, Sniff, decode, insert_rows, json_records, plural, records_of, text_of
from pipelines.read import FileRead

_TYPE_LABELS = ("bug", "feature", "enhancement", "task", "story", "epic", "chore", "documentation")


def _get(record: dict, *names: str):
    """A field under its REST name or its `gh --json` camelCase name."""
    for name in names:
        if name in record:
            return record[name]
    return None


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="no issues")
    with open(source.path, "rb") as handle:
        text, result.encoding = decode(handle.read())
    if result.encoding != "utf-8":
        result.notes.append("not valid UTF-8; read as Windows-1252")
    try:
        container, _ = records_of(json.loads(text))
        records = list(json_records(text, container))
    except json.JSONDecodeError as exc:
        result.rejects.append((exc.lineno, None, None, f"not valid JSON: {exc.msg}"))
        result.rows_read = 1
        return result
    rows, pulls = [], 0
    for line, issue in records:
        if not isinstance(issue, dict):
            result.rejects.append((line, None, text_of(issue), "not an issue object"))
            continue
        if "pull_request" in issue or _get(issue, "isPullRequest") is True:
            pulls += 1
            continue
        labels = [label.get("name") if isinstance(label, dict) else label for label in issue.get("labels") or []]
        labels = [str(name) for name in labels if name]
        state = str(_get(issue, "state") or "").lower()
        reason = str(_get(issue, "state_reason", "stateReason") or "").lower() or None
        status = state if state != "closed" else (reason or "closed")
        shipped = state == "closed" and reason != "not_planned"
        rows.append([
            line, _key(issue), _issue_type(issue, labels),
            text_of(_get(issue, "closed_at", "closedAt")) if shipped else None, status, ", ".join(labels) or None,
            None,
        ])
    insert_rows(con, table, source, rows)
    result.rows_read = len(rows) + len(result.rejects)
    if pulls:
        result.notes.append(f"{plural(pulls, 'pull request')} left out (the issues API lists them too)")
    return result


def _key(issue: dict) -> str | None:
    number = _get(issue, "number")
    if number is None:
        return None
    match = re.search(r"/repos/([^/]+/[^/]+)$", str(issue.get("repository_url") or ""))
    return f"{match.group(1)}#{number}" if match else f"#{number}"


def _issue_type(issue: dict, labels: list[str]) -> str:
    kind = issue.get("type")
    if isinstance(kind, dict) and kind.get("name"):
        return str(kind["name"])
    return next((name for name in labels if name.lower() in _TYPE_LABELS), "issue")


def _recognises(shape: Sniff) -> bool:
    record = shape.record or {}
    return shape.kind == "json" and shape.container == "" and {"number", "state", "title"} <= set(record) and (
        "labels" in record or "html_url" in record or "url" in record
    )


ADAPTER = Adapter(
    name="github",
    tables=("issues",),
    detected_tables=("issues",),
    shape="GitHub issues JSON (an array of issues with number, state, title, labels)",
    recognises=_recognises,
    read=read,
)
