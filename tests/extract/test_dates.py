"""Each date layer on its own, the cascade order, plausibility bounds and several languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from extract_pages import SETTINGS, page
from newswatch.extract import extract_article
from newswatch.extract.dates.parse import parse_date
from newswatch.extract.dates.written import find_dates, labelled_dates, relative_date
from newswatch.models import Hints
from newswatch.settings import load_settings

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def extract(html: str, url: str | None = None, hints: Hints | None = None):
    return extract_article(html, url, hints, settings=SETTINGS, now=NOW)


def test_json_ld_graph_wins_and_keeps_the_written_day() -> None:
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebSite","name":"S"},{"@type":["NewsArticle"],"datePublished":"2023-09-18T23:30:00-04:00",'
        '"dateModified":"2023-09-19T08:00:00-04:00"}]}</script>'
        '<meta property="article:published_time" content="2020-01-01T00:00:00Z">'
    )
    article = extract(page(ld))
    assert article.published_source == "json-ld"
    # 23:30 in New York is the 19th in UTC; the page says the 18th, and that is the day we keep.
    assert article.published_at.date() == date(2023, 9, 18)
    assert article.published_at.utcoffset() == timedelta(hours=-4)
    assert (article.updated_at.date(), article.updated_source) == (date(2023, 9, 19), "json-ld")


def test_json_ld_list_of_objects_and_broken_json() -> None:
    ld = (
        '<script type="application/ld+json">{"broken": </script>'
        '<script type="application/ld+json">[{"@type":"Organization","name":"x"},'
        '{"@type":"ReportageNewsArticle","datePublished":"2022-03-04",}]</script>'
    )
    article = extract(page(ld))
    assert (article.published_at.date(), article.published_source) == (date(2022, 3, 4), "json-ld")


def test_meta_tags() -> None:
    head = (
        '<meta property="article:published_time" content="2021-05-06T10:00:00+02:00">'
        '<meta property="article:modified_time" content="2021-05-07T10:00:00+02:00">'
    )
    article = extract(page(head))
    assert (article.published_at.date(), article.published_source) == (date(2021, 5, 6), "meta")
    assert (article.updated_at.date(), article.updated_source) == (date(2021, 5, 7), "meta")


def test_microdata() -> None:
    body = '<span itemprop="datePublished" content="2019-11-12">12 Nov</span>'
    article = extract(page(body=body))
    assert (article.published_at.date(), article.published_source) == (date(2019, 11, 12), "microdata")


def test_time_element_outside_boilerplate() -> None:
    body = (
        '<aside class="related"><time datetime="2001-01-01">old</time></aside>'
        '<time datetime="2020-02-29T08:00">29 Feb</time>'
    )
    article = extract(page(body=body))
    assert (article.published_at.date(), article.published_source) == (date(2020, 2, 29), "time")


def test_naive_dates_become_utc_with_the_same_calendar_day() -> None:
    article = extract(page('<meta name="pubdate" content="2023-09-18 23:59:00">'))
    assert article.published_at == datetime(2023, 9, 18, 23, 59, tzinfo=UTC)


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


def test_url_date_when_the_page_has_none() -> None:
    article = extract(page(), "https://news.example/world/2022/07/15/some-story")
    assert (article.published_at.date(), article.published_source) == (date(2022, 7, 15), "url")


def test_feed_hint_is_the_last_resort_and_says_where_it_came_from() -> None:
    hints = Hints(published_at=datetime(2023, 1, 2, 3, 4), origin="sitemap")  # naive on purpose
    article = extract(page(), "https://news.example/story", hints)
    assert article.published_at == datetime(2023, 1, 2, 3, 4, tzinfo=UTC)
    assert article.published_source == "sitemap"


def test_implausible_dates_are_rejected() -> None:
    head = (
        '<meta property="article:published_time" content="1990-01-01"><meta name="date" content="2031-01-01">'
    )
    article = extract(page(head), "https://news.example/2024/05/30/x")
    assert (article.published_at.date(), article.published_source) == (date(2024, 5, 30), "url")
    modified = head + '<meta property="article:modified_time" content="2024-06-01T10:00:00Z">'
    article = extract(page(modified), "https://news.example/2024/05/30/x")
    assert article.published_at.date() in (date(2024, 5, 30), date(2024, 6, 1))
    assert article.updated_at.date() == date(2024, 6, 1)


def test_bounds_come_from_the_settings() -> None:
    settings = load_settings(environ={"NEWSWATCH_EXTRACT_MIN_YEAR": "2021"})
    article = extract_article(page('<meta name="date" content="2020-06-01">'), settings=settings, now=NOW)
    assert article.published_at is None


def test_an_update_before_publication_is_dropped() -> None:
    head = (
        '<meta property="article:published_time" content="2023-05-06">'
        '<meta property="article:modified_time" content="2023-05-01">'
    )
    article = extract(page(head))
    assert article.published_at.date() == date(2023, 5, 6)
    assert article.updated_at is None


def test_parse_date_forms() -> None:
    assert parse_date("2023-09-18T10:00:00Z") == datetime(2023, 9, 18, 10, tzinfo=UTC)
    assert parse_date("20230918") == datetime(2023, 9, 18, tzinfo=UTC)
    assert parse_date("1695031200") == datetime(2023, 9, 18, 10, tzinfo=UTC)
    assert parse_date("Mon, 18 Sep 2023 10:00:00 GMT").date() == date(2023, 9, 18)
    assert parse_date("not a date") is None
    assert parse_date("") is None


def test_text_date_finder_reports_offsets_in_order() -> None:
    found = find_dates("from 1 May 2020 to 2020-06-02")
    assert [value.date() for _, value in found] == [date(2020, 5, 1), date(2020, 6, 2)]
    assert labelled_dates("nothing here") == (None, None)


def test_a_visible_date_moves_a_utc_machine_date_to_the_day_written() -> None:
    head = '<meta property="article:published_time" content="2023-12-23T03:22:07Z">'
    body = "<h1>Budget approved</h1><div class='meta'>Dec 22, 2023, 10:22 PM EST</div>"
    article = extract(page(head, body))
    assert (article.published_at.date(), article.published_source) == (date(2023, 12, 22), "text")


def test_a_visible_date_that_agrees_keeps_the_machine_source() -> None:
    head = '<meta property="article:published_time" content="2023-12-22T15:00:00+01:00">'
    body = "<h1>Budget approved</h1><div class='meta'>22. Dezember 2023</div>"
    article = extract(page(head, body, lang="de"))
    assert (article.published_at.date(), article.published_source) == (date(2023, 12, 22), "meta")


def test_dates_in_embedded_quotes_are_ignored() -> None:
    body = (
        "<h1>Budget approved</h1><blockquote class='twitter-tweet'><p>So proud of the council!</p>"
        "— Mayor (@mayor) January 1, 2020</blockquote><div class='meta'>January 2, 2020</div>"
    )
    assert extract(page(body=body)).published_at.date() == date(2020, 1, 2)


def test_the_date_line_near_the_headline_beats_one_in_the_page_header() -> None:
    body = (
        "<div>Today: November 9, 2023</div>"
        + "<div>Section</div>" * 3
        + ("<h1>Budget approved</h1><div class='meta'>Published Nov. 8, 2023, 10:28 p.m. ET</div>")
    )
    assert extract(page(body=body)).published_at.date() == date(2023, 11, 8)


def test_a_full_url_date_overrides_a_visible_date_that_disagrees() -> None:
    body = "<h1>Budget approved</h1><div class='meta'>14.06.2019</div>"
    article = extract(page(body=body), "https://blog.example/2017/08/08/budget")
    assert (article.published_at.date(), article.published_source) == (date(2017, 8, 8), "url")


def test_a_date_in_the_description_is_a_late_fallback() -> None:
    head = (
        '<meta name="description" content="Orso marsicano: un anno da record (Notizia del 14 Gennaio 2020)">'
    )
    article = extract(page(head, lang="it"))
    assert (article.published_at.date(), article.published_source) == (date(2020, 1, 14), "meta")


def test_a_date_line_inside_a_layout_figure_counts() -> None:
    body = "<h1>Budget approved</h1><figure><div>02.02.2022 Council</div></figure>"
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 2, 2)


def test_a_time_element_under_the_headline_beats_a_disagreeing_meta_date() -> None:
    head = '<meta name="dcterms.date" content="2022-01-21T09:43+01:00">'
    body = '<h1>Budget approved</h1><span><time datetime="2022-01-25T08:00:00+01:00">25.01.</time></span>'
    article = extract(page(head, body, lang="de"))
    assert (article.published_at.date(), article.published_source) == (date(2022, 1, 25), "time")


def test_a_caption_date_is_not_the_publication_date() -> None:
    body = (
        "<h1>Budget approved</h1><p>Abbildung: Blick auf das Rathaus vom 31.05.2021</p>"
        "<div class='meta'>14.01.2022 um 09:25</div>"
    )
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 1, 14)


def test_a_readers_comment_date_is_not_the_publication_date() -> None:
    body = (
        "<h1>Budget approved</h1><div class='comment-list'><p>Marth 02.12.2022, 15:57</p></div>"
        "<div class='meta'>29.11.2022</div>"
    )
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 11, 29)


def test_updated_time_only_is_an_update_on_the_day_of_publication() -> None:
    head = '<meta property="article:published_time" content="2023-09-18T09:00:00+08:00">'
    body = "<h1>Budget approved</h1><div class='meta'>Updated 3:45 PM</div>"
    article = extract(page(head, body))
    assert article.updated_at == datetime(2023, 9, 18, 15, 45, tzinfo=article.published_at.tzinfo)
    assert article.updated_source == "text"


def test_a_time_whose_class_names_publication_and_modification_is_the_update() -> None:
    body = (
        "<h1>Budget approved</h1><div class='meta'>"
        '<time class="PublicationTime__mod-time" datetime="2023-12-23T09:04:08Z"></time>'
        '<time class="PublicationTime__pub-time" datetime="2023-12-22T17:16:03Z"></time></div>'
    )
    article = extract(page(body=body))
    assert (article.published_at.date(), article.published_source) == (date(2023, 12, 22), "time")
    assert article.updated_at.date() == date(2023, 12, 23)


def test_a_time_element_keeps_the_day_its_own_text_shows() -> None:
    head = '<meta property="article:published_time" content="2023-11-01T23:01:00Z">'
    body = (
        "<h1>Budget approved</h1><div class='meta'>"
        '<time class="story__date" datetime="2023-11-01T23:01:00Z">02 Novembre 2023</time></div>'
    )
    article = extract(page(head, body, lang="it"))
    assert article.published_at.date() == date(2023, 11, 2)


def test_the_most_trusted_machine_date_that_a_shown_date_confirms_wins() -> None:
    head = (
        '<meta property="article:published_time" content="2023-12-17T19:06:22Z">'
        '<meta name="date" content="2023-12-25T01:24:54+03:30">'
    )
    body = (
        "<ul><li>Mon December 25, 2023</li></ul><h1>Budget approved</h1>"
        "<div>Politics</div><div>Share</div><div>December 17, 2023 - 22:36</div>"
    )
    article = extract(page(head, body))
    assert (article.published_at.date(), article.published_source) == (date(2023, 12, 17), "meta")


def test_a_time_element_just_above_the_headline_beats_a_disagreeing_meta_date() -> None:
    head = '<meta property="article:published_time" content="2022-11-17T10:33:13Z">'
    body = (
        '<ul class="hero-meta"><li><time datetime="2022-03-09">09.03.2022</time></li><li>Heizung</li></ul>'
        "<h1>Budget approved</h1>"
    )
    article = extract(page(head, body, lang="de"))
    assert (article.published_at.date(), article.published_source) == (date(2022, 3, 9), "time")


def test_a_time_elements_shown_date_beats_its_stale_datetime() -> None:
    head = '<meta property="article:published_time" content="2023-12-22T20:21:27+00:00">'
    body = "<h1>Budget approved</h1><div><time datetime='2019-09-03'>12/22/2023</time></div>"
    assert extract(page(head, body)).published_at.date() == date(2023, 12, 22)


def test_day_and_month_order_follows_the_numbers_when_only_one_order_is_a_date() -> None:
    assert [v.date() for _, v in find_dates("12/22/2023")] == [date(2023, 12, 22)]
    assert [v.date() for _, v in find_dates("22/12/2023", month_first=True)] == [date(2023, 12, 22)]
    assert [v.date() for _, v in find_dates("03/04/2023")] == [date(2023, 4, 3)]


def test_a_linked_date_in_the_byline_counts_but_a_linked_teaser_further_away_does_not() -> None:
    teasers = "".join(f"<li><a href='/t{n}'>Other story {n}</a></li>" for n in range(10))
    body = (
        f"<ul><li><a href='/t'>Tippspiel 28.01.2022</a></li>{teasers}</ul>"
        "<h1>Budget approved</h1><div class='post-meta'><a href='/a/jo'>jo</a> — "
        "<a href='/budget' rel='bookmark'>2. Februar 2022</a></div>"
    )
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 2, 2)


def test_an_event_date_in_a_sentence_is_not_the_page_date_and_last_changed_is_the_fallback() -> None:
    body = (
        "<h1>Stammtisch Kassel</h1>"
        "<p>Der nächste Stammtisch findet am Mi. 5. Februar 2020 ab 19 Uhr im Cafe Hurricane statt.</p>"
        "<ul><li>Diese Seite wurde zuletzt am 29. Januar 2020 um 13:22 Uhr geändert.</li></ul>"
    )
    article = extract(page(body=body, lang="de"))
    assert article.published_at.date() == date(2020, 1, 29)
    assert article.updated_at.date() == date(2020, 1, 29)


def test_a_page_with_only_a_modification_date_is_dated_by_it() -> None:
    head = '<meta property="og:updated_time" content="2021-03-04T10:00:00Z">'
    article = extract(page(head))
    assert (article.published_at.date(), article.published_source) == (date(2021, 3, 4), "meta")


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


def test_a_time_element_keeps_its_datetime_when_its_line_shows_an_implausible_date() -> None:
    body = "<h1>Budget approved</h1><div><time datetime='2019-12-22'>20.12.1922</time></div>"
    assert extract(page(body=body, lang="de")).published_at.date() == date(2019, 12, 22)


def test_a_relative_date_counts_only_when_the_page_gives_no_absolute_one() -> None:
    """ "3 hours ago" is a guess from the fetch time; a publisher's own date is not."""
    head = '<meta property="article:published_time" content="2024-05-20T08:00:00Z">'
    body = "<h1>Budget approved</h1><div class='meta'>By Ana Lima · 3 hours ago</div>"
    article = extract(page(head, body))
    assert article.published_at.date() == date(2024, 5, 20)
    alone = extract(page(body=body))
    assert alone.published_at == NOW - timedelta(hours=3) and alone.published_source == "text"


