"""One walk over the parsed page that collects everything the extractors need.

BeautifulSoup is slow to traverse, so instead of many ``find_all`` calls (each a full walk in
Python) we visit every node once and record: meta tags, JSON-LD scripts, ``<time>`` elements,
microdata, byline candidates and the page flattened into text blocks, each block knowing its
ancestor containers (for content scoring) and whether a boilerplate container encloses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import RubyParenthesisString, RubyTextString

# Subtrees that never carry article text or metadata we read.
SKIP_TAGS = frozenset(
    {
        "style",
        "noscript",
        "svg",
        "iframe",
        "template",
        "button",
        "select",
        "input",
        "textarea",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "math",
        "head_",
        "option",
        "dialog",
    }
)
# Elements that start a new text block (the rest are inline and join the current block).
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "menu",
        "legend",
        "hgroup",
    }
)
# Block containers that are boilerplate by their very tag.
BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "figcaption", "figure", "menu", "dialog"})
# Containers whose class names say nothing about them (page-wide flags such as "gdpr-banner").
_NEVER_BOILERPLATE = frozenset({"html", "body", "main", "article"})
# Comment threads can hold more prose than the article: never rescued by their size.
# A word of its own ("comment-list", "commentlist", "disqus_thread"), not a feature flag such as
# "enableComments" on a page-wide wrapper.
# "commentary" is a kind of article (an opinion piece), not a thread.
# Cookie and consent banners ("avia-cookie-consent-wrap", "onetrust-consent-sdk", "modal_gdpr")
# explain a site's tracking in pages of prose that is never the article either.
_STRONG_NEGATIVE = re.compile(r"(?:^|[-_ ])(?:comment(?!ar)|disqus|repl(?:y|ies)\b|cookie|consent|gdpr)")
# class/id words of boilerplate containers, and words that rescue a container (readability's rule).
# "widget" is a sidebar's word, except in the Elementor page builder, which calls every block of a
# page a widget ("elementor-widget-container" holds the article's text).
_NEGATIVE = re.compile(
    r"share|sharing|social|related|newsletter|subscribe(?!r)|subscription|cookie|consent|comment(?!ar)|promo|advert|"
    r"(?:^|[-_ ])ads?(?:$|[-_ ])|sponsor|breadcrumb|sidebar|(?<!elementor-)widget|popup|modal|footer|"
    r"(?:^|[-_ ])nav|menu|masthead|byline|caption|credit|(?:^|[-_ ])tags?(?:$|[-_ ])|recommend|"
    r"more-?stories|read-?more|readmore|outbrain|taboola|paywall|signup|toolbar|banner|skip|"
    r"disclaimer|copyright|teaser|trending|popular|most-read|author-?(?:bio|box|info|description|card|profile)|about-?(?:the-?)?author|gallery|carousel|"
    r"rating|login|jump|follow|also-?read|see-?also|next-?article|pagination|cta|meta-?data",
)
# Overlays that no "content" in their class name makes an article ("pum-content popmake-content").
_OVERLAY = re.compile(r"popup|popmake|modal|lightbox|overlay|cookie|consent|newsletter|paywall")
# A class that denies a word ("not-a-paywall", "no-sidebar") says nothing of that word, and
# neither does a feature switch ("comments-enabled", "has-comments" on the article's wrapper).
_NEGATED = re.compile(
    r"(?<![a-z0-9])(?:not|non|no)[-_](?:an?[-_])?[a-z]+"
    r"|(?<![a-z0-9])(?:has|allow|enable|disable)[-_][a-z]+|(?<![a-z0-9])[a-z]+[-_](?:enabled|disabled|allowed)(?![a-z0-9])"
)
_OTHER_ARTICLES = re.compile(
    r"\S*(?:related|trending|popular|recommend|more|most|latest|similar|other)\S*"
    r"(?:articles|stories|posts|news|content)\S*"
)
_POSITIVE = re.compile(r"article|body|content|story|text|entry|post|main|prose|blog|news-?item")
# Classes that hide text from sight but leave it to screen readers.
_SCREEN_READER_CLASSES = frozenset({"visually-hidden", "sr-only", "screen-reader-text", "visuallyhidden"})
# Utility classes that mean display:none in the common CSS frameworks ("hidden-xs" does not), and
# the screen readers' own.
_HIDDEN_CLASSES = (
    frozenset({"hidden", "d-none", "hide", "is-hidden", "u-hidden", "invisible"}) | _SCREEN_READER_CLASSES
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# The separator a heading hides between its kicker and its title: punctuation, no words.
_SEPARATOR = re.compile(r"^\s*[:|/–—-]\s*$")
_GATED = re.compile(r"subscriber|premium|paywalled|member-only|locked-content", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BYLINE = re.compile(r"author|byline|writer|reporter|autor|auteur|journalist")
# The element inside a byline that holds just the name: the hCard "fn", an "author-name",
# "byline__name" or "authorName" class (the byline around it also holds titles, dates, links).
_NAME_CLASS = re.compile(
    r"(?:^|\s)(?:fn|(?:author|byline|writer|reporter|contributor|autor|auteur)s?(?:[-_]{0,2})name)(?:$|\s)"
)
# Attributes that name an element for the site's own tests and analytics ("prism-byline",
# "author-name"); pages whose class names are generated hashes still name their parts there.
_TEST_HOOKS = ("data-testid", "data-qa", "data-test", "data-test-id")
# A link to the writer's page on the site ("/author/jo-bloggs/", "/autoren/…", "/reporters/…");
# not "/people/", where sites keep topic pages about people.
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en)?|auteurs?|autore|autori|journalists?|editors?|reporters?)/[^/?#]+"
)
# Marks a <br> while text is collected (source newlines are just whitespace; a <br> is a line break).
_BR = "\ue000"
_DATE_PROPS = frozenset({"datepublished", "datemodified", "datecreated", "dateupdated", "uploaddate"})


@dataclass(slots=True)
class Block:
    """A paragraph-like run of text and where in the page it sits."""

    text: str
    tag: str
    # Element ids of the enclosing block containers, outermost first; the last one holds the text.
    stack: tuple[int, ...]
    # Position in ``stack`` of the deepest boilerplate container around the text, -1 for none.
    neg_depth: int
    link_chars: int
    # Of those, the characters of links to a place on the page itself ("#section"): a heading's
    # permalink or a table of contents, not a way out to another page.
    in_page_link_chars: int = 0


@dataclass(slots=True)
class Scan:
    """What the walk found."""

    title: str | None = None
    lang: str | None = None
    canonical: str | None = None
    metas: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[str] = field(default_factory=list)
    # (datetime attribute or text, block index at that point, inside boilerplate, attrs text)
    times: list[tuple[str, int, bool, str]] = field(default_factory=list)
    # (itemprop lower-cased, value, block index)
    itemprops: list[tuple[str, str, int]] = field(default_factory=list)
    # (text, block index, inside boilerplate, the element holds just a name: rel=author, "author-name")
    bylines: list[tuple[str, int, bool, bool]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # parent[element id] = the id of its enclosing block container (-1 at the top).
    parent: list[int] = field(default_factory=list)
    # Tag name of each block container.
    names: list[str] = field(default_factory=list)
    # Class attribute of each block container, lower-cased ("" for none).
    classes: list[str] = field(default_factory=list)
    # Element ids of boilerplate-looking containers: "strong" or "weak" (see boilerplate_kind).
    boilerplate: dict[int, str] = field(default_factory=dict)


def _attr_text(attrs: dict) -> str:
    cls = attrs.get("class")
    if isinstance(cls, list):
        cls = " ".join(cls)
    ident = attrs.get("id")
    if cls and ident:
        return f"{cls} {ident}"
    return cls or ident or ""


@lru_cache(maxsize=8192)
def _class_kind(text: str) -> str | None:
    """Boilerplate kind suggested by class/id text alone (pages repeat their class names a lot).
    The patterns are lower-case and matched without re.I, which is about three times faster."""
    text = _NEGATED.sub(" ", text.lower())
    if _STRONG_NEGATIVE.search(text):
        return "strong"
    if not _NEGATIVE.search(text):
        return None
    # "trending-articles", "related-content": a list of other articles, whose noun is no sign of
    # the article itself.
    positive = _POSITIVE.search(_OTHER_ARTICLES.sub(" ", text))
    return None if positive and not _OVERLAY.search(text) else "weak"


def names_boilerplate(text: str) -> bool:
    """Whether class/id text alone suggests boilerplate (see :func:`boilerplate_kind`)."""
    return _class_kind(text) is not None


def names_content(cls: str) -> bool:
    """Whether a class attribute names article content ("post-body", "article__text"), as opposed
    to layout ("row", "col-8") or nothing."""
    return bool(cls) and bool(_POSITIVE.search(cls.lower()))


@lru_cache(maxsize=8192)
def _is_byline_class(text: str) -> bool:
    return bool(_BYLINE.search(text.lower()))


@lru_cache(maxsize=8192)
def _is_name_class(text: str) -> bool:
    return bool(_NAME_CLASS.search(text.lower()))


def boilerplate_kind(name: str, attrs: dict) -> str | None:
    """ "strong" for comment threads and cookie banners, which can out-write the article and are
    never it; "weak" for navigation, footers, asides and containers whose class or id suggests
    sharing, related links and the like (a weak one that turns out to hold most of the page's prose
    is the article after all: unclosed tags put whole pages inside a <header>); None for the rest."""
    text = _attr_text(attrs)
    kind = _class_kind(text) if text else None
    if kind == "strong" and name not in _NEVER_BOILERPLATE:
        return "strong"
    if name in BOILERPLATE_TAGS:
        return "weak"
    role = attrs.get("role")
    if role in ("navigation", "complementary", "contentinfo", "banner", "dialog", "menu"):
        return "weak"
    if attrs.get("aria-hidden") == "true":
        return "weak"
    if name in _NEVER_BOILERPLATE:
        return None
    return kind


def _class_words(attrs: dict) -> list[str]:
    """The words of the class attribute (a string or, from some parsers, a list)."""
    cls = attrs.get("class")
    return cls.split() if isinstance(cls, str) else list(cls or ())


def is_hidden(attrs: dict) -> bool:
    """Whether the page hides the element from readers (attribute, inline style or utility class)."""
    if "hidden" in attrs:
        return True
    cls = attrs.get("class")
    if cls and _HIDDEN_CLASSES.intersection(_class_words(attrs)):
        return True
    style = attrs.get("style")
    if not (style and _HIDDEN_STYLE.search(style)):
        return False
    # Paywalled pages ship the subscriber's copy of the article hidden until a login reveals it.
    return not (cls and _GATED.search(cls if isinstance(cls, str) else " ".join(cls)))


class _Walker:
    """Holds the walk's state; :func:`scan_page` is the public entry."""

    def __init__(self, skip: frozenset[str] = SKIP_TAGS, read_hidden: bool = False) -> None:
        self.skip = skip
        self.read_hidden = read_hidden
        self.scan = Scan()
        self.stack: list[int] = []
        self.neg_depth = -1
        self.parts: list[str] = []
        self.link_chars = 0
        self.in_page_link_chars = 0
        self.in_link = 0
        self.in_page_link = 0
        self.block_tag = "body"

    def flush(self) -> None:
        if not self.parts:
            return
        raw = "".join(self.parts)
        self.parts = []
        if _BR in raw:
            lines = [" ".join(line.split()) for line in raw.split(_BR)]
            text = "\n".join(line for line in lines if line)
        else:
            text = " ".join(raw.split())
        if text:
            self.scan.blocks.append(
                Block(
                    text, self.block_tag, tuple(self.stack), self.neg_depth, self.link_chars,
                    self.in_page_link_chars,
                )
            )
        self.link_chars = 0
        self.in_page_link_chars = 0

    def line_break(self) -> None:
        """A ``<br>`` breaks the line; a second one in a row ends the block, as a paragraph's end
        (Readability's rule: older sites and forum software write paragraphs as runs of text
        between ``<br><br>``, which read as one block would weigh as one paragraph)."""
        for part in reversed(self.parts):
            if part == _BR:
                self.flush()
                return
            if part.strip():
                break
        self.parts.append(_BR)

    def text(self, value: str) -> None:
        self.parts.append(value)
        if self.in_link:
            chars = len(value.strip())
            self.link_chars += chars
            if self.in_page_link:
                self.in_page_link_chars += chars

    def head_element(self, name: str, tag: Tag) -> bool:
        """Record metadata-only elements; True when the element needs no further walk."""
        attrs = tag.attrs
        if name == "meta":
            key = (
                attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv")
            )
            content = attrs.get("content") or attrs.get("value")  # some templates write value=
            if key and content:
                if isinstance(key, list):
                    key = " ".join(key)
                self.scan.metas.append((key.strip().lower(), content.strip()))
            return True
        if name == "link":
            rel = attrs.get("rel")
            if rel and "canonical" in rel and attrs.get("href") and not self.scan.canonical:
                self.scan.canonical = attrs["href"].strip()
            return True
        if name == "script":
            kind = (attrs.get("type") or "").lower()
            if "ld+json" in kind:
                self.scan.json_ld.append(tag.get_text())
            return True
        if name == "title":
            if self.scan.title is None:
                self.scan.title = " ".join(tag.get_text().split())
            return True
        return False

    def element(self, tag: Tag) -> None:
        name = tag.name
        if name in self.skip or self.head_element(name, tag):
            return
        attrs = tag.attrs
        if attrs and not self.attributes(name, tag, attrs):
            self.hidden_json_ld(tag)
            return
        if name == "time":
            self.time(tag)
        if name == "br":
            self.line_break()
        elif name in BLOCK_TAGS:
            self.block(name, tag)
        elif name == "a":
            in_page = str(tag.attrs.get("href", "")).startswith("#")
            self.in_link += 1
            self.in_page_link += in_page
            self.children(tag)
            self.in_link -= 1
            self.in_page_link -= in_page
        elif name == "ruby":
            self.ruby(tag)
        else:
            self.children(tag)

    def attributes(self, name: str, tag: Tag, attrs: dict) -> bool:
        """Record what the attributes tell (microdata, dates, bylines); False for hidden elements."""
        if not self.read_hidden and is_hidden(attrs) and not self.spoken_separator(tag, attrs):
            return False
        prop = attrs.get("itemprop") or attrs.get("property")  # microdata or RDFa (schema:dateCreated)
        if prop:
            self.itemprop(prop, tag)
        rel = attrs.get("rel")
        href = attrs.get("href") if name == "a" else None
        to_writer = bool(rel and "author" in rel) or bool(href and _AUTHOR_PAGE.search(href))
        words = _attr_text(attrs) if "class" in attrs or "id" in attrs else ""
        for key in _TEST_HOOKS:  # where generated class names say nothing ("QHbl nkdH")
            hook = attrs.get(key)
            if isinstance(hook, str):
                words = f"{words} {hook}"
        if to_writer or (words and _is_byline_class(words)):
            self.byline(tag, to_writer or _is_name_class(words))
        return True

    def hidden_json_ld(self, tag: Tag) -> None:
        """JSON-LD inside a hidden element is still the page's metadata: some frameworks stream the
        head's scripts into a hidden <div> (Next.js's streamed content)."""
        for script in tag.find_all("script"):
            self.head_element("script", script)

    def spoken_separator(self, tag: Tag, attrs: dict) -> bool:
        """Whether a hidden element is the ": " a heading gives screen readers between its kicker
        and its title ("Kicker<span class='visually-hidden'>: </span>Title"): the heading's text
        reads as the publisher wrote it, not as the two run together."""
        if self.block_tag not in HEADING_TAGS:
            return False
        return bool(_SCREEN_READER_CLASSES.intersection(_class_words(attrs))) and bool(
            _SEPARATOR.match(tag.get_text())
        )

    def block(self, name: str, tag: Tag) -> None:
        self.flush()
        scan = self.scan
        ident = len(scan.parent)
        scan.parent.append(self.stack[-1] if self.stack else -1)
        scan.names.append(name)
        cls = tag.attrs.get("class")
        scan.classes.append((" ".join(cls) if isinstance(cls, list) else cls or "").lower())
        saved_neg, saved_tag = self.neg_depth, self.block_tag
        self.stack.append(ident)
        kind = boilerplate_kind(name, tag.attrs)
        if kind:
            scan.boilerplate[ident] = kind
            self.neg_depth = len(self.stack) - 1
        self.block_tag = name
        self.children(tag)
        self.flush()
        self.stack.pop()
        self.neg_depth, self.block_tag = saved_neg, saved_tag

    def ruby(self, tag: Tag) -> None:
        """A word with its reading set above it (<rt>). The reading is text only where the page
        spells out how to show it without ruby, in parentheses (<rp>): "尹錫悦（ユンソンニョル）",
        a name's reading the article gives. Readings over every word, for learners, come without
        <rp> and would break the text up ("韓国かんこく"), so they stay out."""
        if tag.find("rp") is None:
            self.children(tag)
            return
        for child in tag.contents:
            kind = type(child)
            if kind is NavigableString:
                self.text(child)
            elif kind is Tag:
                if child.name in ("rt", "rp"):
                    self.text(child.get_text(types=(RubyTextString, RubyParenthesisString, NavigableString)))
                else:
                    self.element(child)

    def children(self, tag: Tag) -> None:
        for child in tag.contents:
            kind = type(child)
            if kind is NavigableString:
                self.text(child)
            elif kind is Tag:
                self.element(child)

    def time(self, tag: Tag) -> None:
        value = tag.attrs.get("datetime") or tag.get_text(" ", strip=True)
        if value:
            attrs = " ".join(f"{k}={v}" for k, v in tag.attrs.items() if k != "datetime")
            self.scan.times.append((value.strip(), len(self.scan.blocks), self.neg_depth >= 0, attrs))

    def itemprop(self, prop: str | list, tag: Tag) -> None:
        props = prop if isinstance(prop, list) else prop.split()
        for one in props:
            key = one.rsplit(":", 1)[-1].lower()
            if key in _DATE_PROPS:
                value = tag.attrs.get("content") or tag.attrs.get("datetime") or tag.get_text(" ", strip=True)
            elif key in ("author", "creator", "headline", "name"):
                value = tag.attrs.get("content") or tag.get_text(" ", strip=True)
            else:
                continue
            if value:
                self.scan.itemprops.append((key, value.strip(), len(self.scan.blocks)))

    def byline(self, tag: Tag, name: bool) -> None:
        text = tag.get_text(" ", strip=True)
        if text and len(text) < 200:
            self.scan.bylines.append((text, len(self.scan.blocks), self.neg_depth >= 0, name))


def scan_page(soup: BeautifulSoup, with_noscript: bool = False, with_hidden: bool = False) -> Scan:
    """Walk the page once; see :class:`Scan` for what is collected. ``with_noscript`` also reads
    the <noscript> fallbacks, for pages that render the article by script; ``with_hidden`` also
    reads hidden elements, where streamed server rendering parks the page until a script shows it."""
    walker = _Walker(SKIP_TAGS - {"noscript"} if with_noscript else SKIP_TAGS, with_hidden)
    root = soup.find("html") if soup.contents else None
    if isinstance(root, Tag):
        lang = root.attrs.get("lang") or root.attrs.get("xml:lang")
        walker.scan.lang = lang.strip() if isinstance(lang, str) and lang.strip() else None
    walker.children(soup)
    walker.flush()
    return walker.scan


def scan_element(tag: Tag) -> Scan:
    """Walk one element (an override's selection) the same way as a whole page."""
    walker = _Walker()
    walker.element(tag)
    walker.flush()
    return walker.scan
