"""Authors from JSON-LD, meta tags, microdata and the visible byline, cleaned into a list of names.

Bylines are messy ("By Jane Doe and John Roe, Reuters | Updated 3 hours ago"), so each source's
raw strings go through one cleanup: drop the "By" word, split on conjunctions and separators,
drop dates, e-mail addresses, URLs and job titles, de-duplicate case-insensitively.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from newswatch.extract.jsonld import article_objects, types_of
from newswatch.extract.scan import Scan
from newswatch.extract.text import comparable, squash
from newswatch.extract.tuning import TUNING

# A byline record whose first two items are its text and the index of the block it sits at.
_Placed = TypeVar("_Placed", bound=tuple[Any, ...])

AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
    "article.author",
    "cxenseparse:author",
    "author_name",
)
_BY = re.compile(
    r"^(?:(?:written|posted|reported|published|text|story|words|photos?|veröffentlicht|eingestellt|"
    r"geschrieben|verfasst|publié|publicado|pubblicato)\s+(?:am\s+|on\s+|le\s+)?)?"
    r"(?:by|von|par|por|di|door|av|af|от|автор|текст|text|texte|autor|autorzy|autoři|auteur|author|"
    r"written by|escrito por|skrevet af|skrevet av|geschreven door|napsal[a]?|kirjoittanut|kirjoittaja|"
    r"yazar|oleh)\b"
    r"\s*[:\-]?\s*"
    # Chinese and Japanese bylines put the label in front: "记者 王小明", "作者：王小明", "文／王小明".
    r"|^(?:(?:记者|記者|作者|撰文|撰稿|投稿者|執筆者|筆者|著者)\s*[:：/／|｜]?|文\s*[:：/／|｜])\s*",
    re.I,
)
# A reporter's title behind the name, as Korean, Chinese and Japanese bylines write it ("홍길동 기자").
_TITLE_AFTER = re.compile(
    r"\s*(?:선임기자|객원기자|인턴기자|기자|특파원|논설위원|记者|記者|特派员|特派員|通讯员)$"
)
# Weekdays: a date line's first word, run into the name before it ("By Bryan Walsh Tuesday, Aug. 23").
_WEEKDAYS = frozenset(
    "montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday wednesday thursday "
    "friday saturday sunday".split()
)
# Words that are never a name on their own (a lone "By", a weekday from a date line).
_NOT_A_NAME = _WEEKDAYS | frozenset(
    "by von par por di door av de the and und et veröffentlicht am eingestellt".split()
)
_SPLIT = re.compile(
    # Not Dutch "en": it is "in" in Spanish and French ("envoyé spécial en Ukraine").
    r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\b[yei]\b(?!\.)|\bи\b|\bі\b|\bта\b|\bog\b|\boch\b|\bve\b|"
    r"、|，|•|·)\s*",
    re.I,
)
_NOT_NAME = re.compile(
    r"\d|@|https?:|www\.|\.com\b|updated|published|min read|minutes? ago|hours? ago|staff writer|"
    r"correspondent|reporter|editor|contributor|columnist|follow|twitter|facebook|e-?mail|share|"
    r"photograph|translat|übersetz|翻訳|翻译|译者|getty images|istockphoto|shutterstock|"
    r"^more\b|^view\b|^see\b|^read\b|^about\b|^all\b|^posts?\b|^articles?\b|\*|\bsays$|"
    # a question or a call ("Sie haben einen Fehler gefunden?"), an address written out, a label
    r"[?!]$|\[at\]|\(at\)|\bsponsored\b|^(?:wordpress)?admin(?:istrator)?$|"
    # a link to the writer's page labelled as one ("→ Learn More", "mehr")
    r"\blearn more\b|^(?:more|mehr|plus|más|meer)$",
    re.I,
)
# A note in brackets after a name: the writer's initials, bureau or agency ("Jo Bloggs (jb)",
# "Cécile Ducourtieux (Bruxelles, bureau européen)"), not a name, and its commas separate nothing;
# unless it names co-writers ("Jo Bloggs (with Ann Roe)").
_BRACKETED = re.compile(r"(?<=\S)\s*[(（]([^()（）]*)[)）]")
_WITH = re.compile(r"^\s*(?:with|avec|mit|con|com|met|med)\s+", re.I)
_ROLE_SUFFIX = re.compile(r"\s*[,(–-]\s*(?:senior|chief|staff|political|deputy|associate|special).*$", re.I)
# A picture's credit line ("Image: Getty Images", "Foto: Bild: SN / APA"): every name in it is a
# photographer's or an agency's.
_CREDIT = re.compile(r"^(?:image|photo|foto|bild|picture|credit)s?\s*:", re.I)
# Degrees and licences written after a name ("Lauren Manaker MS, RDN, LD"): not names, nor part of one.
_CREDENTIALS = frozenset(
    "PhD Ph.D Ph.D. MD M.D M.D. MS M.S MSc MA M.A BA BSc RD RDN LD LDN CDN CDE CPT RN BSN MSN NP MPH "
    "MBA DO DDS DMD JD PsyD EdD LCSW DVM CSCS FACP FAAP MFA".split()
)
# A staff title run into the name with no separator ("Howard Blume Staff Writer").
_STAFF_TITLE = re.compile(
    r"(?<=\w)\s+(?:staff|senior|contributing|special|chief|associate)\s+"
    r"(?:writer|reporter|editor|correspondent|columnist)s?$",
    re.I,
)
_MAX_NAME_WORDS = 5
# Where and when a byline goes on after the name ("… in Valve on 1 June 2019 at 08:34 PM").
_PLACE_AFTER = re.compile(r"\s+(?:in|on|at)\s+")
# A line that is only a label and a capitalised name or two ("By Jo Bloggs and Ann Roe", "von J.R.
# Stone"), looked for this many blocks under the headline when no markup marks the byline.
_CAPITALISED = r"[^\W\d_a-z][\w'’.-]*"
_PLAIN_NAME = rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,3}}"
_PLAIN_BYLINE = re.compile(
    rf"^(?i:by|von|par|por|door|av|af|di)\s+"
    rf"({_PLAIN_NAME}(?:(?:\s*[,&]\s*|\s+(?i:and|und|et|y|e)\s+){_PLAIN_NAME})*)$"
)
_PLAIN_BYLINE_WINDOW = 3
# The same name after a "Text:" label, a magazine's credit line.
_TEXT_CREDIT = re.compile(rf"^(?i:text|texte|tekst|words)\s*:\s*({_PLAIN_NAME})$")
# The publisher's collective credit after its name ("Us Weekly Staff", "BR24 Redaktion").
_STAFF_CREDIT = re.compile(
    r"\s+(?:staff|team|editors|editorial team|newsroom|news desk|desk|"
    r"redaktion|rédaction|redacción|redazione)$",
    re.I,
)
# A sentence about the writer ("Saima Sidik is a science journalist based in …"), not a byline.
_BIO = re.compile(r"\s(?:is|was|ist|war|est|es|è)\s+(?:an?|the|ein|eine|un|une|una|uno)?\s*\w+", re.I)
# A user name or URL slug written where a name belongs ("chuck-ross", "edilson.la.rosa").
_HANDLE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)+")
# Byline elements this many blocks before / after the headline are the article's.
_BYLINE_BEFORE, _BYLINE_AFTER = 5, 25
# Byline elements this many blocks apart belong to one byline (further down, another story's).
_BYLINE_SPREAD = 1
_LINKS = re.compile(r"\S+://\S*|\S+@\S+|www\.\S+")
_TAG = re.compile(r"<[^>]*>")
# Shortest structured-data text about an author that is matched against the body, and how much of a
# long one must match (the page may cut the bio or add a link after it).
_MIN_PROFILE_CHARS, _PROFILE_PREFIX = 6, 60


def _json_ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [name for item in value for name in _json_ld_names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            # ", The Daily Journal": a template's empty name slot before the publication's name
            return [] if name.lstrip()[:1] in (",", ";", "|") else [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [f"{given} {family}"]
    return []


def _bracket_note(match: re.Match[str]) -> str:
    """A bracketed note after a name, dropped; co-writers it names are kept as names, and a note
    that could not be a name (a URL, a date) is kept so that the name it belongs to is refused."""
    note = match.group(1)
    if _WITH.match(note):
        return ", " + _WITH.sub("", note)
    return match.group(0) if _NOT_NAME.search(note) else ""


def clean_names(raw: list[str]) -> list[str]:
    """Person or organisation names out of raw byline strings, de-duplicated, in order."""
    names: list[str] = []
    seen: set[str] = set()
    for text in raw:
        text = _BY.sub("", squash(_LINKS.sub(" ", text)))
        if _CREDIT.match(text):
            continue
        text = _ROLE_SUFFIX.sub("", _BRACKETED.sub(_bracket_note, text))
        for part in map(_name_part, _SPLIT.split(text)):
            if (
                not part
                or all(word in _NOT_A_NAME for word in part.casefold().split())
                or _NOT_NAME.search(part)
                or len(part.split()) > _MAX_NAME_WORDS
                or len(part) < 2
            ):
                continue
            key = part.casefold()
            if key not in seen:
                seen.add(key)
                names.append(part)
    return names[: TUNING.max_authors]


def _name_part(part: str) -> str:
    """One part of a byline without its label, reporter title, a staff title run into it, the
    degrees after it and the weekday the date line after it opens with ("Jo Bloggs Staff Writer",
    "Jo Bloggs MS", "Jo Bloggs Tuesday"); "" when nothing is left."""
    part = _TITLE_AFTER.sub("", _BY.sub("", part).strip()).strip(" .:-–—\"'()[]")
    place = _PLACE_AFTER.search(part)
    if place and len(part[: place.start()].split()) >= 2:
        part = part[: place.start()]  # "Jo Bloggs in Politics on 1 June 2019": the section and date
    named = _STAFF_TITLE.sub("", part)
    words = (named if len(named.split()) >= 2 else part).split()  # "Guardian staff reporter" names no one
    while words and (words[-1] in _CREDENTIALS or (len(words) > 1 and words[-1].casefold() in _WEEKDAYS)):
        words.pop()
    return " ".join(words)


def from_json_ld(objects: list[dict[str, Any]]) -> list[str]:
    for obj in article_objects(objects):
        names = clean_names(_json_ld_names(obj.get("author") or obj.get("creator")))
        if names:
            return names
    return []


def from_meta(scan: Scan) -> list[str]:
    """The names of the first author field; when the fields disagree, the first whose names the
    visible byline shows (``author`` may name the publishing house, ``article:author`` the writer)."""
    found: list[list[str]] = []
    for key in AUTHOR_META:
        names = clean_names([content for k, content in _author_metas(scan) if k == key])
        if names:
            found.append(names)
    if len(found) > 1:
        shown = comparable(" ".join(text for text, *_ in scan.bylines))
        for names in found:
            if all(comparable(name) in shown for name in names):
                return names
    return found[0] if found else []


def _author_metas(scan: Scan) -> list[tuple[str, str]]:
    """The author meta fields (key, value) that hold a name, not a profile URL."""
    return [(k, content) for k, content in scan.metas if k in AUTHOR_META and not content.startswith("http")]


def from_page(scan: Scan, anchor: int | None = None) -> list[str]:
    """Names from microdata, then from byline elements (those near the headline first; a byline
    box often carries a class that also marks boilerplate, so position decides, not the class).
    Only the first byline counts (the elements at its place), in microdata too: bylines further
    down head related stories, teaser cards, quotes and comments. Its name element (a rel=author
    link, an "author-name") wins over its whole text when that text, read as names, misses it: the
    box also held a title or a date."""
    marked = [(value, at) for prop, value, at in scan.itemprops if prop in ("author", "creator")]
    names = clean_names([value for value, _ in _at_first_place(marked)])
    if names:
        return names
    near = []
    if anchor is not None:
        near = [
            (text, at, name)
            for text, at, _, name in scan.bylines
            if anchor - _BYLINE_BEFORE <= at <= anchor + _BYLINE_AFTER
        ]
    named = clean_names([text for text, _, _ in _at_first_place([b for b in near if b[2]])])
    around = clean_names([text for text, _, name in near if not name][:2])
    if named and not {n.casefold() for n in named} <= {n.casefold() for n in around}:
        return named  # the byline read as a whole misses its name: it also held a title or a date
    first = [text for text, _, _ in _at_first_place(near)]
    first = list(dict.fromkeys(_without_bios(first)))  # nested elements repeat a text
    labelled = [text for text in first if _BY.match(squash(text))]  # "By …", "von …": the byline itself
    return (
        clean_names((labelled or first)[:2])
        or clean_names(_without_bios([text for text, _, neg, _ in scan.bylines if not neg])[:2])
        or _plain_byline(scan, anchor)
        or _text_credit(scan)
    )


def is_plain_byline(text: str) -> bool:
    """Whether a line is only a byline: "By"/"von"/"par"… and a capitalised name or two."""
    return _PLAIN_BYLINE.match(text.strip()) is not None


def _plain_byline(scan: Scan, anchor: int | None) -> list[str]:
    """A byline no markup names: a short line just under the headline that is only "By"/"von"
    and a name written as names are ("von Alexander Rosenkranz"; not "By the numbers")."""
    if anchor is None:
        return []
    under = scan.blocks[anchor + 1 : anchor + 1 + _PLAIN_BYLINE_WINDOW]
    return _credited((block.text for block in under), _PLAIN_BYLINE)


def _text_credit(scan: Scan) -> list[str]:
    """The writer's credit line magazines set under the story, beside the photographer's
    ("Text: Klausmartin Friedrich" / "Fotos: …"), when nothing else names the writer."""
    labelled = (block.text for block in scan.blocks if block.neg_depth < 0 and ":" in block.text)
    return _credited((line for text in labelled for line in text.split("\n")), _TEXT_CREDIT)


def _credited(lines: Iterable[str], credit: re.Pattern[str]) -> list[str]:
    """The names of the first line that is nothing but a credit (its first group holds them)."""
    for line in lines:
        match = credit.match(line.strip())
        if match:
            return clean_names([match.group(1)])
    return []


def _without_bios(texts: list[str]) -> list[str]:
    """Byline texts without the writer's bio ("Saima Sidik is a science journalist based in …")."""
    return [text for text in texts if not _BIO.search(text)]


