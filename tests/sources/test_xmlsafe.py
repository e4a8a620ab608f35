"""The one XML parser for untrusted listings: entities and the network stay off, names are local."""

from __future__ import annotations

from newswatch.sources.xmlsafe import child_text, children, local, parse_xml


def test_internal_entities_are_not_expanded() -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "EXPANDED">]><r><t>&e;</t></r>'
    root = parse_xml(doc)
    assert root is not None
    assert "EXPANDED" not in "".join(root.itertext())


def test_external_entities_are_not_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r><t>&x;</t></r>'
    root = parse_xml(doc.encode())
    assert root is not None and "TOP-SECRET" not in "".join(root.itertext())


def test_not_xml_is_none() -> None:
    assert parse_xml(b"") is None
    assert parse_xml(b"   \n") is None
    assert parse_xml(b"just words, no markup") is None


def test_leading_whitespace_before_the_declaration_is_accepted() -> None:
    root = parse_xml(b'\n  <?xml version="1.0"?><rss><channel/></rss>')
    assert root is not None and local(root) == "rss"


def test_names_are_local_and_lower_case_in_any_namespace() -> None:
    root = parse_xml(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="urn:n">'
        b"<url><LOC> https://a.test/1 </LOC><n:title></n:title><n:title>Two</n:title></url>"
        b"<url><loc>https://a.test/2</loc></url></urlset>"
    )
    assert root is not None
    urls = children(root, "url")
    assert [local(u) for u in urls] == ["url", "url"]
    assert child_text(urls[0], "loc") == "https://a.test/1"
    assert child_text(urls[0], "title") == "Two"  # the first non-empty one
    assert child_text(urls[1], "title", "loc") == "https://a.test/2"  # names tried in order
    assert child_text(urls[1], "missing") is None
