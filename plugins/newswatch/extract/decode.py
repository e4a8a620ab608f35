"""Turn page bytes into text: BOM, then the page's own ``<meta charset>``, then UTF-8.

Hand-written rather than bs4's UnicodeDammit because the order is a product decision (a BOM is
proof, a meta tag is a claim, UTF-8 with replacement never fails) and because guessing from byte
statistics is slow and wrong on short pages.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
# The HTML standard says only the first 1024 bytes count; real pages put it later, so look further.
_SNIFF_BYTES = 4096
# Labels browsers treat as something else (WHATWG encoding spec).
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-sjis": "shift_jis",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}


def bom_encoding(raw: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark proves, and the mark's length."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name, len(bom)
    return None


def declared_encoding(raw: bytes) -> str | None:
    """The charset the page declares in a meta tag, if Python knows it."""
    match = _META_CHARSET.search(raw[:_SNIFF_BYTES])
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"<".decode(name, "replace")  # bytes-to-bytes codecs (zlib, base64, rot13) are no charsets
    except (LookupError, UnicodeError):
        return None
    # A page that is served as bytes and claims UTF-16 in ASCII cannot be UTF-16.
    return None if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(raw: bytes | str) -> str:
    """Decoded page text; never raises (undecodable bytes become U+FFFD)."""
    if isinstance(raw, str):
        return raw
    found = bom_encoding(raw)
    if found:
        name, skip = found
        return raw[skip:].decode(name, "replace")
    name = declared_encoding(raw)
    if name and name != "utf-8":
        try:
            return raw.decode(name, "replace")
        except UnicodeError:
            pass  # some codecs (punycode, idna) raise even with "replace": read it as UTF-8
    return raw.decode("utf-8", "replace")
