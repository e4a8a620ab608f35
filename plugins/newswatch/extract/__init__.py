"""Article extraction: headline, dates with provenance, body, authors, canonical URL, language."""

from newswatch.extract.article import extract_article

__all__ = ["extract_article"]
