"""Identity of an extracted article: its canonical URL, aliases, cleaned content and story choice.

``identify_article`` is the pipeline's identify stage. It decides, from plain data, everything
about *which* article and story a page is and whether its content is new; the store only
persists those decisions. Two decisions need rows only the store can read inside its write
transaction (the previous version, the candidate stories): the store hands that data to
:meth:`IdentifiedArticle.choose_story` and :meth:`IdentifiedArticle.diff_from`, so the judgement
stays here while the store keeps its lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from newswatch.identify import stories
from newswatch.identify.diff import version_diff
from newswatch.identify.fingerprint import Fingerprint
from newswatch.identify.normalize import NormalisedContent, normalise
from newswatch.identify.urls import canonicalize_url, choose_canonical, choose_link, outlet_of
from newswatch.models import Article
from newswatch.settings import Settings
from newswatch.store.stories import StoryCandidate
from newswatch.store.values import fit_url, storable


@dataclass
class IdentifiedArticle:
    """An extracted article with its identity decided, ready for the store."""

    article: Article
    canonical_url: str
    aliases: tuple[str, ...]
    link: str
    content: NormalisedContent
    settings: Settings = field(repr=False)

    @property
    def outlet(self) -> str:
        return outlet_of(self.canonical_url)

    @cached_property
    def lookup_urls(self) -> tuple[str, ...]:
        """URLs under which an already stored article may be known: the aliases, canonicalised too."""
        return tuple(sorted(set(self.aliases) | {canonicalize_url(a) for a in self.aliases}))

    @cached_property
    def fingerprint(self) -> Fingerprint:
        """Computed once, and only when a story must be chosen (a first sighting)."""
        return stories.story_fingerprint(self.content, self.settings)

    @property
    def story_search(self) -> stories.StorySearch:
        return stories.StorySearch.from_settings(self.settings)

    def choose_story(self, candidates: Sequence[StoryCandidate]) -> int | None:
        """The existing story this article joins, or None to found a new one."""
        return stories.choose_story(self.fingerprint, candidates, self.settings)

    def is_new_content(self, previous_hash: str | None) -> bool:
        """A new version is written only when the normalised content really changed."""
        return previous_hash != self.content.content_hash

    def diff_from(self, headline: str | None, body: str) -> str:
        """The word diff from the previous version, stored with the new one."""
        return version_diff(
            headline, body, self.content.headline, self.content.body, self.settings.diff_context_words
        )


def identify_article(
    article: Article, *, url: str, final_url: str | None, settings: Settings
) -> IdentifiedArticle:
    """Decide the article's canonical URL, its aliases, the link readers get and its clean content."""
    canonical = fit_url(storable(choose_canonical(url, final_url, article.canonical_url)))
    aliases = sorted({fit_url(storable(u)) for u in (url, final_url, article.url) if u} | {canonical})
    link = storable(choose_link(url, final_url, article.canonical_url))
    return IdentifiedArticle(
        article, canonical, tuple(aliases), link, normalise(article.headline, article.body), settings
    )
