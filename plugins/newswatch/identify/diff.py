"""Word-level diff between two versions, in the compact ``[-old-]{+new+}`` notation of wdiff.

Only changed hunks are kept, each with a few words of context, so a one-word correction in a
long article is a one-line diff an analyst can read in a terminal.
"""

from __future__ import annotations

from difflib import SequenceMatcher


def word_diff(old: str, new: str, context: int) -> str:
    """Changed hunks of ``old`` → ``new`` with ``context`` words around each; "" when equal."""
    a, b = old.split(), new.split()
    hunks: list[str] = []
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        parts: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(" ".join(a[i1:i2]))
                continue
            if i2 > i1:
                parts.append("[-" + " ".join(a[i1:i2]) + "-]")
            if j2 > j1:
                parts.append("{+" + " ".join(b[j1:j2]) + "+}")
        hunks.append(" ".join(p for p in parts if p))
    return "\n".join(f"… {hunk} …" for hunk in hunks)


def version_diff(
    old_headline: str | None, old_body: str, new_headline: str | None, new_body: str, context: int
) -> str:
    """Headline and body diffs, labelled; the headline line only when it changed."""
    lines = []
    if (old_headline or "") != (new_headline or ""):
        lines.append(
            "headline: " + (word_diff(old_headline or "", new_headline or "", context) or "(changed)")
        )
    body = word_diff(old_body, new_body, context)
    if body:
        lines.append("body:\n" + body)
    return "\n".join(lines)
