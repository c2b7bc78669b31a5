"""Tell the part of a message that asks something from the asker's own story around it.

"C'est quoi un AE ? Ma fille est en école de commerce et hésite." asks what an
AE is; the second sentence is context. A clause that holds a word of the
asker's story (``je``, ``ma fille``…, from ``intents/details.toml``) and no
question word is context. Pure functions over folded text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from .normalise import normalise

__all__ = ["question_sentences", "Piece", "QuestionSplitter",
           "Phrases", "phrases", "has_phrase", "phrase_ends", "asking_sentences", "asks_something", "clauses", "question_part",
           "ClauseReader"]

Phrases = frozenset[tuple[str, ...]]
"""Phrases as token tuples, matched as whole runs of tokens."""

_CLAUSE = re.compile(r"[.?!;\n]+|,\s+(?=(?:mais|et|donc|alors|but|so)\b)"
                     # « je suis prof de maths et je me demande… »: a new subject after « et » starts a new clause
                     r"|\s+(?=(?:et|and)\s+(?:je|j|il|elle|ils|elles|on|nous|vous|tu|i|he|she|they|we|you)\b)")
_SENTENCE = re.compile(r"[^.?!\n]*(?:[.?!\n]+|$)")
CLAUSE_CUT = re.compile(r"[,;:?]|\s(?:et|and|mais|but)\s", re.IGNORECASE)
"""Where a question sentence splits into its clauses, for telling which clause asks about what (the person, the
role): at punctuation and at the joining words, as :data:`_CLAUSE` splits a message."""
_SHORT_QUESTION = 6
"""A question sentence of fewer words than this ("Pouvez-vous m'aider ?") takes the sentence before it along."""
_LONG_MESSAGE = 20
"""From this many words, a message's sentences without "?" are taken for the asker's story."""


def phrases(items: Iterable[str], rewrites: Mapping[str, str] | None = None) -> Phrases:
    """The token tuples of *items* (empty ones left out)."""
    return frozenset(t for t in (tuple(normalise(i, rewrites)) for i in items) if t)


def has_phrase(tokens: Sequence[str], table: Phrases) -> bool:
    """Whether one of the phrases of *table* appears in *tokens* as a run."""
    words = tuple(tokens)
    size = len(words)
    for n in _lengths(table):
        if n > size:
            break
        # The runs of n words, made and looked up without a Python loop.
        if not table.isdisjoint(zip(*[words[k:] for k in range(n)])):
            return True
    return False


def phrase_ends(tokens: Sequence[str], table: Phrases) -> set[int]:
    """The positions just after each run of *tokens* that is a phrase of *table*."""
    words = tuple(tokens)
    return {i + n for n in _lengths(table) for i, run in enumerate(zip(*[words[k:] for k in range(n)])) if run in table}


@lru_cache(maxsize=256)
def _lengths(table: Phrases) -> tuple[int, ...]:
    """The lengths of *table*'s phrases, shortest first (tables are built once and read for every question)."""
    return tuple(sorted({len(p) for p in table if p}))


def sentences_of(folded: str) -> list[str]:
    """The sentences of *folded*, each with its closing punctuation."""
    return [m.group(0) for m in _SENTENCE.finditer(folded) if m.group(0).strip()]


def question_sentences(folded: str) -> str:
    """The sentences of *folded* that end with "?" ("J'ai 19 ans. Quelles qualités pour un AE ?" -> the second)."""
    return " ".join(m.group(0) for m in _SENTENCE.finditer(folded) if m.group(0).rstrip().endswith("?"))


