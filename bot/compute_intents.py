"""Load ``intents/compute.toml``: the computations careerbot can do, in order, and the words that ask for each."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from .errors import KnowledgeError
from .normalise import ELIDED, fold, tokenize
from .paths import bundled
from .tomlfile import ParsedCache, Table, read_toml

__all__ = [
    "ELIDED",
    "EXAMPLE_OPERATIONS",
    "QUESTION_PERIODS",
    "OPERATIONS",
    "PERIODS",
    "Change",
    "ComputeIntents",
    "ExampleRecipe",
    "Operation",
    "Phrase",
    "Phrases",
    "RuleCues",
    "WhatIf",
    "default_compute_file",
    "load_compute_intents",
]

OPERATIONS = ("over_period", "expression", "coverage_ratio", "coverage", "quota_supported", "pipeline_needed",
              "compare_pay", "check_pay",
              "fixed_amount",
              "variable_share",
              "variable_amount", "total_pay", "per_month", "growth", "rise_by", "percent_of", "per_head", "share",
              "difference", "ratio", "sum", "product")
"""The operation ids bot/calc_plan.py knows how to run on a question."""

PERIODS = {"year": 1, "quarter": 4, "month": 12}
"""The periods a quota or a pipeline may be counted over, and how many of each make a year."""
CUELESS = frozenset({"expression"})
"""Operations tried on every question (their handler decides whether the question is theirs): no ``cues``."""
EXAMPLE_OPERATIONS = {"sum": 2, "difference": 2, "percent_of": 2, "share": 2, "ratio": 2, "per_head": 2,
                      "product": 2, "pipeline_needed": 1, "coverage": 2}
"""The operations a worked-example computation may use, with how many operands each takes."""

QUESTION_PERIODS = ("semaine", "mois", "jour", "trimestre", "annee")
"""The periods an operand ``?<period>`` of a worked-example computation takes from the question (« sur 13
semaines »): a number of them the asker gives, never a figure of the sources."""

_SYMBOLS = re.compile(r"[^a-z0-9' -]")


@dataclass(frozen=True)
class Phrase:
    """A cue as written (folded) and as tokens; a cue with a symbol (``% de``) is matched as text."""

    text: str
    tokens: tuple[str, ...]

    @classmethod
    def of(cls, raw: str) -> Phrase:
        text = " ".join(fold(raw).split())
        return cls(text, () if _SYMBOLS.search(text) else tuple(t for t in tokenize(text) if t not in ELIDED))


class Phrases(tuple[Phrase, ...]):
    """A tuple of :class:`Phrase` that also keeps, from its construction, its word phrases as one set and its
    symbol phrases apart: a question's runs are then checked against all of them in one set operation."""

    words: frozenset[tuple[str, ...]]
    """The token tuples of the word phrases."""
    symbols: tuple[Phrase, ...]
    """The phrases matched as text (a symbol in them: ``% de``)."""
    compact: tuple[str, ...]
    """The symbol phrases' texts without spaces, as they are looked for in a question's text without spaces."""

    def __new__(cls, items=()):
        self = super().__new__(cls, items)
        self.words = frozenset(p.tokens for p in self if p.tokens)
        self.symbols = tuple(p for p in self if not p.tokens)
        self.compact = tuple(p.text.replace(" ", "") for p in self.symbols)
        return self


@dataclass(frozen=True)
class Operation:
    """One computation a question can ask for."""

    id: str
    cues: tuple[Phrase, ...]
    """Any one of these in the question asks for it."""
    slots: tuple[str, ...]
    """When every one of these slots is named in the question, it fits without a cue."""
    examples: tuple[str, ...]
    """Questions that ask for it (checked by the tests)."""
    unless: tuple[Phrase, ...] = ()
    """Words that make a question with one of its cues ask for another operation ("part variable … en euros")."""
    figure: str = ""
    """For ``rise_by``: the id of the figure (``knowledge/examples.toml``) giving the rate ("agency.ltv_uplift")."""


