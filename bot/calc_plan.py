"""From a question to a computation: pick the operation (``intents/compute.toml``) and its operands, then compute.

:func:`plan` is pure: the salary figures, the worked examples' figures, role
names and seniority words come in as arguments; it returns a
:class:`~bot.calc.Computation`, a :class:`RuleQuestion` (the question is about
the ×3 rule itself) or None (not a computation question).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial, wraps
from itertools import chain, pairwise
from typing import ParamSpec

from rapidfuzz import fuzz, process

from .amounts import Amount, Found, currency_named, find_amounts, format_amount, parse_amount
from .calc import (
    FACTOR,
    MONTHS,
    PIPELINE,
    QUESTION,
    QUOTA,
    Computation,
    Operand,
    Pay,
    RuleQuestion,
    add,
    add_all,
    check_pay,
    compare_part,
    compare_pay,
    coverage,
    of_pay,
    pay_total,
    per_head,
    percent_of,
    pipeline_needed,
    product,
    ratio,
    share,
    subtract,
)
from .clauses import has_phrase
from .compute_intents import ELIDED, PERIODS, QUESTION_PERIODS, ComputeIntents, ExampleRecipe, Phrase
from .normalise import fold, has_digit, normalise
from .said import Said, Text, Twin

__all__ = ["RuleQuestion", "compute_example", "plan"]


# --- reading the question --------------------------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _plain(text: str) -> str:
    """*text* lower-cased without accents, one character for one, so positions match the original.

    Cached for the last 32 texts: the role names are made plain for every question that names a role (and the
    question a few times); few enough that a question asked again is read afresh, as a new one is.
    """
    if text.isascii():
        return text.lower()
    return "".join(map(_plain_char, text)).lower()


_PLAIN_SIGNS = {"×": "x", "’": "'", "\u00a0": " ", "\u202f": " ", "–": "-", "—": "-", "−": "-"}


@lru_cache(maxsize=4096)
def _plain_char(ch: str) -> str:
    """What :func:`_plain` makes of one character before lower-casing: its first decomposed character, or the plain
    sign it stands for (the same few hundred characters come back in every question)."""
    return _PLAIN_SIGNS.get(ch) or unicodedata.normalize("NFKD", ch)[:1] or ch


@dataclass(frozen=True)
class _Slotted:
    found: Found
    slot: str | None

    @property
    def amount(self) -> Amount:
        return self.found.amount


@dataclass
class _Question:
    text: str
    plain: str
    compact: str
    tokens: list[str]
    amounts: list[_Slotted]
    slot_words: set[str]
    roles: list[str]
    level: str | None
    operators: Mapping[str, tuple[str, ...]]
    role_levels: Mapping[str, str] = field(default_factory=dict)
    """The level written next to each role when they differ ("un AE confirmé ou un KAM moyen")."""
    durations: tuple[Found, ...] = ()
    """Numbers of weeks, months… ("sur 13 semaines"): never an amount, but what a rate is counted over."""
    bounds: Mapping[str, str] = field(default_factory=dict)
    """The end of its range the question puts a role's pay at (``top`` / ``bottom``): « au max », « top of the range »."""
    carried: bool = False
    """True when the amounts are the ones the asker gave to the last computation, not this question's."""
    role_spans: Sequence[tuple[int, int, str]] = ()
    """Where the question names each role, when it names two or more: ``(start, end, role)``."""

    @cached_property
    def runs(self) -> frozenset[tuple[str, ...]]:
        """Every run of one to six tokens of the question."""
        t = self.tokens
        # The runs of each size as zips of the tokens shifted (the same tuples as slicing, made at C speed).
        return frozenset(chain(zip(t), pairwise(t), zip(t, t[1:], t[2:]), zip(t, t[1:], t[2:], t[3:]),
                               zip(t, t[1:], t[2:], t[3:], t[4:]), zip(t, t[1:], t[2:], t[3:], t[4:], t[5:])))

    def has(self, phrase: Phrase) -> bool:
        if not phrase.tokens:
            return phrase.text.replace(" ", "") in self.compact
        return phrase.tokens in self.runs

    def has_any(self, phrases: Sequence[Phrase]) -> bool:
        # Word phrases in one set look-up (C speed); phrases of symbols only ("%", "+") by text.
        # Phrases loaded from compute.toml are Phrases, which hold both parts already.
        # A question is checked against some seventy phrase lists: a Phrases' symbol texts are made at load time.
        words = getattr(phrases, "words", None)
        if words is None:
            words, symbols = [p.tokens for p in phrases], phrases
            if not self.runs.isdisjoint(words):
                return True
            return bool(symbols) and any(self.has(p) for p in symbols if not p.tokens)
        if not self.runs.isdisjoint(words):
            return True
        symbols = phrases.compact  # type: ignore[attr-defined]  # a Phrases (it has words)
        return bool(symbols) and any(text in self.compact for text in symbols)

    def has_unnegated(self, phrases: Sequence[Phrase], negators: Sequence[tuple[str, ...]]) -> bool:
        """Whether the question holds one of *phrases* not taken back by a negator just before it (« en euros,
        pas en % » holds no « en % »)."""
        if not self.has_any(phrases):
            return False
        for p in phrases:
            if p.tokens:
                if p.tokens in self.runs and not any((*n, *p.tokens) in self.runs for n in negators):
                    return True
            elif (text := p.text.replace(" ", "")) in self.compact \
                    and not any("".join(n) + text in self.compact for n in negators):
                return True
        return False

    def money(self) -> list[_Slotted]:
        """Amounts in euros or dollars; a bare number of 1 000 or more counts as euros (« un quota de 120000 »)."""
        out = []
        for s in self.amounts:
            a = s.amount
            if a.is_money:
                out.append(s)
            elif a.unit == "" and a.low >= 1000:
                out.append(replace(s, found=replace(s.found, amount=replace(a, unit="€"))))
        return out

    def counts(self) -> list[_Slotted]:
        return [s for s in self.amounts if s.amount.unit == "" and s.amount.high < 1000]

    def percents(self) -> list[_Slotted]:
        return [s for s in self.amounts if s.amount.unit == "%"]

    def slotted(self, slot: str, pool: Sequence[_Slotted]) -> _Slotted | None:
        return next((s for s in pool if s.slot == slot), None)


def _as_cue(word: str, intents: ComputeIntents) -> str:
    """*word*, or the cue word of five letters or more it misspells (typos are forgiven on long words only:
    short ones, "ote" or "fixe", are too easy to confuse)."""
    if len(word) < 4 or word in intents.words or not intents.long_words:
        return word
    return _closest_cue(word, intents.long_words)


@lru_cache(maxsize=4096)
def _closest_cue(word: str, long_words: tuple[str, ...]) -> str:
    """The word of *long_words* that *word* misspells, or *word* (the same words come back in every question)."""
    # One letter off in five is another word as often as a typo ("sales" / "saves"): short words need more.
    found = process.extractOne(word, long_words, scorer=fuzz.ratio, score_cutoff=80 if len(word) >= 7 else 90)
    return found[0] if found else word


_FACTOR_BEFORE = re.compile(r"(?:^|[^\d\s])\s*x\s*$")
# « 3 ans », « 12 years »: a duration or an age told in a story, never an operand.
_DURATION_AFTER = re.compile(r"^\s*(?:ans?|annees?|mois|semaines?|jours?|years?|months?|weeks?|days?)\b")
_FACTOR_AFTER = re.compile(r"^\s*(?:x\b|fois\b|times\b)(?!\s*\d)")


_SPAN_UNIT = re.compile(r"^\s*(semaine|mois|jour|trimestre|annee|week|month|day|quarter|year)s?\b")
_SPAN_NAME = {"week": "semaine", "month": "mois", "day": "jour", "quarter": "trimestre", "year": "annee"}


def _spans(text: str, plain: str) -> dict[str, Amount]:
    """The numbers of periods the question gives, by period in French (« 13 semaines », "13 weeks" -> semaine)."""
    out: dict[str, Amount] = {}
    for f in find_amounts(text):
        m = _SPAN_UNIT.match(plain[f.end:]) if f.amount.unit == "" and not f.amount.is_range else None
        if m is not None:
            out.setdefault(_SPAN_NAME.get(m.group(1), m.group(1)), f.amount)
    return {k: v for k, v in out.items() if k in QUESTION_PERIODS}


def _durations(text: str, plain: str) -> tuple[Found, ...]:
    """The numbers of the question that count a duration ("13 semaines", "12 mois")."""
    return tuple(f for f in find_amounts(text) if f.amount.unit == "" and _DURATION_AFTER.match(plain[f.end:]))


def _amounts(text: str, plain: str, intents: ComputeIntents, factor: float) -> tuple[list[_Slotted], set[str]]:
    found = [f for f in find_amounts(text)
             if not (f.amount.unit == "" and f.amount.low == factor
                     and (_FACTOR_BEFORE.search(plain[:f.start]) or _FACTOR_AFTER.match(plain[f.end:])))
             and not (f.amount.unit == "" and _DURATION_AFTER.match(plain[f.end:]))]
    words = _word_spans(plain, {k: v for k, v in intents.slots.items() if k != HEADCOUNT})
    # « combien de pipe pour 250k ? »: the pipe asked names no amount (it stays a word of the question, below).
    asked = _left_out(intents.asked_slot)
    naming = [w for w in words if w[2] not in _PIPE_SLOTS or not asked.search(plain[max(0, w[0] - 14):w[0]])]
    # Counts fill no pay or pipe slot; a count next to "AE", "team of"… is a headcount (« 5 AE à 100k chacun »).
    counted = [i for i, f in enumerate(found) if f.amount.unit == "" and f.amount.high < 1000 and not f.amount.is_range]
    rest = [i for i in range(len(found)) if i not in counted]
    slot_of = {rest[k]: v for k, v in _pair(plain, [found[i] for i in rest], naming, intents.weak_names).items()}
    heads = _word_spans(plain, {HEADCOUNT: intents.slots.get(HEADCOUNT, ())})
    slot_of |= {counted[k]: v for k, v in _pair(plain, [found[i] for i in counted], heads).items()}
    # « sans le variable », « without commission »: a part left out is not asked about.
    left_out = _left_out(intents.left_out)
    named = {w[2] for w in (*words, *heads) if not left_out.search(plain[max(0, w[0] - 12):w[0]])}
    # « je parle juste du fixe », « just the base »: the one part asked, whatever else the question says of pay.
    only_part = _left_out(intents.only_part)
    only = {w[2] for w in words if only_part.search(plain[max(0, w[0] - 14):w[0]])}
    if only:
        named = (named - {"total"}) | only
    return [_Slotted(f, slot_of.get(i)) for i, f in enumerate(found)], named


BASKET = "basket"
"""The slot of what a customer pays (``[slots] basket``): never a pay."""
@lru_cache(maxsize=8)
def _left_out(words: tuple[str, ...]) -> re.Pattern[str]:
    """The text right before a slot word ending in one of *words* (``left_out`` of compute.toml: that part is left
    out, « sans le variable »; ``only_part``: that part alone is asked, « juste le fixe »); a pattern matching
    nothing without them."""
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})['\s]*$")
HEADCOUNT = "headcount"
"""The slot of a number of people (``[slots] headcount`` of compute.toml)."""


def _word_spans(plain: str, named: Mapping[str, Sequence[Phrase]]) -> list[tuple[int, int, str]]:
    """Where the question writes each name of *named* (key -> phrases): ``(start, end, key)``."""
    plain = plain.replace("'", " ")  # « l'année » as the phrase « l annee » writes it, one character for one
    # Most names are absent: their regular expressions are run only for those the text holds.
    present = [(p.text, key) for key, phrases in named.items() for p in phrases if p.text in plain]
    words = [(m.start(), m.end(), key) for text, key in present for m in _word_at(text).finditer(plain)]
    # A name inside a longer one is that one's word (« salary » in « base salary » names the fixed pay).
    return [w for w in words if not any(s <= w[0] and w[1] <= e and e - s > w[1] - w[0] for s, e, _ in words)]


_SENTENCE_END = re.compile(r"[.?!;]\s")
_WEAK = 12
"""Characters a weak name (« brut ») counts as further away than a part's name."""
_ACROSS = 30
"""Characters a name across a sentence end counts as further away than one in the amount's own sentence."""


def _pair(plain: str, found: Sequence[Found], words: Sequence[tuple[int, int, str]],
          weak: frozenset[str] = frozenset()) -> dict[int, str]:
    """Each amount's name: the nearest name within 40 characters, each name written once taken once (the amount's
    index -> the name's key). A *weak* name (« brut ») counts as further away than a part named near (« fixe prévu
    45 k€ brut » is a fixed pay)."""
    pairs = []
    for i, f in enumerate(found):
        for j, (ws, we, _key) in enumerate(words):
            between = plain[f.end:ws] if ws >= f.end else plain[we:f.start] if we <= f.start else ""
            if len(between) > 40:
                continue
            # « 400k de pipe », « quota de 80k » and « quota 80k » bind tighter than « pipe et 120k ».
            glue = r"\s*(?:de|d'|of)\s*" if ws >= f.end else r"\s*(?:de|d'|of|:|=)?\s*"
            bonus = 3 if re.fullmatch(glue, between) else 0
            # A name in the amount's own sentence before one across a full stop (« my fixed salary is €40k. Using
            # the usual variable range… »).
            apart = _SENTENCE_END.search(between) is not None
            pairs.append((len(between) - bonus + (_ACROSS if apart else 0) + (_WEAK if plain[ws:we] in weak else 0),
                          i, j))
    key_of: dict[int, str] = {}
    used: set[int] = set()
    for _, i, j in sorted(pairs):
        if i not in key_of and j not in used:
            key_of[i] = words[j][2]
            used.add(j)
    return key_of


@lru_cache(maxsize=2048)
def _word_at(text: str) -> re.Pattern[str]:
    """*text* (folded) as a whole word or phrase."""
    return re.compile(rf"(?<![a-z]){re.escape(text)}(?![a-z])")


@lru_cache(maxsize=2048)
def _name_at(text: str) -> re.Pattern[str]:
    """A role name (folded) as a whole word or phrase, plural allowed."""
    return re.compile(rf"(?<![a-z]){re.escape(text)}s?(?![a-z])")


def _roles(plain: str, aliases: Mapping[str, Sequence[str]]) -> list[str]:
    hits = []
    for role, names in aliases.items():
        for name in names:
            text = _plain(name)
            if text not in plain:
                continue
            for m in _name_at(text).finditer(plain):
                hits.append((m.start(), m.end(), role))
    # "key account manager" holds "account manager": keep the longest match.
    kept = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)]
    return list(dict.fromkeys(role for _, _, role in sorted(kept)))


