"""The topic index never loses a match: it returns exactly what testing every topic returns."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from newswatch.topics.index import TopicIndex, anchors, clauses
from newswatch.topics.query import Doc, Query, match, parse_query
from newswatch.topics.syntax import Lang, Or, Word

WORDS = ["russia", "korea", "north", "missile", "military", "moscow", "sport", "snow", "arms", "pact"]


@dataclass(frozen=True)
class T:
    name: str
    query: Query


def _word() -> st.SearchStrategy[str]:
    return st.sampled_from(WORDS) | st.sampled_from(["mil*", "rus*", "kor*", "mis*"])


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = _word() | st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(
        lambda ws: '"' + " ".join(ws) + '"'
    )
    scoped = st.tuples(st.sampled_from(["", "headline:", "body:", "source:"]), leaf).map("".join)
    if depth == 0:
        return scoped
    sub = _expr(depth - 1)
    return st.one_of(
        scoped,
        st.tuples(sub, sub).map(lambda p: f"({p[0]} AND {p[1]})"),
        st.tuples(sub, sub).map(lambda p: f"({p[0]} OR {p[1]})"),
        st.tuples(sub, sub).map(lambda p: f"({p[0]} AND NOT {p[1]})"),
        st.tuples(scoped, scoped, st.integers(0, 4)).map(lambda p: f"({p[0]} NEAR/{p[2]} {p[1]})"),
        st.tuples(sub, st.sampled_from(["lang:en", "lang:fr"])).map(lambda p: f"({p[0]} AND {p[1]})"),
    )


_docs = st.tuples(
    st.lists(st.sampled_from([*WORDS, "the", "militant", "rush"]), max_size=6).map(" ".join),
    st.lists(st.sampled_from([*WORDS, "the", "a", "militant", "rush", "."]), max_size=30).map(" ".join),
    st.sampled_from(["en", "fr", None]),
)


@settings(max_examples=150, deadline=None)
@given(queries=st.lists(_expr(2), min_size=1, max_size=12), docs=st.lists(_docs, min_size=1, max_size=5))
def test_index_equals_testing_every_topic(
    queries: list[str], docs: list[tuple[str, str, str | None]]
) -> None:
    topics = [T(f"t{i}", parse_query(q)) for i, q in enumerate(queries)]
    index = TopicIndex(topics)
    for headline, body, lang in docs:
        d = Doc.from_parts(headline=headline, body=body, source=body[:20], language=lang)
        naive = [t.name for t in topics if match(t.query, d) is not None]
        assert [t.name for t, _ in index.match(d)] == naive


def test_candidates_skip_topics_whose_words_are_absent() -> None:
    topics = [
        T("a", parse_query("russia AND missile*")),
        T("b", parse_query("snow OR rain")),
        T("c", parse_query('"north korea" NEAR/5 arms')),
    ]
    index = TopicIndex(topics)
    d = Doc.from_parts(headline="Missiles", body="Russia tested missiles.")
    assert [t.name for t in index.candidates(d)] == ["a"]


def test_anchors_pick_the_cheapest_required_words() -> None:
    q = parse_query('(russia OR moscow) AND "north korea" AND NOT sport')
    assert {w.text for _, w in anchors(q.root) or ()} in ({"north"}, {"korea"})
    assert anchors(Or((Lang("en"), parse_query("russia").root))) is None
    assert clauses(parse_query('russia "north korea" NOT sport').root) == [
        frozenset([(None, Word("russia"))]),
        frozenset([(None, Word("north"))]),
        frozenset([(None, Word("korea"))]),
    ]
    assert anchors(parse_query("lang:en headline:russia").root) == frozenset([("headline", Word("russia"))])


def test_field_scoped_words_must_be_in_that_field() -> None:
    index = TopicIndex([T("h", parse_query("headline:russia AND body:missile*"))])
    assert index.candidates(Doc.from_parts(headline="Missiles", body="Russia")) == []
    assert len(index.candidates(Doc.from_parts(headline="Russia", body="Missiles"))) == 1
