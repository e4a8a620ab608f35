"""The page language: declared, else named by its script."""

from __future__ import annotations

from extract_pages import extract


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
