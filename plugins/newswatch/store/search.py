"""Former name of :mod:`newswatch.store.fulltext`, kept while ``store.repository`` still imports it."""

from newswatch.store.fulltext import SearchQuery, SearchSyntaxError, Term, parse_query

__all__ = ["SearchQuery", "SearchSyntaxError", "Term", "parse_query"]