def _at_first_place(bylines: list[_Placed]) -> list[_Placed]:
    """The byline elements (text, block index, …) at the first one's place (co-writers share a
    line); further down, names head related stories, live-blog entries and comments."""
    return [b for b in bylines if b[1] - bylines[0][1] <= _BYLINE_SPREAD] if bylines else []


def _only_organisations(objects: list[dict[str, Any]], names: list[str], sites: set[str]) -> bool:
    """Whether the structured authors are just the publisher or its staff ("Us Weekly Staff"): the
    visible byline may name a person."""
    if all(_is_publisher(name, sites) for name in names):
        return True
    for obj in article_objects(objects):
        author = obj.get("author")
        people = author if isinstance(author, list) else [author]
        if people and all(isinstance(p, dict) and "organization" in types_of(p) for p in people):
            return True
        break
    return False


def find_authors(
    scan: Scan, objects: list[dict[str, Any]], anchor: int | None = None, sites: set[str] | None = None
) -> list[str]:
    """The credited authors, most trustworthy source first; a person in the byline beats an
    organisation in the metadata."""
    sites = sites or set()
    structured, in_meta = from_json_ld(objects), False
    if not structured or all(_HANDLE.fullmatch(name) for name in structured):
        meta = from_meta(scan)  # "chuck-ross" in JSON-LD, "Chuck Ross" in meta
        if meta:
            structured, in_meta = meta, True
    publisher = _only_organisations(objects, structured, sites) or (in_meta and _meta_is_site(scan, sites))
    if not structured or publisher:
        structured = from_page(scan, anchor) or structured
    return _without_publisher(_surname_first(structured, scan), sites)


