"""``make run``: one full newswatch cycle through Airflow against the bundled demo newsroom.

Prepares an Airflow home and the article database under ``var/``, starts the demo newsroom and a
mail catcher on 127.0.0.1, runs ``airflow dags test`` for the ingest DAG and then the alerts DAG,
and prints what happened. The first run publishes the original story; every later run publishes
its update, so a second ``make run`` stores one new version and never repeats an alert.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from newswatch.demo.environment import DemoEnvironment
from newswatch.settings import PROJECT_ROOT, load_settings
from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from newswatch.store.reads.counts import cycle_report


def _airflow(env: dict[str, str], log_file: Path, *args: str) -> None:
    """Run an ``airflow`` command, its output kept in ``log_file``; fail with its tail."""
    airflow = str(Path(sys.executable).with_name("airflow"))
    with log_file.open("w") as out:
        code = subprocess.call([airflow, *args], env=env, stdout=out, stderr=subprocess.STDOUT)
    if code != 0:
        tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-30:])
        raise SystemExit(f"airflow {' '.join(args)} failed (exit {code}); see {log_file}\n{tail}")


def _summary(database_url: str, since: datetime, mail_dir: Path | None, mail_before: set[str]) -> str:
    engine = make_engine(database_url)
    try:
        report = cycle_report(engine, since)
    finally:
        engine.dispose()
    runs = report["runs"]
    add = lambda key: sum(int(r[key] or 0) for r in runs)  # noqa: E731
    lines = [f"Sources:   {len(runs)} ({', '.join(sorted(r['source_name'] for r in runs)) or 'none'})"]
    failed = [r["source_name"] for r in runs if not r["ok"]]
    if failed:
        lines.append(f"  failed:  {', '.join(failed)}")
    lines.append(f"Requests:  {report['requests']} (pages fetched {add('fetched')}, not modified "
                 f"{add('not_modified')}, failed {add('failed')})")
    lines.append(f"Revisits:  {add('revisited')} known articles checked again ({add('revisit_not_modified')} "
                 f"unchanged, {add('revisit_changed')} changed)")
    lines.append(f"Articles:  new {add('new')}, updated {add('updated')}, unchanged {add('unchanged')}  "
                 f"(database now: {report['articles']} articles, {report['versions']} versions)")
    lines.append(f"Alerts sent this run: {len(report['sent'])}")
    for subject, recipients in report["sent"]:
        lines.append(f"  - {subject}  → {', '.join(recipients)}")
    if mail_dir is not None:
        new_mail = sorted(set(p.name for p in mail_dir.glob("*.eml")) - mail_before)
        lines.append(f"Mail kept in {mail_dir.relative_to(PROJECT_ROOT)}/ ({len(new_mail)} new message(s))")
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    since = datetime.now(UTC)
    demo = DemoEnvironment.for_project()
    phase = demo.next_phase()
    settings = load_settings(environ=demo.env)
    print(f"newswatch demo: cycle {demo.cycle_number()} (newsroom phase {phase}"
          f"{': the sample article gets its update' if phase == 2 else ''})", flush=True)
    upgrade(settings.database_url)
    with demo.running_services() as services:
        print(f"  newsroom: {', '.join(services.newsroom_urls.values())}", flush=True)
        print(f"  mail:     {services.smtp_description}", flush=True)
        mail_before = {p.name for p in demo.mail_dir.glob("*.eml")}
        print("  airflow db migrate …", flush=True)
        _airflow(demo.env, demo.log_dir / "airflow-db-migrate.log", "db", "migrate")
        for dag_id in ("newswatch_ingest", "newswatch_alerts"):
            print(f"  airflow dags test {dag_id} …", flush=True)
            _airflow(demo.env, demo.log_dir / f"{dag_id}.log", "dags", "test", dag_id)
    print()
    print(_summary(settings.database_url, since, demo.mail_dir if services.own_smtp else None, mail_before))
    print(f"Data:      {settings.database_url}")
    print("Try:       .venv/bin/newswatch search 'Kim drones'   |   "
          "sqlite3 var/newswatch.db 'select * from articles'")
    print(f"Logs:      {demo.log_dir.relative_to(PROJECT_ROOT)}/   ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    os.chdir(PROJECT_ROOT)
    sys.exit(main())