def asking_sentences(folded: str, wh: Phrases | None = None) -> str:
    """The sentences of a long message *folded* (folded or as typed) that end with "?", when others do not: such a message
    tells its story first and asks last ("J'ai 19 ans, je suis en licence… Quelles qualités pour un AE ?").

    A short question sentence keeps the sentence before it ("… mon cas. Pouvez-vous m'aider ?"), and so does one
    holding no question word of *wh* after a sentence that holds one: the question is reported there ("Une élève
    me demande quelles qualités il faut pour être AE. Pouvez-vous me résumer l'essentiel ?").
    A short message ("LTV, CAC... quel rapport avec un AM ?"), one with no "?", or one with nothing
    but questions is returned whole.
    """
    if len(re.findall(r"\w+", folded)) < _LONG_MESSAGE:
        return folded
    sentences = [m.group(0) for m in _SENTENCE.finditer(folded) if m.group(0).strip()]
    asking = [i for i, sentence in enumerate(sentences) if sentence.rstrip().endswith("?")]
    if not asking or len(asking) == len(sentences):
        return folded
    keep = set(asking)
    for i in asking:
        if i and len(re.findall(r"\w+", sentences[i])) < _SHORT_QUESTION:
            keep.add(i - 1)
        elif i and wh and i - 1 not in keep and not has_phrase(normalise(sentences[i]), wh) \
                and has_phrase(normalise(sentences[i - 1]), wh):
            keep.add(i - 1)
    return " ".join(sentences[i] for i in sorted(keep))


def clauses(folded: str, rewrites: Mapping[str, str] | None = None, wh: Phrases | None = None) -> list[list[str]]:
    """The asking part of the message (:func:`asking_sentences`, *wh* its question words) cut into clauses
    (sentences, and clauses joined by "mais", "et donc"…), each normalised."""
    parts = [normalise(p, rewrites) for p in _CLAUSE.split(asking_sentences(folded, wh))]
    return [p for p in parts if p]


def asks_something(clause: list[str] | tuple[str, ...], *, story: frozenset[str], asking: Phrases) -> bool:
    """Whether a clause asks something: it holds a way of asking, or no word of the asker's story."""
    return has_phrase(clause, asking) or not (story & set(clause))


def question_part(parts: list[list[str]], *, story: frozenset[str], asking: Phrases) -> list[str]:
    """The tokens of the clauses that ask something; all of them when no clause is told apart as story.

    A short asking clause ("De combien en moyenne ?") takes the clause before it along: its subject is there
    ("On me dit qu'un bon account manager fait grimper la LTV.").
    """
    keep = [asks_something(c, story=story, asking=asking) for c in parts]
    for i in range(1, len(parts)):
        if keep[i] and not keep[i - 1] and len(parts[i]) < _SHORT_QUESTION:
            keep[i - 1] = True
    asked = [c for c, k in zip(parts, keep) if k]
    return [t for c in (asked or parts) for t in c]


_GAP = r"[\s'\u2019-]+"


class Piece(NamedTuple):
    """One question of a message (:meth:`QuestionSplitter.split`)."""

    text: str
    opened: bool
    """Begun by a joining word and a question opener: it asks by itself, whatever it names."""
    cut: bool
    """Cut from a sentence at a joining word (either side of the cut), not a whole sentence ending with "?"."""
    asks_both: bool = False
    """Cut at a joining word with a question word on either side: each side asks a detail of its own, even of the
    same topic ("elle fait combien de démos et son cycle dure combien de temps ?")."""


