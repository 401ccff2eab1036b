"""The benchmark's smoke run: it completes at a tiny scale and its figures are well-formed."""

from __future__ import annotations

import json

from pipelines import bench


def test_the_benchmark_runs_at_a_tiny_scale_and_reports_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--scales", "0.002", "--repeat", "3", "--json", str(out), "--workdir", str(tmp_path / "w")]) == 0
    figures = json.loads(out.read_text())
    assert figures["machine"]["cpus"] >= 1
    assert [(r["scale"], r["format"]) for r in figures["results"]] == [(0.002, "csv"), (0.002, "parquet")]
    for row in figures["results"]:
        assert row["build_seconds"] > 0 and row["floor_seconds"] > 0
        assert row["ratio"] == row["build_seconds"] / row["floor_seconds"]
        assert row["peak_rss_mb"] > 10
        assert row["rows"]["signups"] > 0
        expected = {"status_grid", "week_summary", "outcome_cohorts", "coordination_weekly", "sources"}
        assert expected <= set(row["queries"])
        for timing in row["queries"].values():
            assert 0 < timing["p50_ms"] <= timing["p95_ms"]
        assert "model/outcome_cohorts" in row["steps"]
        # The rebuild after one new ticket re-read the tickets export only.
        assert row["rebuild_seconds"] > 0
        assert row["rebuild_ratio"] == row["rebuild_seconds"] / row["build_seconds"]
        assert set(row["rebuild_reused"]) == set(row["rows"]) - {"tickets"}
        assert "read/tickets" in row["rebuild_steps"] and "read/events" not in row["rebuild_steps"]
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("scale ")]
    assert len(printed) == 2 and all("rebuild after one new ticket" in line for line in printed)
