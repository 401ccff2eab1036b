"""What only a real browser shows: the first request after a server start, links that restore the
view, charts that render, and export text that must not execute. Headless Debian Chromium via
Playwright; these tests fail (never skip) when Chromium is missing."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from browser import ARTIFACTS, serve, settled
from pipeline_helpers import make_workspace, toml
from playwright.sync_api import expect

SIGNATURE_WEEK = "2026-06-08"


@pytest.fixture
def demo_server(demo_db, tmp_path):
    db = tmp_path / "seams.duckdb"
    shutil.copy(demo_db, db)
    env = {"SEAMS_WORKSPACE": str(Path(__file__).resolve().parent.parent / "data" / "demo"), "SEAMS_DB": str(db)}
    with serve(env, tmp_path / "server.log") as base:
        yield base


def test_overview_opened_from_a_link_shows_its_week_the_signature_and_the_charts(chromium, demo_server):
    page = chromium.new_page(viewport={"width": 1400, "height": 2600})
    page.goto(f"{demo_server}/?week={SIGNATURE_WEEK}")
    settled(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Week", exact=True)).to_have_value(SIGNATURE_WEEK)
    expect(page.locator("h1").first).to_have_text("Week commencing Monday 8 June 2026")
    expect(page.get_by_text("Signature this week.")).to_be_visible()
    expect(page.get_by_text("All 4 functions green · 30-day activation")).to_be_visible()
    # Four Altair charts: the status grid, the outcome, coordination hours and cost, each drawn.
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(4)
    for index in range(4):
        expect(charts.nth(index).locator("svg, canvas").first).to_be_visible()
    assert f"week={SIGNATURE_WEEK}" in page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)


def test_the_first_request_of_a_fresh_server_deep_links_to_the_data_page(chromium, demo_server):
    """The pages/ pitfall of PLATFORM.md: a fresh server's first request runs pages/data.py directly."""
    page = chromium.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{demo_server}/data?week={SIGNATURE_WEEK}&range=13")
    settled(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.locator("h1").first).to_have_text("Data behind the numbers")
    expect(page.get_by_role("combobox", name="Week", exact=True)).to_have_value(SIGNATURE_WEEK)
    expect(page.get_by_role("combobox", name="Weeks shown")).to_have_value("Last 13 weeks")
    # The app's own navigation, not the file names of the old pages/ mode.
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Overview")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("app", exact=True)).to_have_count(0)
    assert "week=2026-06-08" in page.url and "range=13" in page.url


def test_the_default_view_writes_its_week_into_the_url_so_a_copied_link_reopens_it(chromium, demo_server):
    page = chromium.new_page()
    page.goto(f"{demo_server}/")
    settled(page)
    week = page.get_by_role("combobox", name="Week", exact=True).input_value()
    expect(page).to_have_url(f"{demo_server}/?week={week}&range=all")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
    settled(page)
    expect(page).to_have_url(f"{demo_server}/data?week={week}&range=all")
    copied = page.url
    fresh = chromium.new_page()
    fresh.goto(copied)
    settled(fresh)
    expect(fresh.get_by_role("combobox", name="Week", exact=True)).to_have_value(week)


def test_export_text_is_shown_as_text_and_runs_nothing(chromium, tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    files = {
        "signups.csv": f'user_id,signed_up_at,segment\nu1,2026-03-02,"{hostile}"\n"{hostile}",not a date,x\n',
        "events.csv": f'user_id,event,occurred_at\nu1,"{hostile}",2026-03-03\n',
    }
    workspace = make_workspace(tmp_path / "ws", files, toml(as_of="2026-04-30"))
    with serve({"SEAMS_WORKSPACE": str(workspace), "SEAMS_DB": str(tmp_path / "db.duckdb")}, tmp_path / "log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 1400})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/data")
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.wait_for_timeout(1000)
        assert dialogs == []
        assert page.locator("img[src='x']").count() == 0


def test_the_weekly_summary_downloads_as_a_note_with_its_charts(chromium, demo_server, tmp_path):
    page = chromium.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(f"{demo_server}/?week={SIGNATURE_WEEK}")
    settled(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download this week's summary").click()
    saved = tmp_path / "note.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as note:
        names = note.namelist()
        markdown = note.read(f"week-{SIGNATURE_WEEK}.md").decode()
        pngs = [name for name in names if name.endswith(".png")]
        assert pngs and all(note.read(name).startswith(b"\x89PNG") for name in pngs)
    assert markdown.startswith("# Week commencing Monday 8 June 2026")
    assert "All 4 functions green" in markdown
    assert all(f"]({name})" in markdown for name in pngs)  # the note links every chart beside it
