"""Presentation helpers for the newswatch page: a word diff as segments and bar-chart geometry.

Hand-written because the stored diff (``[-old-]{+new+}`` text) cannot be highlighted safely in
HTML without re-parsing it, and a 20-bar SVG chart is less code than a charting dependency. Both
return plain data; the templates only place it.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

Op = Literal["same", "del", "ins"]


@dataclass(frozen=True)
class Segment:
    op: Op
    text: str


def word_diff_hunks(old: str, new: str, context: int) -> list[list[Segment]]:
    """Changed hunks of ``old`` → ``new`` as segments, ``context`` unchanged words around each."""
    a, b = old.split(), new.split()
    hunks: list[list[Segment]] = []
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        hunk: list[Segment] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk.append(Segment("same", " ".join(a[i1:i2])))
                continue
            if i2 > i1:
                hunk.append(Segment("del", " ".join(a[i1:i2])))
            if j2 > j1:
                hunk.append(Segment("ins", " ".join(b[j1:j2])))
        hunks.append(hunk)
    return hunks


def highlight(text: str, spans: list[list[int]] | list[tuple[int, int]]) -> list[Segment]:
    """``text`` cut at the evidence spans: matched words are ``ins`` segments, the rest ``same``."""
    out: list[Segment] = []
    pos = 0
    for start, end in sorted((int(s), int(e)) for s, e in spans):
        start, end = max(start, pos), min(end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append(Segment("same", text[pos:start]))
        out.append(Segment("ins", text[start:end]))
        pos = end
    if pos < len(text):
        out.append(Segment("same", text[pos:]))
    return out


def bar_chart(counts: list[tuple[str, int]], *, width: int, height: int) -> dict[str, Any]:
    """Bars (x, y, w, h, label, value) scaled to the largest count, for an inline SVG."""
    top = max((value for _, value in counts), default=0)
    slot = width / max(len(counts), 1)
    bars = []
    for index, (label, value) in enumerate(counts):
        bar_height = 0.0 if top == 0 else height * value / top
        bars.append(
            {
                "x": round(index * slot + slot * 0.1, 2),
                "y": round(height - bar_height, 2),
                "w": round(slot * 0.8, 2),
                "h": round(bar_height, 2),
                "label": label,
                "value": value,
            }
        )
    return {"width": width, "height": height, "max": top, "bars": bars}
