"""The benchmark's smoke run: it completes at a tiny scale and its figures are well-formed."""

from __future__ import annotations

import json

from pipelines import bench


def test_the_benchmark_runs_at_a_tiny_scale_and_reports_every_figure(tmp_path):
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