def _meta_is_site(scan: Scan, sites: set[str]) -> bool:
    """Whether the author meta fields only repeat the site's name ("Jobs & Hire", which the name
    splitter reads as two people)."""
    values = [content for _, content in _author_metas(scan)]
    return bool(values) and all(_is_publisher(value, sites) for value in values)


def _is_publisher(name: str, sites: set[str]) -> bool:
    """Whether a credit is the site itself or its staff ("Us Weekly", "Us Weekly Staff")."""
    return comparable(_STAFF_CREDIT.sub("", name)) in sites


def _surname_first(names: list[str], scan: Scan) -> list[str]:
    """One writer filed surname first ("Gillman, Steve", as library and analytics fields write it)
    read as the two words of two names: one name when the byline shows it in reading order."""
    if len(names) != 2 or any(len(name.split()) != 1 for name in names):
        return names
    written = f"{names[1]} {names[0]}"
    shown = comparable(" ".join(text for text, *_ in scan.bylines))
    return [written] if re.search(rf"(?<!\w){re.escape(comparable(written))}(?!\w)", shown) else names


def _without_publisher(names: list[str], sites: set[str]) -> list[str]:
    """The writers without the site's own name listed beside them ("Jo Bloggs, Daily Example") or
    run into their name ("Jo Bloggs DAILY EXAMPLE"): the publisher is credited on every page; alone,
    it is all the credit there is and stays."""
    people = [_without_site_tail(name, sites) for name in names if comparable(name) not in sites]
    return list(dict.fromkeys(people)) or names


