-- The engine-specific corner of the pipeline: the few functions every model shares, written once
-- for DuckDB. Models call these by name; another engine provides the same names.

-- A naive wall-clock time in `zone` as an instant. DuckDB moves a time skipped by a daylight-saving
-- change forward (DESIGN.md wants that) but gives an ambiguous time its second occurrence; DESIGN.md
-- wants the first, one hour earlier, which shows the same wall clock.
create or replace macro local_to_instant(local_ts, zone) as (
    case
        when timezone(zone, timezone(zone, local_ts) - interval 1 hour) = local_ts
            then timezone(zone, local_ts) - interval 1 hour
        else timezone(zone, local_ts)
    end
);

-- DESIGN.md "Timestamps": ISO 8601 with an offset or Z (an instant), naive (local in `zone`), a bare
-- date (local midnight), or an epoch number in UTC (seconds from 1e9 to 1e11, milliseconds from
-- 1e12 to 1e14, decided per value). Anything else, impossible dates included, is null.
-- Tested in the order that costs least on a typical export: a value with a time (a ':') is either
-- an instant with its offset or a naive date-time; without one, a bare date or an epoch number.
create or replace macro parse_timestamp(value, zone) as (
    case
        when contains(trim(value), ':') then
            case
                when regexp_matches(trim(value), '[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$')
                    then try_cast(upper(trim(value)) as timestamptz)
                -- Naive means a bare ISO date-time: the cast would silently drop a zone name
                -- ("2026-07-01 09:30:00 UTC") and read the time as local, so anything more is a reject.
                when regexp_full_match(trim(value), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?')
                    then local_to_instant(try_cast(trim(value) as timestamp), zone)
            end
        when regexp_full_match(trim(value), '[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}')
            then local_to_instant(try_cast(trim(value) as timestamp), zone)
        when regexp_full_match(trim(value), '[0-9]+(\.[0-9]+)?') then
            case
                when cast(trim(value) as double) between 1e9 and 1e11
                    then to_timestamp(cast(trim(value) as double))
                when cast(trim(value) as double) between 1e12 and 1e14
                    then to_timestamp(cast(trim(value) as double) / 1000)
            end
    end
);

-- `$1,200.00` is 1200; thousands separators must be commas in groups of three, and a decimal
-- comma (`1.200,00`) is null, so that it becomes a reject rather than a wrong number.
create or replace macro parse_money(value) as (
    case
        when regexp_full_match(
            regexp_replace(trim(value), '^[$£€]\s*', ''),
            '-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?'
        )
            then cast(replace(regexp_replace(trim(value), '^[$£€]\s*', ''), ',', '') as double)
    end
);

-- An email address as attendees and people are matched: lower case, no `mailto:` prefix.
create or replace macro normalise_email(value) as (
    nullif(regexp_replace(lower(trim(value)), '^mailto:', ''), '')
);

-- The first day of the week holding local wall-clock `local_ts`, for weeks that start on ISO
-- weekday `start_isodow` (1 = Monday).
create or replace macro week_of(local_ts, start_isodow) as (
    cast(local_ts as date) - cast((isodow(local_ts) - start_isodow + 7) % 7 as integer)
);

-- The 95% Wilson score interval of `successes` out of `trials` (z = 1.96), for a rate that is a
-- count of trials: with p = successes / n,
--   centre = (p + z²/2n) / (1 + z²/n),   half-width = z · sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n),
-- bounds centre ∓ half-width. At 0 of n the low bound is exactly 0 and at n of n the high bound
-- exactly 1 (in floating point the formula is off by ~1e-17 there). Null when there are no trials.
create or replace macro wilson_low(successes, trials) as (
    case when trials > 0 and successes = 0 then 0.0 when trials > 0 then greatest(0.0, (
        cast(successes as double) / trials + 1.96 * 1.96 / (2.0 * trials)
        - 1.96 * sqrt(
            (cast(successes as double) / trials) * (1 - cast(successes as double) / trials) / trials
            + 1.96 * 1.96 / (4.0 * trials * trials)
        )
    ) / (1 + 1.96 * 1.96 / trials)) end
);

create or replace macro wilson_high(successes, trials) as (
    case when trials > 0 and successes = trials then 1.0 when trials > 0 then least(1.0, (
        cast(successes as double) / trials + 1.96 * 1.96 / (2.0 * trials)
        + 1.96 * sqrt(
            (cast(successes as double) / trials) * (1 - cast(successes as double) / trials) / trials
            + 1.96 * 1.96 / (4.0 * trials * trials)
        )
    ) / (1 + 1.96 * 1.96 / trials)) end
);
