"""Dates written in Korean, Japanese, Chinese and Russian: 오전/오후 and 時分, genitive months,
relative times against the fetch time, dates in URLs; month names and digits of further languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from extract_pages import extract as extract_page
from extract_pages import page
from newswatch.extract.dates.months import from_cldr
from newswatch.extract.dates.months import packaged as packaged_months
from newswatch.extract.dates.written import dates_with_labels, find_dates, relative_date

FETCHED = datetime(2024, 6, 20, 3, 0, tzinfo=UTC)
extract = partial(extract_page, now=FETCHED)  # the pages read at this fetch time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024년 6월 19일 오후 3:20", datetime(2024, 6, 19, 15, 20)),
        ("2024년 6월 19일 오전 12:10", datetime(2024, 6, 19, 0, 10)),
        ("입력 2024.06.19. 오후 11:50", datetime(2024, 6, 19, 23, 50)),
        ("2024년 6월 19일 오후 3시 5분", datetime(2024, 6, 19, 15, 5)),
        ("2024年6月19日 15時20分", datetime(2024, 6, 19, 15, 20)),
        ("2024年6月19日 午後3時20分", datetime(2024, 6, 19, 15, 20)),
        ("2024年6月19日 午前0時5分", datetime(2024, 6, 19, 0, 5)),
        ("2024年6月19日 15时20分", datetime(2024, 6, 19, 15, 20)),
        ("2024年6月19日 下午3点20分", datetime(2024, 6, 19, 15, 20)),
        ("2024年6月19日 中午12点30分", datetime(2024, 6, 19, 12, 30)),
        ("19 июня 2024, 15:20", datetime(2024, 6, 19, 15, 20)),
        ("19 июня 2024 года в 23:40", datetime(2024, 6, 19, 23, 40)),
        ("5 сент 2024 г. 9:05", datetime(2024, 9, 5, 9, 5)),
        ("Sept 18, 2023 4:05 pm", datetime(2023, 9, 18, 16, 5)),  # unchanged
    ],
)
def test_time_of_day_in_each_language(text: str, expected: datetime) -> None:
    assert [value for _, value in find_dates(text)] == [expected.replace(tzinfo=UTC)]


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        ("ko", "입력 2024.06.19. 오후 11:50 수정 2024.06.19. 오후 11:58", datetime(2024, 6, 19, 23, 50)),
        ("ko", "기사입력 2024년 6월 19일 오후 3:20", datetime(2024, 6, 19, 15, 20)),
        ("ja", "2024年6月19日 23時20分 公開", datetime(2024, 6, 19, 23, 20)),
        ("zh", "发布时间：2024年6月19日 下午11点05分", datetime(2024, 6, 19, 23, 5)),
        ("ru", "Опубликовано 19 июня 2024, 23:40", datetime(2024, 6, 19, 23, 40)),
    ],
)
def test_a_late_evening_time_keeps_the_day_and_the_hour(lang: str, line: str, expected: datetime) -> None:
    article = extract(page(body=f"<h1>Budget approved</h1><div class='meta'>{line}</div>", lang=lang))
    assert article.published_at == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("3시간 전", timedelta(hours=3)),
        ("30분 전", timedelta(minutes=30)),
        ("2일 전", timedelta(days=2)),
        ("2 часа назад", timedelta(hours=2)),
        ("5 минут назад", timedelta(minutes=5)),
        ("час назад", timedelta(hours=1)),
        ("3小时前", timedelta(hours=3)),
        ("5分钟前", timedelta(minutes=5)),
        ("3時間前", timedelta(hours=3)),
        ("10分前", timedelta(minutes=10)),
        ("3 години тому", timedelta(hours=3)),
        ("5 хвилин тому", timedelta(minutes=5)),
        ("3 godziny temu", timedelta(hours=3)),
        ("před 2 dny", timedelta(days=2)),
        ("3 saat önce", timedelta(hours=3)),
        ("3 timmar sedan", timedelta(hours=3)),
        ("2 dager siden", timedelta(days=2)),
        ("3 uur geleden", timedelta(hours=3)),
        ("há 3 horas", timedelta(hours=3)),
        ("3 ore fa", timedelta(hours=3)),
    ],
)
def test_relative_times_count_back_from_the_fetch_time(text: str, ago: timedelta) -> None:
    assert relative_date(text, FETCHED) == FETCHED - ago
    later = FETCHED + timedelta(days=1)
    article = extract(page(body=f"<h1>Budget approved</h1><div class='meta'>{text}</div>"), now=later)
    assert article.published_at is not None
    assert abs(article.published_at - (later - ago)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.yna.example/view/AKR20240619123400504", datetime(2024, 6, 19)),
        ("https://news.xinhua.example/world/2024-06/19/c_1130123456.htm", datetime(2024, 6, 19)),
        ("https://ria.example/20240619/putin-1953731234.html", datetime(2024, 6, 19)),
        ("https://www3.nhk.example/news/html/20240619/k10014485361000.html", datetime(2024, 6, 19)),
        ("https://people.example/n1/2024/0619/c1002-40258765.html", datetime(2024, 6, 19)),
    ],
)
def test_dates_in_those_sites_urls(url: str, day: datetime) -> None:
    article = extract(page(), url)
    assert article.published_at == day.replace(tzinfo=UTC) and article.published_source == "url"


@pytest.mark.parametrize(
    "text",
    [
        "5 березня 2024",  # Ukrainian, written (genitive) form
        "5 Μαρτίου 2024",  # Greek
        "5. března 2024",  # Czech
        "5. marts 2024",  # Danish
        "5 maaliskuuta 2024",  # Finnish
        "5 martie 2024",  # Romanian
        "5 Maret 2024",  # Indonesian
        "2024. március 5.",  # Hungarian: the year first
        "2024 m. kovo 5 d.",  # Lithuanian
        "٥ مارس ٢٠٢٤",  # Arabic with Arabic-Indic digits
        "5 آذار/مارس 2024",  # Arabic naming the month twice, Levantine then Egyptian
        "5 مارس/ آذار 2024",  # ... and the other way round, spaced
        "५ मार्च २०२४",  # Hindi with Devanagari digits
        "２０２４年３月５日",  # Japanese with full-width digits
    ],
)
def test_month_names_and_digits_of_languages_beyond_the_development_pages(text: str) -> None:
    assert [value.date() for _, value in find_dates(text)] == [datetime(2024, 3, 5).date()]


def test_a_date_after_other_scripts_digits_keeps_its_offset() -> None:
    text = "٣ تعليقات · 5 березня 2024"
    assert [offset for offset, _ in find_dates(text)] == [text.index("5 б")]


def test_packaged_month_names_are_cldrs_without_ambiguous_names_or_short_abbreviations() -> None:
    months = from_cldr()
    assert months == packaged_months()
    assert months["березня"] == 3 and months["březen"] == 3
    assert "listopad" not in months  # October in Croatian, November in Czech and Polish
    assert "out" not in months and "sen" not in months  # abbreviations that are also words


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Опубліковано 5 березня 2024", "published"),
        ("Оновлено 5 березня 2024", "updated"),
        ("Aktualizováno 5. března 2024", "updated"),
        ("Uppdaterad 5 mars 2024", "updated"),
        ("Güncellenme 5 Mart 2024", "updated"),
        ("Yayınlanma 5 Mart 2024", "published"),
        ("Julkaistu 5. maaliskuuta 2024", "published"),
    ],
)
def test_published_and_updated_words_of_further_languages(text: str, label: str) -> None:
    assert [found for _, found in dates_with_labels(text)] == [label]
