"""Shared fixtures: the demo workspace built once per test session, and the app's environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.build import build

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The bundled demo workspace, built once into a file of the test session's own."""
    out = tmp_path_factory.mktemp("demo-build") / "seams.duckdb"
    build(DEMO, out)
    return out


@pytest.fixture
def demo_env(monkeypatch, demo_db, tmp_path) -> Path:
    """The app pointed at the demo workspace and a private copy of its build (AppTest reads the
    environment on every run, so each test gets its own file)."""
    db = tmp_path / "seams.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("SEAMS_WORKSPACE", str(DEMO))
    monkeypatch.setenv("SEAMS_DB", str(db))
    return db


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright (PLATFORM.md): fails, never skips, when it is missing."""
    from browser import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: install Debian's chromium (make test does)"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
