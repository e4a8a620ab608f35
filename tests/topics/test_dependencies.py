"""The query language is shared by alerts, search and the UI, so it depends on none of them:
no topics module imports ``newswatch.alerts``, and only the store touches the schema."""

from __future__ import annotations

import ast
from pathlib import Path

import newswatch.topics

TOPICS = Path(newswatch.topics.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_topics_module_imports_alerts_or_the_schema() -> None:
    modules = sorted(TOPICS.glob("*.py"))
    assert len(modules) >= 5
    for module in modules:
        bad = {n for n in _imports(module) if n.startswith(("newswatch.alerts", "newswatch.store.schema"))}
        assert not bad, f"{module.name} imports {sorted(bad)}"
