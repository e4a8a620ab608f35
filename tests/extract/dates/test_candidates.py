"""Where a page offers dates (structured data, meta, <time>, microdata, visible lines, the URL,
feed hints) and where it does not (captions, comments, quotes), within plausibility bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import partial

from extract_pages import extract as extract_page
from extract_pages import page
from newswatch.models import Hints
from newswatch.settings import load_settings

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
extract = partial(extract_page, now=NOW)  # the pages read at this fetch time


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


def test_a_post_never_changed_marked_published_and_updated_has_no_update() -> None:
    """WordPress marks the time of a post never edited with both hAtom classes; a class word
    that joins the two ("mod-time" of a publication) and a lone "updated" remain the update."""
    unchanged = '<time class="entry-date published updated" datetime="2020-02-29T08:00:00Z">29 Feb</time>'
    article = extract(page(body=unchanged))
    assert article.published_at.date() == date(2020, 2, 29) and article.updated_at is None

    changed = (
        '<time class="entry-date published" datetime="2020-02-29T08:00:00+00:00">29 Feb</time>'
        '<time class="updated" datetime="2020-03-02T09:00:00+00:00">2 Mar</time>'
    )
    article = extract(page(body=changed))
    assert article.published_at.date() == date(2020, 2, 29)
    assert (article.updated_at.date(), article.updated_source) == (date(2020, 3, 2), "time")

    joined = '<time class="PublicationTime__mod-time" datetime="2020-03-02T09:00:00+00:00">2 Mar</time>'
    assert extract(page(body=joined)).updated_at.date() == date(2020, 3, 2)


def test_url_date_when_the_page_has_none() -> None:
    article = extract(page(), "https://news.example/world/2022/07/15/some-story")
    assert (article.published_at.date(), article.published_source) == (date(2022, 7, 15), "url")


def test_feed_hint_is_the_last_resort_and_says_where_it_came_from() -> None:
    hints = Hints(published_at=datetime(2023, 1, 2, 3, 4), origin="sitemap")  # naive on purpose
    article = extract(page(), "https://news.example/story", hints)
    assert article.published_at == datetime(2023, 1, 2, 3, 4, tzinfo=UTC)
    assert article.published_source == "sitemap"


def test_dates_in_embedded_quotes_are_ignored() -> None:
    body = (
        "<h1>Budget approved</h1><blockquote class='twitter-tweet'><p>So proud of the council!</p>"
        "— Mayor (@mayor) January 1, 2020</blockquote><div class='meta'>January 2, 2020</div>"
    )
    assert extract(page(body=body)).published_at.date() == date(2020, 1, 2)


def test_a_date_in_the_description_is_a_late_fallback() -> None:
    head = (
        '<meta name="description" content="Orso marsicano: un anno da record (Notizia del 14 Gennaio 2020)">'
    )
    article = extract(page(head, lang="it"))
    assert (article.published_at.date(), article.published_source) == (date(2020, 1, 14), "meta")


def test_a_date_line_inside_a_layout_figure_counts() -> None:
    body = "<h1>Budget approved</h1><figure><div>02.02.2022 Council</div></figure>"
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 2, 2)


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


def test_a_linked_date_in_the_byline_counts_but_a_linked_teaser_further_away_does_not() -> None:
    teasers = "".join(f"<li><a href='/t{n}'>Other story {n}</a></li>" for n in range(10))
    body = (
        f"<ul><li><a href='/t'>Tippspiel 28.01.2022</a></li>{teasers}</ul>"
        "<h1>Budget approved</h1><div class='post-meta'><a href='/a/jo'>jo</a> — "
        "<a href='/budget' rel='bookmark'>2. Februar 2022</a></div>"
    )
    assert extract(page(body=body, lang="de")).published_at.date() == date(2022, 2, 2)


def test_a_meta_tag_that_carries_its_value_in_value_is_read() -> None:
    article = extract(page('<meta value="2016-12-14T06:02:15Z" name="og:article:published_time">'))
    assert (article.published_at.date(), article.published_source) == (date(2016, 12, 14), "meta")


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
    article = extract(page('<meta name="date" content="2020-06-01">'), settings=settings)
    assert article.published_at is None


def _opening(paragraph: str):
    """The article read from a German page whose body opens with ``paragraph``, said twice."""
    body = f"<h1>Regierung drosselt Bioenergie</h1><p>{paragraph}</p><p>{paragraph}</p>"
    return extract(page(body=body, lang="de"))


def test_a_paragraph_that_opens_with_its_dateline_gives_the_date() -> None:
    article = _opening(
        "29.11.2022 – Mehrfach und vehement hatte die Branche die Nachteile des Entwurfs benannt, doch "
        "die Regierung hielt an ihm fest und beschloss ihn am Ende ohne eine einzige Änderung."
    )
    assert article.published_at is not None
    assert article.published_at.date() == date(2022, 11, 29)


def test_a_date_inside_a_paragraph_is_not_a_dateline() -> None:
    article = _opening(
        "Die Regierung hat am 29.11.2022 – nach langem Streit – beschlossen, die Förderung zu "
        "drosseln, obwohl die Branche die Nachteile des Entwurfs mehrfach und vehement benannt hatte."
    )
    assert article.published_at is None


def _app_state(*days: str, escaped: bool = False) -> str:
    """A script holding an app's state, one teaser or article record per day."""
    records = ",".join(f'{{"id":{n},"published_at":"{day}T06:22:28+01:00"}}' for n, day in enumerate(days))
    state = f'{{"items":[{records}]}}'
    if escaped:  # the state as a JSON string inside another script's call
        return "<script>window.load(" + '"' + state.replace('"', '\\"') + '"' + ");</script>"
    return f"<script>window.__STATE__ = {state};</script>"


