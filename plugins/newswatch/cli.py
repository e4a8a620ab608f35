"""The ``newswatch`` command for analysts and operators.

Each area registers its own sub-commands (``register(subparsers)`` in ``<area>/cli.py``), so this
module only assembles them, builds the settings once for the command it runs (``args.settings``),
and turns expected errors into a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newswatch.errors import NewswatchError
from newswatch.settings import load_settings

# Modules that define ``register(subparsers) -> None``; each sub-parser sets ``func(args) -> int``.
COMMAND_MODULES = (
    "newswatch.fetch.cli",
    "newswatch.extract.cli",
    "newswatch.analyst.cli",
    "newswatch.topics.cli",
    "newswatch.alerts.cli",
    "newswatch.sources.cli",
)


class CommandError(NewswatchError):
    """An expected failure (bad input, unknown id): printed as one line, exit status 2."""

    kind = "bad_input"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswatch", description="newswatch: search, inspect and test the article database and topics."
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # that area has no commands yet
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        args.settings = load_settings()
        return int(args.func(args) or 0)
    except NewswatchError as exc:
        print(f"newswatch {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
