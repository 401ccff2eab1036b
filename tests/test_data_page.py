"""The Data page (AppTest) and the upload behind it (pipelines/upload.py, tested directly: AppTest
cannot upload files).

The fixture workspace, by hand:
  signups.csv  u1 2026-03-02, u2 2026-03-03, u3 "=1+2"  -> 3 rows read, 2 loaded, 1 rejected (line 4)
  events.csv   u1 activated 2026-03-04                  -> 1 row read, 1 loaded
Its history: build A (events header only), a failed build (signups header broken), build B (as above).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pipeline_helpers import make_workspace, query, toml
from streamlit.testing.v1 import AppTest

from pipelines import build as build_module
from pipelines import builds, upload
from pipelines.build import build
from pipelines.config import WorkspaceError

ROOT = Path(__file__).resolve().parent.parent
SIGNUPS = "user_id,signed_up_at\nu1,2026-03-02T09:00:00Z\nu2,2026-03-03T09:00:00Z\nu3,=1+2\n"
EVENTS = "user_id,event,occurred_at\nu1,activated,2026-03-04T09:00:00Z\n"
EVENTS_HEADER_ONLY = "user_id,event,occurred_at\n"
NOTHING_CHANGED = "; nothing was changed"


def rewrite(path: Path, text: str):
    """Replace a file's content and move its time on, as an export tool would."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def snapshot(folder: Path) -> dict:
    """Every file under `folder`, built files and history included: its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


@pytest.fixture
def history_ws(tmp_path):
    """The workspace after builds A, failed, B; built where the app builds by default (.seams/)."""
    ws = make_workspace(
        tmp_path / "ws", {"signups.csv": SIGNUPS, "events.csv": EVENTS_HEADER_ONLY}, toml(as_of="2026-04-30")
    )
    out = ws / ".seams" / "seams.duckdb"
    first = build(ws, out).build_id
    rewrite(ws / "signups.csv", "user_id,created\nu1,2026-03-02\n")
    with pytest.raises(WorkspaceError):
        build(ws, out)
    rewrite(ws / "signups.csv", SIGNUPS)
    rewrite(ws / "events.csv", EVENTS)
    second = build(ws, out).build_id
    return ws, out, first, second


def _data_page(monkeypatch, ws: Path, out: Path | None = None, **params) -> AppTest:
    monkeypatch.setenv("SEAMS_WORKSPACE", str(ws))
    if out is None:
        monkeypatch.delenv("SEAMS_DB", raising=False)
    else:
        monkeypatch.setenv("SEAMS_DB", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data behind the numbers"
    return at


ACCOUNTING = ["file", "table_name", "rows_read", "rows_loaded", "rows_rejected", "bytes"]


def rows(frame, columns: list[str]) -> list[tuple]:
    """The rows a page shows, as tuples; an empty cell (which AppTest reads as NaN) is None."""
    return [
        tuple(None if value != value else value for value in row)  # NaN is the one value unequal to itself
        for row in frame[columns].itertuples(index=False)
    ]


def test_the_sources_table_shows_each_files_accounting(monkeypatch, history_ws):
    ws, out, _first, second = history_ws
    at = _data_page(monkeypatch, ws)  # no SEAMS_DB: the app's default, WORKSPACE/.seams/seams.duckdb
    shown = at.dataframe[0].value
    assert [tuple(row) for row in shown[ACCOUNTING].itertuples(index=False)] == [
        ("events.csv", "events", 1, 1, 0, len(EVENTS)),  # u1's activation
        ("signups.csv", "signups", 3, 2, 1, len(SIGNUPS)),  # u1, u2 loaded; u3's "=1+2" is no date-time
    ]
    # And exactly the built file's `sources` table.
    assert [tuple(row) for row in shown[ACCOUNTING].itertuples(index=False)] == query(
        out, "select file, table_name, rows_read, rows_loaded, rows_rejected, bytes from sources order by 2, 1"
    )
    assert set(shown.columns) >= {"modified_at", "adapter", "encoding", "timezone", "note"}
    assert f"build `{second}`" in at.caption[0].value


def test_rejects_are_grouped_by_reason_with_examples_and_a_download(monkeypatch, history_ws):
    ws, _out, _first, _second = history_ws
    at = _data_page(monkeypatch, ws)
    grouped = at.dataframe[1].value
    assert list(grouped.columns) == ["file", "table_name", "column", "reason", "rows", "first_line", "examples"]
    (row,) = grouped.itertuples(index=False)
    # One bad row: line 4 (header = line 1) of signups.csv, its signed_up_at "=1+2".
    assert (row.file, row.table_name, row.column, row.rows, row.first_line, row.examples) == (
        "signups.csv", "signups", "signed_up_at", 1, 4, "line 4: =1+2",
    )
    assert row.reason.startswith("not a date-time")
    listed = at.dataframe[2].value
    assert [tuple(r) for r in listed[["file", "line", "column", "value"]].itertuples(index=False)] == [
        ("signups.csv", 4, "signed_up_at", "=1+2"),
    ]
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download 1 rows (CSV)", "Download 1 rows (Parquet)"]


def test_the_build_history_lists_every_build_newest_first_failed_ones_too(monkeypatch, history_ws):
    ws, _out, first, second = history_ws
    at = _data_page(monkeypatch, ws)
    history = at.dataframe[3].value
    assert rows(history, ["build_id", "as_of", "result", "rows_rejected", "kept"]) == [
        (second, "2026-04-30", "ok", 1, True),  # u3's bad date
        (None, None, "failed", None, False),
        (first, "2026-04-30", "ok", 1, True),
    ]
    assert history["error"][1] == (
        "signups.csv: required column 'signed_up_at' of signups is missing (columns found: 'user_id', 'created'); "
        "add it or rename the header"
    )
    assert list(history["shown"]) == [True, False, False]


def test_a_page_pinned_to_an_older_build_shows_that_builds_sources(monkeypatch, history_ws):
    ws, _out, first, _second = history_ws
    at = _data_page(monkeypatch, ws, build=first)
    shown = at.dataframe[0].value
    # Build A read a header-only events.csv: 0 rows.
    assert [tuple(r) for r in shown[ACCOUNTING[:5]].itertuples(index=False)] == [
        ("events.csv", "events", 0, 0, 0),
        ("signups.csv", "signups", 3, 2, 1),
    ]
    assert list(at.dataframe[3].value["shown"]) == [False, False, True]
    assert at.query_params["build"] == first


def test_the_rebuild_button_builds_now_and_shows_the_new_build(monkeypatch, history_ws):
    ws, out, first, second = history_ws
    at = _data_page(monkeypatch, ws, build=first)
    at.button(key="data-rebuild").click().run()
    assert not at.exception
    records = builds.history(out)
    assert [r.result for r in records] == ["ok", "failed", "ok", "ok"]
    newest = records[-1].build_id
    assert newest not in (first, second)
    assert at.success[0].value.startswith(f"Built `{newest}` in ")
    assert f"build `{newest}`" in at.caption[0].value  # the session follows the new build, pin dropped
    assert "build" not in at.query_params


def test_a_rebuild_that_fails_keeps_the_last_good_build_and_says_why(monkeypatch, history_ws):
    ws, out, _first, second = history_ws
    at = _data_page(monkeypatch, ws)
    served = out.read_bytes()
    (ws / "seams.toml").write_text((ws / "seams.toml").read_text() + "\n[oops]\n")
    at.button(key="data-rebuild").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "The rebuild failed; the last good build keeps serving" in message and "oops" in message
    assert out.read_bytes() == served
    assert builds.history(out)[-1].result == "failed"
    assert query(out, "select build_id from build_info") == [(second,)]


def test_the_upload_controls_are_on_the_page(monkeypatch, history_ws):
    ws, _out, _first, _second = history_ws
    at = _data_page(monkeypatch, ws)
    (uploader,) = at.get("file_uploader")
    assert uploader.proto.label == "Export files" and uploader.proto.multiple_files
    assert at.button(key="data-replace").disabled  # nothing uploaded yet
    assert at.button(key="data-rebuild").label == "Rebuild now"


# ---- the upload itself ----------------------------------------------------------------------------


def test_an_upload_replaces_the_file_keeps_the_old_one_and_swaps_the_build_in(history_ws):
    ws, out, _first, second = history_ws
    new_events = EVENTS + "u2,activated,2026-03-05T09:00:00Z\n"
    result = upload.replace_exports(ws, out, {"events.csv": new_events.encode()})

    assert (result.replaced, result.added) == (["events.csv"], [])
    assert result.kept_in.parent == ws / ".seams" / "replaced"
    assert (result.kept_in / "events.csv").read_text() == EVENTS  # the previous file, kept
    assert (ws / "events.csv").read_text() == new_events
    # The new build serves: u1 and u2 signed up in the week of 2026-03-02 and both activated -> 2 of 2.
    assert query(out, "select signups, activated from outcome_cohorts where cohort_week = '2026-03-02'") == [(2, 2)]
    assert query(out, "select build_id from build_info") == [(result.build.build_id,)]
    # One more good build in the history; the trial build is not one of the workspace's builds.
    assert [r.result for r in builds.history(out)] == ["ok", "failed", "ok", "ok"]
    assert builds.resolve(out, second).status == "kept"
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".trial-")]


def test_an_upload_may_add_an_optional_export(history_ws):
    ws, out, _first, _second = history_ws
    result = upload.replace_exports(ws, out, {"org_changes.csv": b"changed_on,label\n2026-03-09,Team formed\n"})
    assert (result.replaced, result.added, result.kept_in) == ([], ["org_changes.csv"], None)
    assert query(out, "select changed_on::varchar, label from org_changes") == [("2026-03-09", "Team formed")]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"signups.csv": b"user_id,created\nu1,2026-03-02\n"},
            "signups.csv: required column 'signed_up_at' of signups is missing (columns found: 'user_id', "
            "'created'); add it or rename the header" + NOTHING_CHANGED,
        ),
        (
            {"notes.csv": b"a,b\n1,2\n"},
            "notes.csv: this workspace reads no file of that name; name an export after its table (tickets.csv, "
            "events.parquet, …) or map the name in [sources] of seams.toml" + NOTHING_CHANGED,
        ),
        (
            # A good events file does not save a bad sign-ups file uploaded with it.
            {"events.csv": EVENTS.encode(), "signups.csv": b"user_id,signed_up_at\nu1,soon\nu2,later\n"},
            "signups.csv: none of its 2 rows could be read",
        ),
    ],
)
def test_a_failed_upload_changes_nothing_and_names_the_file_and_the_fix(history_ws, files, message):
    ws, out, _first, _second = history_ws
    before = snapshot(ws)
    with pytest.raises(WorkspaceError) as error:
        upload.replace_exports(ws, out, files)
    assert str(error.value).startswith(message)
    assert str(error.value).endswith(NOTHING_CHANGED)
    assert snapshot(ws) == before  # exports, built file, kept builds and history alike


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../signups.csv", "'../signups.csv': a path, not a file name"),
        ("sub/signups.csv", "'sub/signups.csv': a path, not a file name"),
        ("/tmp/signups.csv", "'/tmp/signups.csv': a path, not a file name"),
        ("..\\signups.csv", "'..\\\\signups.csv': a path, not a file name"),
        ("..", "'..': a path, not a file name"),
        (".seams", "'.seams': hidden or control characters in the name"),
        (".signups.csv", "'.signups.csv': hidden or control characters in the name"),
        ("sign\nups.csv", "'sign\\nups.csv': hidden or control characters in the name"),
        (" signups.csv", "' signups.csv': not a file name"),
        ("", "'': not a file name"),
        ("seams.toml", "seams.toml: not an export file"),
        ("signups.exe", "signups.exe: not an export file"),
    ],
)
def test_an_upload_name_that_is_not_a_plain_export_name_is_refused(tmp_path, history_ws, name, message):
    ws, out, _first, _second = history_ws
    before = snapshot(tmp_path)
    with pytest.raises(WorkspaceError) as error:
        upload.replace_exports(ws, out, {name: SIGNUPS.encode()})
    assert str(error.value).startswith(message)
    assert snapshot(tmp_path) == before  # nothing written anywhere, inside the workspace or out of it


def test_an_upload_whose_real_build_fails_puts_the_previous_files_back(monkeypatch, history_ws):
    ws, out, _first, _second = history_ws
    before = snapshot(ws)
    real_build = build_module.build

    def failing_after_the_trial(workspace, target, progress=None):
        if Path(target) == out:  # the trial builds elsewhere; the real build "fails" (a disk full, say)
            raise OSError("No space left on device")
        return real_build(workspace, target, progress)

    monkeypatch.setattr(build_module, "build", failing_after_the_trial)
    with pytest.raises(OSError):
        upload.replace_exports(ws, out, {"events.csv": EVENTS.encode() + b"u2,activated,2026-03-05\n",
                                         "org_changes.csv": b"changed_on,label\n2026-03-09,X\n"})
    assert snapshot(ws) == before


def test_a_link_into_the_workspace_is_read_by_the_trial_as_it_would_be(history_ws):
    ws, out, _first, _second = history_ws
    (ws / "exports").mkdir()
    (ws / "events.csv").rename(ws / "exports" / "events.csv")
    (ws / "events.csv").symlink_to(ws / "exports" / "events.csv")
    result = upload.replace_exports(ws, out, {"org_changes.csv": b"changed_on,label\n2026-03-09,X\n"})
    assert result.added == ["org_changes.csv"]
    assert (ws / "events.csv").is_symlink()


def test_the_meetings_left_out_of_coordination_are_counted_by_reason(monkeypatch, tmp_path):
    meetings = (
        "meeting_id,starts_at,ends_at,title\n"
        "m1,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,Sync\n"  # a and b: coordination
        "m2,2026-03-03T00:00:00,2026-03-04T00:00:00,Offsite\n"  # local midnight to midnight: all-day
        "m3,2026-03-03T10:00:00Z,2026-03-03T11:00:00Z,Focus\n"  # a alone: one person
        "m4,2026-03-04T10:00:00Z,2026-03-04T11:00:00Z,All hands\n"  # a, b, c, d: 4 > broadcast_size 3
        "m5,2026-03-05T10:00:00Z,2026-03-05T11:00:00Z,Focus\n"  # b alone, c declined: one person
    )
    attendees = "meeting_id,email,response\n" + "".join(
        f"{meeting},{person}@x.test,{response}\n"
        for meeting, people in [("m1", "ab"), ("m2", "ab"), ("m3", "a"), ("m4", "abcd"), ("m5", "bc")]
        for person in people
        for response in ["declined" if (meeting, person) == ("m5", "c") else "accepted"]
    )
    files = {"signups.csv": SIGNUPS, "events.csv": EVENTS, "meetings.csv": meetings, "attendees.csv": attendees}
    config = toml(as_of="2026-04-30", extra="\n[coordination]\nbroadcast_size = 3\n")
    ws = make_workspace(tmp_path / "ws", files, config)
    at = _data_page(monkeypatch, ws, tmp_path / "seams.duckdb")
    excluded = at.dataframe[1].value
    assert rows(excluded, ["reason", "meetings"]) == [
        ("all-day event", 1),  # m2
        ("broadcast (more than 3 attendees)", 1),  # m4
        ("one-person event (fewer than 2 attendees)", 2),  # m3, m5
    ]
