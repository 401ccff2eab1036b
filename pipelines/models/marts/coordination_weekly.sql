-- One row per week shown: meetings, hours, attendee-hours (attendees who did not decline), cost
-- (attendees with a known hourly cost) and cross-functional attendee-hours. A meeting belongs to
-- the week of its start. Attendee-hours without a known cost count in hours, and are reported in
-- unknown_cost_attendee_hours, never in cost.
with weeks as (
    select * from weeks
),

meetings as (
    select * from coordination_meetings
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

final as (
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
        coalesce(per_week.cross_functional_meetings, 0) as cross_functional_meetings
    from weeks
    left join per_week on weeks.week_start = per_week.week_start
)

select * from final
