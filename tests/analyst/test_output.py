"""Analyst output: tables cut to the terminal, complete CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from newswatch.analyst.output import text, write_rows

ROWS = [
    {"id": 1, "when": datetime(2026, 11, 1, 8, 30, tzinfo=UTC), "headline": "Short", "tags": ["a", "b"]},
    {"id": 22, "when": None, "headline": "A headline far too long\nto fit " + "x" * 80, "tags": []},
]


def test_table_fits_the_terminal_and_cuts_the_stretch_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    out = io.StringIO()
    write_rows(ROWS, "table", ("id", "when", "headline"), out, stretch="headline")
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["id", "when", "headline"]
    assert lines[1].startswith("1   2026-11-01 08:30  Short")
    assert all(len(line) <= 40 for line in lines) and lines[2].endswith("…")


def test_machine_formats_are_complete() -> None:
    out = io.StringIO()
    write_rows(ROWS, "json", ("id",), out, stretch="id")
    assert json.loads(out.getvalue())[1]["headline"] == ROWS[1]["headline"]
    out = io.StringIO()
    write_rows(ROWS, "csv", ("id", "when", "headline"), out, stretch="headline")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["when"] == "2026-11-01T08:30:00+00:00" and rows[1]["headline"] == ROWS[1]["headline"]


def test_text_is_one_line() -> None:
    assert text(None) == "" and text(["a", "b"]) == "a, b" and text("two\n lines") == "two lines"
    assert text(datetime(2026, 11, 1, 9, 30, tzinfo=UTC).astimezone()) == "2026-11-01 09:30"
