"""Downloads hold no live spreadsheet formula, and keep everything else as it was."""

from __future__ import annotations

import io

import pandas as pd

from pipelines import export


def test_text_that_starts_a_formula_is_neutralised_and_the_rest_is_kept():
    rows = pd.DataFrame(
        {
            "title": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "Weekly sync", None],
            "hours": [1.0, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        }
    )
    safe = export.neutralise(rows)
    assert safe["title"].tolist()[:7] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "Weekly sync",
    ]
    assert pd.isna(safe["title"][7])  # a missing value stays missing
    assert safe["hours"].tolist() == rows["hours"].tolist()  # numbers, negative ones too, stay numbers
    assert rows["title"][0].startswith("=")  # the caller's frame is not changed


def test_csv_and_parquet_downloads_are_neutralised():
    rows = pd.DataFrame({"title": ["=1+1", "ok"]})
    assert export.to_csv(rows).decode() == "title\n'=1+1\nok\n"
    assert pd.read_parquet(io.BytesIO(export.to_parquet(rows)))["title"].tolist() == ["'=1+1", "ok"]
