"""The article body by content scoring over the page's text blocks.

Readability's idea on the flattened page: each prose block (long enough, few links) scores its
enclosing containers, nearer ones more; the best container, discounted by its link density, is
the article. Its blocks become the body, minus boilerplate containers inside it (share bars,
related links, captions, newsletter boxes), link lists and short share/date/byline lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from newswatch.extract.authors import is_plain_byline
from newswatch.extract.dates.written import find_dates, is_relative_line, is_short_date_line
from newswatch.extract.scan import HEADING_TAGS, Block, Scan, names_boilerplate, names_content
from newswatch.extract.text import comparable
from newswatch.extract.tuning import TUNING, Tuning

_PUNCT = re.compile(r"[,.;:!?،。，、；！？]")
_SHARE_WORDS = frozenset(
    "bookmark share shares sharing whatsapp telegram facebook twitter x email e-mail linkedin reddit "
    "pinterest print copy link links comment comments save tweet messenger flipboard pocket tumblr xing "
    "vk line viber mail sms more close subscribe follow us on the this article story gift listen recommend "
    "teilen drucken speichern merken bei partager imprimer compartir imprimir condividi stampa".split()
)
_NOISE_LINE = re.compile(
    r"^(?:advertisement|anzeige|publicité|publicidad|werbung|реклама|广告|広告|광고|إعلان|"
    r"read more|read next|more:|related:|see also|also read|click here|sign up|subscribe|"
    r"share this|share on|image source|image caption|getty images|photo:|foto:|"
    r"(?:photograph|photo|picture|image|illustration)s? by\b|permalink|permalien|"
    r"\d[\d.,]*\s*[km]?\s*(?:views|aufrufe|vues|visitas|visualizzazioni|просмотр\w*)$|"
    r"\(?(?:keine|noch keine|no|\d+) (?:kommentare?|bewertungen|comments?|commentaires?)\b|"
    r"(?:the )?(?:article|story) continues (?:below|after)|"
    r"watch\s*:|more by\b|people are also reading|"
    r"\d+\s*(?:min(?:ute)?s?|minuten)\.?\s*(?:read|lesezeit|de lecture)\b)"
    # A line that is only an e-mail address or a link (the author's contact under the story).
    r"|^(?:[\w.+-]+@[\w-]+\.[\w.]+|(?:https?://)?(?:www\.)?[\w-]+\.[a-z]{2,}/\S*)$"
    r"|^(?:tags|topics|contribute|see|recommended|related(?: articles| stories)?|more|share|comments?|"
    r"advertisement|advert|advertising|sponsored|trending|explore further|loading|story stream|"
    r"recent articles|"
    # "Advertisement" alone on its line in further languages (a word that may also open a sentence).
    r"reklama|reklam|mainos|annonse|annons|annonce|advertentie|publicidade|διαφήμιση|hirdetés|reclamă|"
    r"iklan|оголошення)"
    r"\s*[:.…]*$"
    # A template placeholder left unrendered ("$$ARTICLEAD$$", "{{ad_slot}}", "%%AD%%").
    r"|^(?:\$\$|\{\{|%%)\s*[\w:.-]+\s*(?:\$\$|\}\}|%%)$"
    r"|^(?:abbildung|abb\.|bild|foto|photo|figure|fig\.|quelle|source|credit|crédit|fuente|beitragsbild|"
    r"titelbild|bildquelle|bildnachweis|originalartikel)\s*\d*\s*:",
    re.I,
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = frozenset(".!?。！？\"”»")
# A short line that pitches the site's newsletter or subscription, not the story's text.
_PROMO = re.compile(
    r"newsletter|sign(?:ing)? up (?:for|to)|subscribe to|(?:to|in) your inbox|abonnieren|inscrivez-vous|"
    r"suscr[ií]bete|iscriviti",
    re.I,
)
# The paywall's word on the story, not the story's: "Article réservé aux abonnés", "この記事は会員限定です。",
# "Already a subscriber? Sign in", "You are logged in".
_PAYWALL_NOTICE = re.compile(
    r"\balready an? (?:subscriber|member)\s*\?|\byou(?:'re|’re| are) already an? (?:subscriber|member)\b|"
    r"^(?:this (?:article|story|content) is )?(?:for )?(?:subscribers?|members?)[- ]only\b|"
    r"^(?:this (?:article|story|content) is )?exclusive(?:ly)? (?:for|to) (?:subscribers|members)\b|"
    r"^you are (?:now )?(?:logged|signed) in\b|"
    r"(?:article|contenu) réservé aux abonnés|(?:nur|exklusiv) für abonnenten|"
    r"(?:exclusivo|contenido) para suscriptores|riservato agli abbonati|только для подписчиков|"
    r"記事は(?:有料)?会員限定|有料会員限定",
    re.I,
)
# The editors' note on how the story was made, not its text: "With reporting by Jo Bloggs",
# "Includes information from The Associated Press", "This interview has been edited for clarity".
_EDITORS_NOTE = re.compile(
    r"^(?:with )?(?:additional )?reporting (?:by|from)\b|^includes (?:information|reporting) from\b|"
    r"\bcontributed (?:to )?(?:this )?(?:report(?:ing)?|story|article)\b|"
    r"\b(?:has|have) been (?:lightly )?(?:edited|condensed)(?: and (?:edited|condensed))? for\b|"
    r"\bopinions expressed\b.{0,80}\b(?:their own|do not|don't)\b",
    re.I,
)
# A photo credit on a line of its own: "Jo Bloggs/Agency/Getty Images", "Instagram / Jo Bloggs".
_CREDIT_LINE = re.compile(
    r"^[^\W\d][^/.!?:;]{0,40}(?:\s?/\s?[^\W\d][^/.!?:;]{0,40}){1,4}$|getty images|shutterstock", re.I
)
# A caption written into the text: "Plague can be easily vaccinated (Image: GETTY)".
# Also a credit closing the caption: "… launching in 2015. Credit: Microsoft", "Photo: Rockstar Games".
_CAPTION_END = re.compile(
    r"\((?:image|photo|picture|pic|credit|foto|bild)s?\s*:[^)]{1,60}\)\s*$|\s©\s*[^©.!?]{1,60}$|"
    r"(?:^|\s)(?:image|photo|picture|foto|bild)?s?\s?credits?\s*:\s*[^.!?:]{1,60}$|"
    r"(?:^|\s)(?:image|photo|picture|foto|bild|illustration)s?\s*(?::|by\s)\s*[^.!?:]{1,60}$",
    re.I,
)
# The share of a block's text inside links above which the block is a link, not text.
_ALL_LINK = 0.9
# Headings that start the list of other articles at the end of an article, in several languages.
_END_MARKER = re.compile(
    r"^(?:related|more (?:stories|from|news|on|articles)|read (?:more|also|next)|you (?:may|might) also|"
    r"recommended|also on|most (?:read|popular|viewed)|further reading|you might like|"
    r"weitere (?:top)?(?:themen|artikel|nachrichten|beiträge|informationen|\w*tipps|meldungen|links|videos)|"
    r"weiterführende (?:artikel|links)|quellen(?:angaben)?\s*:?$|"
    r"(?:articles|vidéos|audios et vidéos) sur le (?:même )?sujet|"
    r"meistgelesen|lust auf mehr|(?:das (?:thema )?)?könnte (?:sie|dich) (?:auch )?interessieren|"
    r"mehr zum thema|lesen sie (?:auch|mehr)|auch interessant|"
    r"à lire aussi|lire aussi|sur le même sujet|voir aussi|dans la même rubrique|noticias relacionadas|"
    r"(?:también )?te puede interesar|lea también|leggi anche|ti potrebbe interessare|potrebbe interessarti|"
    r"читайте также|смотрите также|相关(?:新闻|文章|阅读)|関連(?:記事|ニュース)|관련 ?기사|"
    r"اقرأ أيضا|مواضيع ذات صلة|"
    # The same headings in further languages (Ukrainian, Russian, Polish, Czech, Slovak, Portuguese,
    # Dutch, Scandinavian, Finnish, Turkish, Greek, Hungarian, Romanian, Croatian/Serbian, Indonesian).
    r"читайте також|дивіться також|по темі|по теме|czytaj (?:także|też|również)|zobacz (?:także|też|również)|"
    r"(?:přečtěte si|čtěte) (?:také|též)|související články|mohlo by vás zajímat|súvisiace články|čítajte aj|"
    r"leia (?:também|mais)|veja também|notícias relacionadas|lees (?:ook|meer)|gerelateerde artikelen|"
    r"läs (?:också|mer)|les (?:også|mer)|læs (?:også|mere)|relaterede artikler|lue myös|"
    r"ilgili haberler|benzer haberler|διαβάστε (?:επίσης|ακόμη)|kapcsolódó (?:cikkek|hírek)|"
    r"citește și|articole similare|pročitajte (?:i|još)|povezane vijesti|baca juga|berita terkait|"
    # A contact box closing a press release.
    r"(?:(?:presse)?kontakt|contact|media contact|ansprechpartner(?:in)?)\s*:?$)",
    re.I,
)
# The author's contact line under the story ("Jo Bloggs can be reached at jo@example.com", "Follow
# Deputy Editor Jo Bloggs on Instagram", "Write to Jo Bloggs at jo@example.com"): what follows it is
# the page's, not the article's.
_CONTACT_LINE = re.compile(
    r"\b(?:can|may) be (?:reached|contacted) (?:at|via|by)\b|"
    r"^\W*(?:write to|e-?mail|contact|reach) [^.!?]{0,80}?\bat [\w.+-]+@[\w-]+\.\w|"
    r"^\W*(?:follow|contact|email|e-mail|reach) [^.!?]{0,80}\b(?:on|at|via) (?:twitter|instagram|facebook|x|"
    r"threads|bluesky|linkedin|e-?mail)\b|"
    r"\b(?:e-?mail|contact)\s*:?\s*[\w.+-]+@[\w-]+\.[\w.]+\W*$",
    re.I,
)
# Class words of the container a page puts its opening paragraphs in, apart from the rest.
_INTRO_CLASS = re.compile(r"(?:^|[-_ ])(?:lead|lede|intro|summary|standfirst)(?:$|[-_ \d])")
# Words that open a meta line of dates, in several languages.
# "Written by", "By", "Von", "Par" before a name: a byline.
_WRITTEN_BY = re.compile(r"(?:^|\s)(?:written by|posted by|by|von|par|por|door|av)\s+\w", re.I)
_DATE_LINE_START = re.compile(
    r"(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|publié|mis à jour|publicado|"
    r"actualizado|pubblicato|aggiornato)\b",
    re.I,
)
# A rule drawn in text ("___", "***", "––––"). One alone late in the story sets off a note under it
# (sources, a citation, "back on Tuesday"); several divide the items of a roundup and end nothing.
_RULE_LINE = re.compile(r"^[-_*–—=~•·#\s]{3,}$")
# Lines under a headline that are bylines, datelines or credits, not a standfirst.
_NOT_STANDFIRST = re.compile(
    r"^(?:by|von|par|por|posted|published|updated)\b|credit|photo|foto|bild:|quelle|getty|reuters/|\(\d+:\d+\)",
    re.I,
)
SUBHEADINGS = HEADING_TAGS - {"h1"}
LIST_TAGS = frozenset({"ul", "ol", "dl", "li", "form", "table", "tbody", "tr"})
PARAGRAPH_TAGS = frozenset(
    {
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "figcaption",
        "caption",
        "summary",
        "td",
        "th",
        "address",
    }
)


def prose_score(block: Block, tuning: Tuning = TUNING) -> float:
    """How much a block looks like article prose; 0 for short or link-heavy blocks."""
    length = len(block.text)
    if length < tuning.min_scoring_chars or block.link_chars > length * tuning.max_link_density:
        return 0.0
    punct = len(_PUNCT.findall(block.text))
    return 1.0 + min(punct, 10) * 0.5 + min(length / 100.0, tuning.max_length_bonus)


def real_boilerplate(scan: Scan, prose: list[float], tuning: Tuning = TUNING) -> set[int]:
    """Boilerplate containers, minus weak ones that turn out to be article text: those holding a
    large share of the page's prose (a wrapper named "layout--sidebar" around the whole article),
    and those that are almost all prose and no links (a paragraph wrapped in "subscriber-preview";
    share bars and related lists are links, newsletter pitches are short)."""
    weak = {ident for ident, kind in scan.boilerplate.items() if kind == "weak"}
    strong = {ident for ident, kind in scan.boilerplate.items() if kind == "strong"}
    if not weak:
        return strong
    held: dict[int, int] = {}
    chars: dict[int, int] = {}
    links: dict[int, int] = {}
    total = 0
    for block, score in zip(scan.blocks, prose, strict=True):
        size = len(block.text)
        total += size if score else 0
        for ident in block.stack:
            if ident in weak:
                chars[ident] = chars.get(ident, 0) + size
                links[ident] = links.get(ident, 0) + block.link_chars
                if score:
                    held[ident] = held.get(ident, 0) + size
    rescued = set()
    for ident in weak:
        kept = held.get(ident, 0)
        if kept >= tuning.rescue_share * total or (
            kept >= tuning.rescue_min_chars
            and kept >= tuning.rescue_density * chars[ident]
            and links[ident] <= tuning.rescue_max_links * chars[ident]
        ):
            rescued.add(ident)
    rescued |= {ident for ident in weak - rescued if _part_of_rescued(scan, ident, rescued)}
    return strong | (weak - rescued)


def _bem_block(word: str) -> str:
    """The BEM block name of one class word ("sidebar-grid__container" -> "sidebar-grid")."""
    return word.split("__")[0].split("--")[0]


def _bem_blocks(cls: str) -> set[str]:
    """The BEM block names of a class attribute."""
    return {_bem_block(word) for word in cls.lower().split()}


def _part_of_rescued(scan: Scan, ident: int, rescued: set[int]) -> bool:
    """Whether a weak container is an element of a rescued one's layout: its class names only the
    rescued ancestor's BEM block ("sidebar-grid__container" inside a rescued "sidebar-grid"), so
    the word that made it look like boilerplate has already been judged wrong. An element named
    like boilerplate itself ("sidebar-grid__related") stays boilerplate."""
    words = scan.classes[ident].lower().split()
    own = _bem_blocks(scan.classes[ident])
    elements = " ".join(word[len(_bem_block(word)) :] for word in words)
    if not own or names_boilerplate(elements):
        return False
    parent = scan.parent[ident]
    while parent >= 0:
        if parent in rescued and own <= _bem_blocks(scan.classes[parent]):
            return True
        parent = scan.parent[parent]
    return False


def container_scores(
    scan: Scan, prose: list[float], boilerplate: set[int], tuning: Tuning = TUNING
) -> tuple[dict[int, float], dict[int, int], dict[int, int]]:
    """Per container: content score, total characters and characters inside links."""
    scores: dict[int, float] = {}
    chars: dict[int, int] = {}
    links: dict[int, int] = {}
    decay = tuning.ancestor_decay
    for block, score in zip(scan.blocks, prose, strict=True):
        stack = block.stack
        if score and not any(ident in boilerplate for ident in stack):
            # A paragraph is content, not a container of content: its ancestors are the candidates.
            holders = stack[:-1] if block.tag in PARAGRAPH_TAGS else stack
            for level, ident in enumerate(reversed(holders[-len(decay) :])):
                scores[ident] = scores.get(ident, 0.0) + score * decay[level]
        for ident in stack:
            chars[ident] = chars.get(ident, 0) + len(block.text)
            links[ident] = links.get(ident, 0) + block.link_chars
    return scores, chars, links


def prose_chars(scan: Scan, prose: list[float], boilerplate: set[int]) -> dict[int, int]:
    """Per container: characters of prose blocks inside it that are not boilerplate."""
    held: dict[int, int] = {}
    for block, score in zip(scan.blocks, prose, strict=True):
        if score and not any(ident in boilerplate for ident in block.stack):
            for ident in block.stack:
                held[ident] = held.get(ident, 0) + len(block.text)
    return held


def promote(best: int, scan: Scan, held: dict[int, int], tuning: Tuning = TUNING) -> int:
    """Climb to the ancestor that also holds the article's sibling wrappers.

    Sites wrap each paragraph (or each few) in its own container, so the best-scoring container
    can be one slice of the article; an ancestor that holds much more prose is the article. A
    container holding a small share of the page's prose is looked further above, since list
    articles wrap each item many levels deep. The climb ends at an ``<article>`` element: above it
    the extra prose belongs to other compositions (teaser lists beside the story).
    """
    total = max(held.values(), default=0)
    levels = tuning.promote_levels
    if held.get(best, 0) < total * tuning.fragment_share:
        levels = tuning.promote_levels_fragmented
    current, candidate, idle = best, scan.parent[best], 0
    while candidate >= 0 and idle < levels:
        if held.get(candidate, 0) >= held.get(current, 0) * tuning.promote_ratio:
            current, idle = candidate, 0
        elif scan.names[candidate] == "article":
            break
        else:
            idle += 1  # a wrapper around the same content: look one level further
        candidate = scan.parent[candidate]
    return current


def final_scores(
    scan: Scan, prose: list[float], boilerplate: set[int], tuning: Tuning = TUNING
) -> dict[int, float]:
    """Per container: content score discounted by link density (lists and tables count less)."""
    scores, chars, links = container_scores(scan, prose, boilerplate, tuning)
    finals: dict[int, float] = {}
    for ident, score in scores.items():
        density = links.get(ident, 0) / max(chars.get(ident, 1), 1)
        final = score * (1.0 - density)
        if scan.names[ident] in LIST_TAGS:
            final *= tuning.list_container_factor  # comment threads and teaser lists, rarely articles
        finals[ident] = final
    return finals


def outer_wrapper(scan: Scan, held: dict[int, int], best: int) -> int:
    """The outermost wrapper holding the same prose as ``best``, inside any ``<article>``."""
    outer = best
    while (
        scan.parent[outer] >= 0
        and scan.names[scan.parent[outer]] != "article"
        and held.get(scan.parent[outer], 0) == held.get(outer, 0)
    ):
        outer = scan.parent[outer]
    return outer


def loose_paragraphs(scan: Scan, prose: list[float], outer: int, tuning: Tuning = TUNING) -> list[int]:
    """Readability's loose paragraphs: prose ``<p>`` set directly in the parent of the article's
    wrapper before its end (a lede beside the wrapper of the rest; after it they are disclaimers)."""
    parent = scan.parent[outer]
    end = max((i for i, block in enumerate(scan.blocks) if outer in block.stack), default=-1)
    return [
        block.stack[-1]
        for block, score in zip(scan.blocks[:end], prose, strict=False)
        if score
        and block.tag == "p"
        and len(block.stack) >= 2
        and block.stack[-2] == parent
        and block.link_chars < len(block.text) * tuning.max_loose_link_density
    ]


def best_containers(
    scan: Scan, prose: list[float], boilerplate: set[int], tuning: Tuning = TUNING
) -> list[int | None]:
    """The article's container, then its siblings that score nearly as well (readability's sibling
    step: articles split into side-by-side columns or sections), then loose lede paragraphs.

    Siblings are looked for beside the outermost wrapper holding the same prose as the chosen
    container, and each is judged by the best-scoring container inside it: a page that splits its
    article around an advert wraps each half in its own stack of divs. A sibling must also hold a
    fair share of the chosen container's prose (a page footer's address line does not), unless it
    carries the same content class as the article's wrapper (readability's same-class rule: a
    second "article-body" after an embedded gallery, a live blog's summary above its entries);
    layout classes such as "row" or "col-8" are shared by unrelated parts of a page and do not count.
    A sibling before the article whose class names it the lead or intro opens the article, however
    short, and so do containers above it of the chosen container's own content class
    (:func:`opening_parts`).
    """
    finals = final_scores(scan, prose, boilerplate, tuning)
    if not finals:
        return [None]
    top = max(finals, key=finals.__getitem__)
    held = prose_chars(scan, prose, boilerplate)
    best = promote(top, scan, held, tuning)
    outer = outer_wrapper(scan, held, best)
    parent = scan.parent[outer]
    if parent < 0 or scan.names[outer] == "article":
        return [best]  # beside an <article> are other compositions
    floor = finals.get(best, finals[top]) * tuning.sibling_share
    inside: dict[int, float] = {}  # child of ``parent`` -> best final score within it
    for ident, final in finals.items():
        node = ident
        while node >= 0 and scan.parent[node] != parent:
            node = scan.parent[node]
        if node >= 0 and node != outer and final > inside.get(node, 0.0):
            inside[node] = final
    same_class = scan.classes[outer] if names_content(scan.classes[outer]) else None

    def joins(ident: int, final: float) -> bool:
        if scan.names[ident] in LIST_TAGS:
            return False
        prose_held = held.get(ident, 0)
        if final >= floor and prose_held >= held.get(best, 0) * tuning.sibling_min_prose_share:
            return True
        cls = scan.classes[ident]
        is_lead = ident < outer and bool(_INTRO_CLASS.search(cls))
        return prose_held > 0 and ((same_class is not None and cls == same_class) or is_lead)

    siblings = [ident for ident, final in inside.items() if joins(ident, final)]
    twins = [ident for ident in twin_parts(scan, prose, held, outer, tuning) if ident not in siblings]
    opening = opening_parts(scan, held, best, outer)
    return [best, *siblings, *twins, *opening, *loose_paragraphs(scan, prose, outer, tuning)]


def opening_parts(scan: Scan, held: dict[int, int], best: int, outer: int) -> list[int]:
    """The article's opening paragraphs when a full-width row (a picture, an advert) cuts the
    story in two and each half sits in its own stack of layout wrappers: containers before the
    article's wrapper that carry the chosen container's own content class ("story-text") and
    hold prose. Only before it: below the story, the same class is the next story's."""
    cls = scan.classes[best]
    if not names_content(cls):
        return []
    around = set()  # the wrappers of the article itself
    node = scan.parent[outer]
    while node >= 0:
        around.add(node)
        node = scan.parent[node]
    return [
        ident
        for ident in range(outer)
        if scan.classes[ident] == cls and held.get(ident, 0) > 0 and ident not in around
    ]


