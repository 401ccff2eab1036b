-- One row per org change date and window: 'before' is the comparison_weeks weeks ending with the
-- week before the change's week, 'after' the comparison_weeks weeks starting with the change's
-- week (the change's own week is the first week after it). Only weeks shown count, so a window
-- at either edge has fewer weeks (`weeks`; first_week and last_week are the ones it has).
-- Per window: counted meetings, attendee-hours and cost per week (totals / weeks), the
-- cross-functional share of its attendee-hours, and the outcome of its mature cohorts pooled
-- (activated / sign-ups over the mature cohorts), with how many cohorts are not mature yet and
-- the first of them (later cohorts are never more mature).
-- Privacy floor: a window with 1 to min_group_size - 1 distinct attendees has no hours or cost.
with changes as (
    select
        changed_on,
        min(week_start) as change_week,
        string_agg(label, '; ' order by label) as label
    from org_changes
    group by changed_on
),

weeks as (
    select * from weeks
),

meetings as (
    select * from coordination_meetings
),

attendance as (
    select * from meeting_attendance
),

cohorts as (
    select * from outcome_cohorts
),

coordination as (
    select * from cfg_coordination
),

windows as (
    select
        changes.changed_on,
        changes.label,
        'before' as window_name,
        changes.change_week - 7 * coordination.comparison_weeks as window_start,
        changes.change_week - 7 as window_end
    from changes
    cross join coordination
    union all
    select
        changes.changed_on,
        changes.label,
        'after' as window_name,
        changes.change_week as window_start,
        changes.change_week + 7 * (coordination.comparison_weeks - 1) as window_end
    from changes
    cross join coordination
),

window_weeks as (
    select
        windows.changed_on,
        windows.window_name,
        weeks.week_start
    from windows
    inner join weeks on weeks.week_start between windows.window_start and windows.window_end
),

weeks_per_window as (
    select
        changed_on,
        window_name,
        count(*) as weeks,
        min(week_start) as first_week,
        max(week_start) as last_week
    from window_weeks
    group by changed_on, window_name
),

meetings_per_window as (
    select
        window_weeks.changed_on,
        window_weeks.window_name,
        count(*) as meetings,
        sum(meetings.attendee_hours) as attendee_hours,
        sum(meetings.cost) as cost,
        sum(meetings.unknown_cost_attendee_hours) as unknown_cost_attendee_hours,
        sum(case when meetings.is_cross_functional then meetings.attendee_hours else 0 end)
            as cross_functional_attendee_hours
    from window_weeks
    inner join meetings on window_weeks.week_start = meetings.week_start
    group by window_weeks.changed_on, window_weeks.window_name
),

people_per_window as (
    select
        window_weeks.changed_on,
        window_weeks.window_name,
        count(distinct attendance.email) as people
    from window_weeks
    inner join meetings on window_weeks.week_start = meetings.week_start
    inner join attendance on meetings.meeting_id = attendance.meeting_id
    group by window_weeks.changed_on, window_weeks.window_name
),

outcome_per_window as (
    select
        window_weeks.changed_on,
        window_weeks.window_name,
        count(*) filter (where cohorts.mature) as mature_cohorts,
        count(*) filter (where not cohorts.mature) as immature_cohorts,
        min(cohorts.cohort_week) filter (where not cohorts.mature) as first_immature_week,
        sum(cohorts.signups) filter (where cohorts.mature) as mature_signups,
        sum(cohorts.activated) filter (where cohorts.mature) as mature_activated
    from window_weeks
    inner join cohorts on window_weeks.week_start = cohorts.cohort_week
    group by window_weeks.changed_on, window_weeks.window_name
),

combined as (
    select
        windows.changed_on,
        windows.label,
        windows.window_name,
        windows.window_start,
        windows.window_end,
        coalesce(weeks_per_window.weeks, 0) as weeks,
        weeks_per_window.first_week,
        weeks_per_window.last_week,
        coalesce(meetings_per_window.meetings, 0) as meetings,
        coalesce(meetings_per_window.attendee_hours, 0) as attendee_hours,
        coalesce(meetings_per_window.cost, 0) as cost,
        coalesce(meetings_per_window.unknown_cost_attendee_hours, 0) as unknown_cost_attendee_hours,
        coalesce(meetings_per_window.cross_functional_attendee_hours, 0) as cross_functional_attendee_hours,
        coalesce(people_per_window.people, 0) as people,
        coalesce(outcome_per_window.mature_cohorts, 0) as mature_cohorts,
        coalesce(outcome_per_window.immature_cohorts, 0) as immature_cohorts,
        outcome_per_window.first_immature_week,
        coalesce(outcome_per_window.mature_signups, 0) as mature_signups,
        coalesce(outcome_per_window.mature_activated, 0) as mature_activated,
        coordination.min_group_size
    from windows
    cross join coordination
    left join weeks_per_window
        on windows.changed_on = weeks_per_window.changed_on and windows.window_name = weeks_per_window.window_name
    left join meetings_per_window
        on windows.changed_on = meetings_per_window.changed_on
        and windows.window_name = meetings_per_window.window_name
    left join people_per_window
        on windows.changed_on = people_per_window.changed_on and windows.window_name = people_per_window.window_name
    left join outcome_per_window
        on windows.changed_on = outcome_per_window.changed_on
        and windows.window_name = outcome_per_window.window_name
),

floored as (
    select
        combined.*,
        people > 0 and people < min_group_size as is_hidden
    from combined
),

final as (
    select
        changed_on,
        label,
        window_name,
        window_start,
        window_end,
        weeks,
        first_week,
        last_week,
        meetings,
        cast(meetings as double) / nullif(weeks, 0) as meetings_per_week,
        case when not is_hidden then cast(attendee_hours as double) / nullif(weeks, 0) end
            as attendee_hours_per_week,
        case when not is_hidden then cast(cost as double) / nullif(weeks, 0) end as cost_per_week,
        case when not is_hidden then cast(unknown_cost_attendee_hours as double) / nullif(weeks, 0) end
            as unknown_cost_attendee_hours_per_week,
        case when not is_hidden then cast(cross_functional_attendee_hours as double) / nullif(attendee_hours, 0) end
            as cross_functional_share,
        people,
        is_hidden,
        mature_cohorts,
        immature_cohorts,
        first_immature_week,
        mature_signups,
        mature_activated,
        cast(mature_activated as double) / nullif(mature_signups, 0) as mature_rate
    from floored
)

select * from final
