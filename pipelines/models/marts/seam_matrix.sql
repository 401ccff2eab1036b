-- One row per seam (a pair of functions, function_a before function_b alphabetically) per week in
-- which they met, and one per seam over all weeks shown (week_start null, is_total true).
-- A seam's attendee-hours: for every counted meeting that has attendees of both functions, the
-- attendee-hours of its attendees from either of the two (hours x those attendees); summed over
-- the meetings. A meeting of Sales, Support and Product adds to three seams, so seams overlap
-- and do not add up to the week's hours. Attendees with no known function are in no seam.
-- people: distinct attendees of the two functions in those meetings. Privacy floor: a cell with
-- fewer than min_group_size people has no hours or cost (is_hidden).
with meetings as (
    select * from coordination_meetings
),

attendance as (
    select * from meeting_attendance where function is not null
),

coordination as (
    select * from cfg_coordination
),

meeting_functions as (
    select distinct
        meeting_id,
        function
    from attendance
),

meeting_seams as (
    select
        first_function.meeting_id,
        first_function.function as function_a,
        second_function.function as function_b
    from meeting_functions as first_function
    inner join meeting_functions as second_function
        on first_function.meeting_id = second_function.meeting_id
        and first_function.function < second_function.function
),

seam_attendance as (
    select
        meetings.week_start,
        meeting_seams.function_a,
        meeting_seams.function_b,
        attendance.meeting_id,
        attendance.email,
        attendance.hours,
        attendance.cost,
        attendance.hourly_cost
    from meeting_seams
    inner join attendance
        on meeting_seams.meeting_id = attendance.meeting_id
        and attendance.function in (meeting_seams.function_a, meeting_seams.function_b)
    inner join meetings on meeting_seams.meeting_id = meetings.meeting_id
),

per_week as (
    select
        week_start,
        function_a,
        function_b,
        count(distinct meeting_id) as meetings,
        count(distinct email) as people,
        sum(hours) as attendee_hours,
        sum(cost) as cost,
        sum(case when hourly_cost is null then hours else 0 end) as unknown_cost_attendee_hours
    from seam_attendance
    group by week_start, function_a, function_b
),

all_weeks as (
    select
        cast(null as date) as week_start,
        function_a,
        function_b,
        count(distinct meeting_id) as meetings,
        count(distinct email) as people,
        sum(hours) as attendee_hours,
        sum(cost) as cost,
        sum(case when hourly_cost is null then hours else 0 end) as unknown_cost_attendee_hours
    from seam_attendance
    group by function_a, function_b
),

cells as (
    select per_week.*, false as is_total from per_week
    union all
    select all_weeks.*, true as is_total from all_weeks
),

final as (
    select
        cells.week_start,
        cells.is_total,
        cells.function_a,
        cells.function_b,
        cells.meetings,
        cells.people,
        case when cells.people >= coordination.min_group_size then cast(cells.attendee_hours as double) end
            as attendee_hours,
        case when cells.people >= coordination.min_group_size then cast(cells.cost as double) end as cost,
        case when cells.people >= coordination.min_group_size then cast(cells.unknown_cost_attendee_hours as double)
        end as unknown_cost_attendee_hours,
        cells.people < coordination.min_group_size as is_hidden
    from cells
    cross join coordination
)

select * from final
