-- One row per meeting series: the counted meetings that share a series_id, or a title when they
-- have no series_id (series_kind says which: 'series_id', 'title', or 'untitled' for meetings with
-- neither). Its first and last week, meetings, attendee-hours, cost, attendee-hours of unknown
-- cost, distinct attendees (people), functions, the share of its attendee-hours that is
-- cross-functional, and how the outcome moved over its life: the rate of its first week's cohort
-- and of its last week's, each only when that cohort is mature, and the change between them.
-- is_outcome_flat: both cohorts mature and below target and the change under stall_min_gain.
-- Privacy floor: a series with fewer than min_group_size people has no hours or cost (is_hidden).
with meetings as (
    select * from coordination_meetings
),

attendance as (
    select * from meeting_attendance
),

cohorts as (
    select * from outcome_cohorts
),

outcome as (
    select * from cfg_outcome
),

coordination as (
    select * from cfg_coordination
),

latest_titles as (
    select
        series_ref,
        title,
        row_number() over (partition by series_ref order by starts_at desc, meeting_id desc) as recency
    from meetings
),

per_series as (
    select
        series_ref,
        min(series_kind) as series_kind,
        min(series_id) as series_id,
        min(week_start) as first_week,
        max(week_start) as last_week,
        count(distinct week_start) as weeks_with_meetings,
        count(*) as meetings,
        sum(hours) as hours,
        sum(attendee_hours) as attendee_hours,
        sum(cost) as cost,
        sum(unknown_cost_attendee_hours) as unknown_cost_attendee_hours,
        sum(case when is_cross_functional then attendee_hours else 0 end) as cross_functional_attendee_hours
    from meetings
    group by series_ref
),

people_per_series as (
    select
        meetings.series_ref,
        count(distinct attendance.email) as people,
        count(distinct attendance.function) as functions,
        string_agg(distinct attendance.function, ', ' order by attendance.function) as function_names
    from attendance
    inner join meetings on attendance.meeting_id = meetings.meeting_id
    group by meetings.series_ref
),

with_outcome as (
    select
        per_series.*,
        latest_titles.title,
        coalesce(people_per_series.people, 0) as people,
        coalesce(people_per_series.functions, 0) as functions,
        people_per_series.function_names,
        case when first_cohort.mature then first_cohort.rate end as first_week_rate,
        case when last_cohort.mature then last_cohort.rate end as last_week_rate,
        outcome.target,
        outcome.stall_min_gain,
        coordination.min_group_size
    from per_series
    cross join outcome
    cross join coordination
    inner join latest_titles on per_series.series_ref = latest_titles.series_ref and latest_titles.recency = 1
    left join people_per_series on per_series.series_ref = people_per_series.series_ref
    left join cohorts as first_cohort on per_series.first_week = first_cohort.cohort_week
    left join cohorts as last_cohort on per_series.last_week = last_cohort.cohort_week
),

floored as (
    select
        with_outcome.*,
        round(last_week_rate - first_week_rate, 9) as outcome_change,
        people < min_group_size as is_hidden
    from with_outcome
),

final as (
    select
        series_ref,
        series_kind,
        series_id,
        title,
        first_week,
        last_week,
        weeks_with_meetings,
        meetings,
        case when not is_hidden then cast(hours as double) end as hours,
        case when not is_hidden then cast(attendee_hours as double) end as attendee_hours,
        case when not is_hidden then cast(cost as double) end as cost,
        case when not is_hidden then cast(unknown_cost_attendee_hours as double) end as unknown_cost_attendee_hours,
        people,
        functions,
        function_names,
        case when not is_hidden then cast(cross_functional_attendee_hours as double) / nullif(attendee_hours, 0) end
            as cross_functional_share,
        cast(first_week_rate as double) as first_week_rate,
        cast(last_week_rate as double) as last_week_rate,
        cast(outcome_change as double) as outcome_change,
        coalesce(
            outcome_change < stall_min_gain and first_week_rate < target and last_week_rate < target, false
        ) as is_outcome_flat,
        is_hidden
    from floored
)

select * from final