class QuestionSplitter:
    """Cut a message, as typed, into its questions: the sentences ending with "?" and the rest after the last one,
    each cut again where a joining word opens another question ("Quelles études, et combien d'années
    d'expérience ?", "… ? et est-ce qu'on a des objectifs"). Built once from data: the joining words
    (``intents/lexicon.toml`` ``conjunctions``) and the words that open a question (question words, yes/no
    openers and the SMS spellings that stand for them).
    """

    _SENTENCE = re.compile(r"[^?]*\?+|[^?]+$")

    def __init__(self, joiners: Iterable[str], openers: Iterable[str], both: Iterable[str] = ()):
        def words(phrase: str) -> str:
            return _GAP.join(re.escape(w) for w in phrase.split())
        joins = sorted({j for j in joiners if j[:1].isalnum()}, key=len, reverse=True)
        opens = sorted({o for o in openers if o.strip()}, key=len, reverse=True)
        asks = sorted({w for w in both if w.strip()}, key=len, reverse=True)
        self._cut = re.compile(rf"(?:[,;]\s*|\s+)(?=(?:{'|'.join(map(words, joins))})\s+(?:{'|'.join(map(words, opens))})\b)",
                               re.IGNORECASE) if joins and opens else None
        # A joining word between two question words ("… combien de démos et son cycle dure combien de temps ?"),
        # matched on the sentence folded letter for letter (so that its positions are the sentence's own).
        self._join = re.compile(rf"\s+(?=(?:{'|'.join(map(words, joins))})\s)") if joins and asks else None
        self._asks = re.compile(rf"\b(?:{'|'.join(map(words, asks))})\b") if asks else None

    def split(self, text: str, *, cut: bool = True, between: bool | None = None) -> list[Piece]:
        """The questions of *text* (two words or more each), in order; with *cut* false, its sentences only, but
        cut between two question words when *between* (by default, *cut*) is true."""
        out: list[Piece] = []
        asks = "?" in text
        between = cut if between is None else between
        for m in self._SENTENCE.finditer(text):
            sentence = m.group(0)
            pieces = self._cut.split(sentence) if self._cut is not None and cut else [sentence]
            # Each piece, and whether it was cut between two question words.
            marked = [(part, len(parts) > 1) for piece in pieces
                      for parts in [self._between_asks(piece) if between else [piece]] for part in parts]
            pieces = [part for part, _ in marked]
            both = {i for i, (_, twice) in enumerate(marked) if twice}
            # After the last "?", only a joined question is one ("… ? et est-ce qu'on a des objectifs"); the rest
            # tells the asker's story ("… ? j'ai 47 ans", "… ? genre aller chercher de nouveaux clients").
            # (… ? et ça monte jusqu'où » is one: opened by a joining word, it holds a question word.)
            joined = asks and not sentence.rstrip().endswith("?") and self._joined_ask(sentence)
            trailing = asks and not sentence.rstrip().endswith("?") and not joined
            for i, piece in enumerate(pieces):
                piece = piece.strip(" ,;")
                if len(re.findall(r"\w+", piece)) >= 2 and (i > 0 or not trailing):
                    out.append(Piece(piece, i > 0 or joined, len(pieces) > 1, i in both or joined))
        return out

    def _joined_ask(self, sentence: str) -> bool:
        """Whether *sentence* opens with a joining word and holds a question word ("et ça monte jusqu'où")."""
        if self._join is None or self._asks is None:
            return False
        folded = f" {_fold_letters(sentence.strip())}"
        return bool(self._join.match(folded) and self._asks.search(folded))

    def _between_asks(self, piece: str) -> list[str]:
        """*piece* cut at each joining word with a question word on either side ("elle fait combien de démos et son
        cycle dure combien de temps ?" asks two things); whole when there is none."""
        if self._join is None or self._asks is None:
            return [piece]
        folded = _fold_letters(piece)
        out, start = [], 0
        for m in self._join.finditer(folded):
            if self._asks.search(folded, start, m.start()) and self._asks.search(folded, m.end()):
                out.append(piece[start:m.start()])
                start = m.end()
        return [*out, piece[start:]]


def _fold_letters(text: str) -> str:
    """*text* lower-cased, each letter without its accent and each other character but a space made a space: one
    character for one, so that positions found in it are the text's own."""
    def letter(ch: str) -> str:
        low = ch.lower() if len(ch.lower()) == 1 else ch
        base = unicodedata.normalize("NFD", low)[0] if low.isalpha() else low
        return base if base.isalnum() or base.isspace() else " "
    return "".join(map(letter, text))


class ClauseReader:
    """:func:`clauses` and :func:`question_part` for one set of *rewrites*, question words (*wh*), *story* words and
    ways of *asking*, built once at load.

    The query reader and the fact finder read the same message the same way: the last few messages' clauses are
    kept (a bounded cache on this object), so one question is cut into clauses once.
    """

    def __init__(self, rewrites: Mapping[str, str] | None, wh: Phrases, story: frozenset[str], asking: Phrases,
                 remember: int = 16):
        self.rewrites, self.wh, self.story, self.asking = rewrites, wh, story, asking
        self.read = lru_cache(maxsize=remember)(self._read)

    def _read(self, folded: str) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
        """The clauses of *folded* (:func:`clauses`) and the tokens of those that ask something
        (:func:`question_part`; none when there are no clauses)."""
        parts = clauses(folded, self.rewrites, self.wh)
        asked = question_part(parts, story=self.story, asking=self.asking)
        return tuple(map(tuple, parts)), tuple(asked)
