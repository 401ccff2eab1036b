"""HubSpot meetings as CSV -> demos: the meetings view exported from the CRM (column labels), or a file
of the meetings object's properties (internal names, as the CRM API or a warehouse sync writes them).

Every meeting that took place is a demo held: export the demo meetings (a view filtered to them).
- Labels (EXPORT-FORMATS.md "HubSpot": the export's labels are not documented; these are the property
  labels): `Record ID`, `Meeting name`, `Meeting start time` (else `Activity date`), `Meeting outcome`,
  `Activity assigned to` (or `Meeting owner`, `HubSpot owner`), `Associated Company IDs` (or
  `Associated Company`, `Company ID`).
- Internal names: `hs_object_id`, `hs_meeting_title`, `hs_meeting_start_time` (else `hs_timestamp`),
  `hs_meeting_outcome`, `hubspot_owner_id`, `associatedcompanyid`.
- held_at: ISO 8601 (`2026-03-02T09:30:00Z`; a time without an offset is in the portal's zone, the
  source's `timezone`) or Unix milliseconds, as `hs_timestamp` is documented.
- outcome as written (`COMPLETED`, `Completed`, `SCHEDULED`, …). A meeting whose outcome says it did not
  take place (`CANCELED`, `NO_SHOW`, `RESCHEDULED`: the new time is a meeting of its own) is no demo held:
  left out and counted in the note.
"""

from __future__ import annotations

from pipelines.adapters.base import Adapter, Sniff, insert_select, load_csv, plural
from pipelines.read import FileRead

_ID = ("record_id", "hs_object_id", "meeting_id", "id")
_START = ("meeting_start_time", "hs_meeting_start_time", "start_time", "activity_date", "hs_timestamp")
_OWNER = ("activity_assigned_to", "meeting_owner", "hubspot_owner", "owner", "hubspot_owner_id")
_ACCOUNT = (
    "associated_company_ids", "associated_company_id", "associatedcompanyid", "company_id", "associated_company",
)
_OUTCOME = ("meeting_outcome", "hs_meeting_outcome", "outcome")
_TITLE = ("meeting_name", "hs_meeting_title", "meeting_title")
# Outcomes of a meeting that was not held, normalised (lower case, `_` for spaces and hyphens).
_NOT_HELD = ("canceled", "cancelled", "no_show", "rescheduled")


def read(con, table, source) -> FileRead:
    result = FileRead(source, empty_note="header only: no meetings")
    columns = load_csv(con, source, result)

    def value(*names: str) -> str:
        return f"nullif(trim({columns.first(*names)}), '')"

    outcome = value(*_OUTCOME)
    not_held = f"coalesce(regexp_replace(lower({outcome}), '[ -]+', '_', 'g') in {_NOT_HELD}, false)"
    relation = f"""(
        select
            _line,
            {value(*_ID)} as demo_id,
            {value(*_START)} as held_at,
            {value(*_OWNER)} as owner,
            {value(*_ACCOUNT)} as account_id,
            {outcome} as outcome
        from seams_export
        where not {not_held}
    )"""
    insert_select(con, table, source, {name: name for name in ("_line", *table.column_names)}, relation)
    left_out = con.execute(
        f"select {outcome} as outcome, count(*) from seams_export where {not_held} group by 1 order by 1"
    ).fetchall()
    if left_out:
        # Rows read are the demos and the rejects; meetings that did not take place are not rows.
        result.rows_read -= sum(n for _, n in left_out)
        outcomes = ", ".join(f"{n} {outcome}" for outcome, n in left_out)
        result.notes.append(f"{plural(sum(n for _, n in left_out), 'meeting')} not held left out ({outcomes})")
        result.empty_note = "no meetings held"
    return result


def _recognises(shape: Sniff) -> bool:
    return shape.kind == "csv" and any(shape.has(n) for n in _ID[:2]) and any(
        shape.has(n) for n in (*_OUTCOME[:2], *_TITLE)
    ) and any(shape.has(n) for n in _START)


ADAPTER = Adapter(
    name="hubspot",
    tables=("demos",),
    detected_tables=("demos",),
    shape="HubSpot meetings (CSV with Record ID or hs_object_id, Meeting outcome or Meeting name, and Meeting "
    "start time or Activity date)",
    recognises=_recognises,
    read=read,
)