def test_the_day_several_sources_agree_on_beats_a_lone_line_near_the_headline() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2024-05-20"}</script>'
    head = ld + '<meta property="article:published_time" content="2024-05-20T08:00:00Z">'
    body = "<h1>Budget approved</h1><div class='meta'>May 27, 2024</div>"
    article = extract(page(head, body), "https://news.example/2024/05/20/budget")
    assert (article.published_at.date(), article.published_source) == (date(2024, 5, 20), "json-ld")
    lone = extract(page(body=body), "https://news.example/budget")
    assert (lone.published_at.date(), lone.published_source) == (date(2024, 5, 27), "text")


def test_a_day_is_scored_by_the_sum_of_its_evidence_weights() -> None:
    """The choice is explainable: each day's score is the sum of the weights of its features."""
    from newswatch.extract.dates.candidates import Candidate
    from newswatch.extract.dates.choice import best, days_of, features, scores

    candidates = (
        Candidate(datetime(2024, 5, 20, tzinfo=UTC), "json-ld", "published"),
        Candidate(datetime(2024, 5, 21, tzinfo=UTC), "text", "", 2),
    )
    days = days_of(candidates)
    weights = {"kind:json-ld": 1.0, "nearest-shown": 2.5}
    assert [set(row) >= {name} for row, name in zip(features(days), weights, strict=True)] == [True, True]
    assert scores(days, weights) == [1.0, 2.5]
    chosen = best(candidates, weights)
    assert chosen is not None and chosen.day == date(2024, 5, 21)
    chosen = best(candidates, {"kind:json-ld": 3.0, "nearest-shown": 2.5})
    assert chosen is not None and chosen.day == date(2024, 5, 20)


def test_the_shipped_weights_load_from_the_package() -> None:
    from newswatch.extract.dates.choice import packaged_weights

    weights = packaged_weights()
    assert weights and all(isinstance(value, float) for value in weights.values())


def test_a_meta_tag_that_carries_its_value_in_value_is_read() -> None:
    article = extract(page('<meta value="2016-12-14T06:02:15Z" name="og:article:published_time">'))
    assert (article.published_at.date(), article.published_source) == (date(2016, 12, 14), "meta")
