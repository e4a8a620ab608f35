"""A later migration that rebuilds a table in Alembic batch mode must not be blocked by the views."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Engine, text


def test_batch_rebuild_of_a_viewed_table_works_and_the_view_follows(engine: Engine) -> None:
    with engine.begin() as conn:
        ops = Operations(MigrationContext.configure(conn, opts={"render_as_batch": True}))
        # On SQLite force the create-copy-drop-rename path batch mode uses for most changes;
        # PostgreSQL alters in place (batch mode is only SQLite's workaround).
        recreate = "always" if engine.dialect.name == "sqlite" else "auto"
        with ops.batch_alter_table("topic_matches", recreate=recreate) as batch:
            batch.add_column(sa.Column("probe", sa.Integer, nullable=True))
        with ops.batch_alter_table("sources", recreate=recreate) as batch:
            batch.add_column(sa.Column("probe", sa.Integer, nullable=True))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM v_topic_hits_daily")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM v_source_health")).scalar_one() == 0
