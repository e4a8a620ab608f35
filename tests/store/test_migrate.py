"""The migrations build the schema the code declares, on both databases."""

from newswatch.store.engine import make_engine
from newswatch.store.migrate import upgrade
from newswatch.store.schema import metadata
from sqlalchemy import inspect


def test_migrations_create_every_declared_table_and_are_rerunnable(db_url: str) -> None:
    upgrade(db_url)  # a second run is a no-op, not an error
    engine = make_engine(db_url)
    try:
        present = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(metadata.tables) <= present
