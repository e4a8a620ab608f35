"""Fuzz the one decoder (fetch.decode), which turns every page's bytes into text: fetched bodies
and archived pages alike.

Contract under test: it never raises, always returns text, names a real codec and strips control
characters whatever the bytes, the Content-Type and the declarations say.
"""

from __future__ import annotations

import codecs
import re

from fuzzing import budget, tried
from hypothesis import example, given
from hypothesis import strategies as st
from newswatch.fetch.decode import decode_body

LABELS = st.sampled_from(
    [
        "utf-8", "UTF8", "latin-1", "iso-8859-1", "windows-1252", "cp1251", "koi8-r", "gb2312", "gbk",
        "gb18030", "shift_jis", "euc-kr", "utf-16", "utf-16le", "utf-32", "utf-7", "x-user-defined",
        "ascii", "binary", "none", "", "\x00", "utf-8\r\nX-Evil: 1", "a" * 300, "unicode-1-1-utf-7",
        "hz-gb-2312", "rot13", "base64", "zlib", "hex", "bz2", "uu", "quopri", "punycode", "idna",
    ]
)
BOMS = st.sampled_from(
    [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
)
TEXT = st.text(max_size=300)


@st.composite
def declared_pages(draw: st.DrawFn) -> tuple[bytes, str | None]:
    """A BOM, a <meta> or XML declaration naming some label, then text in some other encoding."""
    label = draw(LABELS)
    declaration = draw(
        st.sampled_from(
            [
                f'<meta charset="{label}">',
                f'<meta http-equiv="Content-Type" content="text/html; charset={label}">',
                f'<?xml version="1.0" encoding="{label}"?>',
                "",
            ]
        )
    )
    body_encoding = draw(st.sampled_from(["utf-8", "cp1252", "utf-16-le", "gb18030", "koi8-r"]))
    text = draw(TEXT)
    encoded = text.encode(body_encoding, "replace")
    body = draw(BOMS) + declaration.encode("ascii", "replace") + encoded
    content_type = draw(st.none() | st.just(f"text/html; charset={draw(LABELS)}") | st.text(max_size=80))
    return body, content_type


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_fetch_decoder(body: bytes, content_type: str | None) -> None:
    text, encoding = tried("fetch.decode_body", lambda: decode_body(body, content_type))
    assert isinstance(text, str)
    codecs.lookup(encoding)  # a real codec name, whatever the page claimed
    assert not _CONTROLS.search(text)


@budget(500)
@given(body=st.binary(max_size=4096), content_type=st.none() | st.text(max_size=100))
@example(body=b"\xff\xfe\x00", content_type=None)  # a UTF-16 BOM with an odd byte count
@example(body=b'<meta charset="rot13">hello', content_type="text/html; charset=base64")
@example(body=b"\x00" * 64, content_type="text/html; charset=utf-7")
def test_fetch_decoder_takes_any_bytes(body: bytes, content_type: str | None) -> None:
    _check_fetch_decoder(body, content_type)


@budget(500)
@given(page=declared_pages())
@example(page=(b"<meta charset=\"punycode\">", None))  # codecs raising plain UnicodeError
@example(page=(b"x", "text/html; charset=idna"))
def test_fetch_decoder_takes_any_declaration(page: tuple[bytes, str | None]) -> None:
    _check_fetch_decoder(*page)


@budget(500)
@given(raw=st.binary(max_size=4096) | declared_pages().map(lambda p: p[0]))
@example(raw=b'<meta charset="utf-16">\xff')  # ASCII bytes claiming UTF-16 cannot be UTF-16
@example(raw=b'<meta charset="zlib">x\x9c')  # a bytes-to-bytes codec name must not be used
@example(raw=b'<meta charset="punycode">\xff')  # raises UnicodeError even with errors="replace"
def test_an_archived_page_without_its_headers_decodes_too(raw: bytes) -> None:
    _check_fetch_decoder(raw, None)
