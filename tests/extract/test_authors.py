"""Authors from structured data, meta tags and bylines, cleaned of labels and organisations."""

from __future__ import annotations

import pytest
from extract_pages import PROSE, extract, page
from newswatch.extract.authors import clean_names


def _authors_below_headline(markup: str, lang: str = "en") -> list[str]:
    """The authors of a small page whose headline is followed by ``markup`` (its byline zone)."""
    return extract(page(body=f"<h1>Budget approved</h1>{markup}", lang=lang)).authors


def test_authors_from_json_ld_objects_and_lists() -> None:
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person",'
        '"name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]}</script>'
    )
    assert extract(page(head)).authors == ["Jane Doe", "John Roe"]


def test_json_ld_streamed_into_a_hidden_element_is_read() -> None:
    hidden = (
        '<div hidden=""><script type="application/ld+json">{"@type":"NewsArticle",'
        '"author":{"@type":"Person","name":"Fatma Sevinç Çetin"}}</script></div>'
    )
    assert extract(page(body=hidden, lang="tr")).authors == ["Fatma Sevinç Çetin"]


def test_authors_from_meta_and_byline() -> None:
    assert extract(page('<meta name="author" content="Ana Lima">')).authors == ["Ana Lima"]
    body = '<div class="byline">By <a rel="author" href="/a/kim">Kim Lee</a> and Sam Park</div>'
    assert extract(page(body=body)).authors == ["Kim Lee", "Sam Park"]


def test_microdata_authors_of_teaser_cards_below_the_story_are_not_its_authors() -> None:
    def byline(*names: str) -> str:
        people = " and ".join(
            f'<span itemscope itemtype="https://schema.org/Person" itemprop="author">'
            f'<span itemprop="name">{name}</span></span>'
            for name in names
        )
        return f"<div class='byline'>By {people}</div>"

    cards = "".join(
        f"<div class='card'><h3>Another story {n}</h3>{byline(name)}<p>{PROSE}</p></div>"
        for n, name in enumerate(["Rebecca Astill", "Jack Rear"])
    )
    html = page(body=f"<h1>Budget approved</h1>{byline('Madeleine Howell', 'Ann Other')}").replace(
        "</article>", f"</article><aside>{cards}</aside>"
    )
    assert extract(html).authors == ["Madeleine Howell", "Ann Other"]


def test_the_section_and_date_a_byline_goes_on_with_are_not_part_of_the_name() -> None:
    byline = "Written by Michael Larabel in Valve on 1 June 2019 at 08:34 PM EDT. 51 Comments"
    assert clean_names([byline]) == ["Michael Larabel"]
    assert clean_names(["Ana Lima at the City Paper"]) == ["Ana Lima"]


def test_author_cleanup() -> None:
    assert clean_names(["By Jane Doe, Reuters"]) == ["Jane Doe", "Reuters"]
    assert clean_names(["Von Max Muster und Erika Muster"]) == ["Max Muster", "Erika Muster"]
    # a middle initial is not the "y", "e" or "i" that joins two names
    assert clean_names(["Colbert I. King"]) == ["Colbert I. King"]
    assert clean_names(["Por John E. Smith y Ana López"]) == ["John E. Smith", "Ana López"]
    # a staff title run into the name leaves it; alone with a paper's name it names no one
    assert clean_names(["By Howard Blume Staff Writer"]) == ["Howard Blume"]
    assert clean_names(["Guardian staff reporter"]) == []
    # degrees and licences after a name are not names
    assert clean_names(["Lauren Manaker MS, RDN, LD"]) == ["Lauren Manaker"]
    assert clean_names(["By Jane Doe, M.D., and Sam Roe PhD"]) == ["Jane Doe", "Sam Roe"]
    # labels, questions and written-out addresses in byline boxes are not names
    assert clean_names(["Daniel Tannenbaum | Sponsored", "Sie haben einen Fehler gefunden?"]) == [
        "Daniel Tannenbaum"
    ]
    assert clean_names(["jo[at]example.org", "wordpressadmin", "Administrator"]) == []
    assert clean_names(["https://facebook.com/someone", "jane@example.com", "Updated 3 hours ago"]) == []


