-- One row per counted meeting and attendee who did not decline, with the attendee's function and
-- hourly cost when the people export knows them. Counted: in the weeks shown, up to as_of, and not
-- in meeting_exclusions (all-day events, broadcasts, one-person events).
-- `function` is one spelling per function: the config's when it names the function, else the
-- alphabetically first spelling in the people export (`Sales` and `sales ` are one function).
with meetings as (
    select * from stg_meetings
),

exclusions as (
    select * from meeting_exclusions
),

attendees as (
    select * from stg_attendees where not is_declined
),

people as (
    select * from stg_people
),

as_of as (
    select * from as_of
),

weeks as (
    select * from weeks
),

configured_functions as (
    select * from cfg_functions
),

function_spellings as (
    select
        lower(people.function) as function_key,
        min(people.function) as first_spelling
    from people
    where people.function is not null
    group by lower(people.function)
),

function_names as (
    select
        function_spellings.function_key,
        coalesce(min(configured_functions.function), function_spellings.first_spelling) as function
    from function_spellings
    left join configured_functions
        on lower(trim(configured_functions.function)) = function_spellings.function_key
    group by function_spellings.function_key, function_spellings.first_spelling
),

counted_meetings as (
    select meetings.*
    from meetings
    inner join weeks on meetings.week_start = weeks.week_start
    cross join as_of
    left join exclusions on meetings.meeting_id = exclusions.meeting_id
    where meetings.starts_at <= as_of.last_row_at
        and exclusions.meeting_id is null
),

final as (
    select
        counted_meetings.meeting_id,
        counted_meetings.week_start,
        counted_meetings.hours,
        attendees.email,
        function_names.function,
        people.hourly_cost,
        counted_meetings.hours * people.hourly_cost as cost
    from attendees
    inner join counted_meetings on attendees.meeting_id = counted_meetings.meeting_id
    left join people on attendees.email = people.email
    left join function_names on lower(people.function) = function_names.function_key
)

select * from final
