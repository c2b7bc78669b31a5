"""Turn free text into comparable tokens: case, accents, apostrophes, elisions, punctuation, SMS words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

__all__ = ["ELIDED", "fold", "tokenize", "normalise", "match_key", "may_fold_to_digit", "has_digit"]

ELIDED = frozenset({"l", "d", "j", "s", "n", "m", "t", "c", "qu"})
"""The elided words (« l'», « d'», « qu'»…), which a folded phrase keeps as words of their own and a question's
reading of its words leaves out."""

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "‛": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "€": " euros ", "$": " dollars ", "×": " x "})
# French elided articles and pronouns: "l'ote" -> "ote", "qu'est" -> "est".
_ELISION = re.compile(r"\b(?:l|d|j|qu|n|s|m|t|c|jusqu|lorsqu|puisqu)'")
_NON_WORD = re.compile(r"[^a-z0-9+]+")
_DASHES = re.compile(r"[‐‑‒–—―−]")


def _strip_accents(text: str) -> str:
    """NFKD, combining marks dropped, lower-cased; twice, as lower-casing can itself give decomposable characters."""
    for _ in range(2):
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return text


# Latin letters with accents (and other characters under U+0250 that fold to plain ASCII), mapped once:
# most questions then take the ASCII fast path of :func:`fold` after one ``str.translate``.
_LATIN = str.maketrans({chr(c): _strip_accents(chr(c)) for c in range(0x80, 0x250)
                        if _strip_accents(chr(c)).isascii()})


def _fold_whole(text: str) -> str:
    """:func:`fold` by decomposing the whole text (the definition; used for text with a capital sigma)."""
    text = text.translate(_APOSTROPHES)
    if not text.isascii():
        text = text.translate(_LATIN)
    if text.isascii():
        return _DASHES.sub("-", text.lower().translate(_LIGATURES))
    text = _strip_accents(text)
    return _DASHES.sub("-", text.translate(_APOSTROPHES).translate(_LIGATURES))


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str | None:
    """What one non-ASCII character becomes before lower-casing and ligatures, or None for a sigma.

    NFKD decomposes character by character and the combining marks its reordering
    could move are all dropped, so a text folds one distinct character at a time;
    only a capital sigma lower-cases by its context (σ or ς): such text is folded whole,
    as is text with a character that folds into characters that fold further.
    """
    mapped = ch.translate(_APOSTROPHES)
    if not mapped.isascii():
        mapped = mapped.translate(_LATIN)
    if mapped.isascii():
        return mapped
    if "\u03a3" in unicodedata.normalize("NFKD", mapped):
        return None
    folded = _strip_accents(mapped).translate(_APOSTROPHES)
    # fold() replaces one character after the other: what this one becomes must not change again.
    if any(not c.isascii() and c != ch and _fold_char(c) != c for c in folded):
        return None
    return folded


# One question is folded and cut into words by several readers (the query, the fact finder, the calculator,
# the language and silence checks): the last few texts are kept, so each is worked out once per question.
_RECENT = 64


@lru_cache(maxsize=_RECENT)
def fold(text: str) -> str:
    """Lower-case *text*, drop accents and unify apostrophes and dashes; keeps punctuation.

    Folding twice gives the same result as folding once.

    Examples
    --------
    >>> fold("Qu’est-ce qu’un Responsable Comptes Clés ?")
    "qu'est-ce qu'un responsable comptes cles ?"
    """
    if text.isascii():  # the common case: no dash nor accent to look for
        return text.replace("`", "'").lower().translate(_LIGATURES)
    folded = text.replace("`", "'")
    for ch in set(folded):
        if not ch.isascii():
            into = _fold_char(ch)
            if into is None:
                return _fold_whole(text)
            folded = folded.replace(ch, into)
    return _DASHES.sub("-", folded.lower().translate(_LIGATURES))


# Signs that fold into letters and digits without being numbers themselves ("㋀" -> "1月", "㎟" -> "mm2").
_CJK_UNITS = re.compile("[\u3200-\u33ff]")


def may_fold_to_digit(text: str) -> bool:
    """False when :func:`fold` of *text* surely holds no decimal digit (a quick test before folding).

    A character folds into digits only if it is numeric itself ("7", "²", "½", "①") or one of the
    CJK compatibility signs of U+3200–U+33FF (checked on every code point).
    """
    return any(map(str.isnumeric, text)) or _CJK_UNITS.search(text) is not None


_ASCII_DIGIT = re.compile(r"[0-9]")


def has_digit(text: str) -> bool:
    """``any(ch.isdigit() for ch in text)``, at C speed."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(map(str.isdigit, text))  # (str.isdigit called from C: no Python frame per character)


# The « t » of « gagne-t-il », « a-t-elle »: no word (an SMS « t » is « t'es »).
_EUPHONIC_T = re.compile(r"-t-(?=(?:il|elle|on|ils|elles)\b)")


def tokenize(text: str) -> list[str]:
    """Folded word tokens of *text*, elisions removed.

    Examples
    --------
    >>> tokenize("C'est quoi l'OTE d'un AE ?")
    ['est', 'quoi', 'ote', 'un', 'ae']
    >>> tokenize("gagne-t-il plus ?")
    ['gagne', 'il', 'plus']
    """
    return list(_tokens(text))


# « qui gagne le + ? », « 2 ans de + »: the SMS « + » after an article or « de » / « en » is the word « plus »; elsewhere
# (« fixe + variable ») it joins, and is no word.
_PLUS_WORD = re.compile(r"\b(le|la|les|de|en|the)\s*\+(?!\s*\d)")


@lru_cache(maxsize=_RECENT)
def _tokens(text: str) -> tuple[str, ...]:
    text = fold(text)
    if "+" in text:
        text = _PLUS_WORD.sub(r"\1 plus", text)
    text = _ELISION.sub(" ", _EUPHONIC_T.sub(" ", text))
    return tuple(tok for tok in _NON_WORD.split(text) if tok and tok != "+")


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
    tokens = _tokens(text)
    if not rewrites or rewrites.keys().isdisjoint(tokens):
        return list(tokens)  # most texts hold no SMS spelling: no word to look at one by one
    out: list[str] = []
    for tok in tokens:
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