def _role_levels(plain: str, roles: Sequence[str], aliases: Mapping[str, Sequence[str]],
                 levels: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The level written next to each role: each level word goes to the role name nearest to it ("un AE confirmé
    ou un KAM moyen" -> AE senior, KAM average; "on average, a KAM, or a junior AE" -> KAM average, AE junior).
    Empty unless two roles get different levels (then the question's one level is for both)."""
    kept = _role_spans(plain, roles, aliases)
    if len({role for *_, role in kept}) < 2:
        return {}
    said = sorted((m.start(), m.end(), level) for level, words in levels.items() for w in words
                  for text in [" ".join(_level_words(w))] if text in plain  # most words are absent: no regex
                  for m in _word_at(text).finditer(plain))
    found: dict[str, str] = {}
    for start, end, level in said:
        # The role named just before, in the same part of the sentence ("KAM au salaire moyen ou AE junior"),
        # else the nearest one ("a junior AE").
        before = [(start - e, r) for s, e, r in kept if e <= start and not _LEVEL_APART.search(plain[e:start])]
        _, role = min(before) if before else min((max(s - end, start - e, 0), r) for s, e, r in kept)
        found.setdefault(role, level)
    return found if len(set(found.values())) > 1 else {}


# What parts a sentence between two roles compared: a level word past one of these is no longer the first role's.
_LEVEL_APART = re.compile(r"[,;?!]|\b(?:ou|or|et|and|vs|versus|contre|entre|than|que|qu)\b")


def _role_spans(plain: str, roles: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> list[tuple[int, int, str]]:
    """Where the question names each role (the longest name where two overlap): ``(start, end, role)``."""
    spans = sorted((m.start(), m.end(), role) for role in roles for name in aliases.get(role, ())
                   for text in [_plain(name)] if text in plain  # most names are absent: no regex
                   for m in _name_at(text).finditer(plain))
    return [h for h in spans if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in spans)]


def _role_bounds(plain: str, roles: Sequence[str], aliases: Mapping[str, Sequence[str]],
                 bounds: Mapping[str, Sequence[Phrase]]) -> dict[str, str]:
    """The end of its range the question puts each role at ("a junior AE at the top of his OTE range" -> AE: top):
    each bound word goes to the role named nearest to it (the only role, when one is named)."""
    words = _word_spans(plain, bounds)
    if not words:
        return {}
    kept = _role_spans(plain, roles, aliases) or [(0, 0, role) for role in roles[:1]]
    found: dict[str, str] = {}
    for start, end, bound in words:
        # « un AE junior au minimum et un KAM » : a bound follows the role it is about, so a role before it wins
        # over one as near after it.
        _, role = min(((start - e) if e <= start else (s - end) + 20, r) for s, e, r in kept)
        found.setdefault(role, bound)
    return found


def _level(text: str, levels: Mapping[str, Sequence[str]]) -> str | None:
    """The first level (in *levels*' order) one of whose words or phrases the question holds."""
    return next(iter(_levels(text, levels)), None)


def _levels(text: str, levels: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Every level (in *levels*' order) one of whose words or phrases the question holds."""
    runs = _level_runs(text)
    return tuple(level for level, words in levels.items() if not runs.isdisjoint(map(_level_words, words)))


@lru_cache(maxsize=16)
def _level_runs(text: str) -> frozenset[tuple[str, ...]]:
    """Every run of one to four folded tokens of *text* (a question is looked at for levels two or three times)."""
    tokens = [t for t in _WORD_SPLIT.split(fold(text)) if t]
    return frozenset(tuple(tokens[i:i + n]) for n in range(1, 5) for i in range(len(tokens) - n + 1))


@lru_cache(maxsize=1024)
def _level_words(word: str) -> tuple[str, ...]:
    """The folded tokens of a seniority word or phrase (the same few words are read for every question)."""
    return tuple(t for t in _WORD_SPLIT.split(fold(word)) if t)


_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


# --- the figures -----------------------------------------------------------------------------------------------------

@dataclass
class _Context:
    intents: ComputeIntents
    figures: Sequence[Mapping[str, object]]
    examples: Mapping[str, Mapping[str, object]]
    names: Mapping[str, Text]
    levels: Mapping[str, Sequence[str]]
    factor: float
    previous: Computation | None
    memo: dict[str, Computation] = field(default_factory=dict)
    earlier_roles: Sequence[str] = ()
    changed: Mapping[str, Amount] = field(default_factory=dict)
    """Worked-example figures the question (or the conversation) changed: figure id -> the new amount."""
    rewrites: Mapping[str, str] | None = None
    """SMS spellings and typos, to read a part of the question as the whole is read."""
    last: tuple[Amount, str] | None = None
    """The result of the conversation's last computation and its source (« et par mois ? » after it)."""
    level_said: bool = False
    """The question itself names a level (« and for a beginner? »), not only the conversation's level."""
    spans: Mapping[str, Amount] = field(default_factory=dict)
    """The numbers of periods the question gives (« sur 13 semaines »): period (``semaine``) -> the number."""
    asked: frozenset[str] = frozenset()
    """The example computations the question asks for: a figure one of them gives is shown with its operation."""

    @property
    def factor_operand(self) -> Operand:
        """The ×3 rule's factor, cited from the rule's source (003)."""
        return Operand(FACTOR, Amount(self.factor, self.factor, ""), self.intents.rule.source)

    def example_amount(self, ref: str) -> Amount | None:
        """The amount of the worked-example figure *ref*, as the source gives it."""
        fig = self.examples.get(ref)
        value = fig.get("value") if fig else None
        return parse_amount(value) if isinstance(value, str) else (
            Amount(float(value), float(value), "") if isinstance(value, (int, float)) else None)

    def giver(self, ref: str) -> ExampleRecipe | None:
        """The example computation whose result the figure *ref* is (``gives``), if any."""
        return next((r for r in self.intents.examples if r.gives == ref), None)

    def uses(self, recipe: ExampleRecipe, figures: Iterable[str]) -> bool:
        """Whether *recipe* rests on one of *figures*, directly or through the computations it uses."""
        wanted = set(figures)
        for ref in recipe.operands:
            if ref in wanted:
                return True
            sub = next(r for r in self.intents.examples if r.id == ref[1:]) if ref.startswith("@") else self.giver(ref)
            if sub is not None and self.uses(sub, wanted):
                return True
        return False

    @cached_property
    def example_values(self) -> frozenset[float]:
        """Every number the worked examples state (« 65 % », « 1 080 000€ »)."""
        values = (parse_amount(str(f.get("value") or "")) for f in self.examples.values())
        return frozenset(a.low for a in values if a is not None)

    def pays(self, role: str) -> list[Pay]:
        out = []
        for fig in self.figures:
            if fig.get("role") != role:
                continue
            seniority = str(fig.get("seniority") or "")
            level = _level(f"{seniority} {fig.get('scope') or ''}", self.levels) or ""
            name = self.names.get(role, role.upper())
            # The level's English name stands for the sheet's French seniority words (« début de carrière »).
            said = Twin(seniority, Said(f"level_{level}") if level else "")
            label = Said.of("calc_pay_label", name=name, seniority=said) if seniority and len(seniority) < 30 else name
            out.append(Pay.from_figure(fig, label=label, level=level))
        return out

    def levels_named(self, q: _Question) -> bool:
        """Whether the question names a level ("AE junior à 38k, c'est normal ?"): then an amount is a pay."""
        return q.level is not None

    def pay(self, role: str, level: str | None, usable: Callable[[Pay], bool]) -> Pay | None:
        """The role's figure at *level* (else the first that is *usable*, else the first)."""
        pays = self.pays(role)
        if level:
            # The level asked, when its figure has what is needed; else a figure of another level that has it
            # (« KAM début de carrière », no variable printed: the average's 26 %), named in its label.
            at = [p for p in pays if p.level == level]
            return next((p for p in at if usable(p)), None) or next((p for p in pays if usable(p)),
                                                                     at[0] if at else None)
        return next((p for p in pays if usable(p)), pays[0] if pays else None)


def _lack(kind: str, what: Text) -> Computation:
    return Computation(kind, None, missing=(what,))


def _op(s: _Slotted, label: str) -> Operand:
    """An operand the question gives, labelled by message ``calc_<label>`` (« fixe », « quota »)."""
    return Operand(Said(f"calc_{label}"), s.amount, QUESTION)


# --- one handler per operation of intents/compute.toml ---------------------------------------------------------------

def _coverage(q: _Question, c: _Context) -> Computation | None:
    money = q.money()
    pipe, quota = q.slotted("pipeline", money), q.slotted("quota", money)
    prev = {o.label: o for o in c.previous.operands} if c.previous else {}
    if len(money) == 2 and (pipe is None) != (quota is None):
        other = money[1] if money[0] in (pipe, quota) else money[0]
        pipe, quota = (pipe, other) if pipe else (other, quota)
    caveats: tuple[Text, ...] = ()
    deals = [m for m in money if m is not quota]
    if quota is not None and pipe is None and len(deals) >= 2 and all(m.slot is None for m in deals) \
            and _listed(q.plain, deals):
        # « four deals open: 45k, 60k, 30k and 95k. quota is 80k »: the deals named one by one make the pipeline.
        pipe_sum, summed = _summed(deals, "deal")
        if pipe_sum is not None:
            quota_of, quota_steps = _quota_for(q, c, quota, None)
            done = coverage(pipe_sum, quota_of, factor=c.factor, rule_source=c.intents.rule.source)
            return replace(done, steps=summed + quota_steps + done.steps)
    if len(money) == 2 and pipe is None and quota is None:
        quota, pipe = sorted(money, key=lambda s: s.amount.high)
        caveats = (Said("calc_which_is_pipeline"),)
    pipeline_op = _op(pipe, "pipeline") if pipe else prev.get(Said("calc_pipeline"))
    quota_op, steps = _quota_for(q, c, quota, pipe) if quota else (prev.get(Said("calc_quota")), ())
    if len(money) == 1 and pipeline_op is not None and quota_op is not None and pipe is None and quota is None:
        return None
    if pipeline_op is None or quota_op is None or not money:
        return None
    done = coverage(pipeline_op, quota_op, factor=c.factor, rule_source=c.intents.rule.source)
    return replace(done, caveats=done.caveats + caveats, steps=steps + done.steps)


_LIST_GAP = re.compile(r"[\s,;+&]*(?:\b(?:et|and|plus)\b)?[\s,;+&]*")


def _listed(plain: str, parts: Sequence[_Slotted]) -> bool:
    """Whether *parts* are written as one list (« 45k, 60k, 30k and 95k »): only commas, « et », « + » between."""
    ordered = sorted(parts, key=lambda p: p.found.start)
    return all(_LIST_GAP.fullmatch(plain[a.found.end:b.found.start]) is not None for a, b in pairwise(ordered))


def _summed(parts: Sequence[_Slotted], label: str) -> tuple[Operand | None, tuple[Computation, ...]]:
    """The sum of *parts* as the pipeline, with the addition that makes it."""
    done = add_all([_op(part, label) for part in parts])
    return (Operand(PIPELINE, done.result, ""), (done,)) if done.result is not None else (None, ())


def _coverage_ratio(q: _Question, c: _Context) -> Computation | None:
    """« un pipe coverage de 2,5, c'est grave ? » : a coverage given as a ratio, set against the ×3 rule."""
    if q.money() or len(q.amounts) != 1:
        return None
    given = q.amounts[0].amount
    if given.unit or given.high > 20 or (given.low == c.factor and not q.has_any(c.intents.checks)):
        return None  # a count of something else, or the rule's own factor (« le x3, ça garantit… ? »)
    rule = Operand(FACTOR, Amount(c.factor, c.factor, ""), c.intents.rule.source)
    said = Operand(Said("calc_coverage_given"), given, QUESTION)
    verdict = "enough" if given.low >= c.factor else ("short" if given.high < c.factor else "partly")
    sign = "≥" if verdict == "enough" else "<"
    return Computation("coverage_ratio", given, f"{format_amount(given)} {sign} {format_amount(rule.amount)}",
                       (said, rule), verdict=verdict)


def _pipeline_needed(q: _Question, c: _Context) -> Computation | None:
    money = q.money()
    if len(money) == 2 and q.slotted("pipeline", money) is not None and q.slotted("quota", money) is None:
        return _coverage(q, c)  # « j'ai 480k de pipe pour ces 200k » : the other amount is the quota
    if len(money) == 1 and money[0].slot == "pipeline":
        # « ok mais j'ai 500k dans le crm ? » after the pipeline a quota needs: that pipeline against that quota;
        # with no quota before, « 0,45 M€ d'opportunités, avec le x3 j'accepte quel quota ? ».
        earlier = c.previous is not None and any(o.label == QUOTA for o in c.previous.operands)
        return _coverage(q, c) if earlier else _quota_supported(q, c)
    quota = q.slotted("quota", money) or (money[0] if len(money) == 1 else None)
    if quota is None:
        return None
    pipe = q.slotted("pipeline", money)
    if pipe is not None and pipe is not quota:
        return _coverage(q, c)  # « et si j'ai 500k de pipe ? » after the rule: the coverage of that pipeline
    quota_op, steps = _quota_for(q, c, quota, None)
    done = pipeline_needed(quota_op, factor=c.factor, rule_source=c.intents.rule.source)
    done = replace(done, steps=steps + done.steps)
    # « quota annuel de 1,2 M€ : quel pipe sur l'année, et par trimestre ? »: each period asked, one after the other.
    periods = _word_spans(q.plain, c.intents.periods)
    nearest = _quota_span(q, periods, quota)
    have = nearest[2] if nearest else None
    # The periods asked for the pipeline: all but the one written next to the quota (« quota annuel »).
    asked = {span[2] for span in periods if span is not nearest}
    if have and len(asked) >= 2 and done.ok:
        first = _pipe_period(q, c, None, periods) or have  # the period the computation above is in
        for other in sorted(asked - {first}, key=lambda p: PERIODS[p]):
            op, more = _quota_for(q, c, quota, None, period=other)
            extra = pipeline_needed(op, factor=c.factor, rule_source=c.intents.rule.source)
            done = replace(done, then=(*done.then, replace(extra, steps=more + extra.steps)))
    return done


_GIVES_WAY = frozenset({"check_pay"})
"""Operations whose failure (a figure the sheet lacks) gives way to a later operation the question also asks."""

_ARITHMETIC = frozenset({"over_period", "expression", "percent_of", "per_head", "share", "difference", "ratio", "sum",
                         "product", "growth"})
"""Operations named by arithmetic words only ("chacun", "fois", "plus"): they do not name what a follow-up asks."""

_PER_YEAR_LABEL = {frozenset({"year", "quarter"}): "calc_quarters_in_year", frozenset({"year", "month"}): "calc_months",
                   frozenset({"quarter", "month"}): "calc_months_in_quarter"}
"""The label of the number that turns one period into the other (4 quarters in a year…)."""


def _quota_for(q: _Question, c: _Context, quota: _Slotted, pipe: _Slotted | None,
               period: str | None = None) -> tuple[Operand, tuple[Computation, ...]]:
    """The quota the ×3 rule or a coverage applies to, with the steps that made it: a quota "chacun" times the
    headcount (« 5 AE à 100k de quota chacun »), then turned into the pipeline's period (« quota annuel de 480k,
    combien de pipe par trimestre ? »: 480 k€ / 4)."""
    op, steps = _op(quota, "quota"), []
    heads = q.slotted(HEADCOUNT, q.counts())
    if heads is not None and heads.amount.low > 1 and q.has_any(c.intents.each):
        team = product(Operand(Said("calc_headcount"), heads.amount, QUESTION), op, kind="team_quota")
        if team.result is not None:
            steps.append(team)
            op = Operand(Said("calc_team_quota"), team.result, "")
    periods = _word_spans(q.plain, c.intents.periods)
    own = _quota_span(q, periods, quota)
    have = own[2] if own else None
    # The quota's own period word (« 50 000 € par mois ») is not the pipeline's, however near the pipe word it is.
    want = period or _pipe_period(q, c, pipe, [p for p in periods if p != own])
    if have and want and have != want:
        n = PERIODS[want] / PERIODS[have]
        count = Operand(Said(_PER_YEAR_LABEL[frozenset({have, want})]), Amount(max(n, 1 / n), max(n, 1 / n), ""), "")
        turned = per_head(op, count, kind="quota_period") if n > 1 else product(count, op, kind="quota_period")
        if n > 1:
            # « quota annuel de 400k, ce trimestre 300k de pipe »: a share of the year, as if spread evenly.
            turned = replace(turned, caveats=(*turned.caveats, Said("calc_even_split")))
        if turned.result is not None:
            steps.append(turned)
            op = Operand(Said(f"calc_quota_{want}"), turned.result, "")
    return op, tuple(steps)


def _unbroken(q: _Question, periods: Sequence[tuple[int, int, str]], quota: _Slotted) -> list[tuple[int, int, str]]:
    """The period words written in the same part of the sentence as the quota (no comma, « ? » or « ; » between):
    « quota annuel de 400k, par trimestre… » puts the year on the quota, the quarter on what follows."""
    def between(ws: int, we: int) -> str:
        return q.plain[quota.found.end:ws] if ws >= quota.found.end else q.plain[we:quota.found.start]

    return [span for span in periods if not _PART_BREAK.search(between(span[0], span[1]))]


_PART_BREAK = re.compile(r"[,;?!.]")
_THOUSANDS = re.compile(r"\d{1,3},\d{3}")
"""« 918,000 », written the English way: read as 918 by the amounts, also 918 000 when a figure quoted is looked for."""


def _quotes(said: _Slotted, figure: Amount) -> bool:
    """Whether the amount *said* in the question quotes *figure* (« 918 000 € », or « 918,000 » the English way)."""
    a = said.amount
    if (a.low, a.high) == (figure.low, figure.high):
        return True
    return bool(_THOUSANDS.fullmatch(said.found.text)) and a.low * 1000 == figure.low


def _quota_span(q: _Question, periods: Sequence[tuple[int, int, str]], quota: _Slotted) -> tuple[int, int, str] | None:
    """The period word of the quota: the one next to it in its part of the sentence."""
    if not quota.found.text:
        return None
    return _span_near(_unbroken(q, periods, quota), quota.found.start, quota.found.end)


def _quota_period(q: _Question, periods: Sequence[tuple[int, int, str]], quota: _Slotted) -> str | None:
    """The period of the quota (:func:`_quota_span`)."""
    span = _quota_span(q, periods, quota)
    return span[2] if span else None


def _pipe_period(q: _Question, c: _Context, pipe: _Slotted | None,
                 periods: Sequence[tuple[int, int, str]]) -> str | None:
    """The period written next to the pipeline (the amount, or else a pipe word), if any."""
    if pipe is not None:
        return _period_near(periods, pipe.found.start, pipe.found.end)
    spans = _word_spans(q.plain, {"pipeline": c.intents.slots.get("pipeline", ())})
    return next((p for s, e, _ in spans for p in [_period_near(periods, s, e)] if p), None)


def _span_near(periods: Sequence[tuple[int, int, str]], start: int, end: int) -> tuple[int, int, str] | None:
    """The span of *periods* (:func:`_word_spans`) written nearest to *start*-*end*, within 30 characters, if any
    (of two as near, the period first in alphabetical order)."""
    near = [(distance, span[2], span) for span in periods
            if (distance := span[0] - end if span[0] >= end else start - span[1]) <= 30]
    return min(near, key=lambda n: n[:2])[2] if near else None


def _period_near(periods: Sequence[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The period of :func:`_span_near`, if any."""
    span = _span_near(periods, start, end)
    return span[2] if span else None


def _quota_supported(q: _Question, c: _Context) -> Computation | None:
    """"450k de pipe, je peux viser quel quota ?": the rule read the other way, quota = pipeline / factor."""
    money = q.money()
    pipe = q.slotted("pipeline", money) or (money[0] if len(money) == 1 else None)
    if pipe is None or len(money) != 1:
        return None
    rule = Operand(FACTOR, Amount(c.factor, c.factor, ""), c.intents.rule.source)
    return per_head(_op(pipe, "pipeline"), rule, kind="quota_supported")


def _compare_pay(q: _Question, c: _Context) -> Computation | None:
    # « lequel gagne le plus ? » after two answers: the roles of the conversation fill the ones not named.
    others = [r for r in reversed(c.earlier_roles) if r not in q.roles]  # the most recent first
    roles = [*q.roles, *others] if q.roles else others[:2][::-1]  # neither named: in conversation order
    named_levels = _levels(q.text, c.levels)
    if len(roles) == 1 and len(named_levels) >= 2:
        # « combien de plus qu'un junior ? » about an experienced AE: one role at two levels.
        return _compare_levels(q, c, roles[0], named_levels[:2])
    # (The one role the question names, not the conversation's others: « moi je suis à 32k + 8k ; si je passe AE
    # junior… » after a talk of AM and AE compares the asker with the AE.)
    if len(q.roles or roles) == 1 and not q.role_spans and (mine := _asker_pay(q)) is not None:
        roles = list(q.roles or roles)
        # « je suis à 42k fixe + 8k de primes ; AE confirmé au bas de la fourchette, je gagne combien de plus ? »: the
        # asker's pay against the role's.
        theirs = c.pay(roles[0], q.level, lambda p: pay_total(p)[0] is not None)
        if theirs is not None:
            return _better_paid_first(_at_bound(theirs, q.bounds.get(roles[0]) or next(iter(q.bounds.values()), None)),
                                      mine)
    if len(roles) == 1 and c.intents.abroad and q.has_any(c.intents.abroad):
        # « an account executive in the US or a junior AE in France? »: the sources' dollar figure against the role's.
        here = c.pay(roles[0], q.level, lambda p: pay_total(p)[0] is not None or p.fixed is not None)
        there = _dollar_pay(c, roles[0])
        if here is not None and there is not None and here.source != there.source:
            return compare_pay(there, here)
    if len(roles) < 2 and not others and c.intents.best_paid and q.has_any(c.intents.best_paid) \
            and not q.amounts and not named_levels:
        # « c'est quoi le métier commercial qui paye le plus ? »: the roles whose sheets give a whole pay in euros,
        # compared like with like; a role named without one is said to have none.
        def in_euros(p: Pay) -> bool:
            whole = pay_total(p)[0]
            return whole is not None and whole.amount.unit == "€"

        paid = [r for r in dict.fromkeys(str(f.get("role")) for f in c.figures)
                if (pay := c.pay(r, None, in_euros)) is not None and in_euros(pay)]
        if len(paid) >= 2:
            pair = [*(r for r in roles if r in paid), *(r for r in paid if r not in roles)][:2]
            done = _compare_pay(replace(q, roles=pair), c)
            # (Asked of no role, every role whose sheet gives no pay at all is said to have none.)
            figured = {str(f.get("role")) for f in c.figures}
            unnamed = roles or [r for r in c.names if r not in figured]
            unpaid = tuple(Said.of("calc_missing_pay_for", name=c.names.get(r, r)) for r in unnamed if r not in paid)
            return replace(done, missing=(*done.missing, *unpaid)) if done is not None and unpaid else done
    if len(roles) < 2:
        return None
    a_role, b_role = roles[:2]
    told = {role: pay for role in (a_role, b_role) if (pay := _told_pay(q, c, role)) is not None}
    parts = q.slot_words & {"fixed", "variable"}
    if told and len(parts) == 1 and "total" not in q.slot_words and not any(
            (p.fixed if "fixed" in parts else p.variable) is not None for p in told.values()):
        # « qui touche le plus gros variable : un KAM payé 60k ou un AE à 60k d'OTE ? »: that part of each pay, a
        # whole pay the asker gives split by the share the role's sheet gives (the KAM's 26 %, the AE's 30-40 % of
        # the OTE), a pay not given taken from the sheet at the end asked.
        measure = next(iter(parts))

        def has_part(p: Pay) -> bool:
            return (p.fixed if measure == "fixed" else p.variable) is not None or p.variable_share is not None

        def side(role: str) -> Pay | None:
            level = q.role_levels.get(role, q.level)
            mine = told.get(role)
            if mine is None:
                sheet = c.pay(role, level, has_part)
                return _at_bound(sheet, q.bounds.get(role)) if sheet is not None else None
            if mine.variable_share is None and mine.variable is None:
                kind = "ote" if mine.ote is not None else "total"
                shared = c.pay(role, level, lambda p: p.variable_share is not None and p.share_of == kind)
                if shared is not None and shared.share_of == kind and shared.variable_share is not None:
                    return replace(mine, variable_share=shared.variable_share, share_of=kind,
                                   source=shared.source)
            return mine

        left, right = side(a_role), side(b_role)
        if left is not None and right is not None:
            return _part_higher_first(left, right, measure)
    if told:
        # « un AM à 50k de fixe avec 30 % de variable, ou un AE junior à 60k d'OTE ? »: the asker's figures.
        def whole(p: Pay) -> bool:
            return pay_total(p)[0] is not None

        a = told.get(a_role) or c.pay(a_role, q.role_levels.get(a_role, q.level), whole)
        b = told.get(b_role) or c.pay(b_role, q.role_levels.get(b_role, q.level), whole)
        if a is not None and b is not None:
            return _better_paid_first(a, b)
    # « lequel a le plus de variable ? », « qui touche le plus de fixe ? » : that part of the pay, at one level.
    parts = q.slot_words & {"fixed", "variable"}
    if len(parts) == 1 and "total" not in q.slot_words:
        measure = next(iter(parts))

        def has_part(p: Pay) -> bool:
            # (A variable share of a whole pay the sheet gives is a variable in euros too: the KAM's 26 % of
            # 60 000 €; a fixed pay left from it is not compared with a starting whole pay below it.)
            return (p.fixed if measure == "fixed" else p.variable) is not None or (
                measure == "variable" and p.variable_share is not None and p.share_of != "fixe"
                and pay_total(p)[0] is not None)

        return compare_part(c.pay(a_role, q.role_levels.get(a_role, q.level), has_part),
                            c.pay(b_role, q.role_levels.get(b_role, q.level), has_part), measure)

    def usable(p: Pay) -> bool:
        return pay_total(p)[0] is not None

    if q.level is None and not q.role_levels:
        # Like with like: the first level both roles have a whole pay for.
        for level in c.levels:
            a, b = c.pay(a_role, level, usable), c.pay(b_role, level, usable)
            if a and b and a.level == b.level == level and usable(a) and usable(b):
                done = _better_paid_first(_at_bound(a, q.bounds.get(a_role)), _at_bound(b, q.bounds.get(b_role)))
                same = Said.of("calc_same_level", level=Said(f"level_{level}"))
                return replace(done, caveats=(same, *done.caveats))
    a = c.pay(a_role, q.role_levels.get(a_role, q.level), usable)
    b = c.pay(b_role, q.role_levels.get(b_role, q.level), usable)
    floors: tuple[Text, ...] = ()
    if not q.role_levels and a is not None and b is not None:
        # « AE confirmé ou KAM ? »: where the level asked has only a floor for one role (« KAM senior : plus de
        # 60 k€ ») and the other an amount, the floor's role is taken at its average, the floor said beside it.
        a, b, floors = _average_for_floor(c, a_role, a, usable), _average_for_floor(c, b_role, b, usable), (
            *_floor_said(a, c, a_role, usable), *_floor_said(b, c, b_role, usable))
    if a is None or b is None:
        missing = tuple(Said.of("calc_missing_pay_for", name=c.names.get(r, r)) for r, p in ((a_role, a), (b_role, b))
                        if p is None)
        return Computation("compare_pay", None, verdict="not_comparable", missing=missing)
    done = _better_paid_first(_at_bound(a, q.bounds.get(a_role)), _at_bound(b, q.bounds.get(b_role)))
    if not floors:
        return done
    # The floor's line already says the levels differ.
    kept = tuple(c for c in done.caveats if not (isinstance(c, Said) and c.key == "calc_other_level"))
    return replace(done, caveats=(*floors, *kept))


def _floor_only(p: Pay) -> Amount | None:
    """The floor *p*'s whole pay is, when the source gives no more than a floor (« plus de 60 k€ »)."""
    whole = p.ote or p.total
    return whole if whole is not None and whole.at_least else None


def _average_for_floor(c: _Context, role: str, p: Pay, usable: Callable[[Pay], bool]) -> Pay:
    """*p*, or the role's average pay when *p* is only a floor and the role has an average amount."""
    if _floor_only(p) is None:
        return p
    average = c.pay(role, "moyenne", usable)
    return average if average is not None and average.level == "moyenne" and _floor_only(average) is None else p


def _floor_said(p: Pay, c: _Context, role: str, usable: Callable[[Pay], bool]) -> tuple[Text, ...]:
    """What is said of a floor replaced by the role's average (nothing when none was)."""
    floor = _floor_only(p)
    if floor is None or _average_for_floor(c, role, p, usable) is p:
        return ()
    return (Said.of("calc_floor_instead", label=p.label, amount=floor),)


_PAY_SLOTS = frozenset({"fixed", "variable", "total"})
"""The slots of an amount of pay (a whole pay or its parts)."""


def _told_pay(q: _Question, c: _Context, role: str) -> Pay | None:
    """The pay the question gives for *role* (the amounts written after its name and before the next role's):
    a whole pay (OTE, total), else a fixed pay with its variable in euros or in % of the fixed."""
    spans = q.role_spans  # in the order written (:func:`_role_spans`)
    starts = [start for start, _end, r in spans if r == role]
    if not starts:
        return None
    start = starts[0]
    stop = next((s for s, _e, r in spans if s > start and r != role), len(q.plain))
    mine = [a for a in q.amounts if start < a.found.start < stop]
    money = {a.slot: a.amount for a in mine if a.amount.is_money or (a.amount.unit == "" and a.amount.low >= 1000)}
    share = next((a.amount for a in mine if a.amount.unit == "%"), None)
    name = c.names.get(role, role.upper())
    label = Said.of("calc_told_pay", name=name)
    if money.get("total") is not None:
        # « à 60k d'OTE » is an OTE; « à 57 504 $ », « qui gagne 60k » a whole pay.
        ote = "ote" in normalise(q.plain[start:stop])
        # (« 30 % variable on a 60k package »: the share told is of that whole pay.)
        return Pay(label, QUESTION, ote=_euros(money["total"]), variable_share=share, share_of="ote") if ote else \
            Pay(label, QUESTION, total=_euros(money["total"]), variable_share=share, share_of="total")
    fixed, variable = money.get("fixed"), money.get("variable")
    # An amount named by no pay word (« objectifs atteints » is a quota word, not this amount's name) is bare.
    bare = [a for a in mine if a.slot not in _PAY_SLOTS and (a.amount.is_money or (a.amount.unit == "" and
                                                                                   a.amount.low >= 1000))]
    if fixed is None and variable is None and len(bare) == 2 \
            and " ".join(q.plain[bare[0].found.end:bare[1].found.start].split()) in c.intents.pay_joiners:
        # « AE confirmé à 55k + 35k »: a fixed pay plus its variable, as pay is written.
        fixed, variable = bare[0].amount, bare[1].amount
    if fixed is None:
        return None
    return Pay(label, QUESTION, fixed=_euros(fixed), variable=_euros(variable) if variable else None,
               variable_share=share if variable is None else None, share_of="fixe")


def _asker_pay(q: _Question) -> Pay | None:
    """The pay the asker says they have: a fixed and a variable (« 42k fixe + 8k de primes »), or one whole pay."""
    money = q.money()
    fixed, variable, total = (q.slotted(slot, money) for slot in ("fixed", "variable", "total"))
    label = Said("calc_your_pay")
    if fixed is not None and variable is not None and len(money) == 2:
        return Pay(label, QUESTION, fixed=_euros(fixed.amount), variable=_euros(variable.amount))
    if total is not None and len(money) == 1:
        return Pay(label, QUESTION, total=_euros(total.amount))
    return None


def _euros(a: Amount) -> Amount:
    """A bare number of 1 000 or more read as euros (« à 50000 de fixe »)."""
    return a if a.unit else replace(a, unit="€")


def _better_paid_first(a: Pay, b: Pay) -> Computation:
    """*a* and *b* compared, the better paid first, so that the difference reads as how much more it pays."""
    done = compare_pay(a, b)
    return compare_pay(b, a) if done.verdict == "lower" else done


def _compare_levels(q: _Question, c: _Context, role: str, levels: Sequence[str]) -> Computation | None:
    """One role's pay at two levels, the higher level first (« AE confirmé : combien de plus qu'un junior ? »); the
    fixed or the variable pay alone when the question names that part (« the gap in base salary »)."""
    parts = q.slot_words & {"fixed", "variable"}
    measure = next(iter(parts)) if len(parts) == 1 and "total" not in q.slot_words else None

    def usable(p: Pay) -> bool:
        if parts == {"fixed", "variable"}:
            return p.fixed is not None and p.variable is not None
        if measure is not None:
            return (p.fixed if measure == "fixed" else p.variable) is not None
        return pay_total(p)[0] is not None

    pays = [c.pay(role, level, usable) for level in levels]
    found = [p for p, level in zip(pays, levels) if p is not None and p.level == level]
    if len(found) < 2:
        return None
    first, second = found
    if measure is None and parts == {"fixed", "variable"}:
        # « combien de plus en fixe et en variable ? »: each part, one after the other (the order the fixed gives).
        higher, lower = (second, first) if compare_part(first, second, "fixed").verdict == "lower" else (first, second)
        fixed = compare_part(higher, lower, "fixed")
        done = replace(fixed, then=(*fixed.then, compare_part(higher, lower, "variable")))
    elif measure is not None:
        done = _part_higher_first(first, second, measure)
    else:
        done = _better_paid_first(_at_bound(first, q.bounds.get(role)), second)
    return _with_growth(q, c, _same_role_levels(done))


def _part_higher_first(a: Pay, b: Pay, measure: str) -> Computation:
    """The *measure* (``fixed``, ``variable``) of *a* and *b* compared, the higher first, so that the difference reads
    as how much more it is (as :func:`_better_paid_first` does for a whole pay)."""
    done = compare_part(a, b, measure)
    return compare_part(b, a, measure) if done.verdict == "lower" else done


def _same_role_levels(done: Computation) -> Computation:
    """*done* and what is drawn from it without the caveat that the levels differ: two levels of one role are meant
    to."""
    kept = tuple(k for k in done.caveats if not (isinstance(k, Said) and k.key == "calc_other_level"))
    return replace(done, caveats=kept, then=tuple(_same_role_levels(t) for t in done.then))


def _with_growth(q: _Question, c: _Context, done: Computation) -> Computation:
    """*done* (one pay higher than another) with its difference as a share of the lower pay when the question asks
    for a percentage too (« in euros and in percent »): 15 k€ / 35–45 k€ = 33–43 %, end with end."""
    share_op = next((op for op in c.intents.operations if op.id == "share"), None)
    if done.result is None or done.verdict != "higher" or len(done.operands) < 2 or share_op is None \
            or not q.has_any(share_op.cues):
        return done
    gap = Operand(Said("calc_gap"), done.result, "")
    return replace(done, then=(*done.then, share(gap, done.operands[1], kind="growth", paired=True)))


MIDDLE = "middle"
"""The ``[bounds]`` key of the words asking for the middle of a range (« le milieu des fourchettes »)."""


def _midpoint(done: Computation) -> Computation:
    """The middle of the range *done* ends on, computed and shown (« (50 k€ + 70 k€) / 2 = 60 k€ »), with *done* as
    its first step; *done* itself when its result is no range."""
    result = done.result
    if result is None or not result.is_range:
        return done
    label = Said("calc_total_pay")
    ends = add(Operand(Said.of("calc_pay_at_bottom", label=label), replace(result, high=result.low), ""),
               Operand(Said.of("calc_pay_at_top", label=label), replace(result, low=result.high), ""), kind="sum")
    if ends.result is None:
        return done
    middle = per_head(Operand(Said("calc_total"), ends.result, ""), Operand(Said("calc_two_ends"), Amount(2, 2, ""), ""),
                      kind=done.kind)
    return replace(middle, steps=(done, ends))


def _at_bound(pay: Pay, bound: str | None) -> Pay:
    """*pay* with each range brought to the end the question asks for (« AE junior en haut de sa fourchette »)."""
    if bound not in ("top", "bottom"):
        return pay

    def end(a: Amount | None) -> Amount | None:
        if a is None or not a.is_range:
            return a
        value = a.high if bound == "top" else a.low
        return replace(a, low=value, high=value)

    return replace(pay, label=Said.of(f"calc_pay_at_{bound}", label=pay.label), fixed=end(pay.fixed),
                   variable=end(pay.variable), ote=end(pay.ote), total=end(pay.total))


def _check_pay(q: _Question, c: _Context) -> Computation | None:
    """Where the pay the question gives stands against the role's figure (« AE junior avec 40k de fixe et 20k de
    variable, je suis dans la moyenne ? »): fixe + variable against the whole pay, a fixed against the fixed."""
    money = q.money()
    if not (money or q.percents()) or any(m.slot in ("pipeline", "quota", BASKET) for m in money):
        return None  # no pay given (« un quota de 120k, c'est normal ? » is about a target, « paniers de 8k » a spend)
    if not (q.slot_words & {"fixed", "variable", "total"} or q.has_any(c.intents.pay_cues)) and not (
            c.levels_named(q) and not q.counts()):
        return None  # « 120 comptes à 8 000 € par an, c'est normal ? » speaks of accounts, not of pay
    pay = _role_pay(q, c, lambda p: pay_total(p)[0] is not None or p.fixed is not None)
    if not isinstance(pay, Pay):
        return pay if pay is None else replace(pay, kind="check_pay")
    fixed, var = q.slotted("fixed", money), q.slotted("variable", money)
    steps: tuple[Computation, ...] = ()
    pct = q.percents()
    if len(pct) == 1 and pay.variable_share is not None and "variable" in q.slot_words:
        # « 20 % de variable sur un fixe de 45k, je suis dans les clous ? » : the share against the sheet's share.
        share_op = _op(pct[0], "share")
        if fixed is not None and pay.share_of == "fixe":
            steps = (percent_of(share_op, _op(fixed, "fixed"), kind="variable_amount"),)
        return check_pay(share_op, Operand(of_pay("share", pay), pay.variable_share, pay.source), steps=steps)
    if fixed is not None and var is not None and fixed is not var and pay.variable_share is not None \
            and pay.share_of == "fixe" and pay_total(pay)[0] is None:
        # « AM à 40k de fixe et 14k de variable, c'est dans la norme ? »: the sheet gives the variable as a share of
        # the fixed pay (10–30 %) and no amount: the variable that share of the asker's fixed gives, against theirs.
        expected = percent_of(Operand(of_pay("share", pay), pay.variable_share, pay.source), _op(fixed, "fixed"),
                              kind="variable_amount")
        if expected.result is None:
            return replace(expected, kind="check_pay")
        return check_pay(_op(var, "variable"), Operand(of_pay("variable", pay), expected.result, ""), steps=(expected,))
    if fixed is not None and var is not None and fixed is not var:
        whole = add(_op(fixed, "fixed"), _op(var, "variable"), kind="total")
        if whole.result is None:
            return replace(whole, kind="check_pay")
        mine, steps = Operand(Said("calc_fixed_variable"), whole.result, ""), (whole,)
        stated, stated_steps = pay_total(pay)
        if stated is not None:
            # « 38k fixe + 12k variable, c'est dans les clous ? »: the whole, and each part against its own range.
            done = check_pay(mine, stated, steps=stated_steps + steps)
            return _parts_checked(done, pay, ((fixed, "fixed", pay.fixed), (var, "variable", pay.variable)))
    elif fixed is not None or var is not None:
        measure, given = ("fixed", fixed) if fixed is not None else ("variable", var)
        assert given is not None
        if measure == "fixed" and pay.fixed is None and pay.share_of == "fixe" and _asks(q, c, "variable_amount"):
            return None  # « my AM base is €40k: what variable, using the usual range? »: the variable, not a check
        mine, stated_steps = _op(given, measure), ()
        amount = pay.fixed if measure == "fixed" else pay.variable
        stated = Operand(of_pay(measure, pay), amount, pay.source) if amount is not None else None
    elif not money:
        return None  # « ça colle avec les 30-40 % ? »: shares the sheet's share is not checked against here
    else:
        mine = _op(money[0], "total_pay")
        stated, stated_steps = pay_total(pay)
    if stated is None:
        return _lack("check_pay", of_pay("missing_fixed" if fixed is not None else "missing_total", pay))
    return check_pay(mine, stated, steps=stated_steps + steps)


def _parts_checked(done: Computation, pay: Pay, parts: Sequence[tuple[_Slotted, str, Amount | None]]) -> Computation:
    """*done* (a whole pay checked) with a caveat for each part of the pay outside the source's range for it; a whole
    within its range with a part outside is only partly in line."""
    outside: list[Said] = []
    for given, measure, amount in parts:
        if amount is None:
            continue
        part = check_pay(_op(given, measure), Operand(of_pay(measure, pay), amount, pay.source))
        if part.verdict in ("below", "above"):
            outside.append(Said.of(f"calc_part_{part.verdict}", part=Said(f"calc_{measure}"), mine=given.amount,
                                   stated=amount))
    if not outside:
        return done
    verdict = "parts_outside" if done.verdict == "within" else done.verdict
    return replace(done, verdict=verdict, caveats=(*done.caveats, *outside))


def _role_pay(q: _Question, c: _Context, usable: Callable[[Pay], bool]) -> Pay | Computation | None:
    """The first named role's figure (at the question's level); a Computation naming what lacks; None without a role.

    None too when the question names several roles: it compares them, it does not compute on one.
    """
    if len(q.roles) != 1:
        return None
    role = q.roles[0]
    if c.intents.abroad and q.has_any(c.intents.abroad):
        # « the US account executive base salary (Glassdoor, May 2021), per month? »: the sources' dollar figure
        # (the translated American article's), not the French grid of the role named.
        abroad = _dollar_pay(c, role, usable)
        if abroad is not None:
            return abroad
    pay = c.pay(role, q.level, usable)
    return pay if pay is not None else _lack("", Said.of("calc_missing_pay_for", name=c.names.get(role, role)))


def _dollar_pay(c: _Context, role: str, usable: Callable[[Pay], bool] = lambda p: True) -> Pay | None:
    """The sources' pay figure in dollars, *role*'s own first, else any role's (the American article's)."""
    others = dict.fromkeys(str(f.get("role")) for f in c.figures)
    return next((p for r in (role, *others) for p in c.pays(r) if usable(p)
                 and any(a is not None and a.unit == "$" for a in (p.fixed, p.total, p.ote))), None)


def _figure(kind: str, label: Text, amount: Amount, source: str) -> Computation:
    """A figure read off a source: nothing computed, so no operation line (*kind*: ``calc_<kind>`` names it)."""
    return Computation("figure", amount, "", (Operand(label, amount, source),),
                       caveats=(Said.of("calc_read_figure", what=Said(f"calc_{kind}")),))


def _variable_share(q: _Question, c: _Context) -> Computation | None:
    money = q.money()
    var, fixed, total = (q.slotted(s, money) for s in ("variable", "fixed", "total"))
    if money and not (var or fixed) and _asks(q, c, "fixed_amount"):
        return None  # « un KAM à 50 000 € avec la part variable moyenne, combien de variable et de fixe ? »: amounts
    if total and not (var or fixed) and q.has_any(c.intents.asks_number):
        return None  # « un AE à 70k d'OTE, la part variable c'est combien ? »: an amount of the whole given
    if fixed and not var and q.percents():
        return None  # « 52 000 de fixe, avec 26 % de variable en plus, ça ferait combien ? »: the share is given
    if var and total:
        return share(_op(var, "variable"), _op(total, "total_pay"), kind="variable_share")
    if var and fixed:
        whole = add(_op(fixed, "fixed"), _op(var, "variable"), kind="total")
        if whole.result is None:
            return whole
        done = share(_op(var, "variable"), Operand(Said("calc_fixed_variable"), whole.result, ""), kind="variable_share")
        return replace(done, steps=(whole,))
    stated = _role_pay(q, c, lambda p: p.variable_share is not None) if q.level is None else None
    if isinstance(stated, Pay) and stated.variable_share is not None:
        # The sheet states the share ("souvent 30-40 % de l'OTE"): that, not a ratio of two ranges.
        return _figure("share", of_pay("share", stated), stated.variable_share, stated.source)
    pay = _role_pay(q, c, lambda p: p.variable is not None)
    if not isinstance(pay, Pay):
        return pay if pay is None else replace(pay, kind="variable_share")
    if pay.variable is not None:
        variable = Operand(of_pay("variable", pay), pay.variable, pay.source)
        whole_op, steps = pay_total(pay)
        if "fixed" in q.slot_words and "total" not in q.slot_words and pay.fixed is not None:
            # « quelle part du fixe représente le variable » : a share of the fixed pay.
            whole_op, steps = Operand(of_pay("fixed", pay), pay.fixed, pay.source), ()
        elif pay.ote is not None:
            whole_op = Operand(of_pay("ote", pay), pay.ote, pay.source)
        if whole_op is None:
            return _lack("variable_share", of_pay("missing_total", pay))
        # A whole summed from the parts (fixe + variable), or printed as their sum (AE junior: 35-45 + 15-25 =
        # 50-70), pairs its bounds with the variable's: 15/50 to 25/70, not 15/70 to 25/50.
        summed = pay.ote is not None and pay.fixed is not None and whole_op.amount is pay.ote \
            and pay.ote.low == pay.fixed.low + pay.variable.low and pay.ote.high == pay.fixed.high + pay.variable.high
        done = share(variable, whole_op, kind="variable_share", paired=bool(steps) or summed)
        return replace(done, steps=steps)
    if pay.variable_share is not None:
        return _figure("share", of_pay("share", pay), pay.variable_share, pay.source)
    return _lack("variable_share", of_pay("missing_variable", pay))


def _variable_amount(q: _Question, c: _Context) -> Computation | None:
    money, pct = q.money(), q.percents()
    if {"fixed", "variable"} <= q.slot_words and not money and not pct:
        return None  # « fixe max + variable max, ça monte à combien ? » asks for the whole pay
    if "total" in q.slot_words and _asks(q, c, "total_pay"):
        return None  # "what variable range, and what's the total?": the whole pay shows the variable on the way
    if pct and money:
        base = q.slotted("fixed", money) or q.slotted("total", money) or money[0]
        label = "fixed" if base.slot == "fixed" else "salary"
        return percent_of(_op(pct[0], "share"), _op(base, label), kind="variable_amount")
    whole_given = q.slotted("total", money)
    if whole_given is not None and q.level is None:
        # « un AE à 70k d'OTE, la part variable c'est combien ? »: the share the sheet gives of a whole pay, on the
        # whole pay the question gives (not a level's printed variable).
        shared = _role_pay(q, c, lambda p: p.variable_share is not None and p.share_of in ("ote", "total"))
        if isinstance(shared, Pay) and shared.variable_share is not None and shared.share_of in ("ote", "total"):
            share_op = Operand(of_pay("share", shared), shared.variable_share, shared.source)
            if "fixed" in q.slot_words:
                # « an OTE of 90K: how much variable vs base? »: the variable, then the base that is the rest.
                return _fixed_from(_op(whole_given, "total_pay"), share_op)
            return percent_of(share_op, _op(whole_given, "total_pay"), kind="variable_amount")
    pay = _role_pay(q, c, lambda p: p.variable is not None or p.variable_share is not None)
    if not isinstance(pay, Pay):
        return pay if pay is None else replace(pay, kind="variable_amount")
    if pay.variable is not None:
        return _figure("variable", of_pay("variable", pay), pay.variable, pay.source)
    if pay.ote is not None and pay.fixed is not None:
        return subtract(Operand(of_pay("ote", pay), pay.ote, pay.source), Operand(of_pay("fixed", pay), pay.fixed, pay.source),
                        kind="variable_amount")
    if pay.variable_share is not None:
        share_op = Operand(of_pay("share", pay), pay.variable_share, pay.source)
        given = q.slotted("fixed", money) or (money[0] if len(money) == 1 and money[0].slot != BASKET else None)
        if pay.share_of == "fixe":
            if given is not None:
                return percent_of(share_op, _op(given, "fixed"), kind="variable_amount")
            if pay.fixed is None:
                # No fixed pay to take the share of: the share as the sheet states it (« 10 à 30 % du fixe »).
                return _figure("share", of_pay("share", pay), pay.variable_share, pay.source)
            return percent_of(share_op, Operand(of_pay("fixed", pay), pay.fixed, pay.source), kind="variable_amount")
        whole = Operand(of_pay("salary", pay), given.amount, QUESTION) if given else (
            Operand(of_pay("pay", pay), pay.total, pay.source) if pay.total else None)
        if whole is None:
            return Computation("variable_amount", None, operands=(share_op,), missing=(of_pay("missing_total", pay),))
        return percent_of(share_op, whole, kind="variable_amount")
    return _lack("variable_amount", of_pay("missing_variable", pay))


def _total_pay(q: _Question, c: _Context) -> Computation | None:
    money, pct = q.money(), q.percents()
    fixed_given = q.slotted("fixed", money)
    if len(money) == 1 and fixed_given is not None and len(pct) == 1:
        # « 40k de fixe avec 20 % de variable » : the variable as a share of the fixed pay, then the sum.
        fixed_op = _op(fixed_given, "fixed")
        part = percent_of(_op(pct[0], "variable_pct_of_fixed"), fixed_op, kind="variable_amount")
        if part.result is None:
            return replace(part, kind="total_pay")
        done = add(fixed_op, Operand(Said("calc_variable"), part.result, ""), kind="total_pay")
        return replace(done, steps=(part,), caveats=(Said("calc_variable_counted_on_fixed"),))
    if len(money) == 1 and fixed_given is not None and not pct:
        # « 45k de fixe pour un AM, variable et total ? » : the role's share of the fixed pay, then the sum.
        pay = _role_pay(q, c, lambda p: p.variable_share is not None and p.share_of == "fixe")
        if isinstance(pay, Pay) and pay.variable_share is not None and pay.share_of == "fixe":
            fixed_op = _op(fixed_given, "fixed")
            part = percent_of(Operand(of_pay("share", pay), pay.variable_share, pay.source), fixed_op,
                              kind="variable_amount")
            if part.result is None:
                return replace(part, kind="total_pay")
            done = add(fixed_op, Operand(Said("calc_variable"), part.result, ""), kind="total_pay")
            return replace(done, steps=(part,))
    if len(money) >= 2:
        fixed, var = q.slotted("fixed", money), q.slotted("variable", money)
        if fixed is None and var is None:
            return None  # two amounts, neither a fixed nor a variable pay: a plain sum
        # The other amount is the other part; what a customer pays (« 40 M€ de CA ») is no part of a pay.
        pays = [m for m in money if m.slot != BASKET]
        if fixed is None:
            fixed = next((m for m in pays if m is not var), None)
        else:
            var = var or next((m for m in pays if m is not fixed), None)
        if fixed is None or var is None:
            return None
        return add(_op(fixed, "fixed"), _op(var, "variable"), kind="total_pay")
    named = list(dict.fromkeys(_levels(q.text, c.levels))) if len(q.roles) == 1 and not money else []
    if len(named) >= 2:
        # « OTE d'un AE junior et d'un AE confirmé ? »: the whole pay at each level named, in the order named.
        totals = [_role_total(replace(q, level=level), c) for level in named[:3]]
        each = [total for total in totals if total is not None]
        if len(each) >= 2 and all(total.ok for total in each):
            return replace(each[0], then=(*each[0].then, *each[1:]))
    return _for_heads(q, _role_total(q, c))


def _for_heads(q: _Question, done: Computation | None) -> Computation | None:
    """*done* (one person's pay) for the headcount the question gives: « recruter 3 AE juniors, quel budget ? »."""
    heads = [s for s in q.counts() if s.slot == HEADCOUNT and s.amount.low > 1 and not s.amount.is_range]
    if done is None or done.result is None or len(heads) != 1 or any(o.origin == QUESTION for o in done.operands):
        return done
    if done.kind == "figure":
        # A figure read off the sheet (the OTE it prints): that figure, per person, with its source.
        team = product(_op(heads[0], "headcount"), done.operands[0], kind="total_pay")
        return replace(team, steps=done.steps)
    each = Operand(Said("calc_pay_each"), done.result, done.sources[0] if done.sources else "")
    team = product(_op(heads[0], "headcount"), each, kind=done.kind)
    return replace(team, steps=(*done.steps, replace(done, steps=())), caveats=done.caveats)


def _role_total(q: _Question, c: _Context) -> Computation | None:
    """The whole pay of the role the question names, from its sheet."""
    pay = _role_pay(q, c, lambda p: p.fixed is not None)
    if not isinstance(pay, Pay):
        return pay if pay is None else replace(pay, kind="total_pay")
    bound = next(iter(q.bounds.values())) if len(set(q.bounds.values())) == 1 else None
    if bound is not None:
        # « if I start at the top of that range, what's my total? »: that end of each range.
        pay = _at_bound(pay, bound)
    whole, steps = pay_total(pay)
    if pay.fixed is not None and pay.variable is not None and (
            steps or whole is None or "ote" not in q.tokens or {"fixed", "variable"} <= q.slot_words):
        # Summed (« combien au total ? »), unless the question asks for the OTE the sheet prints
        # (« c'est combien l'OTE d'un AE junior ? »).
        done = add(Operand(of_pay("fixed", pay), pay.fixed, pay.source),
                   Operand(of_pay("variable", pay), pay.variable, pay.source), kind="total_pay")
        return _midpoint(done) if bound == MIDDLE else done
    if whole is not None and steps:
        return replace(steps[-1], kind="total_pay", steps=steps[:-1])
    if whole is not None:
        return _figure("pay", whole.label, whole.amount, whole.origin)
    return _lack("total_pay", of_pay("missing_fixed", pay))


_OF_WHICH = re.compile(r"^\s*(?:brut\w*\s*|bruts?\s*|gross\s*)?(?:dont|including|of which|with|avec)\s*$")


def _fixed_amount(q: _Question, c: _Context) -> Computation | None:
    """The fixed pay: a total less its variable share (« 60 k€ dont 26 % de variable, combien de fixe ? »)."""
    money, pct = q.money(), q.percents()
    # « 60k dont 26 % de variable, mon fixe c'est combien ? » : a whole pay and its share, whatever word is nearest.
    whole = len(money) == 1 and len(pct) == 1 and bool(
        _OF_WHICH.match(q.plain[money[0].found.end:pct[0].found.start]))
    if q.slotted("fixed", money) is not None and not whole:
        return None  # the question gives the fixed pay: it asks something else about it
    share: Operand | None = _op(pct[0], "share") if len(pct) == 1 else None
    if not money and not pct:
        # « so what's the fixed part? » of a KAM: the sheet gives a whole pay and its variable share, no fixed.
        pay = _role_pay(q, c, lambda p: p.fixed is None and p.total is not None and p.variable_share is not None
                        and p.share_of != "fixe")
        if not (isinstance(pay, Pay) and pay.fixed is None and pay.total is not None and pay.variable_share is not None
                and pay.share_of != "fixe"):
            return None
        return _fixed_from(Operand(of_pay("pay", pay), pay.total, pay.source),
                           Operand(of_pay("share", pay), pay.variable_share, pay.source))
    if not money and share is not None:
        # « un KAM au salaire moyen avec 26 % de variable : combien en fixe et en variable ? »: the role's whole pay;
        # « OTE at the top of the junior range, 35 % of it variable: what base? »: its OTE, at the end named.
        pay = _role_pay(q, c, lambda p: (p.total is not None and not p.total.at_least) or p.ote is not None)
        if not isinstance(pay, Pay):
            return None
        pay = _at_bound(pay, q.bounds.get(q.roles[0]) if q.roles else None)
        if pay.total is not None and not pay.total.at_least:
            return _fixed_from(Operand(of_pay("pay", pay), pay.total, pay.source), share)
        if pay.ote is not None:
            return _fixed_from(Operand(of_pay("ote", pay), pay.ote, pay.source), share)
        return None
    if len(money) == 1 and not pct:
        # « un KAM à 50 000 € avec la part variable moyenne » : the role's share of its whole pay, from its sheet.
        pay = _role_pay(q, c, lambda p: p.variable_share is not None and p.share_of != "fixe")
        if isinstance(pay, Pay) and pay.variable_share is not None and pay.share_of != "fixe":
            share = Operand(of_pay("share", pay), pay.variable_share, pay.source)
    if len(money) != 1 or share is None:
        return None  # a role's fixed pay as such is read off its salary facts, not computed
    return _fixed_from(_op(money[0], "total_pay"), share)


def _fixed_from(total: Operand, share_op: Operand) -> Computation:
    """The fixed pay of a whole pay *total* whose variable is *share_op* of it: the variable first, then the rest."""
    var = percent_of(share_op, total, kind="variable_amount")
    if var.result is None:
        return replace(var, kind="fixed_amount")
    done = subtract(total, Operand(Said("calc_variable"), var.result, ""), kind="fixed_amount")
    return replace(done, steps=(var,))


_YEARLY_FLOOR = 10_000
"""Below this, an amount given without a period is a month's pay (« 1800 net »), not a year's to spread."""


def _per_month(q: _Question, c: _Context) -> Computation | None:
    """A yearly amount of the question (or the role's pay) spread over twelve months."""
    money = q.money()
    if len(money) == 1 and money[0].slot in ("quota", "pipeline", BASKET):
        return None  # « un objectif mensuel de 80k » is already a month's target, no year's pay
    if len(money) == 1 and (money[0].amount.high >= _YEARLY_FLOOR or money[0].amount.period == "year"):
        return per_head(_op(money[0], "yearly"), MONTHS, kind="per_month")
    if len(money) == 1:
        return None  # « je suis serveur à 1800 net » is a month's pay already, not a year's to spread
    if not money and c.last is not None and c.last[0].is_money and len(q.tokens) <= 6 and not c.level_said:
        # « et par mois ? » right after a computation: its result over twelve months.
        result, source = c.last
        return per_head(Operand(Said("calc_last_result"), result, source or QUESTION), MONTHS, kind="per_month")
    # A currency named without an amount (« combien par mois en euros ? ») makes it a pay question too.
    asked = currency_named(q.plain)
    if money or not (q.slot_words & {"fixed", "variable", "total"} or asked):
        return None  # « combien de deals par mois » is no pay question
    # « le variable d'un AE junior, ça fait combien par mois ? »: the part named, else the whole pay.
    parts = q.slot_words & {"fixed", "variable"}
    part = next(iter(parts)) if len(parts) == 1 else None
    pay = _role_pay(q, c, lambda p: pay_total(p)[0] is not None or p.fixed is not None)
    if not isinstance(pay, Pay):
        return pay if pay is None else replace(pay, kind="per_month")
    whole, steps = pay_total(pay)
    amount = pay.fixed if part == "fixed" else pay.variable if part == "variable" else None
    if part is not None and amount is not None:
        whole, steps = Operand(of_pay(part, pay), amount, pay.source), ()
    if whole is None and pay.fixed is not None:  # a base salary alone (« salaire de base moyen US »)
        whole = Operand(of_pay("fixed", pay), pay.fixed, pay.source)
    done = replace(per_head(whole, MONTHS, kind="per_month"), steps=steps)
    if done.result is not None and asked and asked != done.result.unit:
        # « en euros » of a figure in dollars: the sources give no exchange rate.
        done = replace(done, caveats=(*done.caveats, Said.of("calc_no_exchange", unit=done.result.unit)))
    return done



def _growth(q: _Question, c: _Context) -> Computation | None:
    """How much the second amount is above the first, in % of the first (« de 28 000 € à 60 000 € »)."""
    pair = _two(q)
    money = q.money()
    named = _levels(q.text, c.levels) if pair is None and len(money) == 1 and len(q.roles) == 1 else []
    if named:
        # « si elle démarre à 28 000 € et arrive à la moyenne » of a KAM: from the amount to the role's pay at the level
        # named last (the one arrived at) — the same part as the amount given (« 38k de fixe » to the level's fixed),
        # at the end of its range the question names (« au bas de la fourchette »).
        part = money[0].slot if money[0].slot in ("fixed", "variable") else None
        pay = c.pay(q.roles[0], named[-1], lambda p: (getattr(p, part) if part else pay_total(p)[0]) is not None)
        if pay is None or pay.level != named[-1]:
            return None
        pay = _at_bound(pay, q.bounds.get(q.roles[0]))
        amount = getattr(pay, part) if part else None
        whole = Operand(of_pay(part, pay), amount, pay.source) if part and amount is not None else pay_total(pay)[0]
        if whole is None or whole.amount.is_range:
            return None
        before, after = _op(money[0], "start_amount"), whole
    elif pair is None:
        return None
    else:
        before, after = _op(pair[0], "start_amount"), _op(pair[1], "end_amount")
    rise = subtract(after, before, kind="difference")
    if rise.result is None:
        return replace(rise, kind="growth")
    done = share(Operand(Said("calc_rise"), rise.result, ""), before, kind="growth")
    return replace(done, steps=(rise,))


def _rise_by(q: _Question, c: _Context) -> Computation | None:
    """An amount the question gives raised by the rate a sheet states (« LTV de 80 000 € : avec un AM dédié ? »):
    the rise, then the amount it leads to."""
    op = next((o for o in c.intents.operations if o.id == "rise_by"), None)
    money = q.money()
    rate = c.example_amount(op.figure) if op is not None and op.figure else None
    fig = c.examples.get(op.figure) if op is not None else None
    # (The rate quoted by the question, « qui augmente la LTV de 25 à 40 % », is the sheet's: no other rate.)
    if len(money) != 1 or rate is None or fig is None or rate.unit != "%" or any(
            (p.amount.low, p.amount.high) != (rate.low, rate.high) for p in q.percents()):
        return None
    base = _op(money[0], "start_amount")
    rate_op = Operand(Twin(str(fig["label"]), str(fig.get("label_en") or "")), rate, str(fig.get("source") or ""))
    rise = percent_of(rate_op, base, kind="rise_by")
    if rise.result is None:
        return rise
    done = add(base, Operand(Said("calc_rise"), rise.result, ""), kind="rise_by")
    return replace(done, steps=(rise,))


def _two(q: _Question) -> tuple[_Slotted, _Slotted] | None:
    """The question's two amounts of one unit; a range written « entre 70k et 45k » or « de 28k à 60k » is split again."""
    pool = q.money() or q.amounts
    pool = pool if len(pool) == 2 else [s for s in q.amounts if s.amount.unit == (pool[0].amount.unit if pool else "")]
    if len(pool) == 1 and pool[0].amount.is_range and re.search(r"(?:\b(?:et|and|a|to)\b|à)", pool[0].found.text.lower()):
        one = pool[0]
        low, high = (replace(one.amount, low=v, high=v) for v in (one.amount.low, one.amount.high))
        pool = [replace(one, found=replace(one.found, amount=low)), replace(one, found=replace(one.found, amount=high))]
    return (pool[0], pool[1]) if len(pool) == 2 else None


_SHARE_OF_COUNT = re.compile(r"^\s*(?:des|de ses|de mes|de nos|of (?:the |my |our |their )?)\s*"
                             r"(?:comptes|clients|accounts|customers|deals|contrats|contracts)\b")


_STORY_LENGTH = 12
"""From this many words, a message with a percentage and no word asking a number tells figures, it asks none to be
computed (« trois gros clients font 70 % de notre CA… un KAM, c'est pour nous ? »)."""


def _percent_of(q: _Question, c: _Context) -> Computation | None:
    if len(q.tokens) >= _STORY_LENGTH and not q.has_any(c.intents.asks_number):
        return None
    pct, others, money = q.percents(), [s for s in q.amounts if s.amount.unit != "%"], q.money()
    # "6 account managers… 20 % de variable sur un fixe de 45k": the one amount of money, a head count aside;
    # but "30 % des comptes" is a share of the count, which the product then prices.
    if len(pct) != 1 or (len(others) != 1 and len(money) != 1):
        return None
    if q.counts() and _SHARE_OF_COUNT.match(q.plain[pct[0].found.end:]):
        return None
    return percent_of(_op(pct[0], "percent"), _op(money[0] if money else others[0], "amount"))


_UNIT_PRICE = re.compile(r"^\s*(?:par an\s*|a year\s*|/an\s*)?(?:chacun|chacune|each|apiece|par client|par compte|per client|"
                         r"per account|per customer)\b")
_EACH_BEFORE = re.compile(r"\b(?:chacun|chacune|each)\b(?:\W+\w+){0,3}\W*$")
"""« 12 clients qui paient chacun autour de 20-30k€ »: an amount said of each one is a price each, too."""


def _asks(q: _Question, c: _Context, op_id: str) -> bool:
    """Whether the question holds a cue of operation *op_id*."""
    return any(q.has_any(op.cues) for op in c.intents.operations if op.id == op_id)


def _judged(q: _Question, c: _Context) -> bool:
    """Whether the question asks a judgement ("c'est normal ou c'est beaucoup ?"), not a calculation."""
    return _asks(q, c, "check_pay")


@lru_cache(maxsize=8)
def _per_what(words: tuple[str, ...]) -> re.Pattern[str]:
    """The noun after one of *words* (``per_words`` of compute.toml): « par client », « per a customer »."""
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\s+(?:an?\s+)?([a-z]{{3,}})")


def _per_head(q: _Question, c: _Context) -> Computation | None:
    money, counts = q.money(), q.counts()
    if len(counts) > 1 and c.intents.per_words and (per := _per_what(c.intents.per_words).search(q.plain)):
        # « 3 AM costing 180k for 45 clients: cost per client? »: the count of what the amount is shared by.
        noun = per.group(1).rstrip("s")
        named = [n for n in counts if re.match(rf"\s*{re.escape(noun)}", q.plain[n.found.end:])]
        counts = named if len(named) == 1 else counts
    if len(money) != 1 or len(counts) != 1 or q.percents():
        return None  # with a share too ("30 % des comptes à 6 000 € chacun"), it is a product
    if _UNIT_PRICE.match(q.plain[money[0].found.end:]) or _EACH_BEFORE.search(q.plain[:money[0].found.start]):
        return None  # « 120 comptes à 8 000 € chacun » : a price each, nothing to share out
    return per_head(_op(money[0], "amount"), _op(counts[0], "number"))


def _share(q: _Question, c: _Context) -> Computation | None:
    pair = _two(q)
    money = q.money()
    if pair is None and len(money) >= 3:
        # « 150k pour un quota de 120k ; si son quota passait à 180k avec les mêmes ventes, combien de % ? » : the
        # one amount that is no quota, against the last quota named.
        quotas = [m for m in money if m.slot == "quota"]
        others = list({(m.amount.low, m.amount.high): m for m in money if m.slot != "quota"}.values())
        if quotas and len(others) == 1:  # the same sales said twice (« elle refait 150k ») are one amount
            pair = (others[0], quotas[-1])
    if pair is None:
        return None
    part, whole = pair
    if part.slot in ("quota", "total") and whole.slot not in ("quota", "total"):
        part, whole = whole, part
    return share(_op(part, "part"), _op(whole, "total"))


def _larger_first(q: _Question, operator: str) -> tuple[Operand, Operand] | None:
    """The two amounts, larger first (an « écart », a « combien de fois »), or as written around *operator*."""
    pair = _two(q)
    if pair is None:
        return None
    small, big = sorted(pair, key=lambda s: s.amount.high)
    if _operator(q, operator):
        big, small = pair
    return _op(big, "first"), _op(small, "second")


def _difference(q: _Question, c: _Context) -> Computation | None:
    pair = _larger_first(q, "difference")
    if pair:
        return subtract(*pair)
    levels = _levels(q.text, c.levels)
    if q.money() or len(q.roles) != 1 or len(levels) < 2 or not q.slot_words & {"total", "fixed", "variable"}:
        return None  # « qu'est-ce qui fait la différence entre junior et confirmé ? » asks about the job, not pay
    # « entre un KAM qui démarre et la moyenne du métier, quel écart ? » : one role's pay at two levels.
    totals = []
    for level in levels[:2]:
        pay = c.pay(q.roles[0], level, lambda p: pay_total(p)[0] is not None)
        whole, steps = pay_total(pay) if pay is not None and pay.level == level else (None, ())
        if whole is None:
            return _lack("difference", Said.of("calc_missing_pay_for", name=c.names.get(q.roles[0], q.roles[0])))
        totals.append((whole, steps))
    (a, steps_a), (b, steps_b) = sorted(totals, key=lambda t: t[0].amount.high, reverse=True)
    return replace(subtract(a, b), steps=steps_a + steps_b)


def _ratio(q: _Question, c: _Context) -> Computation | None:
    pair = _larger_first(q, "ratio")
    return ratio(*pair) if pair else None


def _sum(q: _Question, c: _Context) -> Computation | None:
    pair = _two(q)
    return add(_op(pair[0], "first"), _op(pair[1], "second")) if pair else None


def _product(q: _Question, c: _Context) -> Computation | None:
    counts, money, pct = q.counts(), q.money(), q.percents()
    if not _operator(q, "product") and (_judged(q, c) or not q.has_any(c.intents.asks_number)):
        # « on me confie 120 comptes à 8 000 € chacun, c'est normal ? » asks about the accounts; « I handle 15
        # clients worth 25k each » tells a story: no number asked.
        return None
    if len(counts) == 1 and len(money) == 1 and len(pct) == 1:
        # « 20 clients, de l'upsell sur 30 % des comptes à 6 000 € chacun » : the share of the count, then the amount.
        part = percent_of(_op(pct[0], "percent"), _op(counts[0], "number"))
        if part.result is None:
            return replace(part, kind="product")
        done = product(Operand(Said("calc_result"), part.result, ""), _op(money[0], "amount"))
        return replace(done, steps=(part,))
    if len(counts) == 1 and len(money) == 1:
        return product(_op(counts[0], "number"), _op(money[0], "amount"))
    if len(counts) == 2 and not money:
        return product(_op(counts[0], "number"), _op(counts[1], "number"))
    return None


_GAP_WORD = re.compile(r"[a-z]+|[^\sa-z0-9]")


def _link(q: _Question, a: _Slotted, b: _Slotted, *, words: int = 3) -> str | None:
    """The operation written between *a* and *b* (« 40 opps × 25 % »: ``product``), with at most *words* other
    words around it (a unit: « opps », « clients »); None when there is none, or something else sits there."""
    gap = _GAP_WORD.findall(q.plain[a.found.end:b.found.start])
    ops = [op for op, signs in q.operators.items() for tok in gap if tok in signs]
    if len(ops) != 1:
        return None
    return ops[0] if len(gap) - 1 <= words else None


def _expression(q: _Question, c: _Context) -> Computation | None:
    """A calculation written out (« 40 opps × 25 % × 15 000 € »), done step by step, and checked against the
    amount that follows it when the question asks whether it gives that (« ça donne bien 150 000 € ? »).

    Only a chain of two operations or more, or of one followed by the amount to check: a single « 45 × 24 000 € »
    is the ``product`` operation's. Products and divisions, or sums and differences, not both.
    """
    chain, ops = [q.amounts[0]] if q.amounts else [], []
    for a, b in zip(q.amounts, q.amounts[1:]):
        op = _link(q, a, b)
        if op is None:
            break
        chain.append(b)
        ops.append(op)
    rest = q.amounts[len(chain):]
    check = rest[0] if len(rest) == 1 and q.has_any(c.intents.checks) else None
    if not ops or (len(ops) < 2 and check is None):
        return None
    if not (set(ops) <= {"product", "ratio"} or set(ops) <= {"sum", "difference"}):
        return None
    given = tuple(_op(a, "amount") for a in chain)
    acc: Operand = given[0]
    steps: list[Computation] = []
    for op, right in zip(ops, given[1:]):
        if op == "product":
            pct = [x for x in (acc, right) if x.amount.unit == "%"]
            count, amount = (right, acc) if acc.amount.unit and not right.amount.unit else (acc, right)
            done = percent_of(pct[0], right if pct[0] is acc else acc) if len(pct) == 1 else product(count, amount)
        elif op == "ratio":
            done = per_head(acc, right) if right.amount.unit == "" and acc.amount.unit != "" else ratio(acc, right)
        else:
            done = (add if op == "sum" else subtract)(acc, right)
        if done.result is None:
            return replace(done, kind="expression", steps=tuple(steps))
        steps.append(done)
        acc = Operand(Said("calc_result"), done.result, "")
    last = replace(steps[-1], kind="expression", steps=tuple(steps[:-1]), operands=given)
    if check is None:
        return last
    got, said = last.result, check.amount
    assert got is not None  # every step above has a result
    same = abs(got.low - said.low) <= 0.01 * max(abs(said.low), 1) and abs(got.high - said.high) <= 0.01 * max(
        abs(said.high), 1)
    return replace(last, verdict="match" if same else "differs", winner=format_amount(said))


_PERIOD_RATE = re.compile(r"(?:\bpar|\bper|/)\s*(semaine|mois|jour|an|annee|trimestre|week|month|day|year|quarter)s?\b")
_PERIOD_UNIT = re.compile(r"^\s*(semaine|mois|jour|an|annee|trimestre|week|month|day|year|quarter)s?\b")


_TENURE_BEFORE = re.compile(r"\b(?:depuis|since|for|pendant|during|ca fait|it s been)\s+(?:environ\s+|about\s+|"
                            r"presque\s+|almost\s+|plus de\s+|over\s+)?$")
"""Words right before a duration that make it a time spent in a job (« depuis 18 mois », « for about 18 months »)."""


def _over_period(q: _Question, c: _Context) -> Computation | None:
    """A rate times the number of periods it is counted over: « 12 démos par semaine, ça fait combien sur
    13 semaines ? » -> 13 × 12 = 156. The rate is the count written before « par semaine », the duration
    a number of the same period."""
    rate_at = _PERIOD_RATE.search(q.plain)
    if rate_at is None or not q.durations:
        return None
    period = rate_at.group(1)
    rates = [s for s in q.amounts if s.found.end <= rate_at.start() and not s.amount.is_money
             and s.amount.unit == "" and len(q.plain[s.found.end:rate_at.start()].split()) <= 3]
    # « SDR depuis 18 mois » is a time in a job, not a number of periods to count over.
    spans = [d for d in q.durations if (m := _PERIOD_UNIT.match(q.plain[d.end:])) and m.group(1) == period
             and not _TENURE_BEFORE.search(q.plain[:d.start])]
    if len(rates) < 1 or len(spans) != 1:
        return None
    span = spans[0]
    # "over 12 months" counts the months; it is no floor ("over 60k").
    periods = replace(span.amount, at_least=False)
    return product(Operand(Said("calc_periods"), periods, QUESTION), _op(rates[-1], "rate"), kind="over_period")


_HANDLERS: Mapping[str, Callable[[_Question, _Context], Computation | None]] = {
    "over_period": _over_period, "expression": _expression, "coverage_ratio": _coverage_ratio, "coverage": _coverage,
    "quota_supported": _quota_supported,
    "pipeline_needed": _pipeline_needed, "compare_pay": _compare_pay,
    "check_pay": _check_pay,
    "variable_share": _variable_share, "variable_amount": _variable_amount, "total_pay": _total_pay,
    "percent_of": _percent_of, "per_head": _per_head, "share": _share, "difference": _difference, "ratio": _ratio,
    "sum": _sum, "product": _product, "fixed_amount": _fixed_amount, "per_month": _per_month, "growth": _growth,
    "rise_by": _rise_by,
}


# « 180 000 € / 3 » is a per-head division, « 26 % x 60k » a percentage of an amount.
_OPERATOR_OF = {"per_head": "ratio", "percent_of": "product"}


def _operator(q: _Question, op: str) -> bool:
    """True when *op*'s symbol or word sits between the question's two amounts (« 45 × 24 000 € »)."""
    if len(q.amounts) != 2:
        return False
    a, b = q.amounts
    between = " ".join(q.plain[a.found.end:b.found.start].split())
    return between in q.operators.get(op, ())


# --- worked examples ---------------------------------------------------------------------------------------------------

_EXAMPLE_OPS: Mapping[str, Callable[..., Computation]] = {
    "sum": add, "difference": subtract, "percent_of": percent_of, "share": share, "ratio": ratio,
    "per_head": per_head, "product": product, "pipeline_needed": pipeline_needed, "coverage": coverage,
}


def _example(recipe: ExampleRecipe, c: _Context) -> Computation:
    if recipe.id in c.memo:
        return c.memo[recipe.id]
    operands: list[Operand | None] = []
    steps: list[Computation] = []
    missing: list[Text] = []
    for ref in recipe.operands:
        if ref.startswith("?"):
            span = c.spans.get(ref[1:])
            operands.append(Operand(Said(f"calc_span_{ref[1:]}"), span, QUESTION) if span is not None else None)
            if span is None:
                missing.append(Said.of("calc_missing_example_figure", ref=ref))
            continue
        if ref.startswith("@"):
            used = next(r for r in c.intents.examples if r.id == ref[1:])
            sub = _example(used, c)
            steps.append(sub)
            operands.append(Operand(Twin(used.label, used.label_en) if used.label else used.id, sub.result,
                                    sub.sources[0] if sub.sources else QUESTION)
                            if sub.result else None)
            missing.extend(sub.missing)
            continue
        fig = c.examples.get(ref)
        amount = c.example_amount(ref)
        if fig is None or amount is None:
            operands.append(None)
            missing.append(Said.of("calc_missing_example_figure", ref=ref))
            continue
        label = Twin(str(fig["label"]), str(fig.get("label_en") or "")) if fig.get("label") else ref
        giver = c.giver(ref)
        if ref in c.changed:
            # « et si son taux de conversion passe à 30 % ? »: the question's figure in place of the example's.
            operands.append(Operand(label, c.changed[ref], QUESTION))
        elif giver is not None and ((c.changed and c.uses(giver, c.changed)) or giver.id in c.asked):
            # A figure that rests on a changed one is computed again (Alice's 150 000 € at 30 %); one the question
            # asks for too is shown with its operation (« combien de clients et quel CA ? »).
            sub = _example(giver, c)
            steps.append(sub)
            operands.append(Operand(label, sub.result, "") if sub.result else None)
            missing.extend(sub.missing)
        else:
            operands.append(Operand(label, amount, str(fig.get("source") or QUESTION)))
    fn = _EXAMPLE_OPS[recipe.operation]
    if recipe.operation == "pipeline_needed":
        done = fn(operands[0], factor=c.factor, rule_source=c.intents.rule.source)
    elif recipe.operation == "coverage":
        # Judged against the ×3 rule like any coverage, the rule (003) among the operands it rests on.
        done = fn(*operands, factor=c.factor, rule_source=c.intents.rule.source)
        done = replace(done, operands=(*done.operands, c.factor_operand))
    else:
        done = fn(*operands, kind=recipe.id)
    if missing:
        done = replace(done, result=None, operation="", missing=tuple(dict.fromkeys(missing)))
    done = replace(done, steps=tuple(steps) + done.steps)
    if recipe.verdict == "return" and done.result is not None:
        # « au final c'est rentable ? » : more gained than spent, on the example's figures, or not.
        done = replace(done, verdict="return_above" if done.result.low > 1 else "return_below")
    elif recipe.verdict == "quota" and done.result is not None:
        # « elle l'atteindrait ? » : 100 % of the quota or more, or not.
        done = replace(done, verdict="quota_reached" if done.result.low >= 100 else "quota_missed")
    if recipe.then and done.result is not None:
        done = replace(done, then=done.then + tuple(_example(r, c) for ref in recipe.then
                                                    for r in c.intents.examples if r.id == ref))
    if recipe.note:
        done = replace(done, caveats=(*done.caveats, Said(recipe.note)))
    c.memo[recipe.id] = done
    return done


def _what_if(q: _Question, c: _Context, kept: Mapping[str, Amount], previous_kind: str | None = None) -> Computation | None:
    """A worked example with figures the question changes ("et si son taux de conversion passe à 30 % ?"), or
    that an earlier question changed and this one keeps ("dans ce cas, combien de deals ?"), computed again."""
    for whatif in c.intents.whatifs:
        if not q.has_any(whatif.subject) or (whatif.unless and q.has_any(whatif.unless)):
            continue
        own = {ch.figure for ch in whatif.changes}
        words = _word_spans(q.plain, {ch.figure: ch.names for ch in whatif.changes})
        # « instead of 30 % », « par rapport à 65 % »: a rate the example states is quoted, not changed (an
        # amount may be changed into another of its figures: « et si son quota était de 150 000 € ? »).
        rates = {(a.low, a.high) for ref, f in c.examples.items() if f.get("example") == whatif.example
                 for a in [c.example_amount(ref)] if a is not None and a.unit == "%"}
        new: dict[str, Amount] = {}
        # « 8 000 € au lieu de 6 000 » : the amount after « au lieu de » is the example's, not a new figure; so is a
        # headcount the example states (« les 5 AE de la scale-up, combien d'opportunités ? »).
        counts = {(a.low, a.high) for ref, f in c.examples.items() if f.get("example") == whatif.example
                  for a in [c.example_amount(ref)] if a is not None and a.unit == ""}
        named = {i: ref for i, ref in _pair(q.plain, [a.found for a in q.amounts], words).items()
                 if not _changed_to(q, q.amounts[i].found, c.intents.instead)
                 and not (q.amounts[i].slot == HEADCOUNT and (q.amounts[i].amount.low, q.amounts[i].amount.high) in counts)}
        last = next((r for r in c.intents.examples if r.id == previous_kind), None)
        if not named and len(q.amounts) == 1 and last is not None:
            # « et s'ils étaient 5 ? » after « combien coûte chaque AM ? »: the one figure of that computation of
            # the amount's kind that a question may change.
            fits = [ref for ref in last.operands if ref in own and (old := c.example_amount(ref)) is not None
                    and _same_kind(q.amounts[0].amount, old)]
            if not fits:
                # « et à 15 % ? » after « elle aurait atteint son quota ? »: a figure the computation rests on through
                # the ones it uses (the conversion rate behind what Alice signs).
                fits = [ref for ref in sorted(own) if c.uses(last, [ref]) and (old := c.example_amount(ref)) is not None
                        and _same_kind(q.amounts[0].amount, old)]
            named = {0: fits[0]} if len(fits) == 1 else {}
        said = {(a.amount.low, a.amount.high) for a in q.amounts}
        for i, ref in named.items():
            amount, old = q.amounts[i].amount, c.example_amount(ref)
            if old is not None and amount.is_range and old.low in (amount.low, amount.high) and not old.is_range:
                # « passait de 25 à 30 % », « from 85 % to 65 % »: the other end is the new figure.
                new_end = amount.high if amount.low == old.low else amount.low
                amount = replace(amount, low=new_end, high=new_end)
            # A rate the example states elsewhere is quoted, unless the figure's own value is said beside it
            # (« 65 % au lieu de 85 % »).
            # (« 85 % compared to 65 % without an AM »: two rates of the example set side by side are quoted both.)
            quoted = (amount.low, amount.high) in rates and (old is None or (old.low, old.high) not in said
                                                             or q.has_any(c.intents.comparing)) \
                and not _changed_to(q, q.amounts[i].found, c.intents.changes)
            if old is not None and _same_kind(amount, old) and (amount.low, amount.high) != (old.low, old.high) \
                    and not quoted:
                new.setdefault(ref, amount)
        kept_here = {k: v for k, v in kept.items() if k in own}
        if not new and kept_here and last is not None and c.uses(last, kept_here) and _asks_gap(q, c.intents):
            return _gap(last, c, kept_here)
        if not new and not (kept_here and q.has_any(c.intents.keep)):
            continue
        changed = {**kept_here, **new}
        c.changed, c.memo = changed, {}
        every = _asked(q, c)
        asked = [r for r in every if c.uses(r, changed)]
        if every and not asked and not new:
            # « et chaque AM coûte combien ? » after « et avec un 4e AM ? »: the kept figure changes nothing asked
            # (the cost is the 3 AMs' own): the example's computation.
            continue
        if new:
            # « et si en plus son quota passait à 200k ? »: what rests on the figure just changed comes first.
            asked.sort(key=lambda r: not c.uses(r, new))
        c.asked = frozenset(r.id for r in asked)
        fresh = new or changed  # the figures this question changes, else the ones it keeps
        shown = [r for ref in whatif.shows for r in c.intents.examples if r.id == ref and c.uses(r, fresh)]
        if last is not None and c.uses(last, fresh):
            shown.insert(0, last)  # the computation the conversation is on, with the figure changed
        elif last is not None and c.uses(last, changed):
            shown.append(last)
        # « et s'ils étaient 4 avec 15 clients chacun ? »: a figure the question names, even unchanged, says which
        # computation it is about (the revenue, not the cost per head asked before).
        mentioned = set(named.values()) - set(new)
        if mentioned:
            shown.sort(key=lambda r: not c.uses(r, mentioned))
        if not (asked or shown):
            continue
        recipe = (asked or shown)[0]
        done = _monthly(q, c, _example(recipe, c))
        # A figure kept from an earlier question that this computation does not use is no assumption of its.
        assumed = tuple(_assumed(c, ref, amount) for ref, amount in changed.items() if ref in new or c.uses(recipe, [ref]))
        return replace(done, changed=tuple(changed.items()), caveats=(*assumed, *done.caveats))
    return None


def _asked(q: _Question, c: _Context, *, both: bool = True) -> list[ExampleRecipe]:
    """The worked-example computations the question asks for, in the order of ``intents/compute.toml``; when it
    asks *both* (two things at once), one resting on the others comes first: « combien de clients en tout et quel
    CA ? » shows the revenue, whose operation shows the clients too."""
    # The subject is always the whole question's: each distinct subject list is looked for once.
    lists, of = c.intents.subjects
    said = [q.has_any(subject) for subject in lists]
    if not any(said):
        return []  # every computation needs its subject in the whole question: none fits it, nor any part of it

    def fits(i: int, r: ExampleRecipe, part: _Question) -> bool:
        return said[of[i]] and part.has_any(r.cues) and not part.has_any(r.unless) \
            and all(ref[1:] in c.spans for ref in r.operands if ref.startswith("?"))

    asked = [r for i, r in enumerate(c.intents.examples) if fits(i, r, q)]
    # The computation whose cue says more of the question comes first (« combien de pipeline pour son quota ? »
    # is no « de combien » dépassement); equal cues keep the file's order.
    filler = c.intents.filler
    asked.sort(key=lambda r: -max((sum(t not in filler for t in p.tokens) for p in r.cues if p.tokens and q.has(p)),
                                   default=0))
    # A figure of the example the question quotes (« chaque AM, avec ses 15 clients ») is one the computation asked
    # starts from: the ones resting on it come first (the revenue per AM, not the agency's 45 clients).
    quoted = {a.amount.low for a in q.amounts if a.amount.low != 1}
    if quoted and len(asked) > 1:
        asked.sort(key=lambda r: -sum(1 for ref in r.operands if not ref.startswith(("@", "?"))
                                      and (v := c.example_amount(ref)) is not None and v.low in quoted))
    # « l'agence qui a 45 clients au total : l'upsell rapporte combien ? »: what the words after a colon ask comes
    # before what the words describing the example before it name (or quote).
    if ":" in q.text and len(asked) > 1:
        after = _part(q, q.text.rsplit(":", 1)[1], c)
        asked.sort(key=lambda r: not after.has_any(r.cues))
    if not both:
        return asked
    # Two questions in one: each part's own words say what it asks (« combien coûte chaque AM » and « que
    # rapportent-ils au total ? »: the cost word of the first part does not rule out the second).
    parts = [p for p in _CLAUSE.split(q.text) if p.strip()]
    if len(parts) > 1:
        # Each part's best computation first, in the order asked (« combien de CA gère chaque AM, et combien coûtent
        # les AM par client ? »: the revenue per AM, then the cost per customer), then the others that fit a part.
        def score(r: ExampleRecipe, sub: _Question) -> int:
            return max((sum(t not in filler for t in p.tokens) for p in r.cues if p.tokens and sub.has(p)), default=0)

        subs = [_part(q, part, c) for part in parts]
        fitting = [[r for i, r in enumerate(c.intents.examples) if fits(i, r, sub)] for sub in subs]
        best = [max(rs, key=partial(score, sub=sub)) for rs, sub in zip(fitting, subs) if rs]
        asked = list(dict.fromkeys([*best, *(r for rs in fitting for r in rs), *asked]))
    every = tuple(asked)  # (a list being sorted reads empty: the key looks at a copy)
    asked.sort(key=lambda r: -sum(c.uses(r, [f"@{o.id}", o.gives]) for o in every if o is not r))
    return asked


_LEVELLED = frozenset({"compare_pay", "total_pay", "variable_amount", "variable_share", "fixed_amount", "per_month"})
"""The computations on a role's pay figures that a level alone asks again (« et en senior ? »)."""

_PIPE_SLOTS = frozenset({"pipeline", "quota"})
_FAMILY = {"coverage": _PIPE_SLOTS, "coverage_ratio": _PIPE_SLOTS, "quota_supported": _PIPE_SLOTS,
           "pipeline_needed": _PIPE_SLOTS, "check_pay": _PAY_SLOTS, "compare_pay": _PAY_SLOTS,
           "fixed_amount": _PAY_SLOTS, "per_month": _PAY_SLOTS, "variable_amount": _PAY_SLOTS,
           "variable_share": _PAY_SLOTS, "total_pay": _PAY_SLOTS, "growth": _PAY_SLOTS}
"""The amounts each operation on pay or on the pipe works with: another operation asked after one takes from it
only amounts of its own kind."""

_RESULT_SLOT = {"quota_supported": "quota", "pipeline_needed": "pipeline", "fixed_amount": "fixed",
                "variable_amount": "variable", "total_pay": "total"}
"""The slot each operation computes: a follow-up asking it by name does not take that slot's earlier amount."""

_CLAUSE = re.compile(r"\s*(?:[?;]|,?\s+(?:et|and|puis|then)\s+)\s*", re.IGNORECASE)


def _part(q: _Question, text: str, c: _Context) -> _Question:
    """The part *text* of the question *q*, read as a question of its own (its words only)."""
    tokens = [_as_cue(t, c.intents) for t in normalise(text, c.rewrites) if t not in ELIDED]
    return replace(q, text=text, plain=_plain(text), compact="".join(fold(text).split()), tokens=tokens)


def _monthly(q: _Question, c: _Context, done: Computation) -> Computation:
    """*done* spread over twelve months when the question asks « par mois » of a yearly amount (« et le CA par mois
    du coup ? » about the agency)."""
    if done.result is None or not done.result.is_money \
            or not any(op.id == "per_month" and q.has_any(op.cues) for op in c.intents.operations):
        return done
    month = per_head(Operand(Said("calc_yearly"), done.result, ""), MONTHS, kind="per_month")
    return replace(month, steps=(done,), changed=done.changed, caveats=(*done.caveats, *month.caveats))


def _guarantee(q: _Question, c: _Context, done: Computation) -> Computation:
    """A coverage reaching the rule, asked whether the rule guarantees the quota (« si j'ai 300k pour 100k, je suis
    sûr de faire mon quota ? »): the answer is no, the sheet only says it raises the odds."""
    rule = c.intents.rule
    # (« How much pipeline under the 3x rule, and if he has it, is hitting quota guaranteed? »: the pipeline the rule
    # asks, then the same no.)
    reached = (done.kind in ("coverage", "coverage_ratio") and done.verdict == "enough") \
        or (done.kind in ("pipeline_needed", "quota_supported") and not done.verdict)
    if reached and done.ok and q.has_any(rule.cues) and q.has_any(rule.words):
        # The rule's source is cited.
        return replace(done, verdict="not_guaranteed", operands=(*done.operands, c.factor_operand))
    return done


@lru_cache(maxsize=8)
def _per_and_per(per_words: tuple[str, ...], joiners: tuple[str, ...]) -> re.Pattern[str] | None:
    """One figure asked per two things, joined (``per_words``, then a word or two, a word of ``pay_joiners``, a per
    word again): « par AM et par client », "per AM and per client"."""
    per = "|".join(re.escape(w) for w in per_words)
    joins = "|".join(re.escape(w) for w in joiners if w[:1].isalpha())
    return re.compile(rf"\b(?:{per})\s+\w+(?:\s+\w+)?\s*,?\s+(?:{joins})\s+(?:{per})\b") if per and joins else None


def _asks_two(q: _Question, intents: ComputeIntents) -> bool:
    """Whether the question asks two things at once: two of its words open a question (``question_words``), it
    is two questions (« … passe à quel panier ? Et le chiffre d'affaires total une fois l'upsell ajouté ? »), or it
    asks one figure per two things (« combien par AM et par client ? »)."""
    if sum(t in intents.question_words for t in q.tokens) >= 2 or q.text.count("?") >= 2:
        return True
    per = _per_and_per(tuple(intents.per_words), tuple(intents.pay_joiners))
    return per is not None and per.search(q.plain) is not None


def _asks_gap(q: _Question, intents: ComputeIntents) -> bool:
    """Whether the question asks for a difference (the cues of the ``difference`` operation) and brings no amount."""
    return not q.amounts and any(op.id == "difference" and q.has_any(op.cues) for op in intents.operations)


def _gap(recipe: ExampleRecipe, c: _Context, changed: Mapping[str, Amount]) -> Computation:
    """« donc l'écart c'est combien ? » after a what-if: the example's result against the one with the asker's
    figures, the larger first."""
    c.changed, c.memo = {}, {}
    before = _example(recipe, c)
    c.changed, c.memo = dict(changed), {}
    after = _example(recipe, c)
    if before.result is None or after.result is None:
        return after
    label = Twin(recipe.label, recipe.label_en) if recipe.label else _figure_label(c, recipe.gives or recipe.id)
    source = before.sources[0] if before.sources else QUESTION
    was = Operand(Said.of("calc_example_result", label=label), before.result, source)
    now = Operand(Said.of("calc_your_result", label=label), after.result, "")
    first, second = (was, now) if before.result.low >= after.result.low else (now, was)
    done = subtract(first, second)
    assumed = tuple(_assumed(c, ref, amount) for ref, amount in changed.items())
    return replace(done, steps=(after,), changed=tuple(changed.items()), caveats=(*assumed, *done.caveats))


def _assumed(c: _Context, ref: str, amount: Amount) -> Said:
    """The line saying the question's assumption: example figure *ref* at *amount* instead of its own."""
    return Said.of("calc_changed", label=_figure_label(c, ref), new=amount, old=c.example_amount(ref))


def _changed_to(q: _Question, found: Found, words: Sequence[str]) -> bool:
    """Whether a change word (``changes`` of compute.toml: « tombait à ») ends just before the amount *found*."""
    before = " ".join(q.plain[:found.start].replace("'", " ").split())
    return any(before.endswith(w) for w in words)


def _same_kind(new: Amount, old: Amount) -> bool:
    """Whether *new* can stand for the example figure *old*: a rate for a rate, money for money, a count for a
    count (a bare number of 1 000 or more counts as euros); one amount, not a range."""
    if new.is_range:
        return False
    if old.unit == "%":
        return new.unit == "%"
    if old.is_money:
        return new.is_money or (new.unit == "" and new.low >= 1000)
    return new.unit == ""


def _figure_label(c: _Context, ref: str) -> Text:
    fig = c.examples.get(ref) or {}
    return Twin(str(fig["label"]), str(fig.get("label_en") or "")) if fig.get("label") else ref


def compute_example(recipe_id: str, intents: ComputeIntents, *, examples: Sequence[Mapping[str, object]],
                    factor: float = 3, spans: Mapping[str, Amount] | None = None) -> Computation:
    """The worked-example computation *recipe_id* of ``intents/compute.toml`` on *examples*' figures (and *spans*,
    the numbers of periods a question gives for its ``?<period>`` operands: ``{"semaine": Amount(13, 13, "")}``).

    Examples
    --------
    >>> from bot.compute_intents import load_compute_intents
    >>> figures = [{"id": "agency.cost", "value": "180 000€", "source": "002"}, {"id": "agency.ams", "value": "3"}]
    >>> compute_example("agency-cost-per-am", load_compute_intents(), examples=figures).operation
    '180 000 € / 3 = 60 000 €'
    """
    recipe = next((r for r in intents.examples if r.id == recipe_id), None)
    if recipe is None:
        return _lack(recipe_id, Said.of("calc_missing_example", id=recipe_id))
    c = _Context(intents, (), {str(f.get("id")): f for f in examples}, {}, {}, factor, None, spans=spans or {})
    return _example(recipe, c)


# --- entry point -------------------------------------------------------------------------------------------------------

_YEARLY_KINDS = frozenset({"total_pay", "variable_amount", "fixed_amount", "compare_pay"})
"""Computations whose result is a year's pay (the sources give yearly pay)."""
_NOT_WORD = re.compile(r"[^\w%]+")
_PERIOD_OPERAND = {"year": "calc_yearly", "quarter": "calc_quarterly", "month": "calc_monthly"}


def _own_period(intents: ComputeIntents, kind: str) -> str:
    """The period a computation's result is for: a year for a pay, the recipe's for a worked example's ("" unknown)."""
    recipe = next((r for r in intents.examples if r.id == kind), None)
    # A pay figure read off a sheet (« le variable d'un AE junior ») is a year's too.
    return "year" if kind in _YEARLY_KINDS or kind == "figure" else recipe.period if recipe is not None else ""


def _named(text: str, table: Mapping[str, Sequence[Phrase]]) -> set[str]:
    """The keys of *table* (``[periods]``, ``[bounds]`` of compute.toml) one of whose phrases the question holds as
    whole words (« toute l'année » as « toute l annee »)."""
    words = f" {' '.join(_NOT_WORD.sub(' ', _plain(text)).split())} "
    return {name for name, phrases in table.items() for w in phrases if w.text and f" {w.text} " in words}


def _over(whole: Operand, own: str, asked: str) -> Computation:
    """*whole*, an amount for period *own*, for period *asked* (a year / 4 for a quarter, a quarter × 4 for a year)."""
    per_year_own, per_year_asked = PERIODS[own], PERIODS[asked]
    n = max(per_year_asked, per_year_own) // min(per_year_asked, per_year_own)
    count = Operand(Said(_PER_YEAR_LABEL[frozenset({own, asked})]), Amount(n, n, ""), "")
    return per_head(whole, count, kind="per_period") if per_year_asked > per_year_own else \
        product(count, whole, kind="per_period")


def _in_period_asked(text: str, intents: ComputeIntents, done: Computation) -> Computation:
    """*done*, its result then put in the one period the question names when that is not the result's own: a year's
    variable « per quarter » (15 600 € / 4), Alice's quarter « toute l'année » (150 000 € × 4)."""
    own = _own_period(intents, done.kind)
    if not own or done.result is None or done.result.unit == "%":
        return done
    named = _named(text, intents.periods)
    if len(named) == 2 and own in named and done.kind != "figure":
        # « 60k a year… what's the fixed part per month? », « par an et par mois ? »: the result in its own period,
        # then in the other one named.
        other = next(iter(named - {own}))
        step = _over(Operand(Said(_PERIOD_OPERAND[own]), done.result, ""), own, other)
        return replace(done, then=(*done.then, step)) if step.result is not None else done
    if len(named) != 1 or own in named:
        return done
    if done.kind == "figure" and done.operands:
        # A figure read off a sheet is the operand itself (« variable AE junior 15–25 k€ [001] / 4 »).
        return _over(done.operands[0], own, next(iter(named)))
    step = _over(Operand(Said(_PERIOD_OPERAND[own]), done.result, ""), own, next(iter(named)))
    if step.result is None:
        return done
    if done.verdict:
        # « combien de plus par mois ? »: the comparison keeps its verdict, its difference then put in the period.
        return replace(done, then=(*done.then, step))
    return replace(step, steps=(done,), changed=done.changed, caveats=(*done.caveats, *step.caveats))


_P = ParamSpec("_P")


def _in_period(core: Callable[_P, Computation | RuleQuestion | None]) -> Callable[_P, Computation | RuleQuestion | None]:
    """*core* (the planner), its result put in the period the question names (:func:`_in_period_asked`), or, when it
    asks for nothing, the conversation's last result in that period (:func:`_last_in_period`)."""
    @wraps(core)
    def planned(*args: _P.args, **kwargs: _P.kwargs) -> Computation | RuleQuestion | None:
        done = core(*args, **kwargs)
        text, intents = args[0], args[1]
        assert isinstance(intents, ComputeIntents)
        if not isinstance(text, str):
            return done
        if done is None:
            kind, last = kwargs.get("previous_kind"), kwargs.get("previous_result")
            return _last_in_period(text, intents, kind if isinstance(kind, str) else None,
                                   last if isinstance(last, tuple) else None)
        if not isinstance(done, Computation):
            return done
        return _in_period_asked(text, intents, _sheet_quoted(done, text, intents, kwargs))

    return planned


@lru_cache(maxsize=8)
def _own_phrases(own_words: tuple[Phrase, ...]) -> frozenset[tuple[str, ...]]:
    """``own_words`` as the token tuples :func:`~bot.clauses.has_phrase` looks for (made once per intents)."""
    return frozenset(p.tokens for p in own_words if p.tokens)


_ASKERS_OWN = frozenset({"check_pay", "compare_pay"})
"""Computations that set the asker's own pay against the sheet's: their amounts stay the asker's."""


def _sheet_quoted(done: Computation, text: str, intents: ComputeIntents, options: Mapping[str, object]) -> Computation:
    """*done* with each amount the question quotes from the named role's sheet (« la part variable moyenne de 26 % »,
    « j'ai lu que la moyenne c'est 60 000 ») given as that sheet's figure, with its label and source, not as the
    asker's own."""
    roles, figures = options.get("roles"), options.get("figures")
    # One role named (an amount of a question naming two may be either's), and no offer of the asker's checked or
    # compared against the sheet (« on me propose 60k comme KAM, c'est dans la moyenne ? » is their own figure).
    if not isinstance(roles, (list, tuple)) or len(roles) != 1 or not isinstance(figures, (list, tuple)) \
            or done.kind in _ASKERS_OWN:
        return done
    rewrites = options.get("rewrites")
    words = normalise(text, rewrites if isinstance(rewrites, Mapping) else None)
    if has_phrase(words, _own_phrases(intents.own_words)):
        return done  # « je suis KAM à 60k dont 26 % de variable »: the asker's own pay
    names, levels = options.get("names"), options.get("levels")
    c = _Context(intents, figures, {}, names if isinstance(names, Mapping) else {},
                 levels if isinstance(levels, Mapping) else {}, 3, None)
    printed = [(kind, amount, pay) for role in roles for pay in c.pays(str(role))
               for kind, amount in (("share", pay.variable_share), ("pay", pay.total), ("ote", pay.ote))
               if amount is not None and not amount.at_least]  # (« peut dépasser 30 % » is no 30 %)
    if not printed:
        return done

    def sheet(op: Operand) -> Operand:
        if op.origin != QUESTION:
            return op
        for kind, amount, pay in printed:
            if (amount.low, amount.high) == (op.amount.low, op.amount.high) and (
                    amount.unit == op.amount.unit or (op.amount.unit == "" and amount.unit == "€")):
                return Operand(of_pay(kind, pay), op.amount, pay.source)  # (as the question writes it)
        return op

    def walk(d: Computation) -> Computation:
        return replace(d, operands=tuple(map(sheet, d.operands)), steps=tuple(map(walk, d.steps)),
                       then=tuple(map(walk, d.then)))

    return walk(done)


def _last_in_period(text: str, intents: ComputeIntents, kind: str | None,
                    last: tuple[Amount, str] | None) -> Computation | None:
    """« ça fait combien par trimestre au max ? » right after a computation of a year's pay: its result (at the end
    of its range the question names) in that period."""
    if kind is None or last is None or has_digit(text) or len(text.split()) > 16:
        return None
    own, named = _own_period(intents, kind), _named(text, intents.periods)
    if not own or len(named) != 1 or own in named or last[0].unit == "%":
        return None
    amount = last[0]
    ends = _named(text, intents.bounds)
    if amount.is_range and len(ends) == 1:
        value = amount.high if ends == {"top"} else amount.low
        amount = replace(amount, low=value, high=value)
    done = _over(Operand(Said("calc_last_result"), amount, last[1] or QUESTION), own, next(iter(named)))
    return done if done.result is not None else None


@_in_period
def plan(text: str, intents: ComputeIntents, *,
         figures: Sequence[Mapping[str, object]] = (),
         examples: Sequence[Mapping[str, object]] | Mapping[str, Mapping[str, object]] = (),
         aliases: Mapping[str, Sequence[str]] | None = None,
         roles: Sequence[str] | None = None,
         names: Mapping[str, Text] | None = None,
         levels: Mapping[str, Sequence[str]] | None = None,
         rewrites: Mapping[str, str] | None = None,
         factor: float = 3,
         previous: Computation | None = None,
         earlier_roles: Sequence[str] = (),
         worked_examples: bool = True,
         changed: Sequence[tuple[str, Amount]] = (),
         given: Sequence[tuple[str, Amount]] = (),
         previous_kind: str | None = None,
         previous_result: tuple[Amount, str] | None = None,
         said_levels: frozenset[str] | None = None) -> Computation | RuleQuestion | None:
    """The computation *text* asks for, done; a :class:`RuleQuestion`; or None when it asks for no computation.

    Parameters
    ----------
    text : str
        The question, as typed.
    intents : ComputeIntents
        From :func:`bot.compute_intents.load_compute_intents`.
    figures : sequence of dict
        Salary figures, one dict per ``[[topics.salary.figures]]`` row plus its
        ``role`` id (amounts as the sources write them: ``"35-45K€"``).
    examples : sequence of dict, or dict of them by id
        Worked-example figures: ``{"id": "alice.quota", "label": "quota d'Alice",
        "value": "120 000€", "source": "001_….txt", "example": "alice"}`` (the example's id, for what-ifs).
        A caller planning many questions gives them by id, made once.
    aliases : mapping, optional
        Role id -> names, to find the roles the question names (ignored when *roles* is given).
    roles : sequence of str, optional
        The role ids the question names, in order, when the caller already knows them.
    names : mapping, optional
        Role id -> the short name used in labels (``"AE"``).
    levels : mapping, optional
        Seniority level -> words (``intents/lexicon.toml`` ``[seniority]``); the order is the order tried.
    rewrites : mapping, optional
        SMS spellings and typos (``intents/lexicon.toml`` ``[rewrites]``).
    factor : float
        The pipe-coverage rule (``factor`` of the ``pipe-coverage`` entry).
    previous : Computation, optional
        The last computation of the conversation: its operands fill the ones a
        follow-up leaves out (« et pour un quota de 200k ? »).
    earlier_roles : sequence of str, optional
        The roles the conversation was last about, oldest first: a pay comparison
        naming fewer than two roles takes the others from them.
    worked_examples : bool
        False when the question's words for an example tell the asker's own story ("for my agency"):
        no computation on the sources' worked examples then.
    changed : sequence of (str, Amount)
        Worked-example figures an earlier question changed (``Computation.changed``): a question that changes
        another one, or says it keeps them ("dans ce cas"), is computed with them.
    given : sequence of (str, Amount)
        The amounts the asker gave to the conversation's last computation, with their slots (``fixed``, ``quota``…):
        a question with no amount of its own that asks for a computation is done on them ("donc au total ça fait
        combien ?" after "avec 42 000 € de fixe, combien de variable ?").
    previous_kind : str, optional
        The operation of that last computation: a question that only brings amounts ("et si je négocie 50k de
        fixe ?") asks for it again.
    said_levels : frozenset of str, optional
        The levels the question itself names (not the conversation's level added to its text): a level alone
        asks the last computation again only when the question names it (« et en senior ? », not « merci »).
    previous_result : (Amount, str), optional
        That computation's result and the source its figures came from: « et par mois ? » with no amount of its
        own spreads it over twelve months.

    Examples
    --------
    >>> from bot.compute_intents import load_compute_intents
    >>> plan("J'ai 400 k€ de pipe et 120 k€ de quota : suis-je couvert ?", load_compute_intents()).operation
    '400 k€ / 120 k€ ≈ 3,33'
    >>> plan("le x3, ça garantit d'atteindre son quota ?", load_compute_intents())
    RuleQuestion(topic='pipe-coverage', source='003_4e01968991f6f92c.txt')
    >>> plan("c'est quoi un KAM ?", load_compute_intents()) is None
    True
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text[:2000]
    plain = _plain(text)
    amounts, slot_words = _amounts(text, plain, intents, factor)
    cue_words, long_words = intents.words, intents.long_words
    # _as_cue of each token, its test written out: the calls cost more than the test for the many words it keeps.
    tokens = [t if len(t) < 4 or t in cue_words or not long_words else _closest_cue(t, long_words)
              for t in normalise(text, rewrites) if t not in ELIDED]
    named = list(roles) if roles is not None else _roles(plain, aliases or {})
    q = _Question(text, plain, "".join(fold(text).split()), tokens, amounts, slot_words, named,
                  _level(text, levels or {}), intents.operators,
                  _role_levels(plain, named, aliases or {}, levels or {}) if len(named) > 1 else {},
                  _durations(text, plain) if _PERIOD_RATE.search(plain) else (),
                  # « OTE min et max ? » asks the whole range: both ends named put the pay at neither.
                  bounds=_role_bounds(plain, named, aliases or {}, intents.bounds)
                  if named and intents.bounds and len(_named(text, intents.bounds)) < 2 else {},
                  role_spans=_role_spans(plain, named, aliases or {}) if len(named) > 1 and amounts else ())
    by_id = examples if isinstance(examples, Mapping) else {str(f.get("id")): f for f in examples}
    c = _Context(intents, figures, by_id, names or {}, levels or {}, factor, previous, earlier_roles=earlier_roles)

    c.spans, c.rewrites, c.last = _spans(text, plain), rewrites, previous_result
    c.level_said = q.level is not None and (said_levels is None or q.level in said_levels)
    money = q.money()
    if not money and q.has_any(intents.rule.words) and q.has_any(intents.rule.cues):
        return RuleQuestion(intents.rule.topic, intents.rule.source)
    units = {m.amount.unit for m in money}
    if len(money) == 1 and money[0].found.text and q.has_any(intents.asks_number) \
            and (wanted := currency_named(plain[money[0].found.end:])) is not None and wanted not in units:
        # « 57 504 $, ça fait combien en euros ? »: the sources give no exchange rate, so no conversion.
        unit = next(iter(units))
        return Computation("convert", None, operands=(_op(money[0], "amount"),), verdict="not_comparable",
                           caveats=(Said.of("calc_no_conversion", unit=unit),))
    if not money and named and len(q.tokens) <= 6 and not q.slot_words & {"fixed", "variable"} \
            and (wanted := currency_named(plain)) is not None:
        # « et en euros ? » after a pay in dollars: no exchange rate in the sources, no conversion.
        pay = c.pay(named[0], q.level, lambda p: pay_total(p)[0] is not None or p.fixed is not None)
        whole = (pay_total(pay)[0] or (Operand(of_pay("fixed", pay), pay.fixed, pay.source) if pay.fixed else None)) \
            if pay is not None else None
        if whole is not None and whole.amount.unit and whole.amount.unit != wanted:
            return Computation("convert", None, operands=(whole,), verdict="not_comparable",
                               caveats=(Said.of("calc_no_exchange", unit=whole.amount.unit),))
    if worked_examples and intents.whatifs:
        done = _what_if(q, c, dict(changed), previous_kind)
        if done is not None:
            return done
    last = next((r for r in intents.examples if r.id == previous_kind), None)
    if worked_examples and last is not None and last.operation == "difference" and _asks_gap(q, intents):
        # « so what's the gap? » after a computation that ends on a difference: that difference again.
        c.changed = dict(changed)
        return _example(last, c)
    # The worked examples' own figures, unless the question brings amounts or percentages of its own
    # (quoting an example's figure, « par rapport à 65 % », a count « 13,5 clients » or « pour 1 € » brings none).
    if worked_examples and q.amounts and q.has_any(intents.origin):
        # « d'où sort le chiffre de 918 000 € ? » : the example computation that gives the figure quoted.
        for recipe in intents.examples:
            shown = _example(recipe, c)
            # (A small count, « 3 account managers », is a figure the example starts from, no result quoted.)
            if shown.result is not None and any(_quotes(a, shown.result) for a in q.amounts
                                                if a.amount.unit or a.amount.high >= 100):
                # « … ça sort d'où ? et avec 65 % sans AM ça ferait combien ? »: the second question after it.
                both = _asks_two(q, intents) or len(_CLAUSE.split(q.text)) > 2
                c.memo = {}
                # (One resting on the figure quoted goes on from it: « … and what does that mean against her
                # quota? »; one the figure rests on is already shown on the way.)
                rest = [r for r in _asked(q, c) if r is not recipe and not c.uses(recipe, [f"@{r.id}", r.gives])] \
                    if both else []
                return replace(shown, then=(*shown.then, _example(rest[0], c))) if rest else shown
    # A count of the asker's own ("j'ai 20 clients… comme dans l'exemple de l'agence") is theirs: their figures.
    own_count = bool(q.money() or q.percents()) and any(
        a.amount.low not in c.example_values and a.amount.low != 1 for a in q.counts())
    if worked_examples and not own_count and all(a.amount.low == 1 or a.amount.low in c.example_values
                                                 or not (a.amount.is_money or a.amount.unit == "%") for a in q.amounts):
        both = _asks_two(q, intents)
        asked = _asked(q, c, both=both)
        if asked:
            c.asked = frozenset(r.id for r in asked) if both else frozenset()
            done = _monthly(q, c, _example(asked[0], c))
            # « combien coûte chaque AM, et que rapportent-ils ? »: a second question the first computation does not
            # answer on the way is computed after it.
            rest = [r for r in asked[1:] if both and not c.uses(asked[0], [f"@{r.id}", r.gives])]
            return replace(done, then=(*done.then, *(_example(r, c) for r in rest[:1]))) if rest else done
    own = {a.slot for a in q.amounts}
    # The same operation again, unless the question asks for another one by name (« what coverage is that? »);
    # arithmetic words alone (« the same quota each ») do not. Another operation asked takes from the question
    # before only the amounts of its own kind that it does not compute (« what coverage is that? » takes the quota;
    # « and if I've only got 600k in pipe, what quota does that cover? » takes nothing; « donc au total ? » after a
    # variable computed on a fixed takes the fixed; « my OTE is 90k with 40 % variable, what's my base? » after a
    # pipe calculation takes nothing).
    # Whether each operation's cues are in the question, asked once: the choice just below and the loop of operations
    # further down both need it (the question's words do not change in between, only its amounts).
    # (Most questions hold no cue of any operation: one look-up for all of them then.)
    cued = [bool(op.cues) and q.has_any(op.cues) for op in intents.operations] \
        if q.has_any(intents.operation_cues) else [False] * len(intents.operations)
    asked_op = next((op for op, has in zip(intents.operations, cued) if op.id not in _ARITHMETIC and has), None)
    other_op = asked_op is not None and asked_op.id != previous_kind
    family = _FAMILY.get(asked_op.id, frozenset()) if asked_op is not None else frozenset()
    if asked_op is not None and asked_op.id == "coverage" and previous_kind in ("pipeline_needed", "coverage") \
            and len(bare := [a for a in q.money() if a.slot is None]) == 1 and len(q.money()) == 1 \
            and any(slot == "quota" for slot, _ in given):
        # « j'en ai 500k en ce moment, il me manque combien ? » after the pipeline a quota needs: that amount is the
        # pipeline, set against the quota given before.
        q.amounts = [replace(a, slot="pipeline") if a.found.start == bare[0].found.start else a for a in q.amounts]
        q.slot_words = q.slot_words | {"pipeline"}
        own = {a.slot for a in q.amounts}
    carry = [(slot, amount) for slot, amount in given if slot not in own
             and (not other_op or (asked_op is not None and slot in family
                                   and slot != _RESULT_SLOT.get(asked_op.id)))]
    if carry and all(m.slot for m in q.money()) and (amounts or q.has_any(intents.asks_number)):
        # « donc au total ça fait combien ? », « and for a team of 4 with the same quota each? »: the amounts the
        # asker gave just before fill the slots this question leaves empty, and the same operation is asked again
        # (with no amount of its own, the question must ask for a number: « c'est quoi le best case ? » does not).
        q.amounts = [*(_Slotted(Found(amount, 0, 0, ""), slot) for slot, amount in carry), *q.amounts]
        q.slot_words = q.slot_words | {slot for slot, _ in carry}
        q.carried = not amounts
        again = _HANDLERS[previous_kind](q, c) if previous_kind is not None and previous_kind in _HANDLERS \
            and amounts and not other_op else None
        if again is not None:
            return again
    if previous_kind in ("check_pay", "compare_pay") and amounts and not other_op and len(q.tokens) <= 8 \
            and q.has_any(intents.keep):
        # « et si c'était 40k + 20k ? » after « 48k fixe + 12k variable comme AE junior, c'est bien ? »: checked too,
        # two amounts with no name of their own read as the earlier ones were, a fixed then a variable pay.
        money = q.money()
        if len(money) == 2 and not any(m.slot for m in money) and {"fixed", "variable"} <= {s for s, _ in given}:
            first, second = money
            q.amounts = [replace(first, slot="fixed"), replace(second, slot="variable"),
                         *(a for a in q.amounts if a not in money)]
            q.slot_words = q.slot_words | {"fixed", "variable"}
        again = _HANDLERS[previous_kind](q, c)
        if again is not None:
            return again
    unchecked: Computation | None = None
    for op, has in zip(intents.operations, cued):
        # An operation with neither cues nor slots (a calculation written out) is tried on every question.
        fits = (has or (op.slots and all(s in q.slot_words for s in op.slots))
                or _operator(q, _OPERATOR_OF.get(op.id, op.id)) or not (op.cues or op.slots)) \
            and not (op.unless and q.has_unnegated(op.unless, c.intents.negators))
        if fits:
            done = _HANDLERS[op.id](q, c)
            if done is not None and not done.ok and op.id in _GIVES_WAY and unchecked is None:
                # « 45 000 € de fixe, dans les clous ? le variable je le mets à combien ? » for a role whose sheet gives
                # no fixed pay: the check cannot be made, the variable asked can.
                unchecked = done
                continue
            if done is not None:
                return _guarantee(q, c, done)
    money = q.money()
    if len(money) == 1 and money[0].slot == "fixed" and not q.percents() and q.has_any(intents.asks_number):
        # « un AM avec 50k de fixe, ça fait combien ? », « with a 50k base that's how much? »: the whole pay, with
        # the variable the role's sheet gives as a share of the fixed.
        done = _total_pay(q, c)
        if done is not None and done.ok and any(o.origin == QUESTION for step in (done, *done.steps) for o in step.operands):
            return done
    if unchecked is not None:
        return _guarantee(q, c, unchecked)
    if previous is not None and amounts and previous.kind in _HANDLERS:
        return _HANDLERS[previous.kind](q, c)
    if previous_kind in _LEVELLED and not amounts and len(q.tokens) <= 8 and c.level_said:
        # « et en senior ? » after « lequel gagne le plus ? »: the same computation at the level named (« and for a
        # beginner? » after a pay per month: the pay, as that one was).
        return _HANDLERS[previous_kind](replace(q, slot_words=q.slot_words | {"total"}) if previous_kind == "per_month"
                                        else q, c)
    if previous_kind is not None and previous_kind in _HANDLERS and not amounts and len(q.tokens) <= 4 \
            and q.has_any(intents.asks_number):
        # « et de combien ? » after « lequel gagne le plus ? »: the same computation, its figures again.
        return _HANDLERS[previous_kind](q, c)
    if previous_kind is not None and previous_kind in _HANDLERS and amounts and not q.carried:
        # « et si je négocie 50k de fixe ? » after « combien de variable avec 42k de fixe ? »: the same again.
        return _HANDLERS[previous_kind](q, c)
    return None
