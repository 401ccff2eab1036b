"""In a real browser: a link pinned to a build keeps that build's numbers after a rebuild with changed
data, an unpinned link shows the new ones, a download from the Data page holds no live formula, and
an upload replaces an export only when its trial build succeeds.
Headless Debian Chromium via Playwright; these tests fail (never skip) when Chromium is missing.

The workspace, by hand (all sign-ups on Monday 2026-03-02, one cohort, as_of 2026-04-30: mature):
  build A: u1, u2 signed up, u1 activated   -> this week's cohort 1 of 2 = 50.0%
  build B: u2 activated too                 -> 2 of 2 = 100.0%
"""

from __future__ import annotations

import csv
import os
import re

from browser import ARTIFACTS, serve, settled
from pipeline_helpers import make_workspace, toml
from playwright.sync_api import expect

from pipelines.build import build
from pipelines.export import FORMULA_STARTS

WEEK = "2026-03-02"
SIGNUPS = "user_id,signed_up_at\nu1,2026-03-02T09:00:00Z\nu2,2026-03-02T10:00:00Z\n"
EVENTS = "user_id,event,occurred_at\nu1,activated,2026-03-04T09:00:00Z\n"


def cohort_rate(page):
    return page.get_by_test_id("stMetricValue").first


def test_a_pinned_link_keeps_its_numbers_after_a_rebuild_and_an_unpinned_one_shows_the_new(chromium, tmp_path):
    ws = make_workspace(tmp_path / "ws", {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-04-30"))
    out = tmp_path / "built" / "seams.duckdb"
    with serve({"SEAMS_WORKSPACE": str(ws), "SEAMS_DB": str(out)}, tmp_path / "server.log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{base}/?week={WEEK}")  # the server builds A on this first request
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(cohort_rate(page)).to_have_text("50.0%")  # A: 1 of 2
        assert "build=" not in page.url  # a fresh visit follows the latest build
        link = page.get_by_test_id("stCode").last.inner_text().strip()
        first = re.search(r"build=([0-9TZa-f-]+)", link).group(1)
        assert link == f"{base}/?week={WEEK}&range=all&build={first}"

        # The export changes and the workspace is rebuilt (B) while the server runs.
        (ws / "events.csv").write_text(EVENTS + "u2,activated,2026-03-05T09:00:00Z\n")
        stat = (ws / "events.csv").stat()
        os.utime(ws / "events.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        second = build(ws, out).build_id
        assert second != first

        pinned = chromium.new_page(viewport={"width": 1400, "height": 1400})
        pinned.goto(link)
        settled(pinned)
        expect(pinned.get_by_test_id("stException")).to_have_count(0)
        expect(cohort_rate(pinned)).to_have_text("50.0%")  # still A
        expect(pinned.get_by_text(f"Pinned to build {first}")).to_be_visible()
        expect(pinned).to_have_url(re.compile(rf"build={first}"))
        # Another page keeps the pin: the Data page shows A's build.
        pinned.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
        settled(pinned)
        expect(pinned).to_have_url(re.compile(rf"/data\?.*build={first}"))
        expect(pinned.get_by_text(f"build {first} · built")).to_be_visible()

        unpinned = chromium.new_page(viewport={"width": 1400, "height": 1400})
        unpinned.goto(f"{base}/?week={WEEK}")
        settled(unpinned)
        expect(cohort_rate(unpinned)).to_have_text("100.0%")  # B: 2 of 2
        expect(unpinned.get_by_text("Pinned to build")).to_have_count(0)

        unknown = chromium.new_page(viewport={"width": 1400, "height": 1400})
        unknown.goto(f"{base}/?week={WEEK}&build=20000101T000000Z-abcdef")
        settled(unknown)
        expect(cohort_rate(unknown)).to_have_text("100.0%")
        expect(unknown.get_by_text("20000101T000000Z-abcdef, which is not a build of this workspace")).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        pinned.screenshot(path=str(ARTIFACTS / "data-pinned.png"), full_page=True)


def test_a_download_of_rejected_rows_holds_no_live_formula(chromium, tmp_path):
    # Three sign-ups whose date is a formula: each is a reject whose value starts with = + or @.
    signups = SIGNUPS + "u3,=1+2\nu4,+1+2\nu5,@SUM(1)\n"
    ws = make_workspace(tmp_path / "ws", {"signups.csv": signups, "events.csv": EVENTS}, toml(as_of="2026-04-30"))
    env = {"SEAMS_WORKSPACE": str(ws), "SEAMS_DB": str(tmp_path / "seams.duckdb")}
    with serve(env, tmp_path / "server.log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 2000}, accept_downloads=True)
        page.goto(f"{base}/data")
        settled(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        with page.expect_download() as download:
            page.get_by_role("button", name="Download 3 rows (CSV)").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "data.png"), full_page=True)

    with open(saved, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert saved.name.startswith("rejects-") and saved.suffix == ".csv"
    # Lines 4, 5 and 6 of signups.csv (header = line 1), each value made inert by a leading apostrophe.
    assert [(r["file"], r["line"], r["column"], r["value"]) for r in rows] == [
        ("signups.csv", "4", "signed_up_at", "'=1+2"),
        ("signups.csv", "5", "signed_up_at", "'+1+2"),
        ("signups.csv", "6", "signed_up_at", "'@SUM(1)"),
    ]
    assert not [cell for row in rows for cell in row.values() if cell.startswith(FORMULA_STARTS)]


def test_an_upload_is_checked_by_a_trial_build_and_replaces_the_export_only_when_it_builds(chromium, tmp_path):
    ws = make_workspace(tmp_path / "ws", {"signups.csv": SIGNUPS, "events.csv": EVENTS}, toml(as_of="2026-04-30"))
    env = {"SEAMS_WORKSPACE": str(ws), "SEAMS_DB": str(tmp_path / "seams.duckdb")}
    with serve(env, tmp_path / "server.log") as base:
        page = chromium.new_page(viewport={"width": 1400, "height": 2400})
        page.goto(f"{base}/data?week={WEEK}")
        settled(page)
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput")

        # A sign-ups file without its date column: refused, and the workspace keeps its file.
        uploader.set_input_files(
            files=[{"name": "signups.csv", "mimeType": "text/csv", "buffer": b"user_id,created\nu1,2026-03-02\n"}]
        )
        page.get_by_role("button", name="Check and replace").click()
        settled(page)
        expect(page.get_by_text("The upload failed; the last good build keeps serving.")).to_be_visible()
        expect(page.get_by_text("required column 'signed_up_at' of signups is missing")).to_be_visible()
        assert (ws / "signups.csv").read_text() == SIGNUPS
        assert not (ws / ".seams" / "replaced").exists()

        # An events file where u2 activated too: replaces the old one, which is kept.
        page.goto(f"{base}/data?week={WEEK}")  # a fresh page: an empty uploader
        settled(page)
        uploader.set_input_files(
            files=[{
                "name": "events.csv", "mimeType": "text/csv",
                "buffer": (EVENTS + "u2,activated,2026-03-05T09:00:00Z\n").encode(),
            }]
        )
        page.get_by_role("button", name="Check and replace").click()
        settled(page)
        expect(page.get_by_text("Uploaded events.csv and built")).to_be_visible()
        (kept,) = (ws / ".seams" / "replaced").glob("*/events.csv")
        assert kept.read_text() == EVENTS
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
        settled(page)
        expect(cohort_rate(page)).to_have_text("100.0%")  # u1 and u2 activated: 2 of 2
