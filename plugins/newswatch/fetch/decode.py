"""Turning page bytes into text: BOM > HTTP charset > <meta> > detection > UTF-8 with replacement.

Hand-written around charset_normalizer because the order matters for news pages: a declared
single-byte charset (latin-1, windows-1252) on bytes that are valid UTF-8 is almost always a
server default, not the truth, so valid UTF-8 wins there and a UTF-8 page never turns into mojibake.
A UTF-8 page with a few broken bytes (a truncated character in a teaser, a pasted byte) is still
UTF-8: read so with those bytes replaced, as browsers do, not handed to detection, which reads the
whole page in some code page that happens to fit (mac-latin2: "Fundacjńô" for "Fundację").
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels mean windows-1252 on the web; gb2312/gbk are read as their superset.
_ALIASES = {
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1250", "cp1251", "iso8859-2", "koi8-r", "mac-roman"}
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SNIFF_BYTES = 4096
# At most one broken sequence per this many well-formed non-ASCII characters: a UTF-8 page with
# damage, not a page in another encoding (where nearly every non-ASCII byte is broken).
_UTF8_DAMAGE_RATIO = 20
_DETECT_BYTES = 256 * 1024  # detection reads a prefix: enough evidence, bounded time


def normalize_charset(label: str | None) -> str | None:
    """A Python codec name for ``label``, or None when it names no known encoding."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def bom_charset(body: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    return None


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return normalize_charset(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return normalize_charset(match.group(1).decode("ascii", "replace")) if match else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeError, LookupError):  # UnicodeError: codecs like punycode/idna raise the base class
        return None


def _is_utf8_non_ascii(body: bytes) -> bool:
    return not body.isascii() and _strict(body, "utf-8") is not None


def _utf8(body: bytes) -> str | None:
    """The text of a UTF-8 page, with a few broken bytes replaced; None when the bytes are not
    (mostly) UTF-8."""
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    text = body.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    well_formed = len(text) - len(text.encode("ascii", "ignore")) - broken  # non-ASCII characters
    return text if well_formed >= broken * _UTF8_DAMAGE_RATIO and well_formed > 0 else None


def clean_text(text: str) -> str:
    """Remove NUL and other control characters that break storage and search."""
    return _CONTROL.sub("", text)


def _declared(body: bytes, content_type: str | None) -> tuple[str, str] | None:
    """Decode with the first declared charset that fits the bytes: (text, encoding)."""
    for encoding in (header_charset(content_type), meta_charset(body)):
        if encoding is None:
            continue
        if encoding in _SINGLE_BYTE and _is_utf8_non_ascii(body):
            return body.decode("utf-8"), "utf-8"
        text = _utf8(body) if encoding == "utf-8" else _strict(body, encoding)
        if text is not None:
            return text, encoding
    return None


def _detected(body: bytes) -> tuple[str, str] | None:
    text = _utf8(body)
    if text is not None:
        return text, "utf-8"
    matches = charset_normalizer.from_bytes(body[:_DETECT_BYTES])
    best = matches.best()
    if best is None or best.encoding is None:
        return None
    # Short Western texts tie between several code pages; windows-1252 is by far the web's most
    # common, so it wins a tie (otherwise "naïve" may come out as cp1250's "naďve").
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    encoding = normalize_charset("cp1252" if "cp1252" in tied else best.encoding) or best.encoding
    text = _strict(body, encoding)
    return (text, encoding) if text is not None else None


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Return (text, encoding name) for a page body; never raises."""
    bom = bom_charset(body)
    if bom is not None:
        encoding, skip = bom
        return clean_text(body[skip:].decode(encoding, "replace")), encoding
    found = _declared(body, content_type) or _detected(body)
    if found is None:
        found = body.decode("utf-8", "replace"), "utf-8"
    text, encoding = found
    return clean_text(text), encoding
