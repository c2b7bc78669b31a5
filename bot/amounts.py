"""Read amounts as people and the sources write them (80k, 80 000 €, 0,08 M€, 35-45K€, 26 %); write them in French style."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from .said import Said

__all__ = [
    "Amount",
    "Found",
    "Scale",
    "Unit",
    "currency_named",
    "find_amounts",
    "format_amount",
    "format_number",
    "mismatch",
    "parse_amount",
]

Unit = Literal["€", "$", "%", ""]
"""Euros, dollars, a percentage, or ``""`` for a plain number (a count, a ratio)."""
Scale = Literal["", "k", "M"]
"""How a money amount was written (``80 000 €``, ``80 k€``, ``0,08 M€``), to write results the same way."""

_SCALES = {"": 1.0, "k": 1e3, "M": 1e6}


@dataclass(frozen=True)
class Amount:
    """An amount or a range of amounts; a single value has ``low == high``.

    Examples
    --------
    >>> Amount(35_000, 45_000, "€", scale="k")
    Amount(low=35000, high=45000, unit='€', period=None, scale='k', approx=False, at_least=False)
    >>> str(Amount(35_000, 45_000, "€", scale="k"))
    '35–45 k€'
    """

    low: float
    """The lower bound (the value itself for a single amount)."""
    high: float
    """The upper bound; never below ``low`` (they are swapped on creation)."""
    unit: Unit = "€"
    """``€``, ``$``, ``%`` or ``""`` for a plain number."""
    period: str | None = None
    """``an``, ``mois``, ``trimestre`` or ``semaine`` when the text gives one."""
    scale: Scale = ""
    """How the amount was written (``k`` for ``80k``); results are written the same way."""
    approx: bool = False
    """The text calls it an average or an estimate (« en moyenne », « environ », « souvent »)."""
    at_least: bool = False
    """Only a floor: « peut dépasser 60 k€ », « plus de 50 000 € »."""

    def __post_init__(self) -> None:
        if self.low > self.high:
            low, high = self.high, self.low
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)

    @property
    def is_range(self) -> bool:
        """True for a range (``35-45K€``), False for a single value."""
        return self.low != self.high

    @property
    def is_money(self) -> bool:
        """True for euros and dollars."""
        return self.unit in ("€", "$")

    def __str__(self) -> str:
        return format_amount(self)


@dataclass(frozen=True)
class Found:
    """An amount found in a text, with where it sits (to tell which word it belongs to)."""

    amount: Amount
    start: int
    end: int
    text: str


# --- reading ---------------------------------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:[ .]\d{3})+(?![\d])(?:,\d+)?|\d+(?:[.,]\d+)?)"
_SCALE_WORD = (r"(?:milliards?|mds?|millions?|mille|k|µ"
               r"|m(?=\s*(?:€|\$|eur\b|euros?\b|dollars?\b|usd\b))"
               # "1,2M de pipe", "3M of ARR": an M stuck to its number, then a word of what it counts
               r"|(?<=\d)m(?=\s+(?:de|d'|of|en|in)\b|\s*[,;.!?)]|\s*$))")
_CURRENCY = r"(?:€|\$|eur\b|euros?\b|dollars?\b|usd\b|%|pour\s?cents?\b|percent\b|pct\b)"
_ONE = re.compile(
    # "n+1" (the manager) and "bac+5" are no amounts
    rf"(?<![\w.,])(?<![a-z]\+)(?P<neg>(?<![^\s(])-)?(?P<pre>\$|€|usd\s?)?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE_WORD}))?(?:\s?(?P<unit>{_CURRENCY}))?"
    # « un 4ème », « a 4th »: an ordinal counts as its number
    r"(?:(?<=\d)(?:eme|ème|e|th)(?![a-z]))?"
    r"(?![a-z0-9])",
)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|à|a|to|jusqu'à)\s*$")
_BETWEEN = re.compile(r"(?:entre|between)\s*$")
"""Only "entre X et Y" / "between X and Y" make a range with "et": "un objectif de 120 000 € et 270 000 € de pipe" is two
amounts."""
_AND = re.compile(r"^\s*(?:et|and)\s*$")
_PERIOD = re.compile(
    r"^\s*(?:bruts?\s*|nets?\s*|d'arr\s*)?(?:(?:/|par|per|a|an|by|d'|de)|[a-z\u00e0-\u00ff]{2,12}\s+(?:/|par|per|a|by))?\s*"
    r"(?P<p>ans?\b|annees?\b|annuels?\b|year\b|yr\b|mois\b|month\b|mensuels?\b|trimestres?\b|quarter\b|"
    r"trimestriels?\b|semaines?\b|week\b|hebdo\b)")
_PERIODS = {"an": "an", "ans": "an", "ann": "an", "yea": "an", "yr": "an", "moi": "mois", "mon": "mois", "men": "mois",
            "tri": "trimestre", "qua": "trimestre", "sem": "semaine", "wee": "semaine", "heb": "semaine"}
# « panier moyen de 20 000 € » names a figure (an average deal size), it does not round it.
_APPROX = re.compile(r"\b(?:moyenne|(?<!panier )(?<!ticket )moyen|environ|souvent|approx\w*|about|around|pres de|près de|~|≈)")
_AT_LEAST = re.compile(r"(?:depasser|dépasser|plus de|au moins|over|more than|at least|>)(?:\s+(?:les|la|le))?\s*$")
_YEAR = re.compile(r"(?:en|in|mai|janvier|fevrier|février|mars|avril|juin|juillet|aout|août|septembre|octobre|"
                   r"novembre|decembre|décembre|annee|année|depuis|since|january|february|march|april|may|june|"
                   r"july|august|september|october|november|december|year)\s*$", re.IGNORECASE)
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "\u00a0": " ", "\u202f": " ",
                         "’": "'", "\t": " "})


# « a 1.2M annual quota », « 1,2M par an »: a capital M stuck to a number is millions whatever word follows; written
# « µ » (one character, as the M) before lower-casing, where a small m could be metres or minutes.
_CAPITAL_M = re.compile(r"(?<=\d)M(?![A-Za-z])")


def _prepare(text: str) -> str:
    # Same length as the text, so positions found here point into the original.
    text = text.translate(_DASHES)
    return (_CAPITAL_M.sub("µ", text) if "M" in text else text).lower()


def _number(raw: str, dollars: bool, money: bool = False) -> float:
    raw = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):  # 80.000 / 1.080.000,50: dots group thousands
        raw = raw.replace(".", "")
    elif (dollars or money) and re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        # $120,000; « 150,000 euros » with no k or M after it: commas group thousands (no one writes 150 € so)
        raw = raw.replace(",", "")
    return float(raw.replace(",", "."))


def _scale_of(word: str | None) -> tuple[Scale, float]:
    if not word:
        return "", 1.0
    if word.startswith(("milliard", "md")):
        return "M", 1e9  # written back in M€ (1 milliard = 1 000 M€)
    if (word.startswith("m") and word != "mille") or word == "µ":
        return "M", 1e6
    return "k", 1e3


_MONEY_WORD = re.compile(r"€|\$|\b(?:eur|euros?|dollars?|usd)\b")


def currency_named(text: str) -> Unit | None:
    """The currency *text* (lower case) names first, with or without an amount (« combien par mois en euros ? »).

    Examples
    --------
    >>> currency_named("et ça fait combien par mois en euros ?"), currency_named("combien de deals ?")
    ('€', None)
    """
    found = _MONEY_WORD.search(text)
    return _unit_of(None, found.group()) if found else None


def _unit_of(pre: str | None, word: str | None) -> Unit | None:
    for w in (word, pre):
        if not w:
            continue
        w = w.strip()
        if w in ("€", "eur") or w.startswith("euro"):
            return "€"
        if w in ("$", "usd") or w.startswith("dollar"):
            return "$"
        if w == "%" or w.startswith(("pour", "percent", "pct")):
            return "%"
    return None


@dataclass(frozen=True)
class _Piece:
    value: float
    unit: Unit | None
    scale: Scale
    multiplier: float
    start: int
    end: int


# Numbers written in words, as some write an amount (« cent vingt mille euros », "two hundred thousand"): read only
# when a scale word or a currency closes them, so that « un AE », « deux rôles » stay words.
_UNITS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
          "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
          "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70,
          "nonante": 90, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
          "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_HUNDREDS = ("cent", "cents", "hundred")
_THOUSANDS = {"mille": 1e3, "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6}
_WORD = "|".join(sorted((*_UNITS, *_HUNDREDS, *_THOUSANDS), key=len, reverse=True))
_WORDED = re.compile(rf"(?<![\w-])(?:(?:{_WORD}|et|and)[\s-]+)*(?:{_WORD})(?:\s?(?P<unit>{_CURRENCY}))?(?![\w-])")


def _worded(words: list[str]) -> tuple[float, Scale] | None:
    """The value of number *words* ending with a scale word (« cent vingt mille »), or None."""
    if not words or words[-1] not in _THOUSANDS or not any(w in _UNITS or w in _HUNDREDS for w in words):
        return None
    total, current, last = 0.0, 0.0, ""
    for w in words:
        if w in ("et", "and"):
            continue
        if w in _UNITS:
            # « quatre-vingt » is 80: four twenties.
            current += 80 - 4 if _UNITS[w] == 20 and last == "quatre" else _UNITS[w]
        elif w in _HUNDREDS:
            current = (current or 1) * 100
        else:
            total += (current or 1) * _THOUSANDS[w]
            current = 0.0
        last = w
    return total + current, "M" if words[-1].startswith("million") else "k"


def _worded_pieces(s: str, taken: list[_Piece]) -> list[_Piece]:
    out = []
    for m in _WORDED.finditer(s):
        if any(p.start < m.end() and m.start() < p.end for p in taken):
            continue
        unit = m.group("unit")
        words = re.split(r"[\s-]+", s[m.start():m.start("unit") if unit else m.end()].strip())
        read = _worded(words)
        # (« un peu plus d'un million » quotes a size, no amount: « un »/« one » alone before the scale is read only
        # with a currency after it.)
        if read is not None and not unit and set(words[:-1]) <= {"un", "une", "one"}:
            continue
        if read is not None:
            value, scale = read
            out.append(_Piece(value, _unit_of(None, unit) if unit else "€", scale, _SCALES[scale], m.start(), m.end()))
    return out


def _pieces(s: str) -> list[_Piece]:
    out = []
    for m in _ONE.finditer(s):
        pre, unit_word = m.group("pre"), m.group("unit")
        unit = _unit_of(pre, unit_word)
        scale, mult = _scale_of(m.group("scale"))
        raw = m.group("num")
        value = _number(raw, unit == "$", unit == "€" and not scale) * (-1 if m.group("neg") else 1)
        if (unit is None and not scale and 1900 <= value <= 2099 and "." not in raw and " " not in raw
                and _YEAR.search(s[max(0, m.start() - 12):m.start()])):
            continue  # « en mai 2021 » is a date
        end = m.end()
        if unit_word and unit_word[-1].isspace():
            end -= 1
        out.append(_Piece(value * mult, unit, scale, mult, m.start(), end))
    if any(w in s for w in _THOUSANDS if w != "k"):
        out = sorted([*out, *_worded_pieces(s, out)], key=lambda p: p.start)
    return out


def _merge_range(a: _Piece, b: _Piece, s: str) -> bool:
    between = s[a.end:b.start]
    if _AND.match(between):
        return bool(_BETWEEN.search(s[max(0, a.start - 10):a.start]))
    if not _RANGE_JOIN.match(between):
        return False
    if a.unit and b.unit and a.unit != b.unit:
        return False
    # « 70k - 45k » is a subtraction; a range goes up (« 28k - 60k € », « 35-45K€ »).
    low = a.value * (b.multiplier if not a.scale and b.scale else 1.0)
    return "-" not in between or low < b.value


def find_amounts(text: str) -> list[Found]:
    """Every amount in *text*, in order; ranges (``35-45K€``, ``10 à 30%``, ``28k - 60k €``) count as one.

    Numbers without a unit are plain numbers (``unit=""``) unless written with a
    scale (``80k``, ``80 mille``), which people use for euros. Years after « en »
    or a month (« mai 2021 ») are not amounts.

    Examples
    --------
    >>> [str(f.amount) for f in find_amounts("J'ai 400 k€ de pipe et 120 000 € de quota")]
    ['400 k€', '120 000 €']
    >>> [str(f.amount) for f in find_amounts("3 AM × 15 clients, variable de 10 à 30% du fixe")]
    ['3', '15', '10–30 %']
    """
    return list(_find_amounts(text))


@lru_cache(maxsize=32)
def _find_amounts(text: str) -> tuple[Found, ...]:
    """:func:`find_amounts`, kept for the last 32 texts: a question's text is read by several steps of one answer
    (every value is a frozen dataclass); few enough that a question asked again is read afresh, as a new one is."""
    s = _prepare(text)
    pieces = _pieces(s)
    found: list[Found] = []
    i = 0
    while i < len(pieces):
        a = pieces[i]
        b = pieces[i + 1] if i + 1 < len(pieces) else None
        if b is not None and _merge_range(a, b, s):
            unit = a.unit or b.unit
            low = a.value * (b.multiplier if not a.scale and b.scale else 1.0)
            start, end, scale, i = a.start, b.end, b.scale or a.scale, i + 2
            high = b.value
        else:
            unit, low, high, scale, start, end, i = a.unit, a.value, a.value, a.scale, a.start, a.end, i + 1
        if unit is None:
            unit = "€" if scale else ""
        period_match = _PERIOD.match(s[end:end + 30])
        period = _PERIODS[period_match.group("p")[:3]] if period_match else None
        before = s[max(0, start - 30):start]
        after = s[end:end + 20]
        approx = bool(_APPROX.search(before) or _APPROX.search(after.split(",")[0].split(";")[0]))
        amount = Amount(low, high, unit, period, scale if unit in ("€", "$") else "", approx,
                        bool(_AT_LEAST.search(before)))
        found.append(Found(amount, start, end, text[start:end]))
    return tuple(found)


def parse_amount(text: str) -> Amount | None:
    """The first amount written in *text*, or None when it holds none.

    Examples
    --------
    >>> parse_amount("0,08 M€")
    Amount(low=80000.0, high=80000.0, unit='€', period=None, scale='M', approx=False, at_least=False)
    >>> parse_amount("26 % (moyenne)").approx
    True
    >>> parse_amount("rien") is None
    True
    """
    found = find_amounts(text)
    return found[0].amount if found else None


# --- writing ---------------------------------------------------------------------------------------------------------

def format_number(value: float, decimals: int = 2, *, lang: str = "fr") -> str:
    """*value* in French style: spaces between thousands, a decimal comma, no trailing zeros
    (``lang="en"``: a decimal point; the thousands keep their spaces, as the sources write them).

    Examples
    --------
    >>> format_number(1080000), format_number(10 / 3), format_number(-13.5), format_number(10 / 3, lang="en")
    ('1 080 000', '3,33', '−13,5', '3.33')
    """
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞"
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "−0"
    sign = "−" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + (("." if lang == "en" else ",") + frac if frac else "")


def _decimals(amount: Amount) -> int:
    if amount.unit == "%":
        return 1 if abs(amount.high) >= 10 else 2
    if amount.is_money and not amount.scale and max(abs(amount.low), abs(amount.high)) >= 100:
        return 0
    return 2


def format_amount(amount: Amount, *, lang: str = "fr") -> str:
    """*amount* in French style: ``15 600 €``, ``50–70 k€``, ``0,08 M€``, ``125 %``, ``57 504 $``, ``3,33``
    (``lang="en"``: ``0.08 M€``, ``more than 60 k€``).

    Examples
    --------
    >>> format_amount(Amount(50_000, 70_000, "€", scale="k"))
    '50–70 k€'
    >>> format_amount(Amount(1.25 * 100, 1.25 * 100, "%"))
    '125 %'
    >>> format_amount(Amount(60_000, 60_000, "€", scale="k", at_least=True))
    'plus de 60 k€'
    >>> format_amount(Amount(60_000, 60_000, "€", scale="k", at_least=True), lang="en")
    'more than 60 k€'
    """
    divisor = _SCALES[amount.scale] if amount.is_money else 1.0
    decimals = _decimals(amount)
    low = format_number(amount.low / divisor, decimals, lang=lang)
    high = format_number(amount.high / divisor, decimals, lang=lang)
    if low == high:
        number = low
    else:
        # « −10–10 k€ » would read as a subtraction: negative bounds get « à ».
        number = f"{low} {'to' if lang == 'en' else 'à'} {high}" if amount.low < 0 else f"{low}–{high}"
    suffix = {"€": "€", "$": "$", "%": "%", "": ""}[amount.unit]
    if amount.is_money:
        suffix = f"{amount.scale}{suffix}"
    text = f"{number} {suffix}" if suffix else number
    return f"{'more than' if lang == 'en' else 'plus de'} {text}" if amount.at_least else text


def shown(amount: Amount) -> Amount:
    """*amount* rounded the way :func:`format_amount` writes it (to tell "=" from "≈")."""
    divisor = _SCALES[amount.scale] if amount.is_money else 1.0
    d = _decimals(amount)
    return replace(amount, low=round(amount.low / divisor, d) * divisor, high=round(amount.high / divisor, d) * divisor)


def mismatch(a: Amount, b: Amount) -> Said | None:
    """Why *a* and *b* cannot be added or compared as they are (currency, period), or None.

    The reason is a :class:`~bot.said.Said` (``mismatch_unit``, ``mismatch_period`` of messages.toml).

    Examples
    --------
    >>> mismatch(Amount(57_504, 57_504, "$"), Amount(60_000, 60_000, "€"))
    Said(key='mismatch_unit', values=(('one', Said(key='unit_usd', values=())), ('other', Said(key='unit_eur', values=()))))
    >>> mismatch(Amount(5_000, 5_000, "€", period="mois"), Amount(60_000, 60_000, "€", period="an")) is not None
    True
    """
    names = {"€": "unit_eur", "$": "unit_usd", "%": "unit_percent", "": "unit_number"}
    if a.unit != b.unit and a.is_money and b.is_money:
        return Said.of("mismatch_unit", one=Said(names[a.unit]), other=Said(names[b.unit]))
    if a.period and b.period and a.period != b.period:
        return Said.of("mismatch_period", one=Said(f"period_{a.period}"), other=Said(f"period_{b.period}"))
    return None