def test_a_page_that_shows_no_date_is_dated_by_its_scripts_data() -> None:
    for escaped in (False, True):
        article = extract(page(body=_app_state("2019-03-02", escaped=escaped)))
        assert (article.published_at.date(), article.published_source) == (date(2019, 3, 2), "script")


def test_of_several_days_in_script_data_the_most_named_wins() -> None:
    article = extract(page(body=_app_state("2019-02-01", "2019-03-02", "2019-03-02", "2018-12-31")))
    assert article.published_at.date() == date(2019, 3, 2)


def test_a_share_image_dated_by_its_folders_dates_a_page_with_nothing_else() -> None:
    folders = '<meta property="og:image" content="https://img.example/2024/01/29/8d23917b.jpg">'
    article = extract(page(folders))
    assert (article.published_at.date(), article.published_source) == (date(2024, 1, 29), "image")
    photo_name = '<meta property="og:image" content="https://img.example/media/IMG_20190512_1234.jpg">'
    assert extract(page(photo_name)).published_at is None  # when the photo was taken, not the article


def test_traces_are_not_read_when_the_page_offers_a_date() -> None:
    shown = '<meta property="article:published_time" content="2021-05-06T10:00:00+02:00">'
    image = '<meta property="og:image" content="https://img.example/2024/01/29/a.jpg">'
    article = extract(page(shown + image, body=_app_state("2019-03-02")))
    assert (article.published_at.date(), article.published_source) == (date(2021, 5, 6), "meta")
    # Even a date read relative to the fetch time, which any absolute date would outrank, keeps them out.
    article = extract(page(body="<h1>Headline</h1><p>3 hours ago</p>" + _app_state("2019-03-02")))
    assert (article.published_at, article.published_source) == (NOW - timedelta(hours=3), "text")


def test_a_day_shown_without_its_year_dates_a_page_that_shows_no_other() -> None:
    shown = "<h1>Headline</h1><p>[05月24日 11時30分]</p>"
    article = extract(page(body=shown, lang="ja"))
    assert article.published_at == datetime(2024, 5, 24, 11, 30, tzinfo=UTC)
    assert article.published_source == "text"
    # Read against the fetch time: the same page fetched next January is last year's.
    later = extract_page(page(body=shown, lang="ja"), now=datetime(2025, 1, 10, tzinfo=UTC))
    assert later.published_at == datetime(2024, 5, 24, 11, 30, tzinfo=UTC)
    # Any full date outranks it, as it outranks "3 hours ago".
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-05-20"}</script>'
    assert extract(page(ld, body=shown, lang="ja")).published_at.date() == date(2021, 5, 20)


def test_today_with_a_time_dates_a_page_that_shows_no_other() -> None:
    article = extract(page(body="<h1>Заголовок</h1><p>Сегодня в 10:12</p>", lang="ru"))
    assert (article.published_at, article.published_source) == (NOW.replace(minute=12, hour=10), "text")


def test_a_day_without_its_year_in_a_sentence_or_a_caption_dates_nothing() -> None:
    # A sentence, with or without its full stop, and a picture's caption.
    sentence = "<h1>Headline</h1><p>The vote is on May 24 in the town hall, the council said on Monday</p>"
    caption = (
        "<h1>Headline</h1><p>The prime minister reacts as he visits the Western Wall on March 18 following"
        " his party's victory in the general election</p>"
    )
    # Japanese writes no spaces: a long line is one "word", and its length is what tells.
    japanese = (
        "<h1>見出し</h1><p>先制点が決まり喜ぶバルセロナのメッシとスアレス、試合は６月２４日の夜に行われチームは次の"
        "ラウンドに進んだが監督は主力選手の疲労と怪我を心配している様子で記者会見では言葉少なだった</p>"
    )
    for body in (sentence, caption, japanese):
        assert extract(page(body=body)).published_at is None, body


def test_a_date_in_a_pictures_caption_is_when_the_photo_was_taken() -> None:
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-04-28"}</script>'
    for holder in ('div class="picbox full"', 'div class="image-caption"', 'p class="wp-caption-text"'):
        name = holder.split()[0]
        caption = f"<{holder}><span>Tanks near the front line, 24 April 2023</span></{name}>"
        article = extract(page(ld, body=f"<h1>Counter-offensive: aims and risks</h1>{caption}"))
        assert article.published_at.date() == date(2023, 4, 28), holder
