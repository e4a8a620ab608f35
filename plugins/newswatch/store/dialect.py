"""Everything that differs between SQLite and PostgreSQL at run time, and nothing else.

Upserts (``INSERT … ON CONFLICT``), how a write transaction starts, and full-text search are
spelled differently by the two databases; the rest of the store is dialect-free Core. The DDL
side of full-text search (FTS5 table and triggers, tsvector column and GIN index, the Han/Kana
character-pair index) lives in the migrations under ``sql/migrations/versions/s00*_store_*.py``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, DateTime, Table, TextClause, TextualSelect, text
from sqlalchemy.dialects import postgresql, sqlite

from newswatch.store.fulltext import (
    SearchQuery,
    SearchSyntaxError,
    Term,
    cjk_anchor,
    cjk_substrings,
    is_cjk_term,
    is_hangul_word,
)

# Text-search configurations a PostgreSQL version may be indexed with (see migration s001);
# a query is expanded over all of them so that every language's stemming can match.
PG_TS_CONFIGS = (
    "simple",
    "english",
    "german",
    "french",
    "spanish",
    "italian",
    "portuguese",
    "dutch",
    "russian",
)


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _insert(conn: Connection, table: Table) -> Any:
    return sqlite.insert(table) if is_sqlite(conn) else postgresql.insert(table)


def insert_ignore(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    conflict: Sequence[str] | None,
) -> Any:
    """``INSERT … ON CONFLICT (conflict) DO NOTHING`` — the idempotent insert.

    ``conflict=None`` ignores a clash on *any* unique index. A row with two unique columns needs
    it: PostgreSQL resolves only the named index, so two concurrent inserts of the same row that
    meet first on the other index raise a unique violation instead of doing nothing."""
    stmt = _insert(conn, table).values(values)
    return stmt.on_conflict_do_nothing(index_elements=list(conflict) if conflict is not None else None)


def insert_ignore_many(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], conflict: Sequence[str]
) -> None:
    """The idempotent insert of many rows as one executemany: the statement is compiled once and
    cached, where a multi-row VALUES clause would be rebuilt (in Python) for every call."""
    if rows:
        conn.execute(_insert(conn, table).on_conflict_do_nothing(index_elements=list(conflict)), list(rows))


def upsert(
    conn: Connection, table: Table, values: Mapping[str, Any], conflict: Sequence[str], update: Iterable[str]
) -> Any:
    """``INSERT … ON CONFLICT (conflict) DO UPDATE SET`` the ``update`` columns from the new row."""
    stmt = _insert(conn, table).values(values)
    return stmt.on_conflict_do_update(
        index_elements=list(conflict), set_={name: stmt.excluded[name] for name in update}
    )


def begin_write(conn: Connection) -> None:
    """Start a write transaction that cannot fail half-way on a lock upgrade.

    SQLite's default deferred transaction reads under a shared lock and fails at once with
    "database is locked" when it later wants to write while another writer committed; taking
    the write lock up front (``BEGIN IMMEDIATE``) makes it wait for the busy timeout instead.
    PostgreSQL needs nothing: row locks and unique indexes order concurrent writers.
    """
    if is_sqlite(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def lock_bands(conn: Connection, band_keys: Sequence[str]) -> None:
    """Serialise story assignment of articles that share an LSH band (PostgreSQL advisory locks).

    Without it two copies of one wire story stored at the same moment by two tasks would each
    find no story and found two. Locks are taken in sorted order (no deadlock) and released at
    commit. SQLite needs nothing: ``BEGIN IMMEDIATE`` already admits one writer at a time.
    """
    if is_sqlite(conn) or not band_keys:
        return
    keys = sorted({_lock_key(k) for k in band_keys})
    conn.execute(
        text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k ORDER BY k"),
        {"keys": keys},
    )


def _lock_key(band_key: str) -> int:
    digest = hashlib.blake2b(f"newswatch-story:{band_key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# ---------------------------------------------------------------- full-text search rendering

# The Han/Kana pair vector of each version (generated column, migration s008).
PG_CJK_VECTOR = "v.search_cjk"
# A version's searchable text, for substring tests (instr on SQLite, strpos on PostgreSQL).
_TEXT = "(coalesce(v.headline, '') || ' ' || coalesce(v.body, ''))"


def _widen(term: Term) -> Term:
    """A Korean word is stored with its particles attached (``북한이``): search it as a prefix."""
    return Term(term.words, True) if not term.prefix and is_hangul_word(term.words[-1]) else term


def _fts5_term(term: Term) -> str:
    term = _widen(term)
    quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
    return quoted + ("*" if term.prefix else "")


def _fts5_any(terms: Sequence[Term]) -> str:
    return "(" + " OR ".join(_fts5_term(t) for t in terms) + ")"


def fts5_match(query: SearchQuery) -> str:
    """The FTS5 ``MATCH`` string: every word quoted, so user input is never FTS5 syntax."""
    expression = " AND ".join(_fts5_any(group) for group in query.groups)
    if query.excluded:
        expression += " NOT " + _fts5_any(query.excluded)
    return expression


def _pg_term(conn: Connection, term: Term) -> str:
    """The term as tsquery text under every language configuration, OR-ed, duplicates removed.

    Asking PostgreSQL for the distinct per-language forms first ('drones' → 'drone' | 'dron')
    keeps the tsquery small (cheap to test per row) and constant (the planner can estimate it).
    """
    term = _widen(term)
    if term.prefix:
        function, argument = "to_tsquery", " <-> ".join(_pg_lexeme(w) for w in term.words) + ":*"
    else:
        function, argument = "phraseto_tsquery", " ".join(term.words)
    forms = conn.execute(
        text(
            f"SELECT DISTINCT CAST({function}(CAST(cfg AS regconfig), :arg) AS text) "  # noqa: S608
            "FROM unnest(CAST(:cfgs AS text[])) AS cfg"
        ),
        {"arg": argument, "cfgs": list(PG_TS_CONFIGS)},
    ).scalars()
    return " | ".join(f"( {form} )" for form in sorted(f for f in forms if f))


def _pg_lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'"


def pg_tsquery(conn: Connection, query: SearchQuery) -> str:
    """The whole query as tsquery text (bound as a parameter, so never spliced into SQL)."""

    def any_of(terms: Sequence[Term]) -> str:
        forms = [f for f in (_pg_term(conn, t) for t in terms) if f]
        return "( " + " | ".join(forms) + " )" if forms else ""

    groups = [g for g in (any_of(group) for group in query.groups) if g]
    if not groups:
        raise SearchSyntaxError("the query has no searchable words")
    excluded = any_of(query.excluded) if query.excluded else ""
    return " & ".join(groups) + (f" & !{excluded}" if excluded else "")


_HIT_COLUMNS = (
    "hits.article_id, hits.version_id, hits.version_no, hits.canonical_url, hits.outlet, hits.source_name, "
    "hits.story_id, hits.headline, hits.published_at, hits.fetched_at, hits.language"
)


def search_statement(
    conn: Connection,
    query: SearchQuery,
    filters: Sequence[str],
    params: dict[str, Any],
    *,
    latest_only: bool,
    snippets: bool = True,
) -> TextualSelect:
    """Typed so that dates come back as datetimes on SQLite too."""
    return _search_text(conn, query, filters, params, latest_only, snippets).columns(
        published_at=DateTime(timezone=True), fetched_at=DateTime(timezone=True)
    )


def _search_text(
    conn: Connection,
    query: SearchQuery,
    filters: Sequence[str],
    params: dict[str, Any],
    latest_only: bool,
    snippets: bool,
) -> TextClause:
    """SELECT of matching versions joined to their articles; ``filters`` are portable SQL conditions.

    Latest-only joins on ``latest_version_id`` (indexed, unique per version) rather than filtering
    a join on ``article_id``: the planner then estimates the join right and probes an index per
    match instead of hashing the whole articles table. Without ``snippets`` the snippet column is
    NULL and no body is read: a caller that only wants the versions (topic search's candidates,
    up to ``search_candidates`` of them) skips marking up every one.
    """
    join = "a.latest_version_id = v.id" if latest_only else "a.id = v.article_id"
    columns = (
        "a.id AS article_id, v.id AS version_id, v.version_no, a.canonical_url, a.outlet, a.source_name, "
        "a.story_id, v.headline, v.published_at, v.fetched_at, v.language"
    )
    where = " AND ".join(filters) if filters else "1=1"
    if any(is_cjk_term(t) for t in (*(t for g in query.groups for t in g), *query.excluded)):
        return _cjk_search_text(conn, query, where, params, join, columns, snippets)
    if is_sqlite(conn):
        params["match"] = fts5_match(query)
        snippet = "snippet(article_versions_fts, 1, '[', ']', '…', 24)" if snippets else "NULL"
        return text(
            # Only fixed SQL fragments are formatted in; user input is always bound.
            f"SELECT {columns}, {snippet} AS snippet "  # noqa: S608
            "FROM article_versions_fts JOIN article_versions v ON v.id = article_versions_fts.rowid "
            f"JOIN articles a ON {join} WHERE article_versions_fts MATCH :match AND {where} "
            "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit"
        )
    # The tsquery is written inline (not in a CTE) so the planner sees its selectivity and can
    # choose between the GIN index and walking the fetched_at index for very common words.
    params["tsq"] = pg_tsquery(conn, query)
    tsquery = "CAST(:tsq AS tsquery)"
    if not snippets:
        return text(
            f"SELECT {columns}, NULL AS snippet FROM article_versions v "  # noqa: S608
            f"JOIN articles a ON {join} WHERE v.search_tsv @@ ({tsquery}) AND {where} "
            "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit"
        )
    return text(
        f"WITH hits AS (SELECT {columns}, v.body FROM article_versions v "  # noqa: S608
        f"JOIN articles a ON {join} WHERE v.search_tsv @@ ({tsquery}) AND {where} "
        "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit) "
        f"SELECT {_HIT_COLUMNS}, ts_headline('simple', hits.body, {tsquery}, "
        "'StartSel=[,StopSel=],MaxWords=24,MinWords=8,FragmentDelimiter=…,MaxFragments=1') AS snippet "
        "FROM hits ORDER BY hits.fetched_at DESC, hits.version_id DESC"
    )


def _cjk_search_text(
    conn: Connection,
    query: SearchQuery,
    where: str,
    params: dict[str, Any],
    join: str,
    columns: str,
    snippets: bool,
) -> TextClause:
    """The search when a term is Han/Kana: each group is an OR of word-index and pair-index tests.

    PostgreSQL asks the pair column of migration s008 for one pair of the term, then tests the
    term as a substring; SQLite has no pair index and tests ``instr`` on the rows the other
    conditions leave. The snippet is the passage around the first Han/Kana term.
    """
    conditions = [_group_condition(conn, group, f"g{i}", params) for i, group in enumerate(query.groups)]
    if query.excluded:
        conditions.append("NOT " + _group_condition(conn, query.excluded, "x", params))
    first = next(t for g in (*query.groups, query.excluded) for t in g if is_cjk_term(t))
    params["snip"] = cjk_substrings(first)[0]
    matched = " AND ".join(conditions)
    if not snippets:
        return text(
            f"SELECT {columns}, NULL AS snippet FROM article_versions v "  # noqa: S608
            f"JOIN articles a ON {join} WHERE {matched} AND {where} "
            "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit"
        )
    if is_sqlite(conn):
        return text(
            f"SELECT {columns}, substr(v.body, max(instr(v.body, :snip) - 40, 1), 120) AS snippet "  # noqa: S608
            f"FROM article_versions v JOIN articles a ON {join} WHERE {matched} AND {where} "
            "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit"
        )
    return text(
        f"WITH hits AS (SELECT {columns}, v.body FROM article_versions v "  # noqa: S608
        f"JOIN articles a ON {join} WHERE {matched} AND {where} "
        "ORDER BY v.fetched_at DESC, v.id DESC LIMIT :limit) "
        f"SELECT {_HIT_COLUMNS}, "
        "substr(hits.body, greatest(strpos(hits.body, :snip) - 40, 1), 120) AS snippet "
        "FROM hits ORDER BY hits.fetched_at DESC, hits.version_id DESC"
    )


def _group_condition(conn: Connection, terms: Sequence[Term], key: str, params: dict[str, Any]) -> str:
    """SQL true when a row holds any of ``terms``; values bound under names starting with ``key``."""
    words = [t for t in terms if not is_cjk_term(t)]
    cjk = [t for t in terms if is_cjk_term(t)]
    tests: list[str] = []
    if words and is_sqlite(conn):
        params[f"{key}m"] = fts5_match(SearchQuery((tuple(words),)))
        tests.append(
            f"v.id IN (SELECT rowid FROM article_versions_fts WHERE article_versions_fts MATCH :{key}m)"  # noqa: S608
        )
    elif words:
        params[f"{key}t"] = pg_tsquery(conn, SearchQuery((tuple(words),)))
        tests.append(f"v.search_tsv @@ CAST(:{key}t AS tsquery)")
    if is_sqlite(conn):
        tests.extend(_contains_runs("instr", term, f"{key}c{i}", params) for i, term in enumerate(cjk))
    elif cjk:
        anchors = (cjk_anchor(t) for t in cjk)
        params[f"{key}k"] = " | ".join(_pg_lexeme(pair) + (":*" if lone else "") for pair, lone in anchors)
        exact = []
        for i, term in enumerate(cjk):
            runs = cjk_substrings(term)
            if len(runs) == 1 and len(runs[0]) <= 2:
                exact.append("TRUE")  # the pair (or lone character) is the whole term
                continue
            exact.append(_contains_runs("strpos", term, f"{key}c{i}", params))
        tests.append(f"({PG_CJK_VECTOR} @@ CAST(:{key}k AS tsquery) AND ({' OR '.join(exact)}))")
    return "(" + " OR ".join(tests) + ")"


def _contains_runs(function: str, term: Term, key: str, params: dict[str, Any]) -> str:
    """SQL true when every Han/Kana run of ``term`` is a substring of the version's text;
    ``function`` is the database's position function (``instr`` or ``strpos``)."""
    found = []
    for j, run in enumerate(cjk_substrings(term)):
        params[f"{key}_{j}"] = run
        found.append(f"{function}({_TEXT}, :{key}_{j}) > 0")
    return "(" + " AND ".join(found) + ")"