_DATED_BYLINE = (
    '<div class="author-byline">By <a class="author-name" href="/a/kim">Kim Lee</a> Opinion writer, '
    "October 29, 2018</div>"
)


@pytest.mark.parametrize(
    ("markup", "lang", "names"),
    [
        pytest.param(
            '<div class="author-card"><span class="author vcard"><a rel="author" class="url fn" '
            'href="/a/jo">Jo Bloggs</a> <a href="https://x.com/jo">Twitter</a></span> '
            '<span class="author-title">News &amp; Culture Writer</span></div>',
            "en",
            ["Jo Bloggs"],
            id="name-element-beats-the-title-beside-it",
        ),
        pytest.param(_DATED_BYLINE, "en", ["Kim Lee"], id="name-element-beats-the-date-beside-it"),
        pytest.param(
            _DATED_BYLINE
            + "".join(
                f'<p>{PROSE}</p><div class="teaser"><span class="author-name">{name}</span></div>'
                for name in ("Ann Roe", "Bo Chan", "Cy Park")
            ),
            "en",
            ["Kim Lee"],
            id="names-heading-related-stories-are-not-writers",
        ),
        pytest.param(
            f'<div class="byline">Liya Davidov</div><p>{PROSE}</p><p>{PROSE}</p>'
            '<div class="related"><div class="byline">Joel Drucker</div></div>',
            "en",
            ["Liya Davidov"],
            id="a-second-byline-further-down-heads-something-else",
        ),
        pytest.param(
            '<div class="author-line"><span class="brand-author">capital</span> '
            '<span class="author">von Jemima Kelly</span> 05. November 2024 15:36 Uhr</div>',
            "de",
            ["Jemima Kelly"],
            id="the-labelled-line-beats-a-brand-beside-it",
        ),
        pytest.param(
            '<div class="author"><span class="author">Saima Sidik</span> <span class="author-label">'
            'Author</span> <p class="author-bio">Saima Sidik is a science journalist based in '
            "Somerville, Massachusetts.</p></div>",
            "en",
            ["Saima Sidik"],
            id="the-writers-bio-names-nobody",
        ),
        pytest.param(
            '<div class="author">Redaktion</div>', "de", ["Redaktion"], id="redaktion-credits-the-newsroom"
        ),
        pytest.param(
            '<p class="meta"><a href="https://example.com/author/kaitlin/">Kaitlin Serio</a></p>',
            "en",
            ["Kaitlin Serio"],
            id="a-link-to-the-writers-page-is-a-byline",
        ),
        pytest.param(
            '<div class="t-meta"><a class="th-meta" href="/about/editors/jon-fingas/">Jon Fingas</a>'
            '<span class="th-meta">, <a href="https://twitter.com/jonfingas">@jonfingas</a></span></div>',
            "en",
            ["Jon Fingas"],
            id="a-link-to-the-editors-page-is-a-byline",
        ),
        pytest.param(
            '<p class="meta">Kaitlin Serio <a href="/autoren/kaitlin-serio">mehr</a></p>',
            "en",
            [],
            id="a-writer-page-link-labelled-more-is-no-name",
        ),
        pytest.param(
            '<p>About <a href="/people/prince/">Prince</a></p>',
            "en",
            [],
            id="a-topic-page-about-a-person-is-not-the-writers",
        ),
        pytest.param(
            '<div class="QHbl nkdH" data-testid="prism-byline"><span class="tChG">By</span>'
            '<span><a class="zZyg" href="/about/newsteam/alex-bozarjian">Alex Bozarjian</a></span></div>',
            "en",
            ["Alex Bozarjian"],
            id="generated-class-names-and-a-test-hook-that-names-the-byline",
        ),
        pytest.param(
            '<ul class="hero-meta"><li><span class="label">von Alexander Rosenkranz</span></li></ul>',
            "de",
            ["Alexander Rosenkranz"],
            id="a-plain-by-line-under-the-headline-no-markup-names",
        ),
        pytest.param(
            '<div class="meta">By J.R. Stone and Ann Roe</div>',
            "en",
            ["J.R. Stone", "Ann Roe"],
            id="plain-co-writers",
        ),
        pytest.param(
            "<h2>By the numbers</h2>", "en", [], id="a-heading-opening-with-by-names-nobody"
        ),
        pytest.param(
            f"<p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p><p>By Jo Bloggs</p>",
            "en",
            [],
            id="a-plain-by-line-far-below-the-headline-is-not-the-byline",
        ),
    ],
)
def test_the_byline_below_the_headline_names_its_writers(markup: str, lang: str, names: list[str]) -> None:
    assert _authors_below_headline(markup, lang) == names


