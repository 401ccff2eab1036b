"""The build store (pipelines/builds.py) and links pinned to a build (ui/frame.py).

Each build of a tiny workspace has numbers worked out by hand, so that a kept build can be told from
the latest by what it holds: the outcome cohort of the week of 2026-03-02 (sign-ups, activated).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pipeline_helpers import make_workspace, query, toml
from streamlit.testing.v1 import AppTest

from pipelines import builds
from pipelines.build import build
from pipelines.config import WorkspaceError
from ui import data

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-03-02"
EVENTS_HEADER = "user_id,event,occurred_at\n"
COHORT_SQL = "select signups, activated from outcome_cohorts where cohort_week = ?"


def signups(count: int) -> str:
    """`count` sign-ups u1..uN, all on Monday 2026-03-02 (one cohort)."""
    return "user_id,signed_up_at\n" + "".join(f"u{i},2026-03-02T09:00:00Z\n" for i in range(1, count + 1))


def activations(*users: str) -> str:
    return EVENTS_HEADER + "".join(f"{user},activated,2026-03-04T09:00:00Z\n" for user in users)


def config(keep: int | None = None) -> str:
    return toml(as_of="2026-04-30", extra=f"\n[builds]\nkeep = {keep}\n" if keep else "")


def workspace(tmp_path: Path, users: int, activated: tuple[str, ...] = (), keep: int | None = None) -> Path:
    return make_workspace(
        tmp_path / "ws", {"signups.csv": signups(users), "events.csv": activations(*activated)}, config(keep)
    )


def rewrite(path: Path, text: str):
    """Replace a file's content and move its time on, as an export tool would."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def cohort(db: Path) -> tuple:
    return query(db, COHORT_SQL, [WEEK])[0]


