"""Find role names in a question: aliases, abbreviations and misspellings, longest first.

:class:`RoleFinder` is built from the roles of the knowledge base and the
lexicon; :meth:`RoleFinder.mask` removes the role names from a question's
tokens and says which roles they were, so that the rest can be matched
against topic phrasings written without any role.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .intents import Lexicon
from .knowledge import Role
from .normalise import normalise

__all__ = ["RoleFinder", "Masked"]


@dataclass(frozen=True)
class Masked:
    """A question's tokens with the role names taken out."""

    rest: tuple[str, ...]
    """The tokens left once role names are removed."""
    roles: tuple[str, ...]
    """Role ids named, in order of first mention."""
    mentions: int
    """Number of distinct role names used (two names of one role count twice)."""
    weak: frozenset[str] = frozenset()
    """Roles named only by an ordinary word ("commercial", "vendeuse"), not by a job title."""
    last: str | None = None
    """The role named last ("AE ou KAM, lequel ? et un AE junior ça gagne combien ?": the AE)."""


@dataclass(frozen=True)
class _Alias:
    tokens: tuple[str, ...]
    role: str
    """Role id; empty for a phrase that only looks like a role ("global account manager")."""
    weak: bool
    """An ordinary word too ("commercial"): a role only after a determiner."""


class RoleFinder:
    """Role-name matcher (exact, then fuzzy for names of 6+ letters).

    Parameters
    ----------
    roles : iterable of Role
    lexicon : Lexicon
        Weak aliases, determiners, blocked contexts and phrases that are not roles.
    compare_cues : iterable of str
        Words that make a question a comparison (a weak alias may then close it).
    alias_fuzz, word_fuzz : float, keyword-only
        rapidfuzz ratios for a misspelt name, and for each of its words.
    topic_words : iterable of str, keyword-only
        Topic keywords after which an ordinary-word alias is a role ("salaire commercial").
    """

    def __init__(self, roles: Iterable[Role], lexicon: Lexicon, compare_cues: Iterable[str], *,
                 alias_fuzz: float, word_fuzz: float, topic_words: Iterable[str] = ()):
        self.lexicon = lexicon
        self.topic_words = frozenset(topic_words)
        self.compare_cues = frozenset(compare_cues)
        self.alias_fuzz = alias_fuzz
        self.word_fuzz = word_fuzz
        aliases = []
        for role in roles:
            for alias in (*role.aliases, role.id, role.short):
                toks = tuple(normalise(alias, lexicon.rewrites))
                if toks:
                    aliases.append(_Alias(toks, role.id, " ".join(toks) in lexicon.weak_aliases))
        for phrase in lexicon.not_roles:
            aliases.append(_Alias(tuple(normalise(phrase, lexicon.rewrites)), "", False))
        self._aliases = aliases
        self._max_alias = max((len(a.tokens) for a in aliases), default=0)
        self._alias_exact = {a.tokens: a for a in aliases}
        self._alias_by_len: dict[int, dict[str, _Alias]] = {}
        for a in aliases:
            if len(" ".join(a.tokens)) >= 6:
                self._alias_by_len.setdefault(len(a.tokens), {})[" ".join(a.tokens)] = a
        self._alias_starts = frozenset(a.tokens[0] for a in aliases if a.tokens)
        self._misspelt = lru_cache(maxsize=8192)(self._misspelt_alias)

    def _misspelt_alias(self, cand: tuple[str, ...]) -> _Alias | None:
        """The alias of as many words as *cand* (a run of a question's tokens) that it misspells, or None (and
        None for a run of fewer than 6 characters). Cached per run in ``__init__``: the same runs come back in
        every question."""
        text = " ".join(cand)
        if len(text) < 6:
            return None
        exact = self._alias_by_len.get(len(cand), {})
        hit = process.extractOne(text, exact.keys(), scorer=fuzz.ratio, score_cutoff=self.alias_fuzz)
        # Each word must resemble its counterpart too, or "an account manager"
        # would pass for "key account manager".
        if hit is not None and all(fuzz.ratio(a, b) >= self.word_fuzz - 20 for a, b in zip(cand, exact[hit[0]].tokens)):
            return exact[hit[0]]
        return None

    def words(self) -> set[str]:
        """Every word of every role name (part of the known vocabulary)."""
        return {tok for a in self._aliases for tok in a.tokens}

    def mask(self, tokens: Sequence[str]) -> Masked:
        """Remove role names from *tokens*, saying which roles they were."""
        n = len(tokens)
        taken = [False] * n
        found: list[tuple[int, str, tuple[str, ...]]] = []
        weak: set[str] = set()
        strong: set[str] = set()
        lex = self.lexicon
        edge_words = lex.stopwords
        words = tuple(tokens)
        by_tokens, misspelt = self._alias_exact.get, self._misspelt
        any_taken = False
        # Aliases begin and end with a content word: word runs that start or end with "un", "de"… (most of them) are
        # not matched fuzzily. A run is looked at only where an alias starts with its first word, or where it may be
        # a misspelt alias (the others, most places, could match nothing).
        starts, content = self._alias_starts, [w not in edge_words for w in words]
        for size in range(min(self._max_alias, n), 0, -1):
            fuzzy = bool(self._alias_by_len.get(size))
            places = [i for i in range(n - size + 1)
                      if words[i] in starts or (fuzzy and content[i] and content[i + size - 1])]
            for i in places:
                if any_taken and True in taken[i:i + size]:
                    continue
                cand = words[i:i + size]
                alias = by_tokens(cand)
                if alias is None:
                    if not (fuzzy and content[i] and content[i + size - 1]):
                        continue
                    alias = misspelt(cand)
                    if alias is None:
                        continue
                prev = tokens[i - 1] if i else ""
                # "commercial" is a role after "un", at the start, after a topic word
                # ("salaire commercial"), or closing a comparison ("différence sdr commercial");
                # not in "la fonction commerciale".
                if alias.weak and prev and prev not in lex.determiners and prev not in self.topic_words and not (
                        i + size == n and any(t in self.compare_cues for t in tokens)):
                    continue
                if prev in lex.blocked_before.get(" ".join(alias.tokens), ()):
                    continue
                nxt = tokens[i + size] if i + size < n else ""
                if nxt in lex.blocked_after.get(" ".join(alias.tokens), ()):
                    continue  # "my coverage is 4, am I fine?": the verb, not the Account Manager
                for j in range(i, i + size):
                    taken[j] = True
                any_taken = True
                if alias.role:
                    found.append((i, alias.role, alias.tokens))
                    (weak if alias.weak else strong).add(alias.role)
        rest = tuple(tok for tok, used in zip(tokens, taken) if not used)
        roles = tuple(dict.fromkeys(role for _, role, _ in sorted(found)))
        return Masked(rest, roles, len({names for _, _, names in found}), frozenset(weak - strong),
                      max(found)[1] if found else None)
