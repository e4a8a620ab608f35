"""Whether a body is a text page: the bytes decide, not the server's Content-Type."""

from __future__ import annotations

import gzip

import pytest
from newswatch.fetch.sniff import is_binary, is_textual_type


@pytest.mark.parametrize(
    "head",
    [b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n..", b"GIF89a..", b"\xff\xd8\xff\xe0", b"PK\x03\x04z", b"\x7fELF.."],
)
def test_known_binary_formats_are_binary_even_after_whitespace(head: bytes) -> None:
    assert is_binary(b"\r\n  " + head + b"\x00" * 10, listing=False)
    assert is_binary(head, listing=True)


def test_gzip_is_a_listing_file_but_never_a_page() -> None:
    body = gzip.compress(b"<urlset/>")
    assert is_binary(body, listing=False)
    assert not is_binary(body, listing=True)


def test_text_and_utf16_are_not_binary() -> None:
    assert not is_binary(b"<!doctype html><p>hello</p>", listing=False)
    assert not is_binary("<p>hello</p>".encode("utf-16"), listing=False)  # with a BOM
    assert not is_binary("<p>hello there</p>".encode("utf-16-le"), listing=False)  # without one


def test_nul_laden_bytes_are_binary() -> None:
    assert is_binary(b"\x00\x00\x00\x05abcd" * 200, listing=False)  # NULs, but not UTF-16's pattern


@pytest.mark.parametrize(
    ("content_type", "page", "listing"),
    [
        (None, True, True),
        ("text/html; charset=utf-8", True, True),
        ("application/xhtml+xml", True, True),
        ("application/rss+xml", True, True),
        ("application/x-gzip", False, True),
        ("application/octet-stream", False, True),
        ("image/png", False, False),
        ("application/pdf", False, False),
    ],
)
def test_textual_types(content_type: str | None, page: bool, listing: bool) -> None:
    assert is_textual_type(content_type, listing=False) is page
    assert is_textual_type(content_type, listing=True) is listing
