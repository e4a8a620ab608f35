"""Run one stage of the cycle in its own process, so a test can SIGKILL it mid-way.

``python worker.py ingest|alerts|send`` with settings in ``NEWSWATCH_*`` variables and the SMTP
port in ``RELIABILITY_SMTP_PORT``; ``RELIABILITY_NOW`` (ISO) fixes the sender's clock. Prints a
JSON summary on success. Like an Airflow task process, it has no state beyond the database.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cycle


def main(stage: str) -> int:
    settings = cycle.settings_from(dict(os.environ))
    now_text = os.environ.get("RELIABILITY_NOW")
    now = datetime.fromisoformat(now_text) if now_text else datetime.now(UTC)
    port = int(os.environ.get("RELIABILITY_SMTP_PORT", "0"))
    worker = os.environ.get("RELIABILITY_WORKER", f"pid{os.getpid()}")
    if stage == "ingest":
        result: object = [s.as_dict() for s in cycle.ingest(settings, run_id=worker)]
    elif stage == "alerts":
        result = cycle.alerts(settings, port, now, worker)
    elif stage == "send":
        result = cycle.send(settings, port, now, worker)
    else:
        print(f"unknown stage {stage!r}", file=sys.stderr)
        return 2
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
