"""The shipped topic "Russia–North Korea military ties" catches the story and its wire copies and
stays silent on articles that merely mention Russia and Korea."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from newswatch.topics.config import Topic, load_topics
from newswatch.topics.query import Doc, match

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def topic() -> Topic:
    loaded = load_topics(ROOT / "config" / "topics.yaml")
    found = loaded.by_name("Russia–North Korea military ties")
    assert found is not None
    return found


def fires(topic: Topic, headline: str, body: str, language: str = "en") -> bool:
    doc = Doc.from_parts(headline=headline, body=body, language=language)
    return topic.accepts(match(topic.query, doc), language)


def from_file(name: str) -> tuple[str, str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return text.splitlines()[2], text


def test_the_shared_sample_is_the_one_in_the_tests() -> None:
    # the shared folder sits beside the repository (as in CI); elsewhere there is nothing to compare
    shared = Path(__file__).resolve().parents[3] / "shared" / "samples" / "kim-russia-trip-2023-09-18.txt"
    if not shared.exists():
        pytest.skip("shared sample not present")
    assert shared.read_text(encoding="utf-8") == (DATA / "sample-kim-russia-trip.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("name", ["sample-kim-russia-trip.txt", "wire-copy-kim-russia-trip.txt"])
def test_catches_the_sample_and_its_wire_copy(topic: Topic, name: str) -> None:
    assert fires(topic, *from_file(name))


def test_catches_short_wire_items(topic: Topic) -> None:
    assert fires(
        topic,
        "Pyongyang shipped artillery shells to Moscow, U.S. says",
        "U.S. officials said on Friday that Pyongyang had delivered more than a million artillery "
        "shells to Russia. The Kremlin declined to comment.",
    )
    assert fires(
        topic,
        "Putin and Kim sign mutual defence pact",
        "Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a mutual defence "
        "pact in Pyongyang on Wednesday.",
    )


@pytest.mark.parametrize(
    "name", ["near-miss-sport.txt", "near-miss-weather.txt", "near-miss-south-korea.txt"]
)
def test_silent_on_near_misses(topic: Topic, name: str) -> None:
    assert not fires(topic, *from_file(name))


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        (
            "Russia and North Korea open new bridge for tourists",
            "Tour operators in Russia said the first group of tourists crossed into North Korea by train, "
            "with visits to Pyongyang's museums and the Masikryong ski resort.",
        ),
        (
            "Korean pop concert in Moscow sells out",
            "South Korean band performed in Moscow on Saturday; "
            "fans from across Russia travelled to the show.",
        ),
        (
            "North Korea's chess team wins in Kazan",
            "North Korea's chess players beat hosts Russia in the final round in Kazan. "
            "The captain praised his team's attack and defence.",
        ),
        ("Russian military parade in Moscow", "The parade marked the anniversary of the victory in 1945."),
    ],
)
def test_silent_on_more_near_misses(topic: Topic, headline: str, body: str) -> None:
    assert not fires(topic, headline, body)


def test_language_filter(topic: Topic) -> None:
    headline, body = from_file("sample-kim-russia-trip.txt")
    assert not fires(topic, headline, body, language="de")


def _labelled() -> list[dict[str, str]]:
    return yaml.safe_load((DATA / "multilingual.yaml").read_text(encoding="utf-8"))["texts"]


def test_the_shipped_file_loads_without_problems() -> None:
    loaded = load_topics(ROOT / "config" / "topics.yaml")
    assert loaded.errors == []
    assert {"russia", "north_korea", "military"} <= set(loaded.vocabularies)


def test_the_labelled_set_covers_five_languages_with_stories_and_near_misses() -> None:
    kinds = {(t["language"], t["label"]) for t in _labelled()}
    assert kinds == {
        (lang, label) for lang in ("en", "ko", "ru", "zh", "ja") for label in ("story", "near-miss")
    }


@pytest.mark.parametrize("text", _labelled(), ids=lambda t: t["id"])
def test_fires_on_every_labelled_story_and_no_near_miss(topic: Topic, text: dict[str, str]) -> None:
    assert fires(topic, text["headline"], text["body"], text["language"]) == (text["label"] == "story")
