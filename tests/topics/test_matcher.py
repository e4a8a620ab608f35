"""Matching semantics: boolean operators, phrases, prefixes, NEAR, field scopes, and the evidence
(matched sentences with the matched words marked) that alerts show."""

from __future__ import annotations

from newswatch.topics.matcher import Doc, match
from newswatch.topics.syntax import parse_query


def doc(body: str, headline: str = "", source: str = "", language: str | None = "en") -> Doc:
    return Doc.from_parts(headline=headline, body=body, source=source, language=language)


def hits(query: str, d: Doc) -> bool:
    return match(parse_query(query), d) is not None


def test_boolean_operators_and_precedence() -> None:
    d = doc("Moscow and Pyongyang signed a pact.")
    assert hits("moscow AND pyongyang", d)
    assert hits("moscow pyongyang", d)  # adjacent terms are ANDed
    assert not hits("moscow AND seoul", d)
    assert hits("seoul OR pyongyang", d)
    assert hits("moscow NOT seoul", d)
    assert not hits("moscow NOT pyongyang", d)
    # AND binds tighter than OR: (seoul AND tokyo) OR pact
    assert hits("seoul AND tokyo OR pact", d)
    assert not hits("seoul AND (tokyo OR pact)", d)
    assert not hits("moscow and seoul", d)  # lower-case "and" is a word to find, not an operator
    assert hits("moscow and pyongyang", d)


def test_phrases_and_prefixes() -> None:
    d = doc("North Korean troops were seen. Military cooperation grew.")
    assert hits('"north korean"', d)
    assert not hits('"korean north"', d)
    assert hits('"north korea*"', d)
    assert hits("militar*", d)
    assert not hits("militari*", d)
    assert hits("north-korean", d)  # a hyphenated query word is the phrase of its parts


def test_case_and_accent_insensitive_both_ways() -> None:
    d = doc("Talks in PYŎNGYANG and in São Paulo; Erdoğan spoke.")
    assert hits("pyongyang", d)
    assert hits("sao paulo", d)
    assert hits('"SÃO PAULO"', d)
    assert hits("erdogan", d)
    assert hits("ERDOĞAN", doc("erdogan spoke"))
    assert hits("Ärzte", doc("aerzte arzte"))  # folds to "arzte"


def test_near_counts_words_between_in_either_order() -> None:
    d = doc("Russia has long been a partner of North Korea in the region.")
    # words between "Russia" and "North Korea": has long been a partner of = 6
    assert hits('russia NEAR/6 "north korea"', d)
    assert not hits('russia NEAR/5 "north korea"', d)
    assert hits('"north korea" NEAR/6 russia', d)
    assert hits("(russia OR moscow) NEAR/7 (pyongyang OR korea)", d)
    assert not hits("(russia OR moscow) NEAR/6 (pyongyang OR korea)", d)
    assert hits('(russia NEAR/6 "north korea") NEAR/3 region', d)
    chained = doc("Russia x x x x x x North Korea y y partner")
    assert hits('(russia NEAR/6 "north korea") NEAR/2 partner', chained)
    assert not hits('(russia NEAR/6 "north korea") NEAR/1 partner', chained)


def test_near_does_not_pair_words_from_different_fields() -> None:
    d = doc("North Korea tested a missile.", headline="Russia condemns")
    assert hits('russia AND "north korea"', d)
    assert not hits('russia NEAR/50 "north korea"', d)


def test_field_scopes() -> None:
    d = doc(
        "A story about Moscow.", headline="Pyongyang reacts", source="www.reuters.example", language="en-GB"
    )
    assert hits("headline:pyongyang", d)
    assert not hits("headline:moscow", d)
    assert hits("body:moscow", d)
    assert not hits("body:pyongyang", d)
    assert hits("source:reuters pyongyang", d)
    assert not hits("reuters", d)  # unscoped words search headline and body only
    assert hits("lang:en pyongyang", d)
    assert not hits("lang:fr pyongyang", d)
    assert hits("headline:(seoul OR pyongyang)", d)
    assert hits('headline:"pyongyang reacts"', d)
    assert hits("pyongyang NOT lang:(fr OR de)", d)


def test_evidence_marks_the_matched_words_in_their_sentences() -> None:
    d = doc(
        "Weather was fine. Kim met Putin to discuss missiles. Nothing else happened.",
        headline="Kim in Russia",
    )
    found = match(parse_query("(putin OR russia) AND missil*"), d)
    assert found is not None
    texts = [(e.field, e.text) for e in found.evidence]
    assert texts == [("headline", "Kim in Russia"), ("body", "Kim met Putin to discuss missiles.")]
    body = found.evidence[1]
    assert [body.text[a:b] for a, b in body.spans] == ["Putin", "missiles"]
    assert found.score == 3  # headline counts double
    assert found.terms == ("missiles", "putin", "russia")


def test_negated_words_are_never_evidence() -> None:
    found = match(parse_query("putin NOT weather"), doc("Putin spoke. Sunny weather elsewhere is not here."))
    assert found is None
    found = match(parse_query("putin NOT seoul"), doc("Putin spoke. Tokyo was quiet."))
    assert found is not None and [e.text for e in found.evidence] == ["Putin spoke."]


def test_phrase_spans_are_joined_in_evidence() -> None:
    found = match(parse_query('"north korea"'), doc("Talks with North  Korea resumed."))
    assert found is not None
    (e,) = found.evidence
    assert [e.text[a:b] for a, b in e.spans] == ["North  Korea"]
    assert e.segments() == [("Talks with ", False), ("North  Korea", True), (" resumed.", False)]


def test_repeated_headline_in_body_is_shown_once() -> None:
    found = match(
        parse_query("putin"), doc("Putin visits.\n\nPutin visits.\n\nMore text.", headline="Putin visits")
    )
    assert found is not None and [e.text for e in found.evidence] == ["Putin visits"]


def test_fingerprint_changes_with_the_evidence_only() -> None:
    q = parse_query("putin")
    a = match(q, doc("Putin spoke. Other news."))
    b = match(q, doc("Putin  spoke. Different unrelated news."))
    c = match(q, doc("Putin spoke loudly. Other news."))
    d = match(q, doc("PUTIN, spoke! Other news."))  # punctuation and case edits are not news
    assert a and b and c and d
    assert a.fingerprint() == b.fingerprint() == d.fingerprint()
    assert a.fingerprint() != c.fingerprint()


def test_hostile_repetition_stays_linear_in_the_pairs_within_reach() -> None:
    # 20,000 x 20,000 candidate pairs if compared naively; a window keeps it to pairs in reach.
    body = "russia korea " * 20000
    found = match(parse_query("(russia NEAR/2 korea) NEAR/3 (russia OR korea)"), doc(body))
    assert found is not None and found.score >= 1


def test_phrase_highlight_spans_non_breaking_spaces_and_dashes() -> None:
    found = match(
        parse_query('"north korea" AND "state of the art"'),
        doc("North\u00a0Korea showed state-of-the-art arms."),
    )
    assert found is not None
    (e,) = found.evidence
    assert [e.text[a:b] for a, b in e.spans] == ["North\u00a0Korea", "state-of-the-art"]
