"""Loading config/topics.yaml: valid topics load, each problem is named, one bad topic spares the rest."""

from __future__ import annotations

from pathlib import Path

from newswatch.topics.config import load_topics

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_loads_the_example_topic() -> None:
    loaded = load_topics(ROOT / "config" / "topics.yaml")
    assert loaded.errors == []
    topic = loaded.by_name("Russia–North Korea military ties")
    assert topic is not None
    assert topic.recipients == ("analysts@example.com",)
    assert topic.delivery == "immediate"


def test_all_fields(tmp_path: Path) -> None:
    loaded = load_topics(
        write(
            tmp_path,
            """
topics:
  - name: Arms
    query: 'arms AND "north korea"'
    recipients: [a@example.com, B@Example.com, a@example.com]
    delivery: daily
    min_score: 2.5
    languages: [en, FR]
    realert: always
""",
        )
    )
    assert loaded.errors == []
    (t,) = loaded.topics
    assert (t.delivery, t.min_score, t.languages, t.realert) == ("daily", 2.5, ("en", "fr"), "always")
    assert t.recipients == ("a@example.com", "B@Example.com")
    assert t.accepts_language("en-GB") and t.accepts_language(None) and not t.accepts_language("de")


def test_a_bad_query_is_an_error_for_that_topic_only(tmp_path: Path) -> None:
    loaded = load_topics(
        write(
            tmp_path,
            """
topics:
  - name: Good
    query: russia
    recipients: [a@example.com]
  - name: Broken
    query: '(russia AND'
    recipients: [a@example.com]
""",
        )
    )
    assert [t.name for t in loaded.topics] == ["Good"]
    (error,) = loaded.errors
    assert "topic #2" in error and "line 6" in error and "'Broken'" in error and "field 'query'" in error
    assert "position 11" in error and "(russia AND\n" in error


def test_every_field_is_checked(tmp_path: Path) -> None:
    loaded = load_topics(
        write(
            tmp_path,
            """
topics:
  - name: X
    query: russia
    recipients: ["a@example.com\\r\\nBcc: evil@example.com"]
    delivery: weekly
    min_score: -1
    languages: [english!]
    realert: sometimes
    colour: red
  - name: X2
  - name: Dup
    query: a1b
    recipients: [a@example.com]
  - name: Dup
    query: a1b
    recipients: [a@example.com]
  - just a string
""",
        )
    )
    assert [t.name for t in loaded.topics] == ["Dup"]
    joined = "\n".join(loaded.errors)
    for fragment in (
        "field 'recipients'",
        "field 'delivery'",
        "field 'min_score'",
        "field 'languages'",
        "field 'realert'",
        "unknown field 'colour'",
        "topic #2",
        "field 'query': required",
        "duplicate name",
        "topic #5: expected a mapping",
    ):
        assert fragment in joined, fragment


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    missing = load_topics(tmp_path / "nope.yaml")
    assert missing.topics == [] and "cannot read" in missing.errors[0]
    broken = load_topics(write(tmp_path, "topics:\n  - name: [unclosed\n"))
    assert (
        broken.topics == [] and "topics.yaml:3" in broken.errors[0] and "not valid YAML" in broken.errors[0]
    )
    wrong = load_topics(write(tmp_path, "- a\n- b\n"))
    assert "expected a mapping with a 'topics:' list" in wrong.errors[0]
    assert load_topics(write(tmp_path, "")).errors == []


def test_yaml_tags_cannot_build_objects(tmp_path: Path) -> None:
    loaded = load_topics(write(tmp_path, "topics: !!python/object/apply:os.system ['echo pwned']\n"))
    assert loaded.topics == [] and "not valid YAML" in loaded.errors[0]


def test_lower_case_operators_are_flagged_but_allowed(tmp_path: Path) -> None:
    loaded = load_topics(
        write(
            tmp_path,
            """
topics:
  - name: Sloppy
    query: 'russia or moscow and "rock and roll" NOT korea'
    recipients: [a@example.com]
""",
        )
    )
    assert [t.name for t in loaded.topics] == ["Sloppy"] and loaded.errors == []
    assert len(loaded.warnings) == 2
    assert "lower-case 'or' at position 7" in loaded.warnings[0] and "write OR" in loaded.warnings[0]
    assert "'and' at position 17" in loaded.warnings[1]
    assert load_topics(ROOT / "config" / "topics.yaml").warnings == []


def test_file_vocabularies_follow_the_file_and_are_empty_without_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from newswatch.topics.config import file_vocabularies

    path = tmp_path / "topics.yaml"
    assert file_vocabularies(path) == {}
    path.write_text("vocabularies:\n  a: [one]\ntopics: []\n")
    first = file_vocabularies(path)
    assert list(first) == ["a"] and file_vocabularies(path) is first  # read once while unchanged
    path.write_text("vocabularies:\n  b: [two]\ntopics: []\n")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert list(file_vocabularies(path)) == ["b"]