def twin_parts(
    scan: Scan, prose: list[float], held: dict[int, int], outer: int, tuning: Tuning = TUNING
) -> list[int]:
    """The article's other parts when it is cut into a run of siblings of one tag and class
    (sections between rules, a wrapper per few paragraphs): going out from the article's wrapper
    on either side, each sibling with several prose paragraphs that is its twin, up to the first
    sibling holding prose that is not (a lone paragraph in a twin is a note or a bio, not a part)."""
    cls = scan.classes[outer]
    if not cls:
        return []
    parent = scan.parent[outer]
    kids = [ident for ident in range(parent + 1, len(scan.parent)) if scan.parent[ident] == parent]
    paragraphs: dict[int, int] = {}
    for block, score in zip(scan.blocks, prose, strict=True):
        child = next((ident for ident in block.stack if scan.parent[ident] == parent), None)
        if score and child is not None:
            paragraphs[child] = paragraphs.get(child, 0) + 1
    at = kids.index(outer)
    found: list[int] = []
    for run in (reversed(kids[:at]), kids[at + 1 :]):
        for ident in run:
            if not held.get(ident, 0):
                continue
            if scan.names[ident] != scan.names[outer] or scan.classes[ident] != cls:
                break
            if paragraphs.get(ident, 0) >= tuning.min_twin_paragraphs:
                found.append(ident)
    return found


