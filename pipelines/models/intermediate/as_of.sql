-- One row: the instant the data is complete to. The config's as_of (a date means the end of that
-- local day), or else the latest timestamp in sign-ups and events.
with workspace as (
    select * from cfg_workspace
),

latest_activity as (
    select max(signed_up_at) as latest_at from stg_signups
    union all
    select max(occurred_at) as latest_at from stg_events
),

final as (
    select
        coalesce(workspace.as_of_at, (select max(latest_at) from latest_activity)) as as_of_at,
        workspace.timezone
    from workspace
)

select
    as_of_at,
    cast(timezone(timezone, as_of_at) as date) as as_of_date
from final
