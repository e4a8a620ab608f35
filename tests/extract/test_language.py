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
