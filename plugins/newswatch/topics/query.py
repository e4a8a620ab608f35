"""Public face of the query language: parse a query, match it against an article with evidence."""

from __future__ import annotations

from newswatch.topics.matcher import Doc, Evidence, Match, match
from newswatch.topics.syntax import Query, QuerySyntaxError, parse_query

__all__ = ["Doc", "Evidence", "Match", "Query", "QuerySyntaxError", "match", "parse_query"]
