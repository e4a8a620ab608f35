"""SQL injection through every analyst-facing argument: the search query and its filters, article
and story references, topic dry-runs and export windows. Each payload is either a clean one-line
error or harmless data; the database is unchanged afterwards and no payload widens a result.
"""

from __future__ import annotations

import json
from pathlib import Path

import cycle
import pytest
from newswatch.cli import main
from newswatch.store.engine import make_engine
from sqlalchemy import inspect

PAYLOADS = [
    "'; DROP TABLE articles; --",
    "x' OR '1'='1",
    '" OR ""="',
    "1; DELETE FROM alerts",
    "1 OR 1=1",
    "') OR ('a'='a",
    "%' OR '%'='",
    "\\'; TRUNCATE article_versions; --",
    "x'); UPDATE articles SET outlet='pwned'; --",
    "$$; DROP TABLE stories; $$",
    "%(limit)s",
    ":limit",
    "{0}",
    "!& | <-> :* \\\\",
    "korea' & 'x",
    "\x00'; DROP TABLE articles; --",
    "1 UNION SELECT password FROM pg_shadow --",
    "-1",
    "9" * 40,
    "https://x.example/' OR '1'='1",
]

COMMANDS = [
    lambda p: ["search", p, "--format", "json", "--since", "3650d"],
    lambda p: ["search", "korea", "--source", p, "--format", "json", "--since", "3650d"],
    lambda p: ["search", "korea", "--since", p],
    lambda p: ["search", "korea", "--until", p],
    lambda p: ["show", p],
    lambda p: ["history", p],
    lambda p: ["story", p],
    lambda p: ["export", "--since", p],
    lambda p: ["topics", "test", p, "--since", "3650d"],
    lambda p: ["alerts", "outbox", "--status", p],
]


def _schema(db_url: str) -> list[str]:
    engine = make_engine(db_url)
    try:
        return sorted(inspect(engine).get_table_names()) + sorted(inspect(engine).get_view_names())
    finally:
        engine.dispose()


def test_payloads_through_every_cli_argument_change_nothing(
    db_url: str, tmp_path: Path, newsroom, topics_file: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    env = cycle.environment(db_url, sources, topics_file)
    cycle.ingest(cycle.settings_from(env))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    before, tables = cycle.snapshot(db_url), _schema(db_url)

    tried = 0
    for command in COMMANDS:
        for payload in PAYLOADS:
            argv = command(payload)
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse refusing a value (e.g. a --status choice)
                code = int(exc.code or 0)
            out, err = capsys.readouterr()
            tried += 1
            assert code in (0, 1, 2), (argv, code, err)
            assert "Traceback" not in out + err, (argv, err)
            # a short message, not a dump: argparse's usage lines (however they wrap) aside, at most
            # three lines (a query error shows the query and a caret under the fault)
            told = [line for line in err.strip().splitlines() if not line.startswith(("usage:", " "))]
            assert len(told) <= 3, (argv, err)
    assert cycle.snapshot(db_url) == before
    assert _schema(db_url) == tables
    assert tried == len(COMMANDS) * len(PAYLOADS)


def test_injection_shaped_search_matches_like_plain_words(
    db_url: str, tmp_path: Path, newsroom, topics_file: Path,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Quotes, comments and statements are just more words: ANDed to ``korea`` they can only narrow."""
    sources = cycle.write_sources(tmp_path / "sources.yaml", newsroom.base_urls)
    env = cycle.environment(db_url, sources, topics_file)
    cycle.ingest(cycle.settings_from(env))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["search", "korea", "--format", "json", "--since", "3650d"]) == 0
    korea = {h["article_id"] for h in json.loads(capsys.readouterr().out)}
    assert len(korea) >= 3
    for payload in ("korea' AND '1'='1", "korea'; DROP TABLE articles; --", "korea'--", "korea\\' OR 1=1"):
        code = main(["search", payload, "--format", "json", "--since", "3650d"])
        out, _ = capsys.readouterr()
        assert code != 0 or {h["article_id"] for h in json.loads(out)} <= korea, payload
