-- One row per week shown: is it over-collaboration, "coordination hours rising while the outcome
-- stays flat" (DESIGN.md), and the inputs of that test. In week W, over the stall_weeks weeks
-- ending at W (the window of the stall rule): hours_rise = attendee-hours(W) / attendee-hours(first
-- week of the window) - 1, rounded to 9 decimals; is_over_collaboration when hours_rise >=
-- over_collaboration_rise and the outcome is stalled in W (signature_weekly). No rise (and no flag)
-- when either week's hours are unknown: hidden by the privacy floor, before the first week shown,
-- or 0 in the first week.
with weekly as (
    select * from coordination_weekly
),

signature as (
    select * from signature_weekly
),

outcome as (
    select * from cfg_outcome
),

coordination as (
    select * from cfg_coordination
),

windows as (
    select
        weekly.week_start,
        weekly.attendee_hours,
        window_first.week_start as window_first_week,
        window_first.attendee_hours as window_first_attendee_hours,
        round(weekly.attendee_hours / nullif(window_first.attendee_hours, 0) - 1, 9) as hours_rise
    from weekly
    cross join outcome
    left join weekly as window_first
        on window_first.week_start = weekly.week_start - 7 * (outcome.stall_weeks - 1)
),

final as (
    select
        windows.week_start,
        windows.attendee_hours,
        windows.window_first_week,
        windows.window_first_attendee_hours,
        cast(windows.hours_rise as double) as hours_rise,
        coordination.over_collaboration_rise,
        coalesce(windows.hours_rise >= coordination.over_collaboration_rise, false) as is_hours_rising,
        signature.outcome_stalled,
        signature.outcome_rate,
        signature.outcome_gain,
        coalesce(windows.hours_rise >= coordination.over_collaboration_rise, false)
        and signature.outcome_stalled as is_over_collaboration
    from windows
    cross join coordination
    inner join signature on windows.week_start = signature.week_start
)

select * from final
