"""Package imports run one way: entry points → flows → stages → store → models, settings, errors.

Checked over every import in the source (module level, inside functions, for type checking), so a
shortcut that reaches upward fails here instead of in a review. Each package's ``cli`` module is
an entry point of its own, wherever it lives.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "newswatch"

# Lower numbers are lower layers; a module may import its own layer and those below.
LAYERS: dict[str, int] = {
    "newswatch.errors": 0,
    "newswatch.models": 0,
    "newswatch.settings": 0,
    "newswatch.timerange": 0,
    "newswatch.store": 1,
    "newswatch.sources": 2,
    "newswatch.fetch": 2,
    "newswatch.extract": 2,
    "newswatch.identify": 2,
    "newswatch.revisit": 2,
    "newswatch.topics": 2,
    "newswatch.alerts": 2,
    "newswatch.topic_search": 2,
    "newswatch.pipeline": 3,
    "newswatch.reprocess": 3,
    "newswatch.maintenance": 3,
    "newswatch.ops_notices": 3,
    "newswatch.cli": 4,
    "newswatch.analyst": 4,
    "newswatch.airflow": 4,
    "newswatch.demo": 4,
}
# Imports the layers allow that are still wrong (importer, imported): the fetcher gets the database
# only as an injected lease store; matching knows nothing of the outbox that follows it.
FORBIDDEN = [("newswatch.fetch", "newswatch.store"), ("newswatch.topics", "newswatch.alerts")]


def layer(module: str) -> int | None:
    if module.endswith(".cli") or module == "newswatch.__main__":
        return 4
    best = None
    for prefix, number in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, number)
    return best[1] if best else None


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def imports(path: Path, dotted: str) -> set[str]:
    found: set[str] = set()
    package = dotted.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "newswatch" or m.startswith("newswatch.")}


def modules() -> list[tuple[Path, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((path, ".".join(parts)))
    return out


def violations() -> list[str]:
    found = []
    for path, dotted in modules():
        own = layer(dotted)
        if own is None:
            continue
        for target in sorted(imports(path, dotted)):
            theirs = layer(target)
            if theirs is not None and theirs > own:
                found.append(f"{dotted} (layer {own}) imports {target} (layer {theirs})")
            for importer, imported in FORBIDDEN:
                if within(dotted, importer) and within(target, imported) and not dotted.endswith(".cli"):
                    found.append(f"{dotted} imports {target}")
    return found


def test_only_the_store_builds_sql_against_the_schema() -> None:
    users = [
        dotted
        for path, dotted in modules()
        if not within(dotted, "newswatch.store")
        and any(within(m, "newswatch.store.schema") for m in imports(path, dotted))
    ]
    assert users == []


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Imports inside functions and TYPE_CHECKING blocks, and relative ones, are all seen."""
    source = tmp_path / "mod.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from newswatch.store.schema import fetches\n"
        "def f():\n    import newswatch.store.engine\n"
        "from ..store import url_state\n"
    )
    found = imports(source, "newswatch.fetch.mod")
    assert {"newswatch.store.schema", "newswatch.store.engine", "newswatch.store.url_state"} <= found


def test_every_module_has_a_layer() -> None:
    assert [d for _, d in modules() if d != "newswatch" and layer(d) is None] == []


def test_imports_run_one_way() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [("newswatch.store.articles", 1), ("newswatch.extract.cli", 4), ("newswatch.models", 0)],
)
def test_layers_are_read_by_longest_prefix(module: str, expected: int) -> None:
    assert layer(module) == expected
