"""The analyst commands against a real database: output, formats, streaming, and clean errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from newswatch.cli import build_parser, main
from newswatch.models import Article
from newswatch.settings import load_settings
from seed import Seeder
from sqlalchemy import Engine

NOW = datetime.now(UTC).replace(microsecond=0)
BODY = "Kim Jong Un inspected new attack drones on Friday.\nThe drones hit targets at sea."


@pytest.fixture
def data(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    monkeypatch.setenv("COLUMNS", "80")
    repo = Seeder(engine)
    first = repo.store_article(
        Article(headline="Kim inspects drones", body=BODY),
        url="https://one.test/kim",
        final_url=None,
        source_name="s1",
        fetched_at=NOW - timedelta(days=2),
        page_id=None,
    )
    repo.store_article(
        Article(headline="Kim inspects attack drones", body=BODY, authors=["Ann Lee", "Bo Kim"]),
        url="https://one.test/kim",
        final_url=None,
        source_name="s1",
        fetched_at=NOW - timedelta(days=1),
        page_id=None,
    )
    copy = repo.store_article(
        Article(headline="Kim watches drones " + "very long headline " * 10, body=BODY),
        url="https://two.test/x",
        final_url=None,
        source_name="s2",
        fetched_at=NOW - timedelta(hours=5),
        page_id=None,
    )
    return {"article": first.article_id, "story": first.story_id or 0, "copy": copy.article_id}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_table_fits_the_terminal(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "search", "drones", "--since", "7d")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["article_id", "version_no", "fetched_at", "source", "score", "headline"]
    assert len(lines) == 3 and all(len(line) <= 80 for line in lines)
    assert lines[1].startswith(str(data["copy"])) and lines[1].endswith("…")


def test_search_json_and_csv(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "search", '"kim jong un"', "--format", "json", "--source", "s1")
    hits = json.loads(out)
    assert [(h["article_id"], h["version_no"]) for h in hits] == [(data["article"], 2)]
    _, out, _ = run(capsys, "search", "drones", "--format", "csv", "--limit", "1")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0]["outlet"] == "two.test" and rows[0]["source"] == "s2"


def test_show_by_id_or_any_url(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "http://www.one.test/kim/?utm_source=x")
    assert code == 0 and "Kim inspects attack drones" in out and "versions: 2" in out
    _, out, _ = run(capsys, "show", str(data["article"]), "--format", "json")
    assert json.loads(out)["latest"]["version_no"] == 2


def test_history_shows_diffs(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "history", str(data["article"]))
    assert code == 0 and "(2 versions)" in out and "{+attack+}" in out


def test_story_lists_outlets(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "story", str(data["story"]))
    assert code == 0 and "2 articles from 2 outlets: s1, s2" in out  # by source name


def test_export_streams_every_version(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "export", "--since", "30d", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["article_id"], r["version_no"]) for r in rows] == [
        (data["article"], 1),
        (data["article"], 2),
        (data["copy"], 1),
    ]
    assert rows[0]["body"] == BODY
    _, out, _ = run(capsys, "export", "--since", "36h", "--format", "csv")
    exported = list(csv.DictReader(io.StringIO(out)))
    assert [r["version_no"] for r in exported] == ["2", "1"]
    # times as ISO with their offset, lists as JSON: a spreadsheet or a script reads them back
    assert exported[0]["fetched_at"] == (NOW - timedelta(days=1)).isoformat()
    assert json.loads(exported[0]["authors"]) == ["Ann Lee", "Bo Kim"]


def test_stats(data: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "stats", "--format", "json")
    stats = json.loads(out)
    assert (stats["articles"], stats["versions"], stats["stories"]) == (2, 3, 1)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("show", "999999"), "unknown article"),
        (("show", "not-a-url"), "unknown article"),
        (("show", "9" * 30), "unknown article"),
        (("show", "https://[::1/x"), "unknown article"),
        (("history", "https://nowhere.test/x"), "unknown article"),
        (("story", "abc"), "by its number"),
        (("story", "424242"), "unknown story"),
        (("search", '"kim jong'), "malformed query: unterminated phrase"),
        (("search", "kim AND"), "malformed query: the query ends where"),
        (("search", "NOT drones"), "malformed query"),
        (("search", "kim", "--since", "yesterday-ish"), "cannot read"),
        (("search", "kim", "--since", "1d", "--until", "3d"), "bad date range"),
        (("search", "kim", "--since", "2999-01-01"), "in the future"),
        (("search", "kim", "--limit", "0"), "--limit"),
        (("export", "--since", "5d", "--until", "6d", "--format", "csv"), "bad date range"),
    ],
)
def test_bad_input_is_one_line_never_a_traceback(
    data: dict[str, int], capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unmigrated_database_is_a_clear_error(
    empty_db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", empty_db_url)
    if empty_db_url.startswith("sqlite:///"):
        Path(empty_db_url.removeprefix("sqlite:///")).touch()  # exists, but holds no tables
    code, _, err = run(capsys, "stats")
    assert code == 2 and err.startswith("newswatch stats: database error:") and "migrated" in err


def test_missing_sqlite_file_is_reported_not_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "absent" / "newswatch.db"
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", f"sqlite:///{target}")
    code, _, err = run(capsys, "search", "drones")
    assert code == 2 and "no database at" in err and not target.parent.exists()


def test_search_speaks_the_topic_query_language(
    data: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(capsys, "search", "headline:attack", "--format", "json")
    hits = json.loads(out)
    assert [h["article_id"] for h in hits] == [data["article"]]
    assert hits[0]["score"] >= 1 and any("attack" in e.lower() for e in [hits[0]["evidence"]])
    _, out, _ = run(capsys, "search", "kim NOT headline:attack", "--format", "json")
    assert [h["article_id"] for h in json.loads(out)] == [data["copy"]]
    _, out, _ = run(capsys, "search", "headline:(attack OR watches)", "--format", "json")
    assert {h["article_id"] for h in json.loads(out)} == {data["article"], data["copy"]}


def test_commands_read_the_settings_they_are_handed(
    data: dict[str, int],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The entry point builds the settings; a command never loads its own from the environment."""
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    for argv in (["stats", "--format", "json"], ["show", str(data["article"])], ["search", "drones"]):
        args = build_parser().parse_args(argv)
        args.settings = load_settings({"NEWSWATCH_DATABASE_URL": db_url})
        assert args.func(args) == 0
        out, _ = capsys.readouterr()
        assert "drones" in out or json.loads(out)["articles"] == 2


def test_search_reads_the_topics_files_vocabularies(
    data: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text("vocabularies:\n  assault: [attack, offensive]\ntopics: []\n")
    monkeypatch.setenv("NEWSWATCH_TOPICS_FILE", str(topics))
    code, out, _ = run(capsys, "search", "headline:@assault", "--format", "json")
    assert code == 0 and [h["article_id"] for h in json.loads(out)] == [data["article"]]
    code, _, err = run(capsys, "search", "@unknown_list")
    assert code == 2 and "unknown_list" in err