@dataclass(frozen=True)
class ExampleRecipe:
    """A computation on a worked example of the sources (Alice's demos, the agency's revenue…)."""

    id: str
    subject: tuple[Phrase, ...]
    """Words that say the question is about this example."""
    cues: tuple[Phrase, ...]
    operation: str
    operands: tuple[str, ...]
    """Example figure ids, ``@id`` of an earlier example computation, or ``?<period>``: a number of weeks, months…
    the question gives (« sur 13 semaines »); without it the computation is not asked."""
    unless: tuple[Phrase, ...] = ()
    """Words that make the question ask for one operand as the source states it ("chaque AM" -> 15 clients)."""
    label: str = ""
    """What the result is, in French (« revenu récurrent protégé »): its name when a later computation uses it."""
    label_en: str = ""
    """The same in English (its twin: one is refused without the other)."""
    verdict: str = ""
    """``return``: a ratio of a gain to a cost, said worth it or not ("au final c'est rentable ?"); ``quota``: a
    share of a quota, said reached or not ("elle l'atteindrait ?")."""
    then: tuple[str, ...] = ()
    """Example computations shown after this one (the agency's return on what the AMs add, after its return on
    all the revenue they protect)."""
    note: str = ""
    """A message key (``intents/messages.toml``) said with the result: what the source does not give of it."""
    gives: str = ""
    """The example figure this computation's result is (``alice.signed``): recomputed when the question changes
    one of its operands ("et si son taux de conversion passe à 30 % ?")."""
    period: str = ""
    """The period the result is for (``quarter``, ``year``, ``month`` of :data:`PERIODS`): a question naming another
    one gets it converted ("si Alice garde ce rythme toute l'année ?": × 4)."""


@dataclass(frozen=True)
class Change:
    """A figure of a worked example that a question may change ("si son quota était de 160 000 €")."""

    figure: str
    """The example figure id."""
    names: tuple[Phrase, ...]
    """Words that name it next to the new amount ("taux de conversion", "quota", "clients chacun")."""


@dataclass(frozen=True)
class WhatIf:
    """One worked example's figures a question may change, and what is shown when it does."""

    example: str
    """The worked example's id (``knowledge/examples.toml``): an amount equal to one of its figures is quoted, not
    changed ("par rapport à 65 %")."""
    subject: tuple[Phrase, ...]
    """Words that say the question is about this example."""
    changes: tuple[Change, ...]
    shows: tuple[str, ...]
    """Example computations shown when no cue asks for one: the first that uses a changed figure."""
    unless: tuple[Phrase, ...] = ()
    """Words that make the question's amounts the example's own figures, quoted ("sans account manager dédié
    (65 % de rétention)": the retention without AMs, not a changed one)."""


@dataclass(frozen=True)
class RuleCues:
    """How to tell a question about the ×3 rule itself, which is answered from the source's text."""

    topic: str
    source: str
    words: tuple[Phrase, ...]
    cues: tuple[Phrase, ...]


