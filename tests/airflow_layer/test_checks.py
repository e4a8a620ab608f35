"""The run verdicts and the failed task's last line, without Airflow: states in, verdict out."""

from __future__ import annotations

import logging

import pytest
from newswatch.airflow.tasks import (
    RunFailed,
    TaskFailed,
    check_alerts,
    check_ingest,
    error_line,
    error_line_last,
    failed_instances,
)
from newswatch.errors import NewswatchError, short_reason
from newswatch.pipeline import SourceFailed

SHARDS = [{"label": "straits-daily", "sources": ["straits-daily"]}, {"label": "dead", "sources": ["dead"]}]


def test_failed_instances_are_named_by_label_in_map_order() -> None:
    states = {"plan": "success", "ingest_0": "success", "ingest_1": "upstream_failed"}
    assert failed_instances(states, "ingest", ["a", "b", "c"]) == ["b", "c"]  # c never ran at all


def test_check_ingest_names_the_failed_instances() -> None:
    states = {"plan": "success", "summarize": "success", "ingest_0": "success", "ingest_1": "failed"}
    with pytest.raises(RunFailed, match=r"1 of 2 ingest instance\(s\) failed: dead$"):
        check_ingest(SHARDS, states)
    states["ingest_1"] = "success"
    assert check_ingest(SHARDS, states) == {"ingest_instances": 2}


def test_check_ingest_fails_when_planning_failed() -> None:
    with pytest.raises(RunFailed, match="plan"):
        check_ingest(None, {"plan": "failed", "summarize": "success"})
    assert check_ingest([], {"plan": "success", "summarize": "success", "ingest": "skipped"}) == {
        "ingest_instances": 0
    }


def test_check_alerts_fails_on_failed_or_unknown_alerts_with_the_command_to_use() -> None:
    done = {"match": "success", "send": "success"}
    assert check_alerts({"sent": 2, "failed": 0, "unknown": 0}, done) == {"sent": 2}
    with pytest.raises(RunFailed, match=r"0 alert\(s\) failed, 1 unknown.*--status unknown.*requeue"):
        check_alerts({"sent": 1, "failed": 0, "unknown": 1}, done)
    with pytest.raises(RunFailed, match="send"):
        check_alerts(None, {"match": "success", "send": "failed"})


def test_short_reason_keeps_the_first_line_short() -> None:
    assert short_reason("  \n first   line \n second") == "first line"
    cut = short_reason("x" * 500, limit=40)
    assert len(cut) == 40 and cut.endswith("…")


def test_error_line_of_a_source_and_of_any_expected_failure() -> None:
    assert error_line(SourceFailed("gazette", "timeout", "read timed out")) == (
        "source 'gazette' failed: error_kind=timeout: read timed out"
    )
    assert error_line(NewswatchError("bad\nfile", kind="bad_config")) == "error_kind=bad_config: bad"


def test_error_line_last_logs_the_short_line_last_and_exits_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="newswatch.airflow.tasks")
    with pytest.raises(TaskFailed) as raised, error_line_last():
        raise SourceFailed("gazette", "connection", "refused " * 100)
    line = raised.value.code
    assert isinstance(raised.value, SystemExit) and raised.value.kind == "connection"
    assert isinstance(line, str) and line.startswith(
        "source 'gazette' failed: error_kind=connection: refused"
    )
    assert len(line) < 250
    assert caplog.records[-1].getMessage() == line
    assert caplog.records[-2].exc_info is not None  # the detail (with its traceback) sits above


def test_error_line_last_leaves_bugs_alone() -> None:
    with pytest.raises(KeyError), error_line_last():
        raise KeyError("a bug keeps its traceback")
