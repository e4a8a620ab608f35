"""Headline, authors, body, language and canonical URL layers on small synthetic pages."""

from __future__ import annotations

from extract_pages import PROSE, extract, page, paragraphs
from newswatch.extract.authors import clean_names


def test_headline_prefers_the_h1_the_metadata_agrees_with() -> None:
    head = '<meta property="og:title" content="Budget approved after long night | City Paper">'
    body = "<h1>Most read</h1><h1>Budget approved after long night</h1>"
    assert extract(page(head, body)).headline == "Budget approved after long night"


def test_headline_falls_back_to_metadata_without_site_name() -> None:
    html = page("<title>Council passes budget – The City Paper</title>", "<h1>The City Paper</h1>")
    html = html.replace("<title>T</title>", "")
    assert extract(html).headline == "Council passes budget"


def test_headline_from_json_ld() -> None:
    head = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Rates rise again"}</script>'
    assert extract(page(head)).headline == "Rates rise again"


def test_authors_from_json_ld_objects_and_lists() -> None:
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person",'
        '"name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]}</script>'
    )
    assert extract(page(head)).authors == ["Jane Doe", "John Roe"]


def test_authors_from_meta_and_byline() -> None:
    assert extract(page('<meta name="author" content="Ana Lima">')).authors == ["Ana Lima"]
    body = '<div class="byline">By <a rel="author" href="/a/kim">Kim Lee</a> and Sam Park</div>'
    assert extract(page(body=body)).authors == ["Kim Lee", "Sam Park"]


def test_author_cleanup() -> None:
    assert clean_names(["By Jane Doe, Reuters"]) == ["Jane Doe", "Reuters"]
    assert clean_names(["Von Max Muster und Erika Muster"]) == ["Max Muster", "Erika Muster"]
    assert clean_names(["https://facebook.com/someone", "jane@example.com", "Updated 3 hours ago"]) == []


def test_body_keeps_paragraphs_and_drops_boilerplate() -> None:
    body = (
        '<div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a></div>'
        "<p>Share WhatsApp Telegram Email</p>"
        '<div class="related-links"><p>' + PROSE + "</p></div>"
        "<figure><img src=x><figcaption>The council chamber. Photo: Jo Bloggs</figcaption></figure>"
    )
    article = extract(page(body=body))
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert all(p.startswith(PROSE) for p in paragraphs)
    for noise in ("Facebook", "WhatsApp", "Photo:", "Home"):
        assert noise not in article.body


def test_body_keeps_subheadings_and_lists_inside_the_article() -> None:
    html = page().replace(
        '<div class="article-body">',
        '<div class="article-body"><h2>What changes</h2><ul><li>Schools get more money this year.</li></ul>',
    )
    body = extract(html).body
    assert body.startswith("What changes\n\nSchools get more money this year.\n\n")


def test_language_and_canonical() -> None:
    head = '<link rel="canonical" href="/news/budget">'
    article = extract(page(head, lang="de-DE"), "https://city.example/news/budget?utm_source=x")
    assert article.language == "de-de"
    assert article.canonical_url == "https://city.example/news/budget"


def test_canonical_ignores_non_http_schemes() -> None:
    head = '<link rel="canonical" href="javascript:alert(1)">'
    assert extract(page(head), "https://city.example/a").canonical_url == "https://city.example/a"


def test_kicker_run_into_the_h1_is_left_out() -> None:
    head = '<meta property="og:title" content="Drinks go by boat to the stadium | Paper">'
    body = "<h1><span>Olympic Games in Paris</span> <span>Drinks go by boat to the stadium</span></h1>"
    assert extract(page(head, body)).headline == "Drinks go by boat to the stadium"


def test_a_logo_h1_is_not_the_headline() -> None:
    html = page(
        '<meta property="og:site_name" content="City Paper">',
        '<h1><a href="/">City Paper</a></h1><h1>Budget approved after a long night</h1>',
    )
    assert extract(html).headline == "Budget approved after a long night"


