"""Page bytes to text: BOM > HTTP charset > <meta> > detection, with valid UTF-8 beating a
single-byte label (a server default), and control characters removed."""

from __future__ import annotations

import codecs
from typing import NamedTuple

import pytest
from newswatch.fetch.decode import (
    choose_reading,
    decode_body,
    header_charset,
    meta_charset,
    normalize_charset,
)

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


# Undeclared pages in a legacy code page, shaped like a news page: a head of markup and script, then
# the story. Detection fed the whole page samples the markup and guesses from a few letters.
STORIES = {
    "de": "Nordkoreas Machthaber Kim Jong-un ist zu einem Besuch in Russland eingetroffen. Über die "
    "Gespräche mit Präsident Wladimir Putin ist wenig bekannt; Beobachter fürchten „Waffenlieferungen“ "
    "und eine engere militärische Zusammenarbeit. Die Äußerungen aus Moskau ließen vieles offen. ",
    "tr": "Kuzey Kore lideri Kim Jong-un, Rusya Devlet Başkanı Vladimir Putin ile görüşmek üzere "
    "Rusya'ya gitti. Görüşmede askeri işbirliği ve silah anlaşması ele alınacağı iddia ediliyor; "
    "Batılı ülkeler gelişmeleri yakından izliyor. İki lider uzay üssünde buluştu. ",
    "ru": "Лидер КНДР Ким Чен Ын прибыл в Россию для переговоров с президентом Владимиром Путиным. "
    "Западные страны опасаются, что стороны обсудят поставки оружия и военное сотрудничество. ",
    "en": "North Korea’s leader arrived in Russia on Tuesday — officials called it “a new chapter” in "
    "ties. The deal is said to be worth £1bn, and Kim’s train crossed the border at dawn. ",
}
ENCODINGS = {"de": "cp1252", "tr": "cp1254", "ru": "cp1251", "en": "cp1252"}


def legacy_page(lang: str, with_lang: bool) -> tuple[bytes, str]:
    story = STORIES[lang] * 6
    script = "<script>var config = {" + ", ".join(f'"k{i}": "v{i}"' for i in range(400)) + "};</script>"
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    opening = f'<html lang="{lang}">' if with_lang else "<html>"
    head = f"<head><title>News</title>{script}</head>"
    html = f"{opening}{head}<body><ul>{nav}</ul><p>{story}</p></body></html>"
    return html.encode(ENCODINGS[lang]), story


@pytest.mark.parametrize("lang", ["de", "tr", "ru", "en"])
def test_an_undeclared_page_is_read_in_its_languages_code_page(lang: str) -> None:
    body, story = legacy_page(lang, with_lang=True)
    text, encoding = decode_body(body, "text/html")
    assert encoding == ENCODINGS[lang] and story in text


@pytest.mark.parametrize("lang", ["de", "ru", "en"])
def test_an_undeclared_page_without_a_language_is_detected_from_its_text(lang: str) -> None:
    # no <html lang>: detection reads the text runs holding non-ASCII bytes, among web encodings
    # (German read as a DOS or KOI8 code page, English with curly quotes as Mac Roman, before)
    body, story = legacy_page(lang, with_lang=False)
    text, encoding = decode_body(body, "text/html")
    assert encoding == ENCODINGS[lang] and story in text


def test_a_language_whose_code_page_does_not_fit_the_bytes_goes_to_detection() -> None:
    body, story = legacy_page("ru", with_lang=False)
    body = body.replace(b"<html>", b'<html lang="el">')  # cp1253 leaves some of these bytes undefined
    text, encoding = decode_body(body, None)
    assert encoding == "cp1251" and story in text


class Reading(NamedTuple):
    encoding: str
    chaos: float
    coherence: float
    could_be_from_charset: list[str]


@pytest.mark.parametrize(
    ("readings", "expected"),
    [
        # a Swiss German page read by detection: KOI8 has fewer odd characters, but no language
        (
            [
                Reading("koi8_u", 0.026, 0.0, ["koi8_u"]),
                Reading("cp1250", 0.042, 0.65, ["cp1250", "cp1257"]),
                Reading("cp1252", 0.042, 0.65, ["cp1252", "cp1254", "cp1258"]),
            ],
            "cp1252",
        ),
        # a British page: windows-1250 ranks first, but 1252 reads it as cleanly ("£", not "Ł")
        ([Reading("cp1250", 0.0, 0.82, ["cp1250"]), Reading("cp1252", 0.0, 0.81, ["cp1252"])], "cp1252"),
        # the same text whichever of the two: the web's commonest
        ([Reading("cp1250", 0.0, 0.66, ["cp1250", "cp1252", "cp1254"])], "cp1252"),
        # Turkish: windows-1254 alone reads it without odd characters
        ([Reading("cp1254", 0.0, 0.73, ["cp1254"]), Reading("cp1252", 0.007, 0.61, ["cp1252"])], "cp1254"),
        # nothing recognised as a language: the fewest odd characters
        ([Reading("cp1251", 0.01, 0.0, ["cp1251"]), Reading("koi8_r", 0.02, 0.0, ["koi8_r"])], "cp1251"),
        ([], None),
    ],
)
def test_detection_chooses_a_reading_in_a_language_then_the_web_commonest(
    readings: list[Reading], expected: str | None
) -> None:
    assert choose_reading(readings) == expected
