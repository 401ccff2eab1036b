-- One row per meeting in the weeks shown: attendee-hours, priced cost, how much of it has no known
-- cost, and whether it is cross-functional (non-declined attendees from two or more functions).
with meetings as (
    select * from stg_meetings
),

attendance as (
    select * from meeting_attendance
),

as_of as (
    select * from as_of
),

weeks as (
    select * from weeks
),

attendance_per_meeting as (
    select
        meeting_id,
        count(*) as attendees,
        -- Functions are named by hand in HR exports: `Sales` and `sales ` are one function.
        count(distinct lower(trim(function))) as functions,
        sum(hours) as attendee_hours,
        sum(cost) as cost,
        sum(case when hourly_cost is null then hours else 0 end) as unknown_cost_attendee_hours
    from attendance
    group by meeting_id
),

final as (
    select
        meetings.meeting_id,
        meetings.week_start,
        meetings.starts_at,
        meetings.title,
        meetings.series_id,
        meetings.hours,
        coalesce(attendance_per_meeting.attendees, 0) as attendees,
        coalesce(attendance_per_meeting.functions, 0) as functions,
        coalesce(attendance_per_meeting.attendee_hours, 0) as attendee_hours,
        coalesce(attendance_per_meeting.cost, 0) as cost,
        coalesce(attendance_per_meeting.unknown_cost_attendee_hours, 0) as unknown_cost_attendee_hours,
        coalesce(attendance_per_meeting.functions, 0) >= 2 as is_cross_functional
    from meetings
    inner join weeks on meetings.week_start = weeks.week_start
    cross join as_of
    left join attendance_per_meeting on meetings.meeting_id = attendance_per_meeting.meeting_id
    where meetings.starts_at <= as_of.last_row_at
)

select * from final
