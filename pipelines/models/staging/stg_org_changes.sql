-- One row per org change, from the config and from an org_changes export, with its local week.
with from_files as (
    select changed_on, label from valid_org_changes
),

from_config as (
    select changed_on, label from cfg_org_changes
),

workspace as (
    select * from cfg_workspace
),

all_changes as (
    select * from from_files
    union
    select * from from_config
),

final as (
    select
        all_changes.changed_on,
        all_changes.label,
        week_of(cast(all_changes.changed_on as timestamp), workspace.week_start_isodow) as week_start
    from all_changes
    cross join workspace
)

select * from final
