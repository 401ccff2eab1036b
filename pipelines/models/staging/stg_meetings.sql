-- One row per meeting: its elapsed hours (instants, so a daylight-saving change is counted right)
-- and the local week of its start, which it belongs to even when it crosses midnight.
with meetings as (
    select * from valid_meetings
),

workspace as (
    select * from cfg_workspace
),

final as (
    select
        meetings.meeting_id,
        meetings.starts_at,
        meetings.ends_at,
        cast(epoch(meetings.ends_at) - epoch(meetings.starts_at) as double) / 3600 as hours,
        week_of(timezone(workspace.timezone, meetings.starts_at), workspace.week_start_isodow) as week_start,
        meetings.title,
        meetings.series_id,
        meetings.organizer,
        -- Set by calendar adapters (an .ics DATE event); null in a canonical export without the column.
        meetings.is_all_day,
        meetings._file as source_file,
        meetings._line as source_line
    from meetings
    cross join workspace
)

select * from final
