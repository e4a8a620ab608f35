"""How analyst commands print rows: aligned tables cut to the terminal, or complete JSON / CSV."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO


def text(value: Any) -> str:
    """A value as one terminal-friendly line: minutes for times, commas for lists."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            if value.tzinfo
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def json_default(value: Any) -> Any:
    """For ``json.dump``: times as ISO strings, anything else as its text."""
    return value.isoformat() if isinstance(value, datetime) else str(value)


def csv_cell(value: Any) -> Any:
    """A CSV cell: times as ISO strings, lists as JSON, anything else as it is."""
    if isinstance(value, datetime):
        return value.isoformat()
    return json.dumps(value) if isinstance(value, list) else value


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], out: TextIO, *, stretch: str) -> None:
    """Aligned columns cut to the terminal width; the ``stretch`` column absorbs the shortfall."""
    width = shutil.get_terminal_size((120, 24)).columns
    cells = [[text(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    overflow = sum(widths) + 2 * (len(columns) - 1) - width
    if overflow > 0:
        i = columns.index(stretch)
        widths[i] = max(widths[i] - overflow, len(stretch))
    out.write("  ".join(c.ljust(w)[:w] for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    for row in cells:
        parts = [
            (v if len(v) <= w else v[: max(w - 1, 0)] + "…").ljust(w)
            for v, w in zip(row, widths, strict=True)
        ]
        out.write("  ".join(parts).rstrip() + "\n")


def write_rows(
    rows: Iterable[dict[str, Any]], fmt: str, columns: Sequence[str], out: TextIO, *, stretch: str
) -> None:
    """``rows`` as ``fmt`` (json, csv, or a table)."""
    if fmt == "json":
        json.dump(list(rows), out, default=json_default, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: csv_cell(row.get(c)) for c in columns})
    else:
        print_table(list(rows), columns, out, stretch=stretch)
