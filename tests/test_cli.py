"""The ``newswatch`` command: every area's sub-commands, the settings built once per invocation
and handed to the command, and expected failures as one line with exit status 2."""

from __future__ import annotations

import pytest
from newswatch import cli
from newswatch.settings import Settings


def test_every_area_registers_its_commands() -> None:
    commands = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"topics", "alerts"} <= set(commands)
    assert "newswatch.alerts.cli" in cli.COMMAND_MODULES


def test_settings_are_built_once_and_reach_the_command(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSWATCH_DATABASE_URL", db_url)
    built: list[Settings] = []
    real = cli.load_settings

    def counting() -> Settings:
        built.append(real())
        return built[-1]

    monkeypatch.setattr(cli, "load_settings", counting)
    assert cli.main(["alerts", "outbox"]) == 0  # reads the database the settings name
    assert "no alerts" in capsys.readouterr().out
    assert len(built) == 1 and built[0].database_url == db_url


def test_a_bad_setting_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSWATCH_ALERT_MATCH_BATCH", "many")
    assert cli.main(["topics", "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newswatch topics: ") and "NEWSWATCH_ALERT_MATCH_BATCH" in err
    assert len(err.strip().splitlines()) == 1


def test_command_errors_carry_an_error_kind() -> None:
    assert issubclass(cli.CommandError, cli.NewswatchError) and cli.CommandError("x").kind == "bad_input"