@dataclass(frozen=True)
class ComputeIntents:
    """Everything in ``intents/compute.toml``."""

    operations: tuple[Operation, ...]
    examples: tuple[ExampleRecipe, ...]
    rule: RuleCues
    slots: Mapping[str, tuple[Phrase, ...]]
    """Slot (``quota``, ``pipeline``, ``fixed``…) -> the words that name it."""
    operators: Mapping[str, tuple[str, ...]]
    """Operation -> the folded symbols or words that ask for it between two amounts."""
    words: frozenset[str] = frozenset()
    """Every word of every cue."""
    origin: tuple[Phrase, ...] = ()
    """Words asking where a figure comes from ("d'où sort le 918 000 € ?"): the worked example's computation
    whose result the question quotes is shown."""
    checks: tuple[Phrase, ...] = ()
    """Words asking whether a calculation written out gives the amount after it ("ça donne bien 150 000 € ?")."""
    asks_number: tuple[Phrase, ...] = ()
    """Words that ask for a number ("combien", "how much"): a product read from "each" alone needs one."""
    pay_cues: tuple[Phrase, ...] = ()
    """Words that make an amount a pay offered ("on m'offre 55k comme AE"): it may be checked against a range."""
    abroad: tuple[Phrase, ...] = ()
    """Words naming the country of the sources' dollar figure ("in the US"): one role's pay there against France's."""
    own_words: tuple[Phrase, ...] = ()
    """Words telling that the amounts are the asker's own ("je suis KAM à 60k", "my base"): kept as theirs even
    when a sheet prints the same figure."""
    best_paid: tuple[Phrase, ...] = ()
    """Words asking which job pays best of all ("le métier qui paye le plus"): with fewer than two roles named, the
    roles whose sheets give a pay are compared."""
    periods: Mapping[str, tuple[Phrase, ...]] = field(default_factory=lambda: MappingProxyType({}))
    bounds: Mapping[str, tuple[Phrase, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """``top`` / ``bottom`` -> the words that put a role's pay at that end of its range ("au max", "top of")."""
    """``year`` / ``quarter`` / ``month`` -> the words that say a quota or a pipeline is counted over it."""
    whatifs: tuple[WhatIf, ...] = ()
    """The worked examples' figures a question may change (``[[whatif]]``)."""
    each: tuple[Phrase, ...] = ()
    """Words that make a quota one per person, so that a headcount multiplies it ("5 AE à 100k chacun")."""
    keep: tuple[Phrase, ...] = ()
    """Words that keep the figures an earlier question changed ("dans ce cas", "toujours", "in that case")."""
    filler: frozenset[str] = frozenset()
    """Words that say nothing of what is computed ("de", "combien", "the"): a cue's other words weigh when two
    worked-example computations are asked by one question."""
    question_words: frozenset[str] = frozenset()
    """Words that open a question ("combien", "quel", "how"): two of them ask two things at once."""
    changes: tuple[str, ...] = ()
    """Words just before an amount that make it a worked example's figure changed, even when the example states
    that amount elsewhere (« si la rétention tombait à 65 % »), folded."""
    instead: tuple[str, ...] = ()
    """Words just before an amount that make it the figure the question replaces (« au lieu de 6 000 »), folded."""
    pay_joiners: tuple[str, ...] = ()
    """Words alone between two amounts that make them a fixed pay and its variable (« AE à 55k + 35k »), folded."""
    per_words: tuple[str, ...] = ()
    """Words before the noun an amount is shared by (« combien par client ? »), folded."""
    left_out: tuple[str, ...] = ()
    """Words before a pay word that leave that part out (« sans le variable »), folded."""
    only_part: tuple[str, ...] = ()
    """Words before a pay word that make that part the only one asked (« juste le fixe »), folded."""
    comparing: Phrases = field(default_factory=lambda: Phrases(()))
    """Words that set two figures side by side (« compared to 65 % »): rates of a worked example so are quoted."""
    negators: tuple[tuple[str, ...], ...] = ()
    """Words right before an ``unless`` phrase that take it back (« pas en % »), as token tuples."""
    weak_names: frozenset[str] = frozenset()
    """Slot words that only say gross or net (« brut »): a part named near an amount names it first."""
    asked_slot: tuple[str, ...] = ()
    """Words before a pipe word that make it the figure asked (« combien de pipe pour 250k ? »), folded."""
    long_words: tuple[str, ...] = ()
    """The cue words of five letters or more, sorted: a question's word that is no cue word is matched to
    one of them once (a misspelling), so that cues are then looked up exactly (see :func:`bot.calc_plan.plan`)."""

    @cached_property
    def operation_cues(self) -> Phrases:
        """The cues of every operation in one list: a question holding none of them asks for no operation by its cues
        (each operation's own cues are then not looked up one list after the other)."""
        return Phrases(p for op in self.operations for p in op.cues)

    @cached_property
    def subjects(self) -> tuple[tuple[tuple[Phrase, ...], ...], tuple[int, ...]]:
        """The worked-example computations' distinct subject lists, and the index of each computation's among them:
        a question is checked against each list once, not once per computation (37 of them share 7 lists)."""
        distinct: dict[tuple[Phrase, ...], int] = {}
        of = tuple(distinct.setdefault(r.subject, len(distinct)) for r in self.examples)
        return tuple(distinct), of


def default_compute_file() -> Path:
    """The bundled ``intents/compute.toml``."""
    return bundled("intents", "compute.toml") / "compute.toml"


def _phrases(e: Table, key: str, *, min_items: int = 1) -> tuple[Phrase, ...]:
    return Phrases(dict.fromkeys(Phrase.of(c) for c in e.strs(key, min_items=min_items)))


def _optional(e: Table, key: str) -> tuple[Phrase, ...]:
    """The phrases of an optional list *key* of *e* (none when it is absent)."""
    return _phrases(e, key, min_items=0) if key in e.data else Phrases()


def _texts(e: Table, key: str) -> tuple[str, ...]:
    """The folded texts of an optional list *key* of *e* (words matched as they are, not as token runs)."""
    return tuple(p.text for p in _optional(e, key))


def _word_table(t: Table, name: str) -> dict[str, tuple[str, ...]]:
    def words(value) -> bool:
        return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)

    table = t.mapping(name, words, "must be a non-empty list of words", f'write {{key}} = ["…", "…"] under [{name}]')
    return {key: tuple(value) for key, value in table.items()}


def load_compute_intents(path: str | Path | None = None, *, cache: ParsedCache | None = None) -> ComputeIntents:
    """Load and validate *path* (default: the bundled ``intents/compute.toml``; *cache*: see
    :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        On the first problem found, naming the file, the entry and the fix.
    """
    file = Path(path) if path is not None else default_compute_file()
    t = Table(read_toml(file, cache), file, "")

    slots = {k: Phrases(Phrase.of(w) for w in v) for k, v in _word_table(t, "slots").items()}
    operators = {k: tuple(" ".join(fold(w).split()) for w in v) for k, v in _word_table(t, "operators").items()}
    for name in operators:
        if name not in EXAMPLE_OPERATIONS:
            raise KnowledgeError(file, f"operators.{name}", f"unknown operation '{name}'",
                                 f"use one of {', '.join(sorted(EXAMPLE_OPERATIONS))}")

    periods = {k: Phrases(Phrase.of(w) for w in v) for k, v in _word_table(t, "periods").items()} \
        if "periods" in t.data else {}
    bounds = {k: Phrases(Phrase.of(w) for w in v) for k, v in _word_table(t, "bounds").items()} \
        if "bounds" in t.data else {}
    for name in bounds:
        if name not in ("top", "bottom", "middle"):
            raise KnowledgeError(file, f"bounds.{name}", f"unknown bound '{name}'", "use top, bottom or middle")
    for name in periods:
        if name not in PERIODS:
            raise KnowledgeError(file, f"periods.{name}", f"unknown period '{name}'", f"use one of {', '.join(PERIODS)}")
    origin = _optional(t, "origin")
    checks = _optional(t, "checks")
    pay_cues = _optional(t, "pay_cues")
    abroad = _optional(t, "abroad")
    best_paid = _optional(t, "best_paid")
    own_words = _optional(t, "own_words")
    asks_number = _optional(t, "asks_number")
    r = Table(t.table("rule"), file, "[rule]")
    rule = RuleCues(topic=r.str("topic"), source=r.str("source"), words=_phrases(r, "words"), cues=_phrases(r, "cues"))
    r.done()

    operations: list[Operation] = []
    for i, raw in enumerate(t.tables("operation")):
        e = Table(raw, file, f"operation #{i + 1}")
        op_id = e.str("id")
        # A calculation written out needs no cue: the operators between its amounts say what to do.
        op = Operation(id=op_id, cues=_phrases(e, "cues", min_items=0 if op_id in CUELESS else 1),
                       slots=e.strs("slots"), examples=e.strs("examples"),
                       unless=_optional(e, "unless"), figure=e.str("figure", required=False))
        e.entry = f"operation '{op.id}'"
        if op.id not in OPERATIONS:
            raise e.error(f"unknown operation id '{op.id}'", f"use one of {', '.join(OPERATIONS)}")
        if any(o.id == op.id for o in operations):
            raise e.error("duplicate operation id", "list each operation once; its place in the file is its priority")
        for slot in op.slots:
            if slot not in slots:
                raise e.error(f"unknown slot '{slot}'", f"use one of {', '.join(slots)} or add it under [slots]")
        e.done()
        operations.append(op)

    examples: list[ExampleRecipe] = []
    for i, raw in enumerate(t.tables("example")):
        e = Table(raw, file, f"example #{i + 1}")
        e.entry = f"example '{e.data.get('id')}'"
        label, label_en = e.twin("label", required=False)
        ex = ExampleRecipe(id=e.str("id"), subject=_phrases(e, "subject"), cues=_phrases(e, "cues"),
                           operation=e.str("operation"), operands=e.strs("operands", min_items=1),
                           unless=_phrases(e, "unless") if "unless" in e.data else (),
                           label=label, label_en=label_en,
                           verdict=e.str("verdict") if "verdict" in e.data else "",
                           gives=e.str("gives") if "gives" in e.data else "",
                           then=e.strs("then") if "then" in e.data else (),
                           note=e.str("note") if "note" in e.data else "",
                           period=e.str("period") if "period" in e.data else "")
        e.entry = f"example '{ex.id}'"
        if ex.period and ex.period not in PERIODS:
            raise e.error(f"unknown period '{ex.period}'", f"use one of {', '.join(PERIODS)}")
        if ex.verdict and _VERDICT_OPERATION.get(ex.verdict) != ex.operation:
            raise e.error(f"unknown verdict '{ex.verdict}' for a {ex.operation}",
                          'write verdict = "return" on a ratio of a gain to a cost, verdict = "quota" on a share '
                          'of a quota, or leave it out')
        if ex.gives and any(x.gives == ex.gives for x in examples):
            raise e.error(f"figure '{ex.gives}' is given by two computations", "keep one gives = … for each figure")
        if any(x.id == ex.id for x in examples):
            raise e.error("duplicate example id", "give each example computation its own id")
        arity = EXAMPLE_OPERATIONS.get(ex.operation)
        if arity is None:
            raise e.error(f"unknown operation '{ex.operation}'", f"use one of {', '.join(EXAMPLE_OPERATIONS)}")
        if len(ex.operands) != arity:
            raise e.error(f"'{ex.operation}' takes {arity} operand(s), got {len(ex.operands)}",
                          f"list {arity} figure id(s) in operands")
        for ref in ex.operands:
            if ref.startswith("?") and ref[1:] not in QUESTION_PERIODS:
                raise e.error(f"operand '{ref}' names no period", f"write ?<period>, one of {', '.join(QUESTION_PERIODS)}")
            if ref.startswith("@") and not any(x.id == ref[1:] for x in examples):
                raise e.error(f"operand '{ref}' names no earlier example computation",
                              "define that example above this one, or fix the id")
            if ref.startswith("@") and not next(x for x in examples if x.id == ref[1:]).label:
                raise e.error(f"operand '{ref}' has no label", f'give example \'{ref[1:]}\' a label = "…" (what its result is)')
        e.done()
        examples.append(ex)
    whatifs = _whatifs(t, file, examples)
    keep = _optional(t, "keep")
    changes = _texts(t, "changes")
    instead = _texts(t, "instead")
    pay_joiners = _texts(t, "pay_joiners")
    per_words = _texts(t, "per_words")
    left_out = _texts(t, "left_out")
    only_part = _texts(t, "only_part")
    asked_slot = _texts(t, "asked_slot")
    weak_names = frozenset(_texts(t, "weak_names"))
    negators = tuple(tuple(tokenize(n)) for n in _texts(t, "negators"))
    comparing = Phrases(Phrase.of(w) for w in _texts(t, "comparing"))
    question_words = frozenset(_texts(t, "question_words"))
    filler = frozenset(_texts(t, "filler"))
    each = _optional(t, "each")
    _check_gives(examples, file)
    ids = {x.id for x in examples}
    for x in examples:
        for ref in x.then:
            if ref not in ids or ref == x.id:
                raise KnowledgeError(file, f"example '{x.id}'", f"then names '{ref}', which is no other example computation",
                                     f"use one of {', '.join(sorted(ids - {x.id}))}")
    t.done()
    if not operations:
        raise KnowledgeError(file, None, "no [[operation]] entries", "add at least one [[operation]] with an id and cues")
    phrases = [*(p for op in operations for p in op.cues), *(p for ex in examples for p in (*ex.subject, *ex.cues,
                                                                                        *ex.unless)),
               *rule.words, *rule.cues, *origin, *checks, *pay_cues, *abroad, *best_paid, *own_words, *asks_number,
               *(p for ps in slots.values() for p in ps),
               *(p for w in whatifs for p in (*w.subject, *(n for c in w.changes for n in c.names))), *keep, *each,
               *(p for ps in (*periods.values(), *bounds.values()) for p in ps)]
    words = frozenset(t for p in phrases for t in p.tokens)
    long_words = tuple(sorted(t for t in words if len(t) >= 5))
    return ComputeIntents(operations=tuple(operations), examples=tuple(examples), rule=rule,
                          slots=MappingProxyType(slots), operators=MappingProxyType(operators), words=words,
                          long_words=long_words, origin=origin, checks=checks, pay_cues=pay_cues, abroad=abroad,
                          best_paid=best_paid, own_words=own_words, asks_number=asks_number,
                          whatifs=whatifs, keep=keep, changes=changes, instead=instead, question_words=question_words,
                          pay_joiners=pay_joiners, per_words=per_words, left_out=left_out, only_part=only_part,
                          asked_slot=asked_slot, negators=negators, comparing=comparing, weak_names=weak_names,
                          filler=filler, each=each, periods=MappingProxyType(periods),
                          bounds=MappingProxyType(bounds))


_VERDICT_OPERATION = {"return": "ratio", "quota": "share"}
"""The verdicts a worked-example computation may carry, and the operation each goes with."""


def _whatifs(t: Table, file: Path, examples: Sequence[ExampleRecipe]) -> tuple[WhatIf, ...]:
    """The ``[[whatif]]`` tables: which example figures a question may change, checked against the computations."""
    ids = {x.id for x in examples}
    out = []
    for i, raw in enumerate(t.tables("whatif")):
        w = Table(raw, file, f"whatif #{i + 1}")
        changes = []
        for j, craw in enumerate(w.tables("change")):
            c = Table(craw, file, f"whatif #{i + 1}, change #{j + 1}")
            change = Change(figure=c.str("figure"), names=_phrases(c, "names"))
            c.entry = f"whatif #{i + 1}, change '{change.figure}'"
            if not any(change.figure in x.operands or change.figure == x.gives for x in examples):
                raise c.error(f"figure '{change.figure}' is used by no example computation",
                              "name a figure that an [[example]] lists in its operands")
            c.done()
            changes.append(change)
        shows = w.strs("shows", min_items=1)
        for shown in shows:
            if shown not in ids:
                raise w.error(f"shows '{shown}', which is no example computation", f"use one of {', '.join(sorted(ids))}")
        out.append(WhatIf(example=w.str("example"), subject=_phrases(w, "subject"), changes=tuple(changes), shows=shows,
                          unless=_optional(w, "unless")))
        w.done()
    return tuple(out)


def _check_gives(examples: Sequence[ExampleRecipe], file: Path) -> None:
    """No computation may rest on its own result (``gives`` a figure it uses, directly or through others)."""
    given = {x.gives: x for x in examples if x.gives}
    by_id = {x.id: x for x in examples}

    def uses(recipe: ExampleRecipe, seen: frozenset[str]) -> frozenset[str]:
        out: set[str] = set()
        for ref in recipe.operands:
            sub = by_id.get(ref[1:]) if ref.startswith("@") else given.get(ref)
            out.add(ref)
            if sub is not None and sub.id not in seen:
                out |= uses(sub, seen | {sub.id})
        return frozenset(out)

    for x in examples:
        if x.gives and x.gives in uses(x, frozenset({x.id})):
            raise KnowledgeError(file, f"example '{x.id}'", f"it gives '{x.gives}' and rests on it",
                                 "remove gives = … or the operand that leads back to it")
