"""Source adapters: real exports (Zendesk, Freshdesk, Intercom, Salesforce, HubSpot, Jira, Linear, GitHub,
Amplitude, Mixpanel, PostHog, Segment, iCalendar, Outlook, Microsoft Graph, an HR list) read as they are
into the canonical raw tables.

One module per tool; each exposes `ADAPTER` (pipelines/adapters/base.py: `Adapter`). A file is read by
the adapter `[sources]` names, or else by the first adapter here that recognises its shape (header or
JSON fields), or else by the canonical reader. docs/adapters.md describes each adapter.
"""

from __future__ import annotations

from pipelines.adapters import (
    amplitude,
    freshdesk,
    github,
    hr,
    hubspot,
    ics,
    intercom,
    jira,
    linear,
    mixpanel,
    msgraph,
    outlook,
    posthog,
    salesforce,
    segment,
    zendesk,
)
from pipelines.adapters.base import Adapter, Sniff, sniff
from pipelines.contract import TABLES

# Detection order: the most specific shapes first.
ADAPTERS: dict[str, Adapter] = {a.name: a for a in (
        zendesk.ADAPTER, freshdesk.ADAPTER, intercom.ADAPTER, salesforce.ADAPTER, hubspot.ADAPTER, jira.ADAPTER,
        linear.ADAPTER, github.ADAPTER, amplitude.ADAPTER, mixpanel.ADAPTER, posthog.ADAPTER, segment.ADAPTER,
        ics.ADAPTER, msgraph.ADAPTER, outlook.ADAPTER, hr.ADAPTER,
    )}


def recognising(shape: Sniff, table: str | None = None) -> list[Adapter]:
    """The adapters that recognise a file's shape (and can feed `table`, when given), in detection order."""
    return [a for a in ADAPTERS.values() if (table is None or table in a.tables) and a.recognises(shape)]


def shapes_tried(table: str | None = None) -> str:
    """The shapes detection tried, in words, for a message about a file nothing recognised."""
    adapters = [a for a in ADAPTERS.values() if table is None or table in a.tables]
    canonical = (
        [f"canonical {table} ({', '.join(TABLES[table].required)} columns)"] if table else ["canonical TABLE.csv"]
    )
    return "; ".join(canonical + [f"{a.name}: {a.shape}" for a in adapters])


__all__ = ["ADAPTERS", "Adapter", "Sniff", "recognising", "shapes_tried", "sniff"]
