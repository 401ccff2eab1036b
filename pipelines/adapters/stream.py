"""Product event streams (Amplitude, Mixpanel, PostHog) -> events, and sign-ups when [sources] names the
event that marks one (`signups = { path = …, event = "Sign Up" }`).

Each stream adapter loads its records into `seams_json(_line, user_id, event, occurred_at)` (text; a
tool's own fields already mapped) and hands it here. Events are every record. Sign-ups are the records
of the sign-up event, one per user: the earliest (a user who signs up twice signed up once, at the
first time; the repeats stay events and are counted in the note). The event name is matched exactly as
the tool writes it, after trimming spaces; it reaches SQL as a bound parameter.
"""

from __future__ import annotations

from pipelines.adapters.base import insert_select, plural
from pipelines.read import FileRead


def insert_stream(con, table, source, result: FileRead, relation: str = "seams_json"):
    """Append the stream in `relation` to raw_events or raw_signups."""
    if table.name == "events":
        insert_select(
            con, table, source,
            {"_line": "_line", "user_id": "user_id", "event": "event", "occurred_at": "occurred_at"}, relation,
        )
        return
    con.execute(
        f"""create or replace temp table seams_signups as
        select *, row_number() over (
            partition by user_id order by parse_timestamp(occurred_at, ?) nulls last, _line
        ) as sign_up_number
        from {relation} where trim(event) = trim(?)""",
        [source.timezone, source.event],
    )
    insert_select(
        con, table, source, {"_line": "_line", "user_id": "user_id", "signed_up_at": "occurred_at"},
        "(select * from seams_signups where sign_up_number = 1 or user_id is null)",
    )
    signups, repeats = con.execute(
        "select count(*) filter (where sign_up_number = 1 or user_id is null), "
        "count(*) filter (where sign_up_number > 1 and user_id is not null) from seams_signups"
    ).fetchall()[0]
    # Sign-ups read from a stream are its sign-up records; the other events are not sign-ups at all, and
    # a line that is not JSON is a reject of events (it cannot be told to be a sign-up).
    result.rejects.clear()
    result.rows_read = signups
    result.notes.append(f"sign-ups: the {source.event!r} events ({plural(signups, 'user')})")
    if repeats:
        result.notes.append(f"{plural(repeats, 'repeated sign-up')} left out: a user's first one counts")
    result.empty_note = f"no {source.event!r} events"
