"""Article links on a section page: absolute, fragment-free, matching, in page order, once each."""

from __future__ import annotations

from newswatch.sources.sections import section_links

PAGE_URL = "https://news.test/world/"
PATTERN = r"/\d{4}/\d{2}/"


def test_matching_links_are_absolute_deduplicated_and_in_page_order() -> None:
    html = """<html><body>
      <a href="/2024/03/b-story">B</a>
      <a href="2024/03/relative">relative to the section</a>
      <a href="https://news.test/2024/03/a-story#comments">A, with a fragment</a>
      <a href="/2024/03/b-story">B again</a>
      <a href="/about">not an article</a>
    </body></html>"""
    assert section_links(html, PAGE_URL, PATTERN) == [
        "https://news.test/2024/03/b-story",
        "https://news.test/world/2024/03/relative",
        "https://news.test/2024/03/a-story",
    ]


def test_base_href_sets_where_relative_links_point() -> None:
    html = '<html><head><base href="https://cdn.news.test/x/"></head><body><a href="2024/05/s">s</a>'
    assert section_links(html, PAGE_URL, PATTERN) == ["https://cdn.news.test/x/2024/05/s"]


def test_non_http_and_broken_links_are_dropped() -> None:
    html = """<a href="javascript:go('/2024/01/x')">js</a><a href="mailto:a@news.test?s=/2024/01/">m</a>
      <a href="http://[::1/2024/01/broken">broken</a><a href="ftp://news.test/2024/01/f">ftp</a>"""
    assert section_links(html, PAGE_URL, PATTERN) == []


def test_empty_page_has_no_links() -> None:
    assert section_links("  \n", PAGE_URL, PATTERN) == []