def snapshot(folder: Path, skip: str = builds.HISTORY_NAME) -> dict:
    """Every file under `folder` (but `skip`): its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != skip
    }


# ---- the store ------------------------------------------------------------------------------------


def test_each_good_build_is_kept_recorded_and_pruned_beyond_keep(tmp_path):
    ws = workspace(tmp_path, users=1, keep=2)
    out = tmp_path / "seams.duckdb"
    ids = []
    for users in (1, 2, 3, 4):
        rewrite(ws / "signups.csv", signups(users))
        ids.append(build(ws, out).build_id)

    store = builds.store_dir(out)
    assert store == tmp_path / "seams.builds"
    # keep = 2: the builds of 3 and 4 sign-ups stay, the first two are pruned.
    assert sorted(p.name for p in store.glob("*.duckdb")) == sorted(f"{i}.duckdb" for i in ids[2:])
    assert [(r.result, r.build_id, r.as_of, r.rows_rejected) for r in builds.history(out)] == [
        ("ok", ids[0], "2026-04-30", 0),
        ("ok", ids[1], "2026-04-30", 0),
        ("ok", ids[2], "2026-04-30", 0),
        ("ok", ids[3], "2026-04-30", 0),
    ]
    assert [builds.resolve(out, i).status for i in ids] == ["expired", "expired", "kept", "kept"]
    # The served file is the last build; the kept third build still holds its own 3 sign-ups.
    assert cohort(out) == (4, 0)  # build 4: u1..u4 signed up, none activated
    assert cohort(builds.kept_path(out, ids[2])) == (3, 0)  # build 3: u1..u3
    assert query(builds.kept_path(out, ids[2]), "select build_id from build_info") == [(ids[2],)]


def test_the_kept_build_is_the_served_file_hard_linked_not_a_copy(tmp_path):
    out = tmp_path / "seams.duckdb"
    result = build(workspace(tmp_path, users=2), out)
    kept = builds.kept_path(out, result.build_id)
    assert kept.stat().st_ino == out.stat().st_ino
    assert out.stat().st_nlink == 2


def test_a_failed_build_is_recorded_and_changes_nothing_else(tmp_path):
    ws = workspace(tmp_path, users=2, activated=("u1",))
    out = tmp_path / "out" / "seams.duckdb"
    good = build(ws, out)
    before = snapshot(tmp_path / "out")
    rewrite(ws / "signups.csv", "user_id,created\nu1,2026-03-02T09:00:00Z\n")

    with pytest.raises(WorkspaceError):
        build(ws, out)

    assert snapshot(tmp_path / "out") == before  # the served file and the kept builds, byte for byte
    assert cohort(out) == (2, 1)  # u1 and u2 signed up, u1 activated: the good build still serves
    last = builds.history(out)[-1]
    assert (last.result, last.build_id, last.as_of, last.rows_rejected) == ("failed", None, None, None)
    assert last.error == (
        "signups.csv: required column 'signed_up_at' of signups is missing (columns found: 'user_id', 'created'); "
        "add it or rename the header"
    )
    assert last.fingerprint is not None and last.workspace == str(ws.resolve())
    assert [r.result for r in builds.history(out)] == ["ok", "failed"]
    assert builds.resolve(out, good.build_id).status == "kept"

    # The command line records its failures in the same history.
    cli = subprocess.run(
        [sys.executable, "-m", "pipelines.build", str(ws), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert cli.returncode == 2
    assert [r.result for r in builds.history(out)] == ["ok", "failed", "failed"]
    assert snapshot(tmp_path / "out") == before


def test_a_workspace_that_is_not_a_folder_is_a_failed_build_too(tmp_path):
    out = tmp_path / "seams.duckdb"
    with pytest.raises(WorkspaceError):
        build(tmp_path / "missing", out)
    (record,) = builds.history(out)
    assert (record.result, record.fingerprint) == ("failed", None)
    assert record.error.endswith("missing: not a folder; a workspace is a folder of exports with a seams.toml")
    assert not out.exists()


def test_a_pinned_build_opens_its_own_numbers_after_a_rebuild_with_changed_data(tmp_path):
    ws = workspace(tmp_path, users=2, activated=("u1",))
    out = tmp_path / "seams.duckdb"
    first = build(ws, out).build_id
    rewrite(ws / "events.csv", activations("u1", "u2"))
    second = build(ws, out).build_id

    resolved = builds.resolve(out, first)
    assert resolved.status == "kept" and resolved.record.build_id == first
    assert cohort(resolved.path) == (2, 1)  # first build: u1 of u1, u2 activated -> 1 of 2
    assert cohort(out) == (2, 2)  # second build: both activated -> 2 of 2
    assert cohort(builds.kept_path(out, second)) == (2, 2)


@pytest.mark.parametrize(
    ("build_id", "status"),
    [
        ("20000101T000000Z-abcdef", "unknown"),  # the shape of an id, never built here
        ("../seams", "unknown"),  # a path: never turned into one
        ("20000101T000000Z-abcdef/../../seams", "unknown"),
        ("", "unknown"),
    ],
)
def test_an_unknown_or_malformed_build_id_resolves_to_nothing(tmp_path, build_id, status):
    out = tmp_path / "seams.duckdb"
    build(workspace(tmp_path, users=1), out)
    resolved = builds.resolve(out, build_id)
    assert (resolved.status, resolved.path, resolved.record) == (status, None, None)
    assert builds.kept_path(out, build_id) is None


def test_history_lines_that_are_cut_short_are_skipped(tmp_path):
    out = tmp_path / "seams.duckdb"
    first = build(workspace(tmp_path, users=1), out).build_id
    with open(builds.store_dir(out) / builds.HISTORY_NAME, "a") as history:
        history.write('{"result": "ok", "started_at"\n')
    assert [r.build_id for r in builds.history(out)] == [first]


def test_kept_builds_the_history_does_not_know_are_pruned_oldest_first(tmp_path):
    ws = workspace(tmp_path, users=1, keep=2)
    out = tmp_path / "seams.duckdb"
    ids = []
    for users in (1, 2):
        rewrite(ws / "signups.csv", signups(users))
        ids.append(build(ws, out).build_id)
    (builds.store_dir(out) / builds.HISTORY_NAME).unlink()
    rewrite(ws / "signups.csv", signups(3))
    ids.append(build(ws, out).build_id)
    # The history knows only the third; of the two it forgot, the older goes.
    assert sorted(p.stem for p in builds.store_dir(out).glob("*.duckdb")) == sorted(ids[1:])


# ---- links pinned to a build (AppTest) ------------------------------------------------------------


def _app(monkeypatch, ws: Path, out: Path, **params) -> AppTest:
    monkeypatch.setenv("SEAMS_WORKSPACE", str(ws))
    monkeypatch.setenv("SEAMS_DB", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["week"] = WEEK
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def _cohort_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "This week's cohort")


@pytest.fixture
def two_builds(tmp_path):
    """Build A (1 of 2 activated), then the data change and build B (2 of 2): (ws, out, A, B)."""
    ws = workspace(tmp_path, users=2, activated=("u1",))
    out = tmp_path / "seams.duckdb"
    first = build(ws, out).build_id
    rewrite(ws / "events.csv", activations("u1", "u2"))
    second = build(ws, out).build_id
    return ws, out, first, second


def test_a_link_pinned_to_a_kept_build_shows_that_builds_numbers(monkeypatch, two_builds):
    ws, out, first, second = two_builds
    at = _app(monkeypatch, ws, out, build=first)
    assert _cohort_metric(at) == "50.0%"  # build A: 1 of 2 activated
    assert at.query_params["build"] == first
    pinned = at.info[0].value
    assert f"Pinned to build `{first}`" in pinned and f"The latest build is `{second}`" in pinned
    assert f"build={first}" in at.code[-1].value  # the copy-link box keeps the pin

    # The next run (another week chosen, say) stays on the pinned build.
    at.run()
    assert _cohort_metric(at) == "50.0%"

    at.button(key="seams-follow-latest").click().run()
    assert not at.exception
    assert _cohort_metric(at) == "100.0%"  # build B: 2 of 2 activated
    assert "build" not in at.query_params
    assert f"build={second}" in at.code[-1].value


def test_a_link_without_a_build_opens_the_latest_and_its_copy_link_pins_it(monkeypatch, two_builds):
    ws, out, _first, second = two_builds
    at = _app(monkeypatch, ws, out)
    assert _cohort_metric(at) == "100.0%"  # build B: 2 of 2
    assert "build" not in at.query_params  # a fresh visit follows the latest build
    assert not at.warning
    assert at.code[-1].value == f"?week={WEEK}&range=all&build={second}"


def test_a_link_pinned_to_the_latest_build_stays_on_it_after_a_rebuild(monkeypatch, two_builds):
    ws, out, _first, second = two_builds
    at = _app(monkeypatch, ws, out, build=second)
    assert _cohort_metric(at) == "100.0%"
    rewrite(ws / "events.csv", activations())
    build(ws, out)
    at.run()
    assert not at.exception
    assert _cohort_metric(at) == "100.0%"  # still build B, though the latest now has 0 of 2
    assert at.query_params["build"] == second


def test_an_expired_build_link_opens_the_latest_with_a_notice(monkeypatch, tmp_path):
    ws = workspace(tmp_path, users=2, activated=("u1",), keep=1)
    out = tmp_path / "seams.duckdb"
    first = build(ws, out).build_id
    rewrite(ws / "events.csv", activations("u1", "u2"))
    second = build(ws, out).build_id
    assert builds.resolve(out, first).status == "expired"

    at = _app(monkeypatch, ws, out, build=first)
    assert _cohort_metric(at) == "100.0%"  # the latest build: 2 of 2
    notice = at.warning[0].value
    assert notice.startswith(f"The link named build `{first}`, which is no longer kept (only the last 1 builds are)")
    assert f"showing the latest build, `{second}`" in notice
    assert "build" not in at.query_params
    at.run()
    assert at.warning[0].value == notice  # the notice stays for the session


def test_an_unknown_build_link_opens_the_latest_with_a_notice(monkeypatch, two_builds):
    ws, out, _first, second = two_builds
    at = _app(monkeypatch, ws, out, build="<b>nope</b>")
    assert _cohort_metric(at) == "100.0%"
    notice = at.warning[0].value
    assert "is not a build of this workspace" in notice and f"`{second}`" in notice
    assert "<b>" not in notice  # text from the URL is escaped


def test_the_app_builds_a_changed_workspace_once_and_does_not_retry_the_same_failing_files(monkeypatch, two_builds):
    ws, out, _first, second = two_builds
    rewrite(ws / "signups.csv", "user_id,created\nu1,2026-03-02T09:00:00Z\n")
    at = _app(monkeypatch, ws, out)
    assert "showing the last good build" in at.warning[0].value
    assert _cohort_metric(at) == "100.0%"  # build B keeps serving
    data.forget_checks()  # the next run checks the workspace again: same files, same failure
    at.run()
    assert not at.exception
    assert "showing the last good build" in at.warning[0].value
    assert [r.result for r in builds.history(out)] == ["ok", "ok", "failed"]  # built once, not retried
    assert query(out, "select build_id from build_info") == [(second,)]

    rewrite(ws / "signups.csv", signups(2))  # fixed: the files changed, so the app builds again
    data.forget_checks()
    at.run()
    assert not at.exception and not at.warning
    assert [r.result for r in builds.history(out)] == ["ok", "ok", "failed", "ok"]