def test_a_weekday_opening_the_date_line_after_a_name_is_not_part_of_it() -> None:
    assert clean_names(["By Bryan Walsh Tuesday, Aug. 23, 2011"]) == ["Bryan Walsh"]


def test_a_user_name_in_json_ld_yields_to_the_name_in_meta() -> None:
    head = (
        '<meta name="author" content="Chuck Ross"><script type="application/ld+json">'
        '{"@type":"NewsArticle","author":{"@type":"Person","name":"chuck-ross"}}</script>'
    )
    assert extract(page(head)).authors == ["Chuck Ross"]


def test_a_pictures_credit_line_names_no_author() -> None:
    assert clean_names(["Foto: Bild: SN / APA / KEYSTONE / CYRIL ZINGARO"]) == []
    assert clean_names(["Emma Mackenzie", "Image: Getty Images", "iStockphoto"]) == ["Emma Mackenzie"]


@pytest.mark.parametrize(
    "author",
    [
        '{"@type":"Organization","name":"City Paper"}',
        '{"@type":"Person","name":", City Paper"}',  # a template's empty name slot before the paper's
    ],
)
def test_byline_person_beats_publisher_organisation(author: str) -> None:
    head = (
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget approved",'
        f'"author":{author}}}</script>'
    )
    body = '<h1>Budget approved</h1><div class="byline">Von Anna Schmidt</div>'
    assert extract(page(head, body)).authors == ["Anna Schmidt"]


def test_the_publishers_staff_credit_yields_to_a_byline_that_names_a_person() -> None:
    head = '<meta property="og:site_name" content="City Paper">'
    head += '<meta name="author" content="City Paper Staff">'
    body = '<h1>Budget approved</h1><div class="byline">By <a href="/author/mf">Megan French</a></div>'
    assert extract(page(head, body)).authors == ["Megan French"]
    # with no person in sight the staff credit is the credit
    assert extract(page(head, "<h1>Budget approved</h1>")).authors == ["City Paper Staff"]


def test_an_author_field_that_names_the_site_yields_to_the_reporter_in_the_byline() -> None:
    head = '<meta property="og:site_name" content="Jobs & Hire"><meta name="author" content="Jobs & Hire">'
    link = '<a href="/reporters/jose-de-la-cruz">Jose de la Cruz</a>'
    body = f'<h1>Budget approved</h1><div class="wrote_by">By {link}</div>'
    assert extract(page(head, body)).authors == ["Jose de la Cruz"]


def test_a_magazines_text_credit_under_the_story_names_the_writer_when_nothing_else_does() -> None:
    credit = "<p>(to be continued)<br><strong>Text:</strong> Klausmartin Friedrich</p>"
    credit += "<p>Fotos: Helmut Kunert</p>"
    html = page(body="<h1>Budget approved</h1>").replace("</article>", f"{credit}</article>")
    assert extract(html).authors == ["Klausmartin Friedrich"]
    byline = '<div class="byline">By Ann Roe</div>'
    bylined = html.replace("<h1>Budget approved</h1>", f"<h1>Budget approved</h1>{byline}")
    assert extract(bylined).authors == ["Ann Roe"]
    assert extract(html.replace("Klausmartin Friedrich", "the council's own")).authors == []


