"""Page bytes to text: BOM > HTTP charset > <meta> > detection, with valid UTF-8 beating a
single-byte label (a server default), and control characters removed."""

from __future__ import annotations

import codecs

import pytest
from newswatch.fetch.decode import decode_body, header_charset, meta_charset, normalize_charset

TEXT = "Grüße, naïve café — ½ €"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("UTF-8", "utf-8"),
        ("latin-1", "cp1252"),
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("gb2312", "gb18030"),
        ("'Shift_JIS'", "shift_jis"),
        ("no-such-charset", None),
        ("", None),
        (None, None),
    ],
)
def test_labels_map_to_the_codec_browsers_use(label: str | None, expected: str | None) -> None:
    assert normalize_charset(label) == expected


def test_charset_is_read_from_header_meta_and_xml_declaration() -> None:
    assert header_charset('text/html; charset="windows-1251"') == "cp1251"
    assert header_charset("text/html") is None
    assert meta_charset(b'<html><head><meta charset="koi8-r"></head>') == "koi8-r"
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=euc-jp">') == "euc_jp"
    assert meta_charset(b'<?xml version="1.0" encoding="ISO-8859-15"?><rss/>') == "iso8859-15"


def test_bom_wins_over_every_declaration() -> None:
    body = codecs.BOM_UTF16_LE + f"<p>{TEXT}</p>".encode("utf-16-le")
    text, encoding = decode_body(body, "text/html; charset=windows-1252")
    assert (text, encoding) == (f"<p>{TEXT}</p>", "utf-16-le")


def test_valid_utf8_beats_a_single_byte_header() -> None:
    text, encoding = decode_body(f"<p>{TEXT}</p>".encode(), "text/html; charset=ISO-8859-1")
    assert (text, encoding) == (f"<p>{TEXT}</p>", "utf-8")


def test_a_declared_multibyte_charset_is_used() -> None:
    body = "<p>ニュース速報</p>".encode("shift_jis")
    assert decode_body(body, "text/html; charset=Shift_JIS") == ("<p>ニュース速報</p>", "shift_jis")


def test_header_wins_over_meta_when_both_fit() -> None:
    body = '<meta charset="koi8-r"><p>Привет</p>'.encode("cp1251")
    assert decode_body(body, "text/html; charset=windows-1251")[1] == "cp1251"


def test_undeclared_western_text_is_read_as_windows_1252() -> None:
    body = f"<html><body><p>{TEXT} and a few more words to go on</p></body></html>".encode("cp1252")
    text, encoding = decode_body(body, "text/html")
    assert encoding == "cp1252" and TEXT in text


RECIPE = "Grüße aus der Küche: Rinderleber geschnetzelt mit Äpfeln und Zwiebeln, für vier Personen. "


@pytest.mark.parametrize("stray", [b"\xc3...", b"\xfc"])
@pytest.mark.parametrize(
    ("head", "content_type"),
    [('<meta charset="UTF-8">', None), ("", "text/html; charset=utf-8"), ("", None)],
    ids=["meta", "header", "undeclared"],
)
def test_a_utf8_page_with_a_stray_byte_stays_utf8(head: str, content_type: str | None, stray: bytes) -> None:
    # a teaser cut inside a character, a latin-1 byte pasted into an alt text: still a UTF-8 page,
    # which detection alone would read as windows-1250 ("GrĂĽĂźe")
    body = (f"{head}<p>" + RECIPE * 8).encode() + stray + (RECIPE * 8 + "</p>").encode()
    text, encoding = decode_body(body, content_type)
    assert encoding == "utf-8"
    assert text.count(RECIPE) == 16 and text.count("\ufffd") == 1


def test_an_empty_body_keeps_its_declared_charset() -> None:
    assert decode_body(b"", "text/html; charset=iso-8859-2") == ("", "iso8859-2")


def test_a_single_byte_page_mislabelled_utf8_is_still_detected() -> None:
    # "Ã©" in windows-1252 happens to be a well-formed UTF-8 "é": one such pair among the page's
    # broken bytes does not make it a UTF-8 page
    body = f'<meta charset="UTF-8"><p>{TEXT} and a few more words to go on. Ã©</p>'.encode("cp1252")
    text, encoding = decode_body(body, None)
    assert encoding == "cp1252" and TEXT in text


def test_control_characters_are_removed_but_layout_whitespace_stays() -> None:
    text, _ = decode_body(b"a\x00b\x07c\td\ne\r\nf\x7f", None)
    assert text == "abc\td\ne\r\nf"
