-- One row per sales demo (the last version of each demo_id).
with demos as (
    select * from valid_demos
),

final as (
    select
        demos.demo_id,
        demos.held_at,
        demos.owner,
        demos.account_id,
        demos.outcome,
        demos._file as source_file,
        demos._line as source_line
    from demos
)

select * from final
