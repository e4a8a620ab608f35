"""Is a body a text page at all? Servers label PDFs and images ``text/html``; the bytes decide."""

from __future__ import annotations

_BINARY_MAGIC = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",  # JPEG
    b"PK\x03\x04",  # zip, docx, epub
    b"RIFF",  # webp, wav, avi
    b"\x00\x00\x01\x00",  # ico
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"ID3",  # mp3
    b"OggS",
    b"\x1a\x45\xdf\xa3",  # webm/mkv
)
GZIP_MAGIC = b"\x1f\x8b"  # also how discovery tells a .xml.gz listing
_TEXTUAL = ("text/", "html", "xml", "rss", "atom", "json")
_LISTING_EXTRA = ("gzip", "octet-stream")
_SNIFF = 1024


def is_binary(body: bytes, listing: bool) -> bool:
    """True for bodies whose first bytes are a known binary format (or NUL-laden, not UTF-16/32)."""
    head = body[:_SNIFF].lstrip(b"\t\r\n ")
    if head.startswith(GZIP_MAGIC):
        return not listing  # a .xml.gz sitemap is fine; a gzip "page" is not
    if any(head.startswith(magic) for magic in _BINARY_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text with a BOM: NULs are expected
    return head.count(b"\x00") > len(head) // 4 and not _looks_utf16(head)


def _looks_utf16(head: bytes) -> bool:
    """BOM-less UTF-16 ASCII-range text: every other byte is NUL."""
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 3 or head[0::2].count(0) > len(head) // 3)


def is_textual_type(content_type: str | None, listing: bool) -> bool:
    """Accept missing types and text-like types; listings may also be gzip/octet-stream files."""
    if not content_type:
        return True
    mime = content_type.split(";", 1)[0].strip().lower()
    if any(marker in mime for marker in _TEXTUAL):
        return True
    return listing and any(marker in mime for marker in _LISTING_EXTRA)
