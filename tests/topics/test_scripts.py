"""Matching in every script: Chinese/Japanese without spaces, Korean nouns with particles,
Cyrillic and Greek folded like Latin; evidence sentences and highlights in each."""

from __future__ import annotations

import pytest
from newswatch.topics.config import parse_topics
from newswatch.topics.index import TopicIndex
from newswatch.topics.matcher import Doc, match
from newswatch.topics.syntax import QuerySyntaxError, parse_query
from newswatch.topics.text import sentence_bounds


def _doc(body: str, headline: str = "") -> Doc:
    return Doc.from_parts(headline=headline, body=body)


def _highlights(query: str, body: str) -> list[str]:
    found = match(parse_query(query), _doc(body))
    assert found is not None, f"{query!r} should match {body!r}"
    return [piece for e in found.evidence for piece, hit in e.segments() if hit]


@pytest.mark.parametrize(
    ("query", "body", "marked"),
    [
        ("朝鲜", "俄罗斯与朝鲜签署了军事合作协议。", ["朝鲜"]),
        ("北朝鮮", "ロシアと北朝鮮が軍事協力を強化した。", ["北朝鮮"]),
        ("軍事", "ロシアと北朝鮮が軍事協力を強化した。", ["軍事"]),
        ('"北朝鮮 軍事"', "北朝鮮 軍事パレード", ["北朝鮮 軍事"]),
        ("俄", "中俄关系", ["俄"]),  # one character: where a pair starts with it
        ("북한", "북한이 러시아에 포탄을 보냈다.", ["북한"]),  # the noun, not its particle
        ("북한", "러시아는 북한과 조약을 맺었다.", ["북한"]),
        ("러시아", "북한은 러시아에서 열린 회담에 참석했다.", ["러시아"]),
        ('"북한 러시아"', "북한과 러시아의 조약", ["북한", "러시아"]),
        ("군사*", "양국의 군사협력이 강화됐다.", ["군사협력이"]),
        ("москва", "МОСКВА, 19 июня. Путин прибыл в Пхеньян.", ["МОСКВА"]),
        ("пхеньян*", "Путин прибыл в Пхеньян.", ["Пхеньян"]),
        ("αθηνα", "Η Αθήνα απάντησε.", ["Αθήνα"]),
    ],
)
def test_terms_match_inside_each_script(query: str, body: str, marked: list[str]) -> None:
    assert _highlights(query, body) == marked


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("北朝鮮", "北朝の歴史と朝鮮半島の文化。"),  # both pairs present, not consecutive
        ("북한", "주말에 북한산에 올랐다."),  # a mountain in Seoul, not North Korea
        ("朝鲜", "朝阳区的鲜花市场。"),
        ("북한", "북 한"),
    ],
)
def test_near_misses_do_not_match(query: str, body: str) -> None:
    assert match(parse_query(query), _doc(body)) is None


def test_near_counts_two_characters_a_word_in_chinese() -> None:
    query = parse_query("俄罗斯 NEAR/5 军事")
    assert match(query, _doc("俄罗斯" + "的" * 10 + "军事。")) is not None  # 10 characters: 5 words
    assert match(query, _doc("俄罗斯" + "的" * 11 + "军事。")) is None


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("俄朝签署协议。双方将加强合作！是否有效？", ["俄朝签署协议。", "双方将加强合作！", "是否有效？"]),
        ("「北朝鮮が発射した。」政府は抗議した。", ["「北朝鮮が発射した。」", "政府は抗議した。"]),
        ("本当！？次の話。", ["本当！？", "次の話。"]),
        ("북한이 발사했다. 정부는 항의했다.", ["북한이 발사했다.", "정부는 항의했다."]),
        ("Москва заявила. Пхеньян ответил.", ["Москва заявила.", "Пхеньян ответил."]),
    ],
)
def test_evidence_sentences_split_in_each_script(text: str, sentences: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_bounds(text)] == sentences


def test_evidence_is_the_sentence_holding_the_term() -> None:
    found = match(parse_query("军事"), _doc("天气晴朗。俄朝两国加强军事合作。股市上涨。"))
    assert found is not None
    assert [e.text for e in found.evidence] == ["俄朝两国加强军事合作。"]


def test_a_prefix_needs_two_hangul_syllables_or_three_letters() -> None:
    parse_query("군사*")
    with pytest.raises(QuerySyntaxError):
        parse_query("군*")
    with pytest.raises(QuerySyntaxError):
        parse_query("mi*")


def _loaded(query: str):
    data = {
        "vocabularies": {
            "russia": ["russia*", "러시아", "俄罗斯", "ロシア", "росси*"],
            "north_korea": ['"north korea*"', "북한", "朝鲜", "北朝鮮", "кндр"],
        },
        "topics": [{"name": "t", "query": query, "recipients": ["a@example.com"]}],
    }
    return parse_topics(data, "topics.yaml")


def test_vocabularies_expand_and_name_the_entry_that_matched() -> None:
    loaded = _loaded("@russia NEAR/10 @north_korea")
    assert loaded.errors == []
    query = loaded.topics[0].query
    for body, expected in [
        ("Russia and North Korea met.", ['@north_korea: "north korea*"', "@russia: russia*"]),
        ("러시아와 북한이 만났다.", ["@north_korea: 북한", "@russia: 러시아"]),
        ("俄罗斯与朝鲜会谈。", ["@north_korea: 朝鲜", "@russia: 俄罗斯"]),
        ("ロシアと北朝鮮が会談。", ["@north_korea: 北朝鮮", "@russia: ロシア"]),
        ("Россия и КНДР провели переговоры.", ["@north_korea: кндр", "@russia: росси*"]),
    ]:
        found = match(query, _doc(body))
        assert found is not None, body
        assert list(found.vocabulary) == expected


def test_the_topic_index_finds_topics_by_words_of_every_script() -> None:
    topics = [t for t in _loaded("@russia NEAR/10 @north_korea").topics]
    index = TopicIndex(topics)
    assert index.match(_doc("俄罗斯与朝鲜会谈。"))
    assert index.match(_doc("러시아와 북한이 만났다."))
    assert not index.match(_doc("러시아와 북한산에 갔다."))


def test_unknown_vocabulary_is_an_error_naming_it() -> None:
    loaded = _loaded("@russia NEAR/10 @korea")
    assert not loaded.topics
    assert "@korea" in loaded.errors[0]
