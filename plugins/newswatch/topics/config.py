"""Load and validate ``config/topics.yaml``.

A bad entry is reported (file, line, topic, field) and skipped; the other topics still load, so
one analyst's typo does not silence everyone's alerts. Only a file that cannot be read or parsed
at all yields no topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from newswatch.topics.matcher import Match
from newswatch.topics.syntax import (
    Query,
    QuerySyntaxError,
    Term,
    Vocabularies,
    parse_query,
    parse_vocabulary_entry,
)

Delivery = Literal["immediate", "hourly", "daily"]
Realert = Literal["on_evidence_change", "never", "always"]
DELIVERIES: tuple[str, ...] = ("immediate", "hourly", "daily")
REALERTS: tuple[str, ...] = ("on_evidence_change", "never", "always")
_KEYS = {"name", "query", "recipients", "delivery", "min_score", "languages", "realert", "description"}
_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)
_LANG = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})*")
_MAX_NAME = 200  # the width of topics.name / alerts.topic_name in the schema
_VOCABULARY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Topic:
    name: str
    query: Query
    recipients: tuple[str, ...]
    delivery: Delivery = "immediate"
    min_score: float = 0.0
    languages: tuple[str, ...] = ()  # empty: any language
    realert: Realert = "on_evidence_change"
    description: str = ""

    def accepts_language(self, language: str | None) -> bool:
        """True when the topic has no language filter, the article's is unknown, or it is listed."""
        if not self.languages or not language:
            return True
        primary = language.lower().replace("_", "-")
        return any(primary == code or primary.startswith(code + "-") for code in self.languages)

    def accepts(self, found: Match | None, language: str | None) -> bool:
        """Whether a match counts for this topic (alerts, digests, benchmarks): in one of its
        languages and scoring at least ``min_score``."""
        return found is not None and self.accepts_language(language) and found.score >= self.min_score


@dataclass
class LoadedTopics:
    topics: list[Topic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Valid but probably not meant: lower-case operators, which are searched as plain words.
    warnings: list[str] = field(default_factory=list)
    # Named term lists (``vocabularies:`` in the file) that queries use as ``@name``.
    vocabularies: Vocabularies = field(default_factory=dict)

    def by_name(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_topics(path: str | Path) -> LoadedTopics:
    """Read ``path`` and return the valid topics plus one message per problem found."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except OSError as exc:
        return LoadedTopics(errors=[f"{path}: cannot read: {exc.strerror or exc}"])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        return LoadedTopics(errors=[f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}"])
    return parse_topics(data, str(path))


def file_vocabularies(path: str | Path) -> Vocabularies:
    """The vocabularies of a topics file, for searches that may use ``@name``: read again only when
    the file changes (the UI asks on every request); empty when the file cannot be read."""
    try:
        modified = Path(path).stat().st_mtime_ns
    except OSError:
        return {}
    return _vocabularies_as_of(str(path), modified)


@lru_cache(maxsize=8)
def _vocabularies_as_of(path: str, modified: int) -> Vocabularies:
    return load_topics(path).vocabularies


def parse_topics(data: Any, origin: str) -> LoadedTopics:
    """Validate already-parsed YAML data (``{"topics": [...]}``)."""
    result = LoadedTopics()
    if data is None:
        return result
    entries = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        result.errors.append(f"{origin}: expected a mapping with a 'topics:' list")
        return result
    result.vocabularies = _vocabularies(data.get("vocabularies"), origin, result.errors)
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        topic, problems = _topic(entry, f"{origin}: topic #{number}", result.vocabularies)
        result.errors.extend(problems)
        if topic is None:
            continue
        if topic.name in seen:
            result.errors.append(f"{origin}: topic #{number} ({topic.name!r}): duplicate name; skipped")
            continue
        seen.add(topic.name)
        result.topics.append(topic)
        result.warnings.extend(
            f"{origin}: topic #{number} ({topic.name!r}): {w}" for w in query_warnings(topic.query)
        )
    return result


def _vocabularies(raw: Any, origin: str, errors: list[str]) -> Vocabularies:
    """``vocabularies: {name: [entry, ...]}``; a bad entry is reported and left out of its list."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{origin}: 'vocabularies' must map names to lists of words or phrases")
        return {}
    line = raw.pop("__line__", None)
    where = f"{origin}" + (f" (line {line})" if line else "")
    out: Vocabularies = {}
    for name, entries in raw.items():
        if not isinstance(name, str) or not _VOCABULARY_NAME.fullmatch(name):
            errors.append(f"{where}: vocabulary {name!r}: names are letters, digits, '_' and '-'")
            continue
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list) or not entries:
            errors.append(f"{where}: vocabulary {name!r}: a non-empty list of words or phrases")
            continue
        terms: list[Term] = []
        for entry in entries:
            try:
                terms.append(parse_vocabulary_entry(name, entry if isinstance(entry, str) else str(entry)))
            except QuerySyntaxError as exc:
                errors.append(f"{where}: vocabulary {name!r}: entry {entry!r}: {exc}")
        if terms:
            out[name] = tuple(terms)
    return out


