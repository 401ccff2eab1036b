-- One row per week shown: meetings, hours, attendee-hours (attendees who did not decline), cost
-- (attendees with a known hourly cost) and cross-functional attendee-hours. A meeting belongs to
-- the week of its start; all-day events, broadcasts and one-person events are left out
-- (meeting_exclusions). Attendee-hours without a known cost count in hours, and are reported in
-- unknown_cost_attendee_hours, never in cost.
-- Privacy floor: `people` is how many distinct attendees the week's meetings had; when that is 1 to
-- min_group_size - 1, every hours and cost figure is null and is_hidden is true (a week with
-- nobody in a meeting shows 0: it says nothing about anyone).
with weeks as (
    select * from weeks
),

meetings as (
    select * from coordination_meetings
),

attendance as (
    select * from meeting_attendance
),

coordination as (
    select * from cfg_coordination
),

per_week as (
    select
        week_start,
        count(*) as meetings,
        sum(hours) as hours,
        sum(attendee_hours) as attendee_hours,
        sum(cost) as cost,
        sum(case when is_cross_functional then attendee_hours else 0 end) as cross_functional_attendee_hours,
        sum(unknown_cost_attendee_hours) as unknown_cost_attendee_hours,
        count(*) filter (where is_cross_functional) as cross_functional_meetings
    from meetings
    group by week_start
),

people_per_week as (
    select
        meetings.week_start,
        count(distinct attendance.email) as people
    from attendance
    inner join meetings on attendance.meeting_id = meetings.meeting_id
    group by meetings.week_start
),

weekly as (
    select
        weeks.week_start,
        coalesce(per_week.meetings, 0) as meetings,
        cast(coalesce(per_week.hours, 0) as double) as hours,
        cast(coalesce(per_week.attendee_hours, 0) as double) as attendee_hours,
        cast(coalesce(per_week.cost, 0) as double) as cost,
        cast(coalesce(per_week.cross_functional_attendee_hours, 0) as double) as cross_functional_attendee_hours,
        cast(per_week.cross_functional_attendee_hours as double) / nullif(per_week.attendee_hours, 0)
            as cross_functional_share,
        cast(coalesce(per_week.unknown_cost_attendee_hours, 0) as double) as unknown_cost_attendee_hours,
        coalesce(per_week.cross_functional_meetings, 0) as cross_functional_meetings,
        coalesce(people_per_week.people, 0) as people
    from weeks
    left join per_week on weeks.week_start = per_week.week_start
    left join people_per_week on weeks.week_start = people_per_week.week_start
),

floored as (
    select
        weekly.*,
        weekly.people > 0 and weekly.people < coordination.min_group_size as is_hidden
    from weekly
    cross join coordination
),

final as (
    select
        week_start,
        meetings,
        case when not is_hidden then hours end as hours,
        case when not is_hidden then attendee_hours end as attendee_hours,
        case when not is_hidden then cost end as cost,
        case when not is_hidden then cross_functional_attendee_hours end as cross_functional_attendee_hours,
        case when not is_hidden then cross_functional_share end as cross_functional_share,
        case when not is_hidden then unknown_cost_attendee_hours end as unknown_cost_attendee_hours,
        cross_functional_meetings,
        people,
        is_hidden
    from floored
)

select * from final
