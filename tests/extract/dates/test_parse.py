"""Date strings as pages write them in machine fields: ISO forms, naive times, day/month order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial

from extract_pages import extract as extract_page
from extract_pages import page
from newswatch.extract.dates.parse import parse_date
from newswatch.extract.dates.written import find_dates

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
extract = partial(extract_page, now=NOW)  # the pages read at this fetch time


def test_naive_dates_become_utc_with_the_same_calendar_day() -> None:
    article = extract(page('<meta name="pubdate" content="2023-09-18 23:59:00">'))
    assert article.published_at == datetime(2023, 9, 18, 23, 59, tzinfo=UTC)


def test_parse_date_forms() -> None:
    assert parse_date("2023-09-18T10:00:00Z") == datetime(2023, 9, 18, 10, tzinfo=UTC)
    assert parse_date("20230918") == datetime(2023, 9, 18, tzinfo=UTC)
    assert parse_date("1695031200") == datetime(2023, 9, 18, 10, tzinfo=UTC)
    assert parse_date("Mon, 18 Sep 2023 10:00:00 GMT").date() == date(2023, 9, 18)
    assert parse_date("not a date") is None
    assert parse_date("") is None


def test_day_and_month_order_follows_the_numbers_when_only_one_order_is_a_date() -> None:
    assert [v.date() for _, v in find_dates("12/22/2023")] == [date(2023, 12, 22)]
    assert [v.date() for _, v in find_dates("22/12/2023", month_first=True)] == [date(2023, 12, 22)]
    assert [v.date() for _, v in find_dates("03/04/2023")] == [date(2023, 4, 3)]


def test_a_value_that_names_no_day_is_not_a_date() -> None:
    """A release year or an issue month would become the 1st of January or of the month."""
    assert parse_date("2019") is None
    assert parse_date("May 2019") is None
    assert parse_date("2019-05") is None
    assert parse_date("18 May 2019") == datetime(2019, 5, 18, tzinfo=UTC)


def test_a_year_in_a_time_element_does_not_outvote_the_byline_date() -> None:
    tracks = "".join(f"<p>Track {n}</p>" for n in range(1, 9))
    body = f"<h1>Lust for Youth</h1><time>2019</time>{tracks}<p>June 7, 2019</p>"
    article = extract(page(body=body))
    assert article.published_at is not None
    assert article.published_at.date() == date(2019, 6, 7)
