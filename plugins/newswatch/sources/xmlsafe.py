"""One way to parse untrusted XML (feeds, sitemaps): no entities, no network, no huge trees.

``resolve_entities=False`` keeps billion-laughs and external-entity (XXE) documents inert,
``no_network`` stops DTD/XInclude fetches, ``huge_tree=False`` keeps libxml2's depth and text
limits. ``recover`` accepts the small errors real feeds have (a stray ``&``) but still yields
``None`` for documents that are not XML at all.
"""

from __future__ import annotations

from lxml import etree


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(body: bytes) -> etree._Element | None:
    """The document's root element, or None when ``body`` holds no usable XML."""
    if not body.strip():
        return None
    try:
        root = etree.fromstring(body.lstrip(), parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def local(element: etree._Element) -> str:
    """An element's tag without namespace, lower-cased ('' for comments and the like)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child) == name]


def child_text(element: etree._Element, *names: str) -> str | None:
    """The stripped text of the first child with one of ``names`` (any namespace)."""
    for name in names:
        for child in element:
            if local(child) == name:
                text = "".join(child.itertext()).strip()
                if text:
                    return text
    return None
