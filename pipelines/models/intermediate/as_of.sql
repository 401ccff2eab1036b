-- One row: the instant the data is complete to. The config's as_of (a date means the end of that
-- local day: the next local midnight), or else the latest timestamp in sign-ups and events.
-- Rows count up to last_row_at, which is as_of itself except for an as_of date: a row at the
-- midnight ending that day is on the next day, after as_of. as_of_date is the last local day the
-- data cover; its week is the last week shown.
with workspace as (
    select * from cfg_workspace
),

latest_activity as (
    select max(signed_up_at) as latest_at from stg_signups
    union all
    select max(occurred_at) as latest_at from stg_events
),

as_of_instant as (
    select
        coalesce(workspace.as_of_at, (select max(latest_at) from latest_activity)) as as_of_at,
        workspace.is_as_of_end_of_day,
        workspace.timezone
    from workspace
),

final as (
    select
        as_of_at,
        case
            when is_as_of_end_of_day then as_of_at - interval 1 microsecond
            else as_of_at
        end as last_row_at,
        timezone
    from as_of_instant
)

select
    as_of_at,
    last_row_at,
    cast(timezone(timezone, last_row_at) as date) as as_of_date
from final
