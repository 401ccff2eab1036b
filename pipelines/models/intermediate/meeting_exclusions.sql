-- One row per meeting left out of coordination, with the rule that left it out. Only meetings in
-- the weeks shown up to as_of are judged (the others count nowhere anyway), so these and
-- coordination_meetings together are every meeting in range. The rules, first match names it:
--   all_day     marked all-day by its export (an .ics DATE event, `is_all_day`), or starts at local
--               midnight and ends at a later local midnight (a whole number of local days, so a day
--               with a clock change is still one day);
--   broadcast   more attendees who did not decline than broadcast_size;
--   one_person  fewer than 2 attendees who did not decline (nobody to coordinate with).
with meetings as (
    select * from stg_meetings
),

attendees as (
    select * from stg_attendees where not is_declined
),

workspace as (
    select * from cfg_workspace
),

coordination as (
    select * from cfg_coordination
),

as_of as (
    select * from as_of
),

weeks as (
    select * from weeks
),

attendees_per_meeting as (
    select
        meeting_id,
        count(*) as attendees
    from attendees
    group by meeting_id
),

meetings_in_range as (
    select
        meetings.meeting_id,
        meetings.week_start,
        meetings.starts_at,
        meetings.ends_at,
        meetings.title,
        meetings.series_id,
        meetings.hours,
        coalesce(meetings.is_all_day, false) as is_marked_all_day,
        coalesce(attendees_per_meeting.attendees, 0) as attendees,
        timezone(workspace.timezone, meetings.starts_at) as local_starts_at,
        timezone(workspace.timezone, meetings.ends_at) as local_ends_at
    from meetings
    inner join weeks on meetings.week_start = weeks.week_start
    cross join as_of
    cross join workspace
    left join attendees_per_meeting on meetings.meeting_id = attendees_per_meeting.meeting_id
    where meetings.starts_at <= as_of.last_row_at
),

judged as (
    select
        meetings_in_range.*,
        case
            when is_marked_all_day then 'all_day'
            when local_starts_at = cast(cast(local_starts_at as date) as timestamp)
                and local_ends_at = cast(cast(local_ends_at as date) as timestamp)
                and cast(local_ends_at as date) > cast(local_starts_at as date)
                then 'all_day'
            when attendees > coordination.broadcast_size then 'broadcast'
            when attendees < 2 then 'one_person'
        end as rule,
        coordination.broadcast_size
    from meetings_in_range
    cross join coordination
),

final as (
    select
        meeting_id,
        week_start,
        starts_at,
        ends_at,
        title,
        series_id,
        hours,
        attendees,
        rule,
        case rule
            when 'all_day' then 'all-day event'
            when 'broadcast' then 'broadcast (more than ' || cast(broadcast_size as varchar) || ' attendees)'
            else 'one-person event (fewer than 2 attendees)'
        end as reason
    from judged
    where rule is not null
)

select * from final