def _topic(entry: Any, where: str, vocabularies: Vocabularies) -> tuple[Topic | None, list[str]]:
    if not isinstance(entry, dict):
        return None, [f"{where}: expected a mapping with name, query, recipients"]
    line = entry.pop("__line__", None)
    name = entry.get("name")
    label = f"{where}" + (f" (line {line})" if line else "") + (f" {name!r}" if isinstance(name, str) else "")
    errors = [f"{label}: unknown field {key!r}" for key in sorted(set(entry) - _KEYS, key=str)]
    if not isinstance(name, str) or not name.strip() or len(name) > _MAX_NAME or _has_control(name):
        errors.append(f"{label}: field 'name': required text of at most {_MAX_NAME} characters, one line")
    query = _query(entry.get("query"), label, errors, vocabularies)
    recipients = _recipients(entry.get("recipients"), label, errors)
    delivery = entry.get("delivery", "immediate")
    if delivery not in DELIVERIES:
        errors.append(f"{label}: field 'delivery': {delivery!r} is not one of {', '.join(DELIVERIES)}")
    realert = entry.get("realert", "on_evidence_change")
    if realert not in REALERTS:
        errors.append(f"{label}: field 'realert': {realert!r} is not one of {', '.join(REALERTS)}")
    min_score = entry.get("min_score", 0)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score < 0:
        errors.append(f"{label}: field 'min_score': must be a number >= 0")
    languages = _languages(entry.get("languages", []), label, errors)
    description = entry.get("description", "")
    if not isinstance(description, str):
        errors.append(f"{label}: field 'description': must be text")
    if errors or query is None:
        return None, errors
    return Topic(
        name.strip(), query, recipients, delivery, float(min_score), languages, realert, description
    ), []


_LOWER_OPERATOR = re.compile(r"(?<![\w\"])(and|or|not|near/\d+)(?![\w\"])")


def query_warnings(query: Query) -> list[str]:
    """Lower-case operators outside phrases: searched as words, rarely what the author meant."""
    outside_phrases = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), query.text)
    return [
        f"lower-case {m.group(1)!r} at position {m.start()} is searched as a word; "
        f"write {m.group(1).upper()} for the operator"
        for m in _LOWER_OPERATOR.finditer(outside_phrases)
    ]


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def _query(raw: Any, label: str, errors: list[str], vocabularies: Vocabularies) -> Query | None:
    if not isinstance(raw, str) or not raw.strip():
        errors.append(f"{label}: field 'query': required text")
        return None
    text = " ".join(raw.split())  # YAML folded/literal blocks: newlines are just spaces
    try:
        return parse_query(text, vocabularies)
    except QuerySyntaxError as exc:
        errors.append(
            f"{label}: field 'query': {exc}\n    {exc.pointer().replace(chr(10), chr(10) + '    ')}"
        )
        return None


def _recipients(raw: Any, label: str, errors: list[str]) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        errors.append(f"{label}: field 'recipients': a non-empty list of e-mail addresses")
        return ()
    bad = [r for r in raw if not isinstance(r, str) or not _ADDRESS.fullmatch(r)]
    if bad:
        errors.append(f"{label}: field 'recipients': not a plain address: {', '.join(map(repr, bad))}")
    unique: dict[str, str] = {}
    for address in (r for r in raw if isinstance(r, str)):
        unique.setdefault(address.lower(), address)  # the first spelling wins
    return tuple(unique.values())


def _languages(raw: Any, label: str, errors: list[str]) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(c, str) and _LANG.fullmatch(c.lower()) for c in raw):
        errors.append(f"{label}: field 'languages': a list of language codes such as [en, fr]")
        return ()
    return tuple(c.lower() for c in raw)
