"""Headline choice on small synthetic pages: kickers, site names and spacing around the title."""

from __future__ import annotations

from extract_pages import extract, page, paragraphs
from newswatch.extract.headline import headline_block
from newswatch.extract.parse import parse_html
from newswatch.extract.scan import scan_page


def test_kicker_span_in_front_of_the_declared_title_is_left_out() -> None:
    head = '<meta property="og:title" content="How firms protect their staff">'
    body = (
        '<h1><span class="overline">Distance rules </span><span>: </span>'
        "<span>How firms protect their staff</span></h1>"
    )
    assert extract(page(head, body)).headline == "How firms protect their staff"


def test_date_in_front_of_the_heading_is_left_out() -> None:
    head = '<meta property="og:title" content="The most beautiful end of the world: Montauk">'
    body = "<h2><span>Jun 17</span> The most beautiful end of the world: Montauk</h2>"
    assert extract(page(head, body)).headline == "The most beautiful end of the world: Montauk"


def test_heading_spelled_as_declared_when_only_spacing_differs() -> None:
    head = '<meta property="og:title" content="Usage-based pay: Stars call for a new streaming model">'
    body = "<h1><span>Usage-based pay</span> <span>:</span> Stars call for a new streaming model</h1>"
    headline = extract(page(head, body)).headline
    assert headline == "Usage-based pay: Stars call for a new streaming model"


def test_heading_whose_hidden_separator_ran_kicker_and_title_together_reads_as_declared() -> None:
    head = '<meta property="og:title" content="Draft law: A little progress">'
    body = (
        '<h1><span class="kicker">Draft law</span><span class="hide">: </span>'
        "<span>A little progress</span></h1>"
    )
    assert extract(page(head, body)).headline == "Draft law: A little progress"
    scan = scan_page(parse_html(page(head, body)))
    shown = headline_block(scan, "Draft law: A little progress")
    assert shown is not None and scan.blocks[shown].tag == "h1"  # dates and bylines are found around it


def test_site_name_behind_the_heading_is_left_out() -> None:
    head = '<meta property="og:title" content="What we do not want to hear about ourselves">'
    body = '<h1>What we do not want to hear about ourselves<span class="sr"> | EXAMPLE.NET</span></h1>'
    assert extract(page(head, body)).headline == "What we do not want to hear about ourselves"


def test_dash_inside_the_headline_stays_when_the_title_has_more_parts() -> None:
    html = page(body="<h1>Dog scares off burglar – police appeal</h1>").replace(
        "<title>T</title>", "<title>Dog scares off burglar – police appeal – City Press</title>"
    )
    assert extract(html).headline == "Dog scares off burglar – police appeal"


def test_declared_title_keeps_its_dashes_without_a_usable_heading() -> None:
    head = (
        '<meta property="og:title" content="Mint as a comfort – a report from a Turkish jail">'
        '<meta property="og:site_name" content="City Radio">'
    )
    html = page(head).replace("<title>T</title>", "<title>Mint as a comfort – a report | City Radio</title>")
    assert extract(html).headline == "Mint as a comfort – a report from a Turkish jail"


def test_domain_name_in_front_of_the_title_is_the_site() -> None:
    html = page().replace("<title>T</title>", "<title>mediasite.de // » Jane Weber</title>")
    assert extract(html).headline == "Jane Weber"


def test_h1s_only_in_the_footer_yield_to_the_declared_title() -> None:
    head = '<meta property="og:title" content="World championships postponed">'
    html = page(head, "<h2>Federation report</h2>").replace(
        "<footer>© Site</footer>", "<footer><h1>Partners</h1><h1>Imprint</h1></footer>"
    )
    assert extract(html).headline == "World championships postponed"


def test_the_declared_title_in_an_h2_wins_inside_a_wrapper_named_like_navigation() -> None:
    # a page whose whole layout sits in a menu-named wrapper; the h1 is the short title of <title>
    head = (
        "<title>Decorating Mistakes | Home Site</title>"
        '<meta property="og:title" content="The 5 Biggest Decorating Mistakes and How to Solve Them">'
    )
    body = (
        '<div id="shared-nav-outer"><article><header><h1>Decorating Mistakes</h1>'
        "<h2>The 5 Biggest Decorating Mistakes and How to Solve Them</h2></header>"
        f"{paragraphs(3)}</article></div>"
    )
    html = f"<html><head>{head}</head><body>{body}</body></html>"
    assert extract(html).headline == "The 5 Biggest Decorating Mistakes and How to Solve Them"


