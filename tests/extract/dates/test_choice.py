"""Which candidate day is the page date: evidence summed by fitted weights, agreement, position, labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial

from extract_pages import extract as extract_page
from extract_pages import page

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
extract = partial(extract_page, now=NOW)  # the pages read at this fetch time


def test_an_update_before_publication_is_dropped() -> None:
    head = (
        '<meta property="article:published_time" content="2023-05-06">'
        '<meta property="article:modified_time" content="2023-05-01">'
    )
    article = extract(page(head))
    assert article.published_at.date() == date(2023, 5, 6)
    assert article.updated_at is None


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


def test_a_time_element_under_the_headline_beats_a_disagreeing_meta_date() -> None:
    head = '<meta name="dcterms.date" content="2022-01-21T09:43+01:00">'
    body = '<h1>Budget approved</h1><span><time datetime="2022-01-25T08:00:00+01:00">25.01.</time></span>'
    article = extract(page(head, body, lang="de"))
    assert (article.published_at.date(), article.published_source) == (date(2022, 1, 25), "time")


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


def test_an_evidence_group_left_out_of_the_fit_gets_no_weight(monkeypatch) -> None:
    """``extraction_fit.py --ablate`` fits without a group: its features must get no weight, so
    the choice is made as if the page never offered that evidence."""
    from pathlib import Path

    from newswatch.extract.dates.candidates import Candidate, DateEvidence

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[3] / "benchmarks"))
    from extraction_fit import learn

    evidence = DateEvidence(
        (
            Candidate(datetime(2024, 5, 20, tzinfo=UTC), "json-ld", "published"),
            Candidate(datetime(2024, 5, 21, tzinfo=UTC), "text", "", 2),
        )
    )
    pages = [({"published": "2024-05-20"}, evidence)] * 3
    assert "nearest-shown" in learn(pages)
    left_out = learn(pages, ("nearest-shown", "pos:"))
    assert left_out and not any(name.startswith(("nearest-shown", "pos:")) for name in left_out)
