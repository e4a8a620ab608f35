"""The topic query language: syntax tree and a recursive-descent parser with positioned errors.

Grammar (operators are upper-case so that ``and``/``or``/``not`` stay searchable words)::

    query   := or EOF
    or      := and ( "OR" and )*
    and     := unary ( ["AND"] unary )*          adjacent terms are ANDed
    unary   := "NOT" unary | near
    near    := scoped ( "NEAR/" n scoped )*      both sides within n words, either order
    scoped  := FIELD ":" scoped | primary        FIELD is headline, body, source or lang
    primary := "(" or ")" | '"' words '"' | word["*"] | "@" NAME
                                                 @NAME: a named term list (vocabulary), OR-ed

Written by hand (a parser library would be a dependency for ~150 lines) because errors must name
the character position, and the tree must expose its terms to the topic index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newswatch.errors import NewswatchError
from newswatch.topics.text import MIN_PREFIX_CHARS, is_cjk, min_prefix, query_words

FIELDS = ("headline", "body", "source", "lang")
TEXT_FIELDS = ("headline", "body", "source")
# Part of the language definition, not a tunable: shorter prefixes (``a*``) match nearly every
# article and would defeat the topic index (three letters; two Hangul syllables: text.min_prefix).
# Nesting (parentheses, NOT, field scopes, NEAR chains) a query may have. Real topics use a
# handful; thousands would exhaust Python's stack in the parser and the matcher.
MAX_NESTING = 50
_LEXEME = re.compile(
    r"""(?P<space>\s+)
      | (?P<lparen>\()
      | (?P<rparen>\))
      | (?P<phrase>"[^"]*"?)
      | (?P<near>NEAR/\d*)
      | (?P<field>[A-Za-z]+:)
      | (?P<vocab>@[^\s()"]*)
      | (?P<word>[^\s()"]+)""",
    re.VERBOSE,
)


class QuerySyntaxError(NewswatchError, ValueError):
    """A query that cannot be parsed; ``position`` is the 0-based character offset of the fault."""

    kind = "query_syntax"

    def __init__(self, message: str, position: int, text: str = "") -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position
        self.text = text

    def pointer(self) -> str:
        """The query with a caret under the fault, for terminal output."""
        return f"{self.text}\n{' ' * self.position}^"


@dataclass(frozen=True)
class Word:
    text: str  # folded
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    words: tuple[Word, ...]  # one word, or several for a phrase
    field: str | None = None  # None: headline and body
    label: str | None = None  # "@vocabulary: entry" when the term came from a vocabulary


# A vocabulary: name (without '@') -> its entries, each a word, prefix or phrase (field None).
Vocabularies = dict[str, tuple[Term, ...]]


@dataclass(frozen=True)
class Lang:
    code: str


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int


Node = Term | Lang | And | Or | Not | Near


@dataclass(frozen=True)
class Query:
    text: str
    root: Node

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class _Lexeme:
    kind: str
    value: str
    pos: int


def _lex(text: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    for m in _LEXEME.finditer(text):
        kind, value = m.lastgroup or "", m.group()
        if kind == "space":
            continue
        if kind == "word" and value in ("AND", "OR", "NOT"):
            kind = value.lower()
        out.append(_Lexeme(kind, value, m.start()))
    out.append(_Lexeme("eof", "", len(text)))
    return out


def is_positional(node: Node) -> bool:
    """True when a node yields word positions (so it can be an operand of NEAR)."""
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, Or):
        return all(is_positional(c) for c in node.children)
    return False


def has_positive(node: Node) -> bool:
    """True when the node can only match a document that contains some term (not just NOTs)."""
    if isinstance(node, Term | Near):
        return True
    if isinstance(node, And):
        return any(has_positive(c) for c in node.children)
    if isinstance(node, Or):
        return all(has_positive(c) for c in node.children)
    return False


class _Parser:
    def __init__(self, text: str, vocabularies: Vocabularies | None = None) -> None:
        self.text = text
        self.vocabularies = vocabularies or {}
        self.lexemes = _lex(text)
        self.i = 0
        self.depth = 0

    def error(self, message: str, pos: int | None = None) -> QuerySyntaxError:
        return QuerySyntaxError(message, self.peek().pos if pos is None else pos, self.text)

    def peek(self) -> _Lexeme:
        return self.lexemes[self.i]

    def descend(self, pos: int, levels: int = 1) -> None:
        """Enter ``levels`` nesting levels; a query nested deeper than MAX_NESTING is refused."""
        self.depth += levels
        if self.depth > MAX_NESTING:
            raise self.error(f"the query is nested more than {MAX_NESTING} levels deep", pos)

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.i]
        self.i += 1
        return lexeme

    def parse(self) -> Node:
        if self.peek().kind == "eof":
            raise self.error("empty query")
        node = self.parse_or(None)
        if self.peek().kind == "rparen":
            raise self.error("unbalanced ')'")
        if self.peek().kind != "eof":
            raise self.error(f"unexpected {self.peek().value!r}")
        if not has_positive(node):
            raise self.error(
                "every alternative needs a word to look for that is not negated: NOT or lang: alone "
                "would match almost every article",
                0,
            )
        return node

    def parse_or(self, field: str | None) -> Node:
        children = [self.parse_and(field)]
        while self.peek().kind == "or":
            self.take()
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field: str | None) -> Node:
        children = [self.parse_unary(field)]
        while self.peek().kind in ("and", "not", "lparen", "phrase", "field", "word", "vocab"):
            if self.peek().kind == "and":
                self.take()
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field: str | None) -> Node:
        if self.peek().kind == "not":
            self.descend(self.take().pos)
            node = Not(self.parse_unary(field))
            self.depth -= 1
            return node
        return self.parse_near(field)

    def parse_near(self, field: str | None) -> Node:
        start = self.peek().pos
        node = self.parse_scoped(field)
        chain = 0
        while self.peek().kind == "near":
            op = self.take()
            self.descend(op.pos)
            chain += 1
            digits = op.value[len("NEAR/") :]
            if not digits:
                raise self.error("NEAR needs a distance, e.g. NEAR/5", op.pos)
            right_pos = self.peek().pos
            right = self.parse_scoped(field)
            for operand, pos in ((node, start), (right, right_pos)):
                if not is_positional(operand):
                    raise self.error("NEAR joins words, phrases or OR-groups of them", pos)
            node = Near(node, right, int(digits))
        self.depth -= chain
        return node

    def parse_scoped(self, field: str | None) -> Node:
        lexeme = self.peek()
        if lexeme.kind != "field":
            return self.parse_primary(field)
        name = lexeme.value[:-1].lower()
        if name not in FIELDS:
            raise self.error(f"unknown field {name!r}; use one of {', '.join(FIELDS)}")
        self.descend(self.take().pos)
        if self.peek().kind in ("eof", "rparen", "or", "and", "near"):
            raise self.error(f"'{name}:' needs a word, phrase or group after it")
        node = self.parse_scoped(name)
        self.depth -= 1
        return node

    def parse_primary(self, field: str | None) -> Node:
        lexeme = self.take()
        if lexeme.kind == "lparen":
            if self.peek().kind == "rparen":
                raise self.error("empty parentheses", lexeme.pos)
            self.descend(lexeme.pos)
            node = self.parse_or(field)
            if self.peek().kind != "rparen":
                raise self.error(f"missing ')' to close the '(' at position {lexeme.pos}")
            self.take()
            self.depth -= 1
            return node
        if lexeme.kind == "phrase":
            return self.phrase(lexeme, field)
        if lexeme.kind == "word":
            return self.word(lexeme, field)
        if lexeme.kind == "vocab":
            return self.vocabulary(lexeme, field)
        if lexeme.kind == "eof":
            raise self.error("the query ends where a word, phrase or '(' was expected", lexeme.pos)
        if lexeme.kind == "rparen":
            raise self.error("unbalanced ')'", lexeme.pos)
        raise self.error(f"{lexeme.value!r} needs a word, phrase or '(' before/after it", lexeme.pos)

    def phrase(self, lexeme: _Lexeme, field: str | None) -> Node:
        if len(lexeme.value) < 2 or not lexeme.value.endswith('"'):
            raise self.error("unterminated phrase: missing closing '\"'", lexeme.pos)
        if field == "lang":
            raise self.error("lang: takes a language code, not a phrase", lexeme.pos)
        words = self.words(lexeme.value[1:-1], lexeme.pos + 1)
        return Term(words, field)

    def vocabulary(self, lexeme: _Lexeme, field: str | None) -> Node:
        """``@name``: any entry of the named list, each labelled for the evidence."""
        name = lexeme.value[1:]
        if field == "lang":
            raise self.error("lang: takes a language code, not a vocabulary", lexeme.pos)
        entries = self.vocabularies.get(name)
        if not entries:
            known = ", ".join(f"@{n}" for n in sorted(self.vocabularies)) or "none defined"
            raise self.error(f"unknown vocabulary {lexeme.value!r} (known: {known})", lexeme.pos)
        terms = tuple(Term(t.words, field, t.label) for t in entries)
        return terms[0] if len(terms) == 1 else Or(terms)

    def word(self, lexeme: _Lexeme, field: str | None) -> Node:
        if field == "lang":
            code = lexeme.value.lower()
            if not re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", code):
                raise self.error(f"{lexeme.value!r} is not a language code like en or pt-br", lexeme.pos)
            return Lang(code)
        return Term(self.words(lexeme.value, lexeme.pos), field)

    def words(self, raw: str, pos: int) -> tuple[Word, ...]:
        """Split ``raw`` the way article text is split; a trailing ``*`` makes a prefix."""
        out: list[Word] = []
        chunks = list(re.finditer(r"\S+", raw))
        for n, item in enumerate(chunks):
            chunk, at = item.group(), pos + item.start()
            star = chunk.endswith("*")
            if "*" in chunk[:-1]:
                raise self.error("'*' is only allowed at the end of a word", at + chunk.index("*"))
            parts = query_words(chunk, followed=n < len(chunks) - 1)
            if not parts:
                raise self.error(f"{chunk!r} has no letters or digits to search for", at)
            out.extend(Word(text, prefix=prefix) for text, prefix in parts[:-1])
            last, prefix = parts[-1]
            if star and not is_cjk(last) and len(last) < min_prefix(last):
                raise self.error(
                    f"a prefix needs at least {MIN_PREFIX_CHARS} letters (2 Hangul syllables) before '*'", at
                )
            # Han/Kana pairs already match inside running text: a '*' after them adds nothing.
            out.append(Word(last, prefix=prefix or (star and not is_cjk(last))))
        if not out:
            raise self.error("empty phrase", pos - 1)
        return tuple(out)


def parse_query(text: str, vocabularies: Vocabularies | None = None) -> Query:
    """Parse ``text`` into a :class:`Query`; raise :class:`QuerySyntaxError` naming the position.

    ``@name`` in the query stands for the OR of the entries of ``vocabularies[name]``.
    """
    if not isinstance(text, str):
        raise QuerySyntaxError("the query must be text", 0, str(text))
    return Query(text, _Parser(text, vocabularies).parse())


def parse_vocabulary_entry(name: str, entry: str) -> Term:
    """One vocabulary entry (a word, ``prefix*`` or ``"a phrase"``) as a labelled term."""
    if not isinstance(entry, str):
        raise QuerySyntaxError("a vocabulary entry must be text", 0, str(entry))
    node = _Parser(entry).parse()
    if not isinstance(node, Term) or node.field is not None:
        raise QuerySyntaxError('a vocabulary entry is one word, prefix* or "phrase"', 0, entry)
    return Term(node.words, None, f"@{name}: {entry.strip()}")
