-- One row per week shown: is every function green, is the outcome stalled, and so is the signature
-- there. Stalled in week W: the cohorts of the stall_weeks weeks ending at W are all mature, all
-- below target, and rate(W) − rate(first of them) < stall_min_gain. The streak columns count the
-- consecutive weeks, ending at W, for which each has held.
-- Not on noise: pooled, those cohorts' activated ÷ sign-ups has a 95% Wilson interval (z = 1.96,
-- macros.sql). When its half-width, (high − low) / 2, is greater than the gap to target,
-- target − pooled rate, the shortfall is within the noise: the week is not stalled, and
-- stall_uncertain says that the rule above held but the data are too few to call it.
with outcome as (
    select * from cfg_outcome
),

cohorts as (
    select * from outcome_cohorts
),

functions as (
    select * from function_weekly
),

green_per_week as (
    select
        week_start,
        count(*) filter (where status = 'green') as functions_green,
        count(*) as functions_total
    from functions
    group by week_start
),

stall_windows as (
    select
        cohorts.cohort_week as week_start,
        trailing_cohorts.cohort_week as trailing_week,
        trailing_cohorts.signups,
        trailing_cohorts.activated,
        trailing_cohorts.rate,
        trailing_cohorts.mature,
        trailing_cohorts.target
    from cohorts
    cross join outcome
    inner join cohorts as trailing_cohorts
        on trailing_cohorts.cohort_week between cohorts.cohort_week - 7 * (outcome.stall_weeks - 1)
        and cohorts.cohort_week
),

stall_tests as (
    select
        stall_windows.week_start,
        count(*) as cohorts_in_window,
        bool_and(stall_windows.mature) as all_mature,
        bool_and(coalesce(stall_windows.rate < stall_windows.target, false)) as all_below_target,
        round(
            max(case when stall_windows.trailing_week = stall_windows.week_start then stall_windows.rate end)
            - max(case when stall_windows.trailing_week = stall_windows.week_start - 7 * (outcome.stall_weeks - 1)
                then stall_windows.rate end),
            9
        ) as gain,
        cast(sum(stall_windows.signups) as bigint) as trailing_signups,
        cast(sum(stall_windows.activated) as bigint) as trailing_activated
    from stall_windows
    cross join outcome
    group by stall_windows.week_start
),

trailing_intervals as (
    select
        week_start,
        cohorts_in_window,
        all_mature,
        all_below_target,
        gain,
        trailing_signups,
        trailing_activated,
        cast(trailing_activated as double) / nullif(trailing_signups, 0) as trailing_rate,
        wilson_low(trailing_activated, trailing_signups) as trailing_rate_low,
        wilson_high(trailing_activated, trailing_signups) as trailing_rate_high
    from stall_tests
),

-- DESIGN.md's rule first (stall_rule_holds), then the noise test on top of it. Both sides are
-- rounded to 9 decimals, like the gain, so that binary fractions do not decide a tie.
stall_judgements as (
    select
        trailing_intervals.*,
        coalesce(
            trailing_intervals.cohorts_in_window = outcome.stall_weeks
            and trailing_intervals.all_mature
            and trailing_intervals.all_below_target
            and trailing_intervals.gain < outcome.stall_min_gain,
            false
        ) as stall_rule_holds,
        coalesce(
            round((trailing_intervals.trailing_rate_high - trailing_intervals.trailing_rate_low) / 2, 9)
            > round(outcome.target - trailing_intervals.trailing_rate, 9),
            false
        ) as is_within_noise
    from trailing_intervals
    cross join outcome
),

weekly as (
    select
        cohorts.cohort_week as week_start,
        coalesce(green_per_week.functions_total, 0) > 0
        and green_per_week.functions_green = green_per_week.functions_total as all_green,
        coalesce(stall_judgements.stall_rule_holds and not stall_judgements.is_within_noise, false)
            as outcome_stalled,
        coalesce(green_per_week.functions_green, 0) as functions_green,
        coalesce(green_per_week.functions_total, 0) as functions_total,
        cohorts.rate as outcome_rate,
        cohorts.mature as outcome_mature,
        stall_judgements.gain as outcome_gain,
        stall_judgements.trailing_signups,
        stall_judgements.trailing_activated,
        stall_judgements.trailing_rate,
        stall_judgements.trailing_rate_low,
        stall_judgements.trailing_rate_high,
        coalesce(stall_judgements.stall_rule_holds and stall_judgements.is_within_noise, false) as stall_uncertain
    from cohorts
    left join green_per_week on cohorts.cohort_week = green_per_week.week_start
    left join stall_judgements on cohorts.cohort_week = stall_judgements.week_start
),

with_signature as (
    select
        *,
        all_green and outcome_stalled as signature
    from weekly
),

-- Gaps and islands: a run ends at every week where the condition fails.
runs as (
    select
        *,
        count(*) filter (where not outcome_stalled) over (order by week_start) as stall_run,
        count(*) filter (where not signature) over (order by week_start) as signature_run
    from with_signature
),

final as (
    select
        week_start,
        all_green,
        outcome_stalled,
        signature,
        functions_green,
        functions_total,
        outcome_rate,
        outcome_mature,
        outcome_gain,
        case when outcome_stalled
            then row_number() over (partition by stall_run, outcome_stalled order by week_start)
            else 0
        end as stalled_weeks,
        case when signature
            then row_number() over (partition by signature_run, signature order by week_start)
            else 0
        end as signature_weeks,
        trailing_signups,
        trailing_activated,
        trailing_rate,
        trailing_rate_low,
        trailing_rate_high,
        stall_uncertain
    from runs
)

select * from final
