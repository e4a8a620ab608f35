"""Dates as people write them in page text: date lines, relative times, offsets, short years."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
from extract_pages import extract as extract_page
from extract_pages import page
from newswatch.extract.dates.written import (
    day_word_date,
    find_dates,
    labelled_dates,
    relative_date,
    yearless_date,
)

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
extract = partial(extract_page, now=NOW)  # the pages read at this fetch time


@pytest.mark.parametrize(
    ("lang", "line", "expected"),
    [
        (
            "en",
            "Published September 18, 2023 Updated September 19, 2023",
            (date(2023, 9, 18), date(2023, 9, 19)),
        ),
        ("en", "By Jane Doe | 18 Sept 2023, 4:05 pm", (date(2023, 9, 18), None)),
        (
            "de",
            "Veröffentlicht am 18. September 2023, aktualisiert am 20.09.2023",
            (date(2023, 9, 18), date(2023, 9, 20)),
        ),
        (
            "fr",
            "Publié le 5 mars 2024 à 10h02 Mis à jour le 6 mars 2024",
            (date(2024, 3, 5), date(2024, 3, 6)),
        ),
        ("es", "Publicado el 2 de febrero de 2022", (date(2022, 2, 2), None)),
        ("ru", "Опубликовано 7 ноября 2021 г., 12:30", (date(2021, 11, 7), None)),
        ("zh", "发布时间：2020年2月19日 10:21", (date(2020, 2, 19), None)),
        ("ja", "公開日 2019年8月1日", (date(2019, 8, 1), None)),
        ("ko", "입력 2023.12.22 오전 9:00 수정 2023.12.23", (date(2023, 12, 22), date(2023, 12, 23))),
        ("ar", "نشر في 15 مارس 2023", (date(2023, 3, 15), None)),
        ("en-us", "Posted 3/4/2023", (date(2023, 3, 4), None)),
        ("en-gb", "Posted 3/4/2023", (date(2023, 4, 3), None)),
    ],
)
def test_visible_date_lines(lang: str, line: str, expected: tuple[date, date | None]) -> None:
    article = extract(page(body=f"<h1>Budget approved</h1><div class='meta'>{line}</div>", lang=lang))
    published = article.published_at.date() if article.published_at else None
    updated = article.updated_at.date() if article.updated_at else None
    assert (published, updated) == expected
    assert article.published_source == "text"


@pytest.mark.parametrize(
    ("text", "hours"),
    [("3 hours ago", 3), ("vor 2 Stunden", 2), ("il y a 5 heures", 5), ("3小时前", 3), ("2 дня назад", 48)],
)
def test_relative_dates(text: str, hours: int) -> None:
    assert relative_date(text, NOW) == NOW - timedelta(hours=hours)


@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [
        # A day without its year is the last such day up to the fetch time.
        # This year's is still to come: last year's.
        (yearless_date, "[06月24日 11時30分]", datetime(2023, 6, 24, 11, 30, tzinfo=UTC)),
        (yearless_date, "5월 30일 오후 3:20", datetime(2024, 5, 30, 15, 20, tzinfo=UTC)),
        (yearless_date, "CNET Japan 5/9(木) 18:45配信", datetime(2024, 5, 9, 18, 45, tzinfo=UTC)),
        (yearless_date, "24. Mai, 12:00 Uhr", datetime(2024, 5, 24, 12, 0, tzinfo=UTC)),
        (yearless_date, "By Jo Bloggs March 18 at 12:22 PM", datetime(2024, 3, 18, 12, 22, tzinfo=UTC)),
        (yearless_date, "4 mar. 10:00", datetime(2024, 3, 4, 10, 0, tzinfo=UTC)),
        (yearless_date, "Dec. 5, 3:45 p.m.", datetime(2023, 12, 5, 15, 45, tzinfo=UTC)),
        # Tomorrow in some time zone: this year's.
        (yearless_date, "June 2", datetime(2024, 6, 2, tzinfo=UTC)),
        # A year on the line: a full date in a form not read as one, not this year's day.
        (yearless_date, "Sat Nov 27 15:20:41 -0800 2010", None),
        (yearless_date, "7 May 1856", None),
        (yearless_date, "6月24日 ２０１０年", None),  # the year in full-width digits
        # The end of a phone number, an e-mail address, a fraction, a season.
        (yearless_date, "Tel. 040 49 07 11 06 Jan Koch", None),
        (yearless_date, "Kontakt: 06 jan.koch@example.org", None),
        (yearless_date, "6/24 of the vote", None),
        (yearless_date, "Season 3", None),
        # "Today" and "yesterday" with a time count back from the fetch time.
        (day_word_date, "Сегодня в 20:12", datetime(2024, 6, 1, 20, 12, tzinfo=UTC)),
        (day_word_date, "вчера, 18:00", datetime(2024, 5, 31, 18, 0, tzinfo=UTC)),
        (day_word_date, "Yesterday at 3:45 PM", datetime(2024, 5, 31, 15, 45, tzinfo=UTC)),
        (day_word_date, "Gestern, 22.15 Uhr", datetime(2024, 5, 31, 22, 15, tzinfo=UTC)),
        (day_word_date, "Aujourd’hui à 08h15", datetime(2024, 6, 1, 8, 15, tzinfo=UTC)),
        (day_word_date, "어제 오후 3:20", datetime(2024, 5, 31, 15, 20, tzinfo=UTC)),
        (day_word_date, "今日 10:30", datetime(2024, 6, 1, 10, 30, tzinfo=UTC)),
        # Without a time of day the word is a heading's or a sentence's.
        (day_word_date, "Today's top stories", None),
        (day_word_date, "Today 5 things to know", None),
        (day_word_date, "Hier geht es zur 1. Seite", None),
    ],
)
def test_dates_shown_without_their_year_are_read_against_the_fetch_time(
    reader: Callable[[str, datetime], datetime | None], text: str, expected: datetime | None
) -> None:
    assert reader(text, NOW) == expected


def test_text_date_finder_reports_offsets_in_order() -> None:
    found = find_dates("from 1 May 2020 to 2020-06-02")
    assert [value.date() for _, value in found] == [date(2020, 5, 1), date(2020, 6, 2)]
    assert labelled_dates("nothing here") == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("von lupa am 26/10/13, 03:48 pm", [date(2013, 10, 26)]),  # a forum's short year, with a time
        ("Tyrese GriffinOct 17, 2023 5757 Shares", [date(2023, 10, 17)]),  # name and date run together
        ("won 1/2/22 and 10/12/13", []),  # short years without a time stay out (scores, fractions)
        ("the Mayor 5, 2020", []),  # a month name inside a word is not a month
        ("Feb 182009", [date(2009, 2, 18)]),  # a date badge: day and year in adjacent elements
    ],
)
def test_short_years_with_a_time_and_dates_run_into_a_name(text: str, expected: list[date]) -> None:
    assert [value.date() for _, value in find_dates(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sign out 17, 2023", []),  # Portuguese "out" (October) is an English word: no date opens with it
        ("Set 5, 2023: the final", []),  # nor with Italian and Portuguese "set" (September)
        ("17 out 2023", [date(2023, 10, 17)]),  # where those languages put it, after the day, it is one
        ("18 set. 2023", [date(2023, 9, 18)]),
        ("outubro 17, 2023", [date(2023, 10, 17)]),  # a template's English order with a full name
        ("Mar 17, 2023", [date(2023, 3, 17)]),  # English abbreviations open a date
    ],
)
def test_only_english_abbreviations_open_a_date(text: str, expected: list[date]) -> None:
    assert [value.date() for _, value in find_dates(text)] == expected
