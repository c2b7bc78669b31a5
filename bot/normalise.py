"""Turn free text into comparable tokens: case, accents, apostrophes, elisions, punctuation, SMS words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

__all__ = ["fold", "tokenize", "normalise", "match_key"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "‛": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "€": " euros ", "$": " dollars ", "×": " x "})
# French elided articles and pronouns: "l'ote" -> "ote", "qu'est" -> "est".
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|m|t|c|jusqu|lorsqu|puisqu)'")
_NON_WORD = re.compile(r"[^a-z0-9+]+")
_DASHES = re.compile(r"[‐‑‒–—―−]")
# The combining accents of Latin letters (U+0300–U+036F but the grapheme joiner U+034F, which is
# not a combining mark): removed by one regex pass; any other mark left is filtered character by character.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def _strip_marks(text: str) -> str:
    """*text* decomposed (NFKD) without its combining marks."""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():
        return text
    return "".join(ch for ch in text if ch.isascii() or not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case *text*, drop accents and unify apostrophes and dashes; keeps punctuation.

    Folding twice gives the same result as folding once.

    Examples
    --------
    >>> fold("Qu’est-ce qu’un Responsable Comptes Clés ?")
    "qu'est-ce qu'un responsable comptes cles ?"
    """
    text = text.translate(_APOSTROPHES)
    if text.isascii():  # the common case needs no Unicode decomposition
        return _DASHES.sub("-", text.lower().translate(_LIGATURES))
    text = _strip_marks(text).lower()
    # Lower-casing can itself produce decomposable characters; one more pass settles it.
    text = _strip_marks(text).lower()
    return _DASHES.sub("-", text.translate(_APOSTROPHES).translate(_LIGATURES))


def tokenize(text: str) -> list[str]:
    """Folded word tokens of *text*, elisions removed.

    Examples
    --------
    >>> tokenize("C'est quoi l'OTE d'un AE ?")
    ['est', 'quoi', 'ote', 'un', 'ae']
    """
    text = _ELISION.sub(" ", fold(text))
    return [tok for tok in _NON_WORD.split(text) if tok and tok != "+"]


def normalise(text: str, rewrites: Mapping[str, str] | None = None) -> list[str]:
    """Tokens of *text* with SMS spellings and abbreviations rewritten.

    Parameters
    ----------
    text : str
        Anything a user typed.
    rewrites : mapping, optional
        Folded token -> replacement words (``{"cmb": "combien", "jveux": "je veux"}``),
        from ``intents/lexicon.toml``.

    Examples
    --------
    >>> normalise("cmb gagne un kam", {"cmb": "combien"})
    ['combien', 'gagne', 'un', 'kam']
    """
    out: list[str] = []
    for tok in tokenize(text):
        if rewrites and tok in rewrites:
            out.extend(rewrites[tok].split())
        else:
            out.append(tok)
    return out


def match_key(text: str) -> str:
    """A key for "does this answer contain that fact": folded, all white space and dashes unified.

    Examples
    --------
    >>> match_key("35–45 K€") == match_key("35-45k€")
    True
    """
    text = fold(text.replace("\u00a0", " ").replace("\u202f", " "))
    return re.sub(r"\s+", "", text)
