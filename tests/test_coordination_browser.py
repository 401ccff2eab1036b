"""The Coordination page in a real browser (headless Debian Chromium): a deep link as the very first
request of a fresh server, and meeting titles that must show as text and run nothing. These tests
fail, never skip, when Chromium is missing."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import duckdb
from browser import ARTIFACTS, serve, settled
from pipeline_helpers import csv, make_workspace, toml
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
WEEK, SYNC = "2026-06-08", "activation-alignment-sync"
HOSTILE = "<img src=x onerror=alert(1)>"


def test_the_first_request_of_a_fresh_server_is_a_deep_link_to_a_week_and_a_series(chromium, demo_db, tmp_path):
    """PLATFORM.md's pages/ pitfall: the fresh server's first request runs pages/coordination.py directly."""
    db = tmp_path / "seams.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db), read_only=True) as con:
        cost, meetings = con.execute(
            "select cost, meetings from coordination_series where series_ref = ?", [SYNC]
        ).fetchone()
        (week_hours,) = con.execute(
            "select attendee_hours from coordination_weekly where week_start = ?", [WEEK]
        ).fetchone()
    env = {"SEAMS_WORKSPACE": str(ROOT / "data" / "demo"), "SEAMS_DB": str(db)}
    with serve(env, tmp_path / "server.log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{base}/coordination?week={WEEK}&series={SYNC}")
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.locator("h1").first).to_have_text("Coordination")
        expect(page.get_by_role("combobox", name="Week", exact=True)).to_have_value(WEEK)
        expect(page.get_by_role("combobox", name="Meeting series")).to_have_value(f"Activation alignment sync · {SYNC}")
        # The chosen series' figures are the mart's.
        series_cost = page.get_by_test_id("stMetric").filter(has_text="Series cost (USD)")
        expect(series_cost.get_by_test_id("stMetricValue")).to_have_text(f"{cost:,.0f}")
        series_meetings = page.get_by_test_id("stMetric").filter(has_text="Series meetings")
        expect(series_meetings.get_by_test_id("stMetricValue")).to_have_text(f"{meetings:,}")
        this_week = page.get_by_test_id("stMetric").filter(has_text="Attendee-hours this week")
        expect(this_week.get_by_test_id("stMetricValue")).to_have_text(f"{week_hours:,.1f}")
        # The app's own navigation, not the file names of the old pages/ mode; charts drawn.
        expect(page.get_by_test_id("stSidebarNav").get_by_text("Coordination")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav").get_by_text("app", exact=True)).to_have_count(0)
        expect(page.get_by_test_id("stVegaLiteChart").first.locator("svg, canvas").first).to_be_visible()
        assert f"week={WEEK}" in page.url and f"series={SYNC}" in page.url
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coordination.png"), full_page=True)


def test_a_meeting_title_holding_html_shows_as_text_and_runs_nothing(chromium, tmp_path):
    people = ["ann", "ben", "cat", "dan", "eve"]
    files = {
        "signups.csv": "user_id,signed_up_at\nu1,2026-03-02 09:00\n",
        "events.csv": "user_id,event,occurred_at\n",
        "people.csv": "email,function,hourly_cost\n"
        + "".join(f"{p}@x.io,{'Sales' if p in ('ann', 'ben') else 'Support'},50\n" for p in people),
        "meetings.csv": csv(f"""
            meeting_id,starts_at,ends_at,title
            x1,2026-03-03 10:00,2026-03-03 11:00,{HOSTILE}
            """),
        "attendees.csv": "meeting_id,email\n" + "".join(f"x1,{p}@x.io\n" for p in people),
    }
    workspace = make_workspace(tmp_path / "ws", files, toml(as_of="2026-03-31"))
    env = {"SEAMS_WORKSPACE": str(workspace), "SEAMS_DB": str(tmp_path / "db.duckdb")}
    with serve(env, tmp_path / "server.log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 1800})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/coordination?week=2026-03-02&series={quote('title: ' + HOSTILE)}")
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_role("combobox", name="Meeting series")).to_have_value(f"{HOSTILE} (by title)")
        # The chosen series' heading shows the title as text.
        expect(page.get_by_test_id("stMarkdown").filter(has_text=HOSTILE).first).to_be_visible()
        page.wait_for_timeout(1000)
        assert dialogs == []
        assert page.locator("img[src='x']").count() == 0
