"""The fetch and store packages never import each other (at module level, inside functions or for
type checking): the fetcher gets the database only as an injected lease store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "newswatch"


def imported_modules(source: str, package: str) -> set[str]:
    """Every module an ``import`` or ``from … import`` anywhere in ``source`` names (relative ones
    resolved against ``package``, the dotted package the file lives in)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def crossings(package: str, forbidden: str) -> list[str]:
    """``file: module`` for each import of ``forbidden`` (or a submodule) inside ``package``."""
    out: list[str] = []
    for path in sorted((PACKAGE / package).rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).parent.parts)
        for module in sorted(imported_modules(path.read_text(encoding="utf-8"), dotted)):
            if module == forbidden or module.startswith(forbidden + "."):
                out.append(f"{path.relative_to(PACKAGE)}: {module}")
    return out


@pytest.mark.parametrize(
    ("package", "forbidden"), [("fetch", "newswatch.store"), ("store", "newswatch.fetch")]
)
def test_no_import_crosses_between_fetch_and_store(package: str, forbidden: str) -> None:
    assert crossings(package, forbidden) == []


def test_the_check_sees_every_kind_of_import() -> None:
    """Imports inside functions and TYPE_CHECKING blocks, and relative ones, are all seen."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from newswatch.store.schema import fetches\n"
        "def f():\n    import newswatch.store.engine\n"
        "from ..store import url_state\n"
    )
    found = imported_modules(source, "newswatch.fetch")
    assert {"newswatch.store.schema", "newswatch.store.engine", "newswatch.store.url_state"} <= found
