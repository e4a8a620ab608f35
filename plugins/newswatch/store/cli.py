"""Former home of the analyst commands (now :mod:`newswatch.analyst.cli`), until ``newswatch.cli`` names it."""

from newswatch.analyst.cli import register

__all__ = ["register"]