def test_a_writer_filed_surname_first_is_one_name_when_the_byline_shows_it() -> None:
    head = '<meta name="author" content="Gillman, Steve">'
    shown = '<h1>Budget approved</h1><p class="author-name">by <a href="/a/sg">Steve Gillman</a></p>'
    assert extract(page(head, shown)).authors == ["Steve Gillman"]
    # two one-word credits the byline does not show in that order stay two
    assert extract(page(head, "<h1>Budget approved</h1>")).authors == ["Gillman", "Steve"]
    other = '<h1>Budget approved</h1><p class="author-name">Steve Gillmann</p>'
    assert extract(page(head, other)).authors == ["Gillman", "Steve"]


def test_of_disagreeing_author_fields_the_one_the_byline_shows_wins() -> None:
    head = '<meta name="author" content="Big Media Group"><meta property="article:author" content="Kim Lee">'
    body = '<h1>Budget approved</h1><div class="byline">By Kim Lee</div>'
    assert extract(page(head, body)).authors == ["Kim Lee"]
    unconfirmed = page(head, '<h1>Budget approved</h1><div class="byline">Staff report</div>')
    assert extract(unconfirmed).authors == ["Big Media Group"]


def test_a_bracketed_note_after_a_name_is_not_part_of_it() -> None:
    assert clean_names(["Cécile Ducourtieux (Bruxelles, bureau européen)"]) == ["Cécile Ducourtieux"]
    initials = clean_names(["Elena Oberholzer (obe), Oliver Maksan (oma)"])
    assert initials == ["Elena Oberholzer", "Oliver Maksan"]
    # co-writers in the note are writers; a note that is a link keeps a commenter's handle out
    assert clean_names(["Martin Untersinger (avec Damien Leloup et Morgane Tual)"]) == [
        "Martin Untersinger",
        "Damien Leloup",
        "Morgane Tual",
    ]
    assert clean_names(["Yalcin (example-blog.com)"]) == []


def test_the_publishers_name_beside_a_writer_is_not_an_author() -> None:
    site = '<meta property="og:site_name" content="City Paper">'
    head = f'{site}<meta name="author" content="Pete Evans, City Paper">'
    assert extract(page(head)).authors == ["Pete Evans"]
    alone = f'{site}<meta name="author" content="City Paper">'
    assert extract(page(alone)).authors == ["City Paper"]
    # run into the name; a credit that is not a name before it stays whole
    run_in = f'{site}<meta name="author" content="Elizabeth Flores CITY PAPER">'
    assert extract(page(run_in)).authors == ["Elizabeth Flores"]
    recipe = f'{site}<meta name="author" content="Recipe by City Paper">'
    assert extract(page(recipe)).authors == ["Recipe by City Paper"]


def test_author_cleanup_drops_labels_and_form_fields() -> None:
    assert clean_names(["Veröffentlicht am", "mywakenews"]) == ["mywakenews"]
    assert clean_names(["Helmut Rubik", "Name *"]) == ["Helmut Rubik"]
    assert clean_names(["Art Edwards says"]) == []
    assert clean_names(["By"]) == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Автор: Іван Петренко і Олена Коваль", ["Іван Петренко", "Олена Коваль"]),
        ("Yazar: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
        ("Af Lars Hansen og Ole Olsen", ["Lars Hansen", "Ole Olsen"]),
        ("Napsal Jan Novák", ["Jan Novák"]),
        ("Escrito por María López", ["María López"]),
        ("Oleh Budi Santoso", ["Budi Santoso"]),
        ("홍길동 기자", ["홍길동"]),
        ("记者 王小明", ["王小明"]),
        ("文／王小明", ["王小明"]),
        ("文化部 王小明", ["文化部 王小明"]),  # a word that starts with 文 is no label
        ("投稿者 根岸 正史", ["根岸 正史"]),
        ("Diogo Carleto, translated by Mako Nakamura", ["Diogo Carleto"]),
    ],
)
def test_bylines_of_further_languages(byline: str, names: list[str]) -> None:
    assert clean_names([byline]) == names