def test_short_h1_that_is_one_part_of_the_title() -> None:
    html = page(body="<h1>Penny</h1>").replace("<title>T</title>", "<title>Penny - Valley Wiki</title>")
    assert extract(html).headline == "Penny"


def test_byline_person_beats_publisher_organisation() -> None:
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget approved",'
        '"author":{"@type":"Organization","name":"City Paper"}}</script>'
    )
    body = '<h1>Budget approved</h1><div class="byline">Von Anna Schmidt</div>'
    assert extract(page(head, body)).authors == ["Anna Schmidt"]


def test_standfirst_under_the_headline_opens_the_body() -> None:
    dek = "The city will spend more on schools and water pipes, and less on its own offices."
    body = f"<h1>Budget approved</h1><p class='dek'>{dek}</p>"
    assert extract(page(body=body)).body.startswith(dek + "\n\n")


def test_standfirst_inside_a_page_wrapper_named_like_boilerplate_opens_the_body() -> None:
    dek = "The city will spend more on schools and water pipes, and less on its own offices."
    teaser = "<aside><p>Read about the mayor's plan for new cycle lanes and more bus routes.</p></aside>"
    head = f"<div class='head'><h1>Budget approved</h1><p class='dek'>{dek}</p></div>"
    story = f"{head}{teaser}<div class='story'>{paragraphs(6)}</div>"
    html = f"<html><body><div class='page-wrapper is-below-header-ad'>{story}</div></body></html>"
    body = extract(html).body
    assert body.startswith(dek + "\n\n") and "cycle lanes" not in body


def test_hidden_utility_classes_are_not_body_but_embedded_quotes_are() -> None:
    html = page().replace(
        '<div class="article-body">',
        '<div class="article-body"><p class="hidden">Support our journalism with a monthly gift.</p>'
        '<blockquote class="twitter-tweet"><p>Great news for the schools of this city today, everyone!</p>'
        "&mdash; Someone (@someone) May 1, 2024</blockquote>",
    )
    body = extract(html).body
    assert "Support" not in body and "Great news for the schools" in body


def test_related_heading_late_in_the_container_ends_the_body() -> None:
    html = page().replace(
        "</div></article>",
        "<h3>Read more</h3><p>Another story about the parks department and its new director, "
        "who starts in June.</p></div></article>",
    )
    body = extract(html).body
    assert body.count(PROSE) == 3 and "Another story" not in body and "Read more" not in body


def test_date_lines_and_caption_lines_are_not_body() -> None:
    html = page().replace(
        '<div class="article-body">',
        '<div class="article-body"><div>Aktualisiert: 11.04.2020</div><p>Foto: Jo Bloggs / Agentur</p>'
        "<p>The old town hall, now a museum (Image: GETTY)</p>",
    )
    body = extract(html).body
    assert "11.04.2020" not in body and "Jo Bloggs" not in body and "museum" not in body


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
        extract(
            "<html><body><p>The council approved the budget today, again.</p></body></html>"
        ).language
        is None
    )


def test_a_long_prose_container_with_a_boilerplate_class_is_still_the_article() -> None:
    paragraphs = "".join(f"<p>{PROSE} Part {n}.</p>" for n in range(5))
    html = (
        "<html><body><nav><a href='/'>Home</a></nav><h1>Budget approved</h1>"
        f"<div class='subscriber-preview'>{paragraphs}</div>"
        "<div class='related'><p>Short teaser about parks, with words.</p></div></body></html>"
    )
    body = extract(html).body
    assert body.count(PROSE) == 5 and "teaser" not in body


def test_author_cleanup_drops_labels_and_form_fields() -> None:
    assert clean_names(["Veröffentlicht am", "mywakenews"]) == ["mywakenews"]
    assert clean_names(["Helmut Rubik", "Name *"]) == ["Helmut Rubik"]
    assert clean_names(["Art Edwards says"]) == []
    assert clean_names(["By"]) == []
