"""The page language: declared, else named by its script."""

from __future__ import annotations

import pytest
from extract_pages import extract
from newswatch.extract.language import normalise


def test_undeclared_language_is_named_by_its_script() -> None:
    for lang, text in (
        ("ja", "東京都は新しい予算を承認しました。学校と水道に使われます。"),
        ("ko", "서울시는 새 예산을 승인했습니다. 학교와 수도에 쓰입니다."),
        ("zh", "北京市批准了新的预算，用于学校和供水系统的建设。"),
        ("ru", "Совет утвердил новый бюджет для школ и водопровода города."),
    ):
        html = f"<html><body><article><p>{text * 3}</p></article></body></html>"
        assert extract(html).language == lang
    assert (
        extract("<html><body><p>The council approved the budget today, again.</p></body></html>").language
        is None
    )


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("en_US", "en-us"),
        ("zh-Hant-TW", "zh-tw"),
        ("es-419", "es-419"),
        ("de-DE, en", "de-de"),
        ("sr-Latn-RS", "sr-rs"),
        ("de-CH-x-phonebk", "de-ch"),
        ("utf-8", None),  # a charset where the language belongs
        ("iso-8859-1", None),
        ("English", None),
        ("x-default", None),
    ],
)
def test_a_declared_language_is_a_whole_language_tag(declared: str, expected: str | None) -> None:
    assert normalise(declared) == expected


def test_a_charset_in_the_language_meta_leaves_the_language_to_the_script() -> None:
    text = "北京市批准了新的预算，用于学校和供水系统的建设。" * 3
    head = '<head><meta http-equiv="Content-Language" content="utf-8"></head>'
    html = f"<html>{head}<body><p>{text}</p></body></html>"
    assert extract(html).language == "zh"


GERMAN = (
    "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen. Die Mittel sind für die Schulen und "
    "die Wasserversorgung der Stadt bestimmt, und die Opposition hat sich nicht gegen den Plan gestellt. "
)
SPANISH = (
    "El consejo aprobó el martes el nuevo presupuesto de la ciudad. Los fondos son para las escuelas y "
    "para el agua, y la oposición no se opuso al plan, como se esperaba. "
)


def test_a_template_declaring_another_language_yields_to_clear_text() -> None:
    # a German blog on an English theme: lang="en-US"; its "03.04.2023" is the 3rd of April
    body = f"<p>Veröffentlicht am 03.04.2023</p><p>{GERMAN * 2}</p><p>{GERMAN}</p>"
    article = extract(f'<html lang="en-US"><body><article><h1>Haushalt</h1>{body}</article></body></html>')
    assert article.language == "de"
    assert article.published_at is not None and article.published_at.date().isoformat() == "2023-04-03"


@pytest.mark.parametrize(
    ("declared", "text", "expected"),
    [
        ("de-AT", GERMAN, "de-at"),  # the text agrees: the declaration, with its region
        (None, SPANISH, "es"),  # undeclared: named by its function words
        ("vi", GERMAN, "vi"),  # a language the check does not know keeps its declaration
        ("de", "Kurz: Haushalt beschlossen.", "de"),  # too few words to say anything
        (None, "Верховна Рада ухвалила закон про бюджет. Депутати підтримали його більшістю голосів. ", "uk"),
        (None, "Народното събрание прие бюджета. Депутатите го подкрепиха с мнозинство. ", "bg"),
        (None, "Государственная дума приняла закон о бюджете. Депутаты поддержали его. ", "ru"),
    ],
    ids=["agreeing", "undeclared", "unknown-to-the-check", "too-short", "ukrainian", "bulgarian", "russian"],
)
def test_the_page_language_weighs_the_declaration_against_the_text(
    declared: str | None, text: str, expected: str
) -> None:
    lang = f' lang="{declared}"' if declared else ""
    html = f"<html{lang}><body><article><p>{text * 3}</p><p>{text}</p></article></body></html>"
    assert extract(html).language == expected


def test_english_named_from_the_text_alone_keeps_numeric_dates_day_first() -> None:
    # undeclared: English is named from the text, but it may be British: 05/12/2023 is 5 December
    text = "The council said that the plan was approved, and it is now with the mayor for the budget. "
    body = f"<p>Published 05/12/2023</p><p>{text * 3}</p><p>{text}</p>"
    article = extract(f"<html><body><article><h1>Budget</h1>{body}</article></body></html>")
    assert article.language == "en"
    assert article.published_at is not None and article.published_at.date().isoformat() == "2023-12-05"
