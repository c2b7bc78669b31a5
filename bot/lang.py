"""Tell the language of a message, French or English, from cue words (``intents/lang.toml``).

Pure: :func:`load_language_cues` reads the file at start-up, :meth:`LanguageCues.detect`
reads one message. French is the default; a mixed message goes to the language with
more cues; a message with no cue at all ("ok", "KAM ?") is *unclear*, so a
conversation keeps its language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from .errors import KnowledgeError
from .normalise import fold
from .tomlfile import ParsedCache, Table, read_toml

__all__ = ["LANGUAGES", "Detection", "LanguageCues", "load_language_cues", "resolve_lang"]

LANGUAGES = ("fr", "en")
"""The languages careerbot answers in; the first is the default."""

_WORD = re.compile(r"[a-z]+")
_FUZZ_MIN_LEN = 5
_FUZZ_CUTOFF = 86.0
_ENDING_WEIGHT = 0.5
# A word holding a French accent or cedilla counts as a French cue.
_ACCENTED_WORD = re.compile(r"\w*[àâäéèêëîïôöùûüÿçœÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇŒ]\w*")


@dataclass(frozen=True)
class Detection:
    """The language of one message and how sure the cues make it."""

    lang: str
    """``fr`` or ``en``."""
    clear: bool
    """True when the message itself says its language (a cue word wins); False for "ok", a role name alone."""
    scores: tuple[float, float] = (0.0, 0.0)
    """Weight of French and English cues found, for debugging."""


@dataclass(frozen=True)
class LanguageCues:
    """Cue words and endings per language, read from ``intents/lang.toml``."""

    words: dict[str, frozenset[str]]
    endings: dict[str, tuple[str, ...]]
    default: str = "fr"
    neutral: frozenset[str] = frozenset()
    """Words that count for neither language: the words of role names ("responsable", "compte", "account")."""

    def __post_init__(self) -> None:
        # One look-up for both languages; long cue words for misspellings ("earnd", "salaray", "combein").
        owner = {w: lang for lang, words in self.words.items() for w in words}
        long = {lang: sorted(w for w in words if len(w) >= _FUZZ_MIN_LEN) for lang, words in self.words.items()}
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_long", long)

    def _scores(self, tokens: list[str], fuzzy: bool) -> dict[str, float]:
        """Weight of each language's cues among *tokens* (misspelt cue words too when *fuzzy*)."""
        owner: dict[str, str] = self._owner  # type: ignore[attr-defined]
        scores = dict.fromkeys(self.words, 0.0)
        for tok in tokens:
            if tok in self.neutral:
                continue
            lang = owner.get(tok)
            if lang is not None:
                scores[lang] += 1
                continue
            if len(tok) < _FUZZ_MIN_LEN:
                continue
            for lang, endings in self.endings.items():
                if endings and tok.endswith(endings):
                    scores[lang] += _ENDING_WEIGHT
            if fuzzy:
                for lang, long in self._long.items():  # type: ignore[attr-defined]
                    if process.extractOne(tok, long, scorer=fuzz.ratio, score_cutoff=_FUZZ_CUTOFF) is not None:
                        scores[lang] += 1
        return scores

    def detect(self, text: str) -> Detection:
        """The language of *text*.

        Examples
        --------
        >>> cues = load_language_cues()
        >>> cues.detect("how much does a KAM earn?").lang
        'en'
        >>> cues.detect("et pour un AE ?").lang
        'fr'
        >>> cues.detect("KAM").clear
        False
        """
        accents = 0 if text.isascii() else len(_ACCENTED_WORD.findall(text))
        # Accents dropped the quick way (C-level): cue words are written without them.
        plain = text.lower() if text.isascii() else \
            unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
        tokens = _WORD.findall(plain)
        scores = self._scores(tokens, False)
        fr, en = scores["fr"] + accents, scores["en"]
        if abs(fr - en) < 1:
            # A tie (or no cue): misspelt cue words may decide it.
            scores = self._scores(tokens, True)
            fr, en = scores["fr"] + accents, scores["en"]
        if fr == en:
            return Detection(self.default, clear=False, scores=(fr, en))
        return Detection("en" if en > fr else "fr", clear=True, scores=(fr, en))


def resolve_lang(lang: str | None, detected: Detection, previous: str | None) -> str:
    """The language to answer in: *lang* if forced, else the message's own, else the conversation's.

    A message whose language is unclear ("ok", a role name alone) keeps *previous*.
    """
    if lang in LANGUAGES:
        return lang
    if not detected.clear and previous in LANGUAGES:
        return previous
    return detected.lang


def load_language_cues(path: str | Path | None = None, *, cache: ParsedCache | None = None) -> LanguageCues:
    """Read ``lang.toml`` (default: the bundled one; *cache*: see :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        When the file is missing, malformed, or lacks a language's cue words.
    """
    from .intents import default_intents_dir

    path = Path(path) if path is not None else default_intents_dir() / "lang.toml"
    doc = Table(read_toml(path, cache), path, None)
    default = doc.str("default", required=False) or LANGUAGES[0]
    if default not in LANGUAGES:
        raise doc.error(f"unknown default language '{default}'", f"use one of {', '.join(LANGUAGES)}")
    words: dict[str, frozenset[str]] = {}
    endings: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        section = Table(doc.table(lang), path, f"[{lang}]")
        words[lang] = frozenset(fold(w).strip() for w in section.strs("words", min_items=10))
        endings[lang] = tuple(fold(w).strip() for w in section.strs("endings"))
        section.done()
    shared = sorted(words["fr"] & words["en"])
    if shared:
        raise KnowledgeError(path, "[fr] and [en]", f"word(s) {', '.join(shared[:5])} listed for both languages",
                             "a word both languages use tells nothing: remove it from both lists")
    doc.done()
    return LanguageCues(words=words, endings=endings, default=default)