def test_a_double_hyphen_separates_the_site_name_in_the_title() -> None:
    # the logo's h1 is the site's name, which the <title> puts behind "--" (an ASCII dash)
    html = page("", '<h1><a href="/">City Paper</a></h1>').replace(
        "<title>T</title>", "<title>Budget approved after a long night -- City Paper</title>"
    )
    assert extract(html).headline == "Budget approved after a long night"


def test_h1s_only_in_a_widget_yield_to_the_title_when_nothing_is_declared() -> None:
    html = page("", "<p>Press release</p>").replace(
        "<title>T</title>", "<title>New thin keyboards in six models</title>"
    ).replace("<footer>© Site</footer>", '<footer><div class="widget"><h1>Original text</h1></div></footer>')
    assert extract(html).headline == "New thin keyboards in six models"


def test_a_declared_title_that_is_the_sites_name_is_passed_over() -> None:
    head = (
        '<meta property="og:site_name" content="Sports.fr">'
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Sports.fr"}</script>'
        '<meta property="og:title" content="Lorient vs Olympique Lyonnais">'
    )
    assert extract(page(head, "<h2>Match en direct</h2>")).headline == "Lorient vs Olympique Lyonnais"


def test_post_title_in_an_h3_beats_the_blog_name_in_the_h1() -> None:
    head = '<meta property="og:title" content="LabName privacy policy">'
    body = "<h1><a href='/'>privacy policy</a></h1><h2>5 June 2018</h2><h3>LabName privacy policy</h3>"
    assert extract(page(head, body)).headline == "LabName privacy policy"


def test_the_heading_that_shows_a_declared_headline_behind_a_kicker_is_found() -> None:
    html = page(
        body="<h2>Most read</h2><h1><span>Distance rules</span> <span>How firms protect staff</span></h1>"
    )
    scan = scan_page(parse_html(html))
    index = headline_block(scan, "How firms protect staff")
    assert index is not None and scan.blocks[index].tag == "h1"
    assert headline_block(scan, "protect staff") is not None
    assert headline_block(scan, "firms protect staff and more") is None


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


def test_a_site_name_field_filled_with_the_headline_does_not_hide_the_headline() -> None:
    title = "Veteran wraps baby in flag, photo sparks controversy"
    head = (
        f'<meta name="application-name" content="{title}"><meta property="og:title" content="{title}">'
        '<meta property="og:site_name" content="Portal">'
    )
    body = f'<div class="show-title"><h1>Morning Show</h1></div><h1 class="headline">{title}</h1>'
    assert extract(page(head, body)).headline == title


def test_a_korean_title_separated_by_the_jamo_bar_loses_its_site_name_but_keeps_its_hyphen() -> None:
    # Korean sites separate the site's name with "ㅣ" (a lone vowel letter that looks like a bar);
    # the hyphen of "북-러" (North Korea–Russia) is the headline's own.
    html = page(
        '<meta property="og:title" content="북-러 군사협력 확대 우려ㅣ한국일보">'
        '<meta property="og:site_name" content="한국일보">',
        lang="ko",
    ).replace("<title>T</title>", "<title>북-러 군사협력 확대 우려ㅣ한국일보</title>")
    assert extract(html).headline == "북-러 군사협력 확대 우려"


def test_the_separator_a_heading_hides_for_screen_readers_is_read_with_it() -> None:
    """"Kicker<span class='visually-hidden'>:</span> Title": the colon is the heading's, hidden
    from sight only; other hidden words in a heading stay out."""
    title = "Eskalation im Nordatlantik: „Wenn die Ozeane überhitzen“"
    body = (
        "<h1><span class='kicker'>Eskalation im Nordatlantik</span><span class='visually-hidden'>:</span>"
        " <span class='title'>„Wenn die Ozeane überhitzen“</span><span class='sr-only'>Video</span></h1>"
    )
    assert extract(page(body=body)).headline == title
    head = f'<meta property="og:title" content="{title}">'
    assert extract(page(head, body)).headline == title


def test_an_h1_below_a_video_box_that_opens_the_article_is_the_headline() -> None:
    """A video box titled "Headline | Show" opens the article's container above its h1: the h1
    that is the declared title wins, and the box's title is not body text either."""
    video = (
        '<script type="application/ld+json">{"@type":"VideoObject","name":"Budget approved | City TV",'
        '"headline":"Budget approved | City TV"}</script>'
    )
    head = f'<meta property="og:title" content="Budget approved">{video}'
    body = (
        "<div class='story'><div class='player'><h2>Budget approved | City TV</h2><p>02:57 min</p></div>"
        f"<h1>Budget approved</h1>{paragraphs(4)}</div>"
    )
    article = extract(f"<html><head>{head}</head><body>{body}</body></html>")
    assert article.headline == "Budget approved"
    assert "City TV" not in article.body and "Part 3." in article.body