def _without_site_tail(name: str, sites: set[str]) -> str:
    words = name.split()
    for cut in range(2, len(words)):
        if comparable(" ".join(words[cut:])) in sites:
            head = " ".join(words[:cut]).strip(" .,:;|-–—").split()
            # a name of two words or more stays ("Recipe by", "Abu Dhabi -" are no names)
            if len(head) >= 2 and head[-1].casefold() not in _NOT_A_NAME:
                return " ".join(head)
    return name


def _people(obj: dict[str, Any]) -> list[dict[str, Any]]:
    people = [obj] if "person" in types_of(obj) else []
    for key in ("author", "creator"):
        value = obj.get(key)
        people += [p for p in (value if isinstance(value, list) else [value]) if isinstance(p, dict)]
    return people


def author_profiles(objects: list[dict[str, Any]]) -> set[str]:
    """What the page's structured data says about its authors (bio, job title), in comparable()
    form: the same text in the article's container is the author box under the story."""
    profiles: set[str] = set()
    for obj in objects:
        for person in _people(obj):
            for key in ("description", "jobTitle"):
                value = person.get(key)
                if isinstance(value, str):
                    text = comparable(html.unescape(_TAG.sub("", value)))
                    if len(text) >= _MIN_PROFILE_CHARS:
                        profiles.add(text)
    return profiles


def is_profile(text: str, profiles: set[str]) -> bool:
    """Whether a body block is one of the authors' profiles (or the start of a long one)."""
    if not profiles:
        return False
    key = comparable(text)
    if key in profiles:
        return True
    return len(key) >= _PROFILE_PREFIX and any(p.startswith(key[:_PROFILE_PREFIX]) for p in profiles)
