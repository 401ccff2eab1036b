-- One row per counted meeting in the weeks shown (meeting_exclusions left out): attendee-hours,
-- priced cost, how much of it has no known cost, whether it is cross-functional (non-declined
-- attendees from two or more functions), and the series it belongs to: its series_id, or its
-- title when it has no series_id (series_kind says which; series_ref names the series in links).
with meetings as (
    select * from stg_meetings
),

exclusions as (
    select * from meeting_exclusions
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
        coalesce(attendance_per_meeting.functions, 0) >= 2 as is_cross_functional,
        meetings.ends_at,
        case
            when meetings.series_id is not null then 'series_id'
            when meetings.title is not null then 'title'
            else 'untitled'
        end as series_kind,
        case
            when meetings.series_id is not null then meetings.series_id
            when meetings.title is not null then 'title: ' || meetings.title
            else 'untitled'
        end as series_ref
    from meetings
    inner join weeks on meetings.week_start = weeks.week_start
    cross join as_of
    left join exclusions on meetings.meeting_id = exclusions.meeting_id
    left join attendance_per_meeting on meetings.meeting_id = attendance_per_meeting.meeting_id
    where meetings.starts_at <= as_of.last_row_at
        and exclusions.meeting_id is null
)

select * from final
