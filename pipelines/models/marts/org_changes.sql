-- One row per org change, with the local week it falls in, for marking every time chart.
select
    changed_on,
    label,
    week_start
from stg_org_changes
