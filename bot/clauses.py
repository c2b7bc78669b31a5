"""Tell the part of a message that asks something from the asker's own story around it.

"C'est quoi un AE ? Ma fille est en école de commerce et hésite." asks what an
AE is; the second sentence is context. A clause that holds a word of the
asker's story (``je``, ``ma fille``…, from ``intents/details.toml``) and no
question word is context. Pure functions over folded text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .normalise import normalise

__all__ = ["Phrases", "phrases", "has_phrase", "clauses", "question_part"]

Phrases = frozenset[tuple[str, ...]]
"""Phrases as token tuples, matched as whole runs of tokens."""

_CLAUSE = re.compile(r"[.?!;\n]+|,\s+(?=(?:mais|et|donc|alors|but|so)\b)")


def phrases(items: Iterable[str], rewrites: Mapping[str, str] | None = None) -> Phrases:
    """The token tuples of *items* (empty ones left out)."""
    return frozenset(t for t in (tuple(normalise(i, rewrites)) for i in items) if t)


def has_phrase(tokens: list[str] | tuple[str, ...], table: Phrases) -> bool:
    """Whether one of the phrases of *table* appears in *tokens* as a run."""
    longest = max(map(len, table), default=0)
    return any(tuple(tokens[i:i + n]) in table for n in range(1, longest + 1) for i in range(len(tokens) - n + 1))


def clauses(folded: str, rewrites: Mapping[str, str] | None = None) -> list[list[str]]:
    """The message cut into clauses (sentences, and clauses joined by "mais", "et donc"…), each normalised."""
    parts = [normalise(p, rewrites) for p in _CLAUSE.split(folded)]
    return [p for p in parts if p]


def question_part(parts: list[list[str]], *, story: frozenset[str], asking: Phrases) -> list[str]:
    """The tokens of the clauses that ask something; all of them when no clause is told apart as story."""
    asked = [c for c in parts if has_phrase(c, asking) or not (story & set(c))]
    return [t for c in (asked or parts) for t in c]
