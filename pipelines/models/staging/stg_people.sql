-- One row per person (email, lower-cased): the function they belong to and their hourly cost
-- (in the workspace currency; null when unknown).
with people as (
    select * from valid_people
),

final as (
    select
        people.email,
        trim(people.function) as function,
        people.hourly_cost,
        people.level,
        people.team,
        people._file as source_file,
        people._line as source_line
    from people
)

select * from final
