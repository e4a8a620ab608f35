"""Turning page bytes into text: BOM > HTTP charset > <meta> > detection > UTF-8 with replacement.

Hand-written around charset_normalizer because the order matters for news pages: a declared
single-byte charset (latin-1, windows-1252) on bytes that are valid UTF-8 is almost always a
server default, not the truth, so valid UTF-8 wins there and a UTF-8 page never turns into mojibake.
A UTF-8 page with a few broken bytes (a truncated character in a teaser, a pasted byte) is still
UTF-8: read so with those bytes replaced, as browsers do, not handed to detection, which reads the
whole page in some code page that happens to fit (mac-latin2: "Fundacjńô" for "Fundację").

A page that declares nothing and is not UTF-8 is read as browsers read it: in the legacy encoding
of its language (``<html lang="tr">``: windows-1254), when the bytes fit it; a page without a
language goes to detection, which looks at the text holding non-ASCII bytes, not at the page
(charset_normalizer samples a few short chunks of what it is given, and in an HTML page those are
markup and scripts: German text came out as a DOS code page, "õ" for "ä"). Detection chooses among
the encodings web pages are written in, and of those that read the text alike, windows-1252.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import Protocol

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
# Detection reads the runs of text between tags that hold non-ASCII bytes, up to this many bytes:
# enough evidence, bounded time.
_DETECT_BYTES = 64 * 1024
_BETWEEN_TAGS = re.compile(rb"[^<>]+")
# WHATWG's legacy encodings, as Python codecs: what a web page can be written in. DOS and EBCDIC
# code pages, which detection otherwise offers, never are; nor, in practice, are IBM866 and the
# Mac code pages, which detection picked for English with curly quotes ("doní" for "don’t").
_WEB_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8",
    "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u",
    "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)  # fmt: skip
# The encoding browsers fall back to for an undeclared page of a language written in a single-byte
# code page (the locale defaults of WHATWG's encoding standard); any other language: windows-1252.
# Chinese, Japanese and Korean pages have several multi-byte encodings each: detection tells them.
_LANGUAGE_ENCODINGS = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn"), "cp1251"),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro", "sq"), "cp1250"),
    **dict.fromkeys(("tr", "az"), "cp1254"),
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    "el": "cp1253", "he": "cp1255", "iw": "cp1255", "vi": "cp1258", "th": "cp874",
    **dict.fromkeys(("zh", "ja", "ko"), None),
}  # fmt: skip
_HTML_LANG = re.compile(rb"<html\b[^>]*?\slang\s*=\s*[\"']?\s*([a-z]{2,3})(?![a-z])", re.I)


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


class Reading(Protocol):
    """What detection says of one way to read the bytes (charset_normalizer's ``CharsetMatch``)."""

    encoding: str
    chaos: float  # share of odd characters in the text so read
    coherence: float  # how well the text matches a language's letter frequencies (0: none)
    could_be_from_charset: list[str]  # the encodings that read the sample to the same text


def choose_reading(readings: Iterable[Reading]) -> str | None:
    """The encoding of the likeliest reading. One in which detection recognises a language beats
    one in which it recognises none (German read as KOI8 has fewer odd characters but no language);
    then the fewest odd characters. Western texts read alike or as cleanly in several code pages;
    windows-1252 is by far the web's commonest, so it wins among those ("naïve" is not cp1250's
    "naďve", nor "£" its "Ł")."""
    every = list(readings)
    readable = [r for r in every if r.coherence > 0] or every
    if not readable:
        return None
    least = min(r.chaos for r in readable)
    calm = [r for r in readable if r.chaos == least]
    alike = {name for r in calm for name in (r.encoding, *r.could_be_from_charset)}
    best = calm[0].encoding
    return normalize_charset("cp1252" if "cp1252" in alike else best) or best


def _detected(body: bytes) -> tuple[str, str] | None:
    text = _utf8(body)
    if text is not None:
        return text, "utf-8"
    language = _HTML_LANG.search(body[:_DETECT_BYTES])
    if language:
        encoding = _LANGUAGE_ENCODINGS.get(language.group(1).decode("ascii").lower(), "cp1252")
        text = _strict(body, encoding) if encoding else None
        if text is not None:
            return text, encoding
    runs = (run for run in _BETWEEN_TAGS.findall(body[: _DETECT_BYTES * 4]) if not run.isascii())
    sample = b"\n".join(runs)[:_DETECT_BYTES]
    encoding = choose_reading(charset_normalizer.from_bytes(sample, cp_isolation=list(_WEB_ENCODINGS)))
    if encoding is None:
        return None
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
