"""JSON-LD: objects from graphs, lists and mainEntity; broken blocks skipped; article objects first."""

from __future__ import annotations

from newswatch.extract.jsonld import article_objects, first_string, parse_objects, types_of


def test_graph_list_and_main_entity_members_are_all_found_and_broken_json_is_skipped() -> None:
    blocks = [
        '{"@graph": [{"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "A"}},'
        ' {"@type": "Organization", "name": "Org"}]}',
        '[{"@type": ["https://schema.org/ReportageNewsArticle"], "headline": "B"}]',
        "{not json",
    ]
    objects = parse_objects(blocks)
    assert {first_string(o.get("headline")) for o in objects} >= {"A", "B"}
    assert [first_string(o.get("headline")) for o in article_objects(objects)][:2] == ["A", "B"]
    assert types_of({"@type": ["https://schema.org/NewsArticle", 3]}) == {"newsarticle"}


def test_first_string_reads_strings_lists_objects_and_numbers() -> None:
    assert first_string(["", {"name": " Jane "}]) == "Jane"
    assert first_string({"@value": "2024-06-19"}) == "2024-06-19"
    assert first_string(2024) == "2024" and first_string(True) is None and first_string(None) is None


def test_json_wrapped_in_comments_or_cdata_sections_is_read() -> None:
    wrapped = [
        '<!-- {"@type": "NewsArticle", "headline": "A"} -->',
        '//<![CDATA[\n{"@type": "NewsArticle", "headline": "B"}\n//]]>',
        '<![CDATA[\n{"@type": "NewsArticle", "headline": "C"}\n]]>',
        '/*<![CDATA[*/{"@type": "NewsArticle", "headline": "D"}/*]]>*/',
    ]
    assert [first_string(o.get("headline")) for o in parse_objects(wrapped)] == ["A", "B", "C", "D"]