def is_share_bar(text: str) -> bool:
    """Whether a line is made of share-button labels ("Bookmark Share WhatsApp Telegram …")."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or len(text) > TUNING.max_meta_line_chars:
        return False
    return sum(w in _SHARE_WORDS for w in words) / len(words) >= 0.6


def same_text(text: str, key: str) -> bool:
    """Whether ``text`` reads as ``key`` (a comparable() form); the length test skips the costly
    normalisation for the many blocks that cannot match."""
    return abs(len(text) - len(key)) <= TUNING.max_headline_slack and comparable(text) == key


def is_linked_prose(block: Block, tuning: Tuning = TUNING) -> bool:
    """A long paragraph of sentences that happens to be one link ("…, when she was rushed to the
    hospital."): prose the reader reads, unlike a teaser headline or a run of links on lines."""
    text = block.text
    return (
        block.tag == "p"
        and len(text) >= tuning.min_linked_prose_chars
        and "\n" not in text
        and text[-1:] in _SENTENCE_END
        and len(_PUNCT.findall(text)) >= 2
    )


def keep_block(block: Block, tuning: Tuning = TUNING) -> bool:
    """Whether a block inside the chosen container (and outside boilerplate) belongs to the body."""
    text = block.text
    # Subheadings of listicles link to what they name; elsewhere link-heavy text is navigation,
    # unless it is a long paragraph of sentences.
    if (
        block.link_chars > len(text) * tuning.max_link_density
        and block.tag not in SUBHEADINGS
        and not is_linked_prose(block, tuning)
    ):
        return False
    if block.tag == "h1":  # the headline's text elsewhere is dropped by the caller, which knows it
        return False
    if len(text) <= tuning.max_meta_line_chars and (
        is_share_bar(text)
        or _NOISE_LINE.match(text)
        or _CAPTION_END.search(text)
        or _PROMO.search(text)
        or _PAYWALL_NOTICE.search(text)
        or _EDITORS_NOTE.search(text)
        or is_plain_byline(text)
    ):
        return False
    if len(text) <= tuning.max_credit_chars and _CREDIT_LINE.search(text) and not _PUNCT.search(text[-1:]):
        return False
    return True


@dataclass(frozen=True)
class Body:
    """The body's blocks in reading order, and the containers judged boilerplate on the way (after
    the rescue of article-sized ones), which the standfirst is kept out of too."""

    blocks: list[int]
    boilerplate: frozenset[int]


def body_blocks(scan: Scan, tuning: Tuning = TUNING) -> Body:
    """The blocks that make up the body, in reading order (none when nothing is prose)."""
    prose = [prose_score(block, tuning) for block in scan.blocks]
    boilerplate = real_boilerplate(scan, prose, tuning)
    chosen = best_containers(scan, prose, boilerplate, tuning)
    if chosen[0] is None:
        return Body([], frozenset(boilerplate))
    wanted = set(chosen)
    inside: list[int] = []
    for index, block in enumerate(scan.blocks):
        depth = next((d for d, ident in enumerate(block.stack) if ident in wanted), -1)
        if depth >= 0 and not any(ident in boilerplate for ident in block.stack[depth + 1 :]):
            inside.append(index)
    inside = cut_at_end_marker(scan, inside, prose, tuning)
    kept = [
        index
        for index in inside
        if keep_block(scan.blocks[index], tuning) and not is_date_line(scan.blocks[index].text, tuning)
    ]
    kept = drop_teaser_runs(scan, kept)
    return Body(trim_tail(scan, kept, prose, tuning), frozenset(boilerplate))


def is_all_link(block: Block) -> bool:
    """Whether a block's text is a link to another page (a title that points elsewhere), but for a
    character or two; a heading linked to its own place on the page ("#section") is no such link."""
    return block.link_chars - block.in_page_link_chars >= len(block.text) * _ALL_LINK


def drop_teaser_runs(scan: Scan, kept: list[int]) -> list[int]:
    """``kept`` less its runs of two or more linked subheadings with nothing between them: the
    titles of other stories ("Trending", a teaser card's title twice, a product card's). A
    listicle's linked subheadings each head their own text, so they come one at a time."""
    def linked_subheading(index: int) -> bool:
        return scan.blocks[index].tag in SUBHEADINGS and is_all_link(scan.blocks[index])

    out: list[int] = []
    for linked, run in groupby(kept, key=linked_subheading):
        indexes = list(run)
        if not linked or len(indexes) == 1:
            out.extend(indexes)
    return out


def is_date_line(text: str, tuning: Tuning = TUNING) -> bool:
    """A short line that is only a date or "Updated: <date>", or a longer single line opening with
    "Published" or "Updated" ("Published: 12:37 GMT, 21 December 2023 | Updated: 15:26 GMT, …")
    or naming the writer beside the date ("Tuesday, 19 April 2016 20:41 Written by Jo Bloggs"),
    or a block of such lines: the article's meta line, not prose."""
    if _PUNCT.search(text[-1:]):
        return False
    if len(text) <= tuning.max_date_line_chars:
        return bool(find_dates(text)) or is_relative_line(text) or is_short_date_line(text)
    if "\n" in text:
        return is_meta_block(text, tuning)
    return (
        len(text) <= tuning.max_meta_date_line_chars
        and bool(_DATE_LINE_START.match(text) or _WRITTEN_BY.search(text))
        and bool(find_dates(text))
    )


def is_meta_block(text: str, tuning: Tuning = TUNING) -> bool:
    """A few short lines, each a byline or a date line ("By Jo Bloggs / Published: 11/18/2011 /
    Last Modified: 11/18/2011"), holding a date."""
    if len(text) > tuning.max_meta_date_line_chars * 2:
        return False
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if any(len(line) > tuning.max_date_line_chars for line in lines):
        return False
    dated = [bool(find_dates(line)) for line in lines]
    return any(dated) and all(d or _WRITTEN_BY.match(line) for line, d in zip(lines, dated, strict=True))


def ends_story(block: Block, lone_rule: bool = False, tuning: Tuning = TUNING) -> bool:
    """Whether a block closes the article: a "Related stories" heading (not an inline "Read more"
    link), the author's contact line, or the body's only text rule when ``lone_rule``."""
    text = block.text
    if lone_rule and _RULE_LINE.match(text):
        return True
    if len(text) <= tuning.max_marker_chars and block.link_chars * 2 < len(text) and _END_MARKER.match(text):
        return True
    return len(text) <= tuning.max_contact_chars and bool(_CONTACT_LINE.search(text))


def cut_at_end_marker(
    scan: Scan, kept: list[int], prose: list[float], tuning: Tuning = TUNING
) -> list[int]:
    """Stop at a "Related stories" / "Lesen Sie auch" heading, the author's contact line or a lone
    text rule in the last part of the body when little prose follows it: what follows is a list of
    other articles, the page's videos or a note inside the container (an inline "Read also" link or
    a phone number for readers in mid-article is followed by the rest of the article and stays).
    A marker in a box set into the story that the story's paragraphs go on after takes only its
    box out (see :func:`box_set_into_story`)."""
    lone_rule = sum(bool(_RULE_LINE.match(scan.blocks[i].text)) for i in kept) == 1
    sizes = [len(scan.blocks[i].text) if prose[i] else 0 for i in kept]
    total = sum(sizes)
    seen = 0
    end = len(kept)
    boxes: set[int] = set()
    for position, index in enumerate(kept):
        if (
            seen >= total * tuning.end_marker_share
            and total - seen - sizes[position] < seen * tuning.max_prose_after_marker
            and ends_story(scan.blocks[index], lone_rule, tuning)
        ):
            box = box_set_into_story(scan, kept, prose, position)
            if box is None:
                end = position
                break
            boxes.add(box)
        seen += sizes[position]
    return [i for i in kept[:end] if not boxes.intersection(scan.blocks[i].stack)]


def _parent_of(scan: Scan, block: Block) -> int:
    return scan.parent[block.stack[-1]] if block.stack else -1


def _holder_of(scan: Scan, block: Block) -> int:
    """The element a run of the story's text is set in: a paragraph's parent, or the element
    itself when the text is set straight into it (runs between ``<br>``s)."""
    if block.tag in PARAGRAPH_TAGS or not block.stack:
        return _parent_of(scan, block)
    return block.stack[-1]


def box_set_into_story(scan: Scan, kept: list[int], prose: list[float], position: int) -> int | None:
    """The box holding the marker at ``position`` when it is set into the story (a "Lesen Sie
    auch" box) and the story's own paragraphs go on after it: a paragraph of sentences beside the
    paragraphs before the box (a credit line there, "MDR (Engin Haupt)", is no sign of more
    story). None when the marker is a heading of the story's own run, or nothing follows."""
    before = [i for i in kept[:position] if prose[i]]
    if not before:
        return None
    story = _holder_of(scan, scan.blocks[before[-1]])
    stack = scan.blocks[kept[position]].stack
    if story not in stack[:-1] or _parent_of(scan, scan.blocks[kept[position]]) == story:
        return None
    goes_on = any(
        prose[i] and _holder_of(scan, scan.blocks[i]) == story and scan.blocks[i].text[-1:] in _SENTENCE_END
        for i in kept[position + 1 :]
    )
    return stack[stack.index(story) + 1] if goes_on else None


def trim_tail(scan: Scan, kept: list[int], prose: list[float], tuning: Tuning = TUNING) -> list[int]:
    """Drop the short lines and the lines that are all link after the article's last prose block
    (labels, tags, contact links, a gallery's or another story's title)."""
    end = len(kept)
    while end > 0 and not prose[kept[end - 1]]:
        last = scan.blocks[kept[end - 1]]
        if len(last.text) >= tuning.min_tail_chars and not is_all_link(last):
            break
        end -= 1
    return kept[:end]


def standfirst(
    scan: Scan,
    headline_at: int | None,
    body: list[int],
    boilerplate: frozenset[int],
    tuning: Tuning = TUNING,
) -> int | None:
    """The block between the headline and the body that summarises the article (the dek), if any;
    never from ``boilerplate`` containers (a page wrapper named "is-below-header-ad" that holds the
    whole article was rescued from that set, so its dek counts)."""
    if headline_at is None or not body or body[0] <= headline_at:
        return None
    for index in range(headline_at + 1, min(body[0], headline_at + 1 + tuning.standfirst_window)):
        block = scan.blocks[index]
        text = block.text
        if block.link_chars or any(ident in boilerplate for ident in block.stack):
            continue
        if not tuning.min_standfirst_chars <= len(text) <= tuning.max_meta_line_chars * 2:
            continue
        if "\n" in text or is_share_bar(text) or _NOISE_LINE.match(text):
            continue
        if _NOT_STANDFIRST.search(text) or _EDITORS_NOTE.search(text):
            continue
        if find_dates(text):
            continue
        if _PUNCT.search(text[-1:]) or len(text.split()) >= tuning.min_standfirst_words:
            return index
    return None
