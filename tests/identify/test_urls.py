"""URL identity: every spelling of one story URL gives one key; hints are trusted only when sane."""

import pytest
from newswatch.identify.urls import canonicalize_url, choose_canonical, outlet_of, site_of

SAME_STORY = [
    "https://example.com/world/story-123",
    "http://example.com/world/story-123",
    "https://www.example.com/world/story-123/",
    "https://m.example.com/world/story-123",
    "https://EXAMPLE.com:443/world/story-123#comments",
    "https://example.com/world/story-123?utm_source=twitter&utm_medium=social",
    "https://example.com/world/story-123?fbclid=IwAR0abc&gclid=xyz",
    "https://example.com/world/story-123/amp",
    "https://amp.example.com/world/story-123",
    "https://example.com/amp/world/story-123",
    "https://example.com/world/story-123?amp=1",
    "https://example.com//world//story-123",
]


@pytest.mark.parametrize("url", SAME_STORY)
def test_spellings_of_one_story_share_a_key(url: str) -> None:
    assert canonicalize_url(url) == "https://example.com/world/story-123"


def test_meaningful_query_parameters_survive_in_a_stable_order() -> None:
    assert (
        canonicalize_url("https://example.com/a?id=7&page=2&utm_x=1") == "https://example.com/a?id=7&page=2"
    )
    assert canonicalize_url("https://example.com/a?page=2&id=7") == canonicalize_url(
        "https://example.com/a?id=7&page=2"
    )


def test_different_stories_stay_different() -> None:
    assert canonicalize_url("https://example.com/a/1") != canonicalize_url("https://example.com/a/2")
    assert canonicalize_url("https://example.com/a?id=1") != canonicalize_url("https://example.com/a?id=2")
    assert canonicalize_url("https://one.com/a") != canonicalize_url("https://two.com/a")


def test_amp_html_suffix_and_non_default_port() -> None:
    assert canonicalize_url("https://example.com/news/x.amp.html") == "https://example.com/news/x.html"
    assert canonicalize_url("http://example.com:8080/x") == "https://example.com:8080/x"


def test_canonical_hint_on_the_same_site_wins() -> None:
    chosen = choose_canonical("https://example.com/x?utm_source=a", "https://www.example.com/x2", "/story/x")
    assert chosen == "https://example.com/story/x"
    assert choose_canonical("https://news.bbc.co.uk/a", None, "https://www.bbc.co.uk/news/a") == (
        "https://bbc.co.uk/news/a"
    )


@pytest.mark.parametrize(
    "hint",
    ["https://evil.example.net/x", "https://example.com/", "javascript:alert(1)", "ftp://example.com/x", ""],
)
def test_untrustworthy_hints_are_ignored(hint: str) -> None:
    assert choose_canonical("https://example.com/news/1", None, hint) == "https://example.com/news/1"


def test_redirect_target_is_used_without_a_hint() -> None:
    assert choose_canonical("https://t.example.com/abc", "https://example.com/news/1/", None) == (
        "https://example.com/news/1"
    )


def test_site_and_outlet() -> None:
    assert site_of("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert site_of("https://edition.cnn.com/x") == "cnn.com"
    assert outlet_of("https://www.reuters.com/world/x") == "reuters.com"


def test_link_keeps_the_published_address_while_the_key_folds_it() -> None:
    from newswatch.identify.urls import choose_canonical, choose_link

    url = "http://www.example.com/world/story-1?utm_source=feed#top"
    assert choose_link(url, None, None) == "http://www.example.com/world/story-1?utm_source=feed"
    assert choose_canonical(url, None, None) == "https://example.com/world/story-1"
    hinted = choose_link(url, None, "http://www.example.com/world/story-1")
    assert hinted == "http://www.example.com/world/story-1"
