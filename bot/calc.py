"""Pure arithmetic on amounts: every result comes with the one-line operation that produced it and its operands' origins.

Nothing here raises on bad input: a missing operand, a division by zero or an
absurd amount gives a :class:`Computation` whose ``result`` is None and whose
``missing`` or ``caveats`` say why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from .amounts import Amount, Scale, Unit, format_amount, mismatch, parse_amount, shown
from .said import Said, Text, Twin

__all__ = [
    "ABSURD",
    "QUESTION",
    "MONTHS",
    "Computation",
    "Operand",
    "RuleQuestion",
    "FACTOR",
    "PIPELINE",
    "QUOTA",
    "of_pay",
    "Pay",
    "add",
    "check_pay",
    "compare_part",
    "compare_pay",
    "coverage",
    "pay_total",
    "per_head",
    "percent_of",
    "pipeline_needed",
    "product",
    "ratio",
    "share",
    "subtract",
]

ABSURD = 1e12
"""Above this, an amount in euros or dollars is a typo, not a salary, quota or pipeline."""
QUESTION = "question"
"""The origin of an operand the user gave."""
FACTOR = Said("calc_factor")
"""The label of the ×3 rule's factor as an operand."""


@dataclass(frozen=True)
class RuleQuestion:
    """The question is about the ×3 rule itself: answer it from the source's text, compute nothing.

    Defined here rather than beside :func:`bot.calc_plan.plan`, which makes it, so that the rules can tell it
    without importing the planner: a start-up that answers no computation never compiles that module."""

    topic: str
    """The knowledge entry that states the rule (``pipe-coverage``)."""
    source: str
    """The source file whose text answers it."""


@dataclass(frozen=True)
class Operand:
    """One input of a computation: what it is, its amount, and where it comes from."""

    label: Text
    """What the amount is, in no language yet: a :class:`~bot.said.Said` (« fixe », « quota »), a
    :class:`~bot.said.Twin` from the knowledge base, or a str; the composer writes it out."""
    amount: Amount
    """The amount itself."""
    origin: str = QUESTION
    """The source file it is printed in, ``"question"`` when the user gave it, or ``""`` for a figure
    computed in an earlier step (or a calendar constant such as twelve months): shown in its operation line only."""


PIPELINE = Said("calc_pipeline")
QUOTA = Said("calc_quota")
MONTHS = Operand(Said("calc_months"), Amount(12, 12, ""), "")
"""Twelve months: the one operand that is neither in the sources nor in the question (« par mois »)."""


@dataclass(frozen=True)
class Computation:
    """The outcome of one operation: the result, the line a reader can check, and a verdict when there is one.

    ``result`` is None when nothing could be computed; ``missing`` then names the
    figures that are lacking and ``caveats`` the other reasons (division by zero,
    absurd amount, currencies that differ). ``operation`` is empty exactly when
    ``result`` is None, or when the result is a figure read off a source
    (``kind == "figure"``): no computed number goes without its operation.
    """

    kind: str
    """The operation (``sum``, ``coverage``, ``compare_pay``…), as named in ``intents/compute.toml``."""
    result: Amount | None
    """The result, or None when it cannot be computed."""
    operation: str = ""
    """The checkable line, e.g. ``26 % × 60 000 € = 15 600 €``."""
    operands: tuple[Operand, ...] = ()
    """The inputs, with their origins."""
    steps: tuple[Computation, ...] = ()
    """Intermediate computations the result rests on (a total before a share…), in order."""
    then: tuple[Computation, ...] = ()
    """Computations drawn from the result (for a short coverage: the pipeline needed, then the gap)."""
    verdict: str = ""
    """``enough``/``short``/``partly`` for coverage; ``higher``/``lower``/``equal``/``overlap``/``not_comparable`` for pay;
    ``within``/``below``/``above``/``partly`` for a pay checked against a source."""
    winner: Text | None = None
    """For a pay comparison: the label of the better-paid side, when the figures say so; for a pay checked
    against a source (``check_pay``), the label of the source's figure."""
    gap: Amount | None = None
    """For coverage: the pipeline still to find when short."""
    missing: tuple[Text, ...] = ()
    """Figures the sources (or the question) do not give (« le salaire fixe d'un Account Manager »), to write out."""
    caveats: tuple[Text, ...] = ()
    """What limits the result or the comparison, to write out (:meth:`bot.messages.Messages.write`)."""
    changed: tuple[tuple[str, Amount], ...] = ()
    """Worked-example figures the question changed (figure id, new amount), kept by the conversation."""

    @property
    def ok(self) -> bool:
        """True when there is a result."""
        return self.result is not None

    @property
    def lines(self) -> tuple[str, ...]:
        """Every operation line, intermediate steps first."""
        out: list[str] = []
        for step in self.steps:
            out.extend(line for line in step.lines if line not in out)
        if self.operation and self.operation not in out:
            out.append(self.operation)
        for step in self.then:
            out.extend(line for line in step.lines if line not in out)
        return tuple(out)

    @property
    def sources(self) -> tuple[str, ...]:
        """The source files the operands come from, in order of first use."""
        seen: dict[str, None] = {}
        for step in self.steps:
            seen.update(dict.fromkeys(step.sources))
        seen.update(dict.fromkeys(o.origin for o in self.operands if o.origin and o.origin != QUESTION))
        for step in self.then:
            seen.update(dict.fromkeys(step.sources))
        return tuple(seen)

    def to_dict(self, write: Callable[[Text], str] = str) -> dict:
        """A JSON-ready dictionary (amounts written out as text, labels and caveats by *write*,
        e.g. ``lambda t: messages.write(t, "en")``)."""
        return {
            "kind": self.kind, "result": format_amount(self.result) if self.result else None,
            "operation": self.operation, "lines": list(self.lines),
            "operands": [{"label": write(o.label), "amount": format_amount(o.amount), "origin": o.origin}
                         for o in self.operands],
            "verdict": self.verdict, "winner": write(self.winner) if self.winner is not None else None,
            "gap": format_amount(self.gap) if self.gap else None,
            "missing": [write(m) for m in self.missing], "caveats": [write(c) for c in self.caveats],
        }


# --- checks shared by every operation --------------------------------------------------------------------------------

def _problems(kind: str, operands: Sequence[Operand | None], labels: Sequence[Text]) -> Computation | None:
    """A result-less Computation when an operand is missing, absurd or only a floor; None when all are usable."""
    present = tuple(o for o in operands if o is not None)
    missing = tuple(label for o, label in zip(operands, labels) if o is None)
    if missing:
        return Computation(kind, None, operands=present, missing=missing)
    caveats = []
    for o in present:
        a = o.amount
        if a.low < 0:
            caveats.append(Said.of("calc_negative", label=o.label, amount=a))
        elif a.is_money and a.high > ABSURD:
            caveats.append(Said.of("calc_absurd", label=o.label, amount=a, limit=Amount(ABSURD, ABSURD, a.unit)))
        elif a.at_least:
            caveats.append(Said.of("calc_floor_only", label=o.label, amount=a))
    if caveats:
        return Computation(kind, None, operands=present, caveats=tuple(caveats))
    return None


def _result_scale(*amounts: Amount) -> Scale:
    # Results are written like their money operands: all in k€ -> k€.
    scales = {a.scale for a in amounts if a.is_money}
    return scales.pop() if len(scales) == 1 else ""


def _line(symbol: str, left: Amount, right: Amount, result: Amount, approx: bool) -> str:
    sign = "≈" if approx or shown(result) != result else "="
    return f"{format_amount(left)} {symbol} {format_amount(right)} {sign} {format_amount(result)}"


def _binary(kind: str, symbol: str, a: Operand | None, b: Operand | None, labels: tuple[Text, Text],
            fn: Callable[[float, float], float], unit: Unit, scale: Scale, *, divide: bool = False,
            same_unit: bool = False, paired: bool = False) -> Computation:
    """Apply *fn* to the bounds after the shared checks: low with low and high with high for + and ×;
    for − and / the result's low bound takes the other operand's high one (35–45 − 10–20 = 15–35),
    so a range result holds every value the two ranges allow."""
    bad = _problems(kind, (a, b), labels)
    if bad is not None:
        return bad
    assert a is not None and b is not None
    x, y = a.amount, b.amount
    why: Said | None = mismatch(x, y)
    if why is None and same_unit and x.unit != y.unit:
        why = Said.of("calc_not_same_unit", a=a.label, b=b.label)
    if why:
        return Computation(kind, None, operands=(a, b), caveats=(Said.of("calc_no_combine", a=a.label, b=b.label, why=why),))
    if divide and (y.low == 0 or y.high == 0):
        return Computation(kind, None, operands=(a, b), caveats=(Said.of("calc_zero_divisor", label=b.label),))
    if symbol in ("−", "/") and not paired:
        lo, hi = fn(x.low, y.high), fn(x.high, y.low)
    else:
        lo, hi = fn(x.low, y.low), fn(x.high, y.high)
    # Floating-point noise is no approximation: 30 % × 40 gives 12, not 12.000000000000002.
    lo, hi = float(f"{lo:.12g}"), float(f"{hi:.12g}")
    lo, hi = min(lo, hi), max(lo, hi)
    period = x.period or y.period if unit in ("€", "$", "") else None
    result = Amount(lo, hi, unit, period, scale if unit in ("€", "$") else "", x.approx or y.approx)
    return Computation(kind, result, _line(symbol, x, y, result, result.approx), (a, b))


def _labels(a: Operand | None, b: Operand | None) -> tuple[Text, Text]:
    return (a.label if a else Said("calc_the_first"), b.label if b else Said("calc_the_second"))


def _like(a: Operand | None, b: Operand | None) -> tuple[Unit, Scale]:
    """The unit and scale of a result of the same kind as *a* and *b* (a sum, a difference)."""
    return (a.amount.unit if a else "€"), (_result_scale(a.amount, b.amount) if a and b else "")


# --- operations ------------------------------------------------------------------------------------------------------

def add(a: Operand | None, b: Operand | None, *, kind: str = "sum") -> Computation:
    """*a* + *b*, ranges bound by bound.

    Examples
    --------
    >>> fixed = Operand("fixe", Amount(35e3, 45e3, scale="k"), "001")
    >>> add(fixed, Operand("variable", Amount(15e3, 25e3, scale="k"), "001")).operation
    '35–45 k€ + 15–25 k€ = 50–70 k€'
    """
    return _binary(kind, "+", a, b, _labels(a, b), lambda p, q: p + q, *_like(a, b), same_unit=True)


def add_all(parts: Sequence[Operand], *, kind: str = "sum") -> Computation:
    """The sum of *parts* (two or more), written on one line.

    Examples
    --------
    >>> deals = [Operand("affaire", Amount(v, v, scale="k")) for v in (45e3, 60e3, 30e3)]
    >>> add_all(deals).operation
    '45 k€ + 60 k€ + 30 k€ = 135 k€'
    """
    done = add(parts[0], parts[1], kind=kind)
    for part in parts[2:]:
        if done.result is None:
            break
        done = add(Operand("", done.result, ""), part, kind=kind)
    if done.result is None:
        return replace(done, operands=tuple(parts))
    sign = "≈" if "≈" in done.operation else "="
    line = " + ".join(format_amount(p.amount) for p in parts) + f" {sign} {format_amount(done.result)}"
    return Computation(kind, done.result, line, tuple(parts))


def subtract(a: Operand | None, b: Operand | None, *, kind: str = "difference", paired: bool = False) -> Computation:
    """*a* − *b*, ranges bound by bound (a range result is reordered low to high).

    *paired*: the two ranges are two scales of the same thing (a confirmed AE's fixed pay against a junior's), so
    the low end goes with the low end and the high with the high (50–60 − 35–45 = 15 k€ at both ends), as a reader
    pairs them, not every value the two ranges would allow apart.

    Examples
    --------
    >>> subtract(Operand("CA", Amount(150e3, 150e3)), Operand("quota", Amount(120e3, 120e3))).operation
    '150 000 € − 120 000 € = 30 000 €'
    """
    done = _binary(kind, "−", a, b, _labels(a, b), lambda p, q: p - q, *_like(a, b), same_unit=True, paired=paired)
    if done.ok and a is not None and a.amount.unit == "%":
        return replace(done, caveats=(*done.caveats, Said("calc_points")))
    return done


def percent_of(pct: Operand | None, amount: Operand | None, *, kind: str = "percent_of") -> Computation:
    """*pct* % of *amount*.

    Examples
    --------
    >>> percent_of(Operand("part variable", Amount(26, 26, "%"), "004"), Operand("salaire", Amount(6e4, 6e4))).operation
    '26 % × 60 000 € = 15 600 €'
    """
    labels = (pct.label if pct else Said("calc_the_percent"), amount.label if amount else Said("calc_the_amount"))
    if pct is not None and pct.amount.unit != "%":
        return Computation(kind, None, operands=(pct,), caveats=(Said.of("calc_not_percent", label=pct.label),))
    target = amount.amount if amount else Amount(0, 0)
    return _binary(kind, "×", pct, amount, labels, lambda p, q: p * q / 100, target.unit, target.scale)


def share(part: Operand | None, whole: Operand | None, *, kind: str = "share", paired: bool = False) -> Computation:
    """The share *part* is of *whole*, in %.

    *paired*: *whole* is *part* plus something else (a variable part of fixe + variable), so the low part goes
    with the low whole and the high with the high one, as the reader pairs them (30/80 and 50/110), not every
    value the two ranges would allow apart.

    Examples
    --------
    >>> share(Operand("CA signé", Amount(15e4, 15e4)), Operand("quota", Amount(12e4, 12e4))).operation
    '150 000 € / 120 000 € = 125 %'
    >>> share(Operand("variable", Amount(3e4, 5e4, scale="k")), Operand("total", Amount(8e4, 11e4, scale="k")),
    ...       paired=True).operation
    '30–50 k€ / 80–110 k€ ≈ 37,5–45,5 %'
    """
    labels = (part.label if part else Said("calc_the_part"), whole.label if whole else Said("calc_the_total"))
    done = _binary(kind, "/", part, whole, labels, lambda p, q: 100 * p / q, "%", "", divide=True, same_unit=True)
    if paired and done.result is not None and part is not None and whole is not None:
        x, y = part.amount, whole.amount
        ends = sorted((float(f"{100 * x.low / y.low:.12g}"), float(f"{100 * x.high / y.high:.12g}")))
        result = replace(done.result, low=ends[0], high=ends[1])
        done = replace(done, result=result, operation=_line("/", x, y, result, result.approx))
    return done


def ratio(a: Operand | None, b: Operand | None, *, kind: str = "ratio") -> Computation:
    """*a* / *b* as a plain number.

    Examples
    --------
    >>> ratio(Operand("pipeline", Amount(4e5, 4e5, scale="k")), Operand("quota", Amount(12e4, 12e4, scale="k"))).operation
    '400 k€ / 120 k€ ≈ 3,33'
    """
    return _binary(kind, "/", a, b, _labels(a, b), lambda p, q: p / q, "", "", divide=True, same_unit=True)


def per_head(amount: Operand | None, count: Operand | None, *, kind: str = "per_head") -> Computation:
    """*amount* divided among *count* people or accounts.

    Examples
    --------
    >>> per_head(Operand("coût des AM", Amount(18e4, 18e4)), Operand("AM", Amount(3, 3, ""))).operation
    '180 000 € / 3 = 60 000 €'
    """
    labels = (amount.label if amount else Said("calc_the_amount"), count.label if count else Said("calc_the_number"))
    if count is not None and count.amount.unit != "":
        return Computation(kind, None, operands=(count,), caveats=(Said.of("calc_not_headcount", label=count.label),))
    target = amount.amount if amount else Amount(0, 0)
    return _binary(kind, "/", amount, count, labels, lambda p, q: p / q, target.unit, target.scale, divide=True)


def product(count: Operand | None, amount: Operand | None, *, kind: str = "product") -> Computation:
    """*count* × *amount* (45 clients × 24 000 €).

    Examples
    --------
    >>> product(Operand("clients", Amount(45, 45, "")), Operand("panier", Amount(24e3, 24e3))).operation
    '45 × 24 000 € = 1 080 000 €'
    """
    labels = (count.label if count else Said("calc_the_number"), amount.label if amount else Said("calc_the_amount"))
    if count is not None and count.amount.unit != "":
        return Computation(kind, None, operands=(count,), caveats=(Said.of("calc_not_number", label=count.label),))
    target = amount.amount if amount else Amount(0, 0)
    return _binary(kind, "×", count, amount, labels, lambda p, q: p * q, target.unit, target.scale)


def _factor(factor: float, rule_source: str) -> Operand:
    return Operand(FACTOR, Amount(factor, factor, ""), rule_source)


def pipeline_needed(quota: Operand | None, *, factor: float = 3, rule_source: str = "",
                    kind: str = "pipeline_needed") -> Computation:
    """The pipeline the ×*factor* rule asks for: *factor* × *quota*.

    Examples
    --------
    >>> pipeline_needed(Operand("quota", Amount(25e4, 25e4, scale="k"))).operation
    '3 × 250 k€ = 750 k€'
    """
    if quota is not None and quota.amount.low == 0:
        return Computation(kind, None, operands=(quota,),
                           caveats=(Said("calc_zero_quota_rule"),))
    return product(_factor(factor, rule_source), quota, kind=kind)


def coverage(pipeline: Operand | None, quota: Operand | None, *, factor: float = 3, rule_source: str = "",
             kind: str = "coverage") -> Computation:
    """Pipe coverage = *pipeline* / *quota*, judged against the ×*factor* rule (``enough``, ``short``, ``partly``).

    When short, ``steps`` hold the pipeline needed and the gap, each with its line.

    Examples
    --------
    >>> c = coverage(Operand("pipeline", Amount(15e4, 15e4, scale="k")), Operand("quota", Amount(8e4, 8e4, scale="k")))
    >>> c.operation, c.verdict, c.lines[-1]
    ('150 k€ / 80 k€ ≈ 1,88', 'short', '240 k€ − 150 k€ = 90 k€')
    """
    if quota is not None and quota.amount.high == 0:
        return Computation(kind, None, operands=tuple(o for o in (pipeline, quota) if o),
                           caveats=(Said("calc_zero_quota_coverage"),))
    done = ratio(pipeline, quota, kind=kind)
    if done.result is None or pipeline is None or quota is None:
        return done
    if done.result.low >= factor:
        return replace(done, verdict="enough")
    needed = pipeline_needed(quota, factor=factor, rule_source=rule_source)
    if needed.result is None:
        return replace(done, verdict="short")
    gap = subtract(Operand(Said("calc_pipeline_needed"), needed.result, rule_source or QUESTION), pipeline, kind="gap")
    verdict = "short" if done.result.high < factor else "partly"
    return replace(done, verdict=verdict, gap=gap.result, then=(needed, gap))


# --- pay ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pay:
    """One salary figure of one role (a row of ``[[topics.salary.figures]]``), its amounts read."""

    label: Text
    """How the answer names it (« AE junior », « KAM, moyenne »)."""
    source: str
    """The source file that prints it."""
    level: str = ""
    """Seniority level key (``junior``, ``senior``, ``moyenne``) or ``""`` when the source gives none."""
    fixed: Amount | None = None
    variable: Amount | None = None
    ote: Amount | None = None
    total: Amount | None = None
    variable_share: Amount | None = None
    """The variable part in %, of what ``share_of`` says."""
    share_of: str = "total"
    """What ``variable_share`` is a share of: ``fixe``, ``ote`` or ``total``."""
    country: str = ""
    year: str = ""
    country_en: str = ""
    year_en: str = ""
    """English twins of ``country`` and ``year`` when the sheet writes them with words ("mai 2021")."""

    @classmethod
    def from_figure(cls, figure: Mapping[str, object], *, label: Text, level: str = "") -> Pay:
        """A Pay from a figure dict whose amounts are written as the sources write them (``"35-45K€"``).

        Examples
        --------
        >>> p = Pay.from_figure({"fixed": "35-45K€", "variable": "15-25K€", "source": "001"}, label="AE junior")
        >>> str(p.fixed), p.source
        ('35–45 k€', '001')
        """
        def amount(key: str) -> Amount | None:
            value = figure.get(key)
            if isinstance(value, Amount):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return Amount(float(value), float(value), "%" if key == "variable_share" else "€")
            return parse_amount(value) if isinstance(value, str) else None

        share_text = str(figure.get("variable_share") or "").lower()
        share_of = "fixe" if "fixe" in share_text or "fixed" in share_text else "ote" if "ote" in share_text else "total"
        share_amount = amount("variable_share")
        return cls(label=label, source=str(figure.get("source") or ""), level=level,
                   fixed=amount("fixed"), variable=amount("variable"), ote=amount("ote"), total=amount("total"),
                   variable_share=share_amount if share_amount and share_amount.unit == "%" else None,
                   share_of=share_of, country=str(figure.get("country") or ""), year=str(figure.get("year") or ""),
                   country_en=str(figure.get("country_en") or ""), year_en=str(figure.get("year_en") or ""))


def of_pay(measure: str, pay: Pay | Text) -> Said:
    """The label of one of a pay figure's amounts (*measure*: ``pay``, ``ote``, ``fixed``, ``variable``,
    ``fixed_variable``, ``share``, ``salary``), message ``calc_<measure>_of`` (« fixe AE junior »)."""
    return Said.of(f"calc_{measure}_of", who=pay.label if isinstance(pay, Pay) else pay)


def _measure(label: Text) -> str:
    """What an operand made by :func:`of_pay` measures (``ote``, ``fixed``…), else ``""``."""
    key = label.key if isinstance(label, Said) else ""
    return key[len("calc_"):-len("_of")] if key.startswith("calc_") and key.endswith("_of") else ""


def pay_total(pay: Pay) -> tuple[Operand | None, tuple[Computation, ...]]:
    """The whole pay of *pay* as an operand, and the steps that computed it when the source does not print it.

    Printed total or OTE first; else fixe + variable; else fixe + (share × fixe)
    when the variable is given as a share of the fixed salary.

    Examples
    --------
    >>> op, steps = pay_total(Pay("AE confirmé", "001", fixed=Amount(5e4, 6e4, scale="k"),
    ...                           variable=Amount(3e4, 5e4, scale="k")))
    >>> str(op.amount), steps[0].operation
    ('80–110 k€', '50–60 k€ + 30–50 k€ = 80–110 k€')
    """
    if pay.total is not None:
        return Operand(of_pay("pay", pay), pay.total, pay.source), ()
    if pay.ote is not None:
        return Operand(of_pay("ote", pay), pay.ote, pay.source), ()
    if pay.fixed is None:
        return None, ()
    fixed = Operand(of_pay("fixed", pay), pay.fixed, pay.source)
    if pay.variable is not None:
        done = add(fixed, Operand(of_pay("variable", pay), pay.variable, pay.source), kind="total")
        return (Operand(of_pay("fixed_variable", pay), done.result, pay.source), (done,)) if done.result else (None, ())
    if pay.variable_share is not None and pay.share_of == "fixe":
        var = percent_of(Operand(of_pay("share", pay), pay.variable_share, pay.source), fixed)
        if var.result is None:
            return None, ()
        done = add(fixed, Operand(of_pay("variable", pay), var.result, pay.source), kind="total")
        return (Operand(of_pay("fixed_variable", pay), done.result, pay.source), (var, done)) if done.result else (None, ())
    return None, ()


def _pay_caveats(a: Pay, b: Pay, measure_a: Operand, measure_b: Operand) -> tuple[Text, ...]:
    out: list[Text] = []
    told = QUESTION in (a.source, b.source)  # the asker's own figures: no sheet, no level of theirs to differ
    if a.source and b.source and a.source != b.source and not told:
        out.append(Said.of("calc_other_sheets", a=a.source, b=b.source))
    if a.level != b.level and not told:
        out.append(Said.of("calc_other_level", a=a.label, b=b.label))
    if a.country and b.country and a.country != b.country:
        out.append(Said.of("calc_other_country", a=Twin(a.country, a.country_en), b=Twin(b.country, b.country_en)))
    if a.year != b.year:
        dated = a if a.year else b
        out.append(Said.of("calc_only_dated", label=dated.label, year=Twin(dated.year, dated.year_en))
                   if not (a.year and b.year) else
                   Said.of("calc_other_years", a=Twin(a.year, a.year_en), b=Twin(b.year, b.year_en)))
    # A fixed pay plus its variable is what the OTE adds up to: the two compare alike.
    kinds = {{"fixed_variable": "ote"}.get(m, m) for m in (_measure(measure_a.label), _measure(measure_b.label))}
    if "ote" in kinds and len(kinds) > 1:
        out.append(Said("calc_ote_vs_other"))
    for p, m in ((a, measure_a), (b, measure_b)):
        if m.amount.approx:
            out.append(Said.of("calc_average", label=p.label))
        if m.amount.at_least:
            out.append(Said.of("calc_pay_floor", label=p.label, amount=m.amount))
    return tuple(out)


def compare_part(a: Pay | None, b: Pay | None, measure: str, *, kind: str = "compare_pay") -> Computation:
    """Which of *a* and *b* has more fixed pay or more variable pay (*measure*: ``fixed``, ``variable``), in
    amounts; a side whose sheet gives no amount of it is named, not guessed (the AM's variable is a share of a
    fixed pay the source does not give)."""
    if a is None or b is None:
        return compare_pay(a, b, kind=kind)
    ops: list[Operand | None] = []
    shares: list[Computation] = []
    for p in (a, b):
        amount = p.fixed if measure == "fixed" else p.variable
        if amount is None and measure == "variable" and p.variable_share is not None and p.share_of != "fixe":
            # « part variable 26 % » of a whole pay the sheet gives: the variable in euros, computed and shown.
            whole, _ = pay_total(p)
            if whole is not None:
                step = percent_of(Operand(of_pay("share", p), p.variable_share, p.source), whole, kind="variable_amount")
                if step.result is not None:
                    shares.append(step)
                    ops.append(Operand(of_pay("variable", p), step.result, p.source))
                    continue
        if amount is None and measure == "fixed" and p.variable_share is not None and p.share_of != "fixe":
            # « KAM moyenne : 60 000 € dont 26 % de variable »: the fixed pay is the rest, computed and shown.
            whole, _ = pay_total(p)
            if whole is not None:
                var = percent_of(Operand(of_pay("share", p), p.variable_share, p.source), whole, kind="variable_amount")
                if var.result is not None:
                    rest = subtract(whole, Operand(Said("calc_variable"), var.result, ""), kind="fixed_amount")
                    if rest.result is not None:
                        shares.extend((var, rest))
                        ops.append(Operand(of_pay("fixed", p), rest.result, p.source))
                        continue
        ops.append(Operand(of_pay(measure, p), amount, p.source) if amount is not None else None)
    left, right = ops
    if (left is None) != (right is None):
        # A part at most the whole: a whole pay below the other side's part alone still gives the order
        # (« KAM début de carrière 28 000 € » against a fixed AE junior 35–45 k€).
        have, lack = (a, b) if left is not None else (b, a)
        part = left if left is not None else right
        whole, steps = pay_total(lack)
        assert part is not None
        if whole is not None and not mismatch(part.amount, whole.amount) and part.amount.low > whole.amount.high:
            done = subtract(part, whole, kind=kind)
            return replace(done, steps=steps, verdict="higher" if have is a else "lower", winner=have.label,
                           caveats=(Said.of("calc_part_above_whole", label=lack.label), *done.caveats,
                                    *_pay_caveats(a, b, part, whole)))
    if left is None or right is None:
        missing = tuple(Said.of(f"calc_missing_{measure}_of", who=p.label) for p, o in ((a, left), (b, right)) if o is None)
        return Computation(kind, None, operands=tuple(o for o in ops if o is not None), verdict="not_comparable",
                           missing=missing)
    return _verdict(kind, a, b, left, right, tuple(shares))


def compare_pay(a: Pay | None, b: Pay | None, *, kind: str = "compare_pay") -> Computation:
    """Which of *a* and *b* pays more, like with like: whole pay with whole pay, else fixed with fixed.

    ``verdict`` is ``higher`` (*a* pays more), ``lower``, ``equal``, ``overlap``
    (the ranges cross) or ``not_comparable``; ``winner`` names the better-paid
    side; ``caveats`` say what differs between the two figures.

    Examples
    --------
    >>> ae = Pay("AE junior", "001", "junior", ote=Amount(5e4, 7e4, scale="k"))
    >>> kam = Pay("KAM début de carrière", "004", "junior", total=Amount(28e3, 28e3))
    >>> c = compare_pay(ae, kam)
    >>> c.operation, c.verdict, c.winner
    ('50–70 k€ − 28 000 € = 22 000–42 000 €', 'higher', 'AE junior')
    """
    if a is None or b is None:
        missing = tuple(Said("calc_one_pay_missing") for p in (a, b) if p is None)
        return Computation(kind, None, verdict="not_comparable", missing=missing)
    ta, steps_a = pay_total(a)
    tb, steps_b = pay_total(b)
    base_only: tuple[Text, ...] = ()
    if ta is not None and tb is not None:
        left, right, steps = ta, tb, steps_a + steps_b
    elif a.fixed is not None and b.fixed is not None:
        left, right, steps = Operand(of_pay("fixed", a), a.fixed, a.source), Operand(of_pay("fixed", b), b.fixed, b.source), ()
    elif (ta or a.fixed) is not None and (tb or b.fixed) is not None:
        # A base salary alone on one side (000's US figure) against a whole pay: compared, and said so.
        left = ta if ta is not None else Operand(of_pay("fixed", a), a.fixed, a.source)  # type: ignore[arg-type]
        right = tb if tb is not None else Operand(of_pay("fixed", b), b.fixed, b.source)  # type: ignore[arg-type]
        steps = steps_a + steps_b
        based = a if ta is None else b
        base_only = (Said.of("calc_told_base_vs_total" if based.source == QUESTION else "calc_base_vs_total",
                             base=based.label),)
    else:
        missing = tuple(Said.of("calc_fixed_or_total_of", who=p.label) for p, t in ((a, ta), (b, tb)) if t is None)
        operands = tuple(t for t in (ta, tb) if t is not None)
        return Computation(kind, None, operands=operands, steps=steps_a + steps_b, verdict="not_comparable",
                           missing=missing, caveats=(Said("calc_absent_figure"),))
    return _verdict(kind, a, b, left, right, steps, base_only)


def _verdict(kind: str, a: Pay, b: Pay, left: Operand, right: Operand, steps: tuple[Computation, ...],
             first_caveats: tuple[Text, ...] = ()) -> Computation:
    """The comparison of *left* (of *a*) and *right* (of *b*): the difference, the verdict, the caveats."""
    caveats = first_caveats + _pay_caveats(a, b, left, right)
    why = mismatch(left.amount, right.amount)
    if why:
        return Computation(kind, None, operands=(left, right), steps=steps, verdict="not_comparable",
                           caveats=(Said.of("calc_not_comparable", why=why), *caveats))
    x, y = left.amount, right.amount
    # A floor (« peut dépasser 60 k€ ») has no ceiling: it can only be said to be above.
    x_high, y_high = (float("inf") if m.at_least else m.high for m in (x, y))
    if x.low > y_high or (x.at_least and x.low >= y_high):
        verdict, winner = "higher", a.label
    elif y.low > x_high or (y.at_least and y.low >= x_high):
        verdict, winner = "lower", b.label
    elif not x.is_range and not y.is_range and x.low == y.low and not (x.at_least or y.at_least):
        verdict, winner = "equal", None
    else:
        verdict, winner = "overlap", None
    if x.at_least or y.at_least:  # a floor gives an order, not a difference
        return Computation(kind, None, operands=(left, right), steps=steps, verdict=verdict, winner=winner,
                           caveats=caveats)
    # One side higher at both ends of two ranges: how much more it pays end to end (bottom against bottom, top
    # against top); ranges that cross keep every difference they allow.
    diff = subtract(left, right, kind=kind, paired=x.is_range and y.is_range and verdict in ("higher", "lower"))
    return replace(diff, steps=steps, verdict=verdict, winner=winner, caveats=diff.caveats + caveats)


def check_pay(mine: Operand | None, stated: Operand | None, *, steps: tuple[Computation, ...] = (),
              kind: str = "check_pay") -> Computation:
    """Where a pay the question gives (*mine*) stands against the range a source states (*stated*).

    ``verdict`` is ``within``, ``below``, ``below_point`` (under a single figure, an average), ``above`` or ``partly``
    (a range that crosses a bound); below or above, ``then`` holds the gap to the nearest end; the
    operation is the comparison itself, so a reader can check it. *steps* computed *mine* (fixe + variable).

    Examples
    --------
    >>> ote = Operand("OTE AE junior", Amount(5e4, 7e4, scale="k"), "001")
    >>> c = check_pay(Operand("total", Amount(6e4, 6e4, scale="k")), ote)
    >>> c.operation, c.verdict
    ('50 k€ ≤ 60 k€ ≤ 70 k€', 'within')
    >>> check_pay(Operand("fixe", Amount(3e4, 3e4, scale="k")), ote).operation
    '30 k€ < 50 k€'
    """
    bad = _problems(kind, (mine, stated), (Said("calc_yours"), Said("calc_the_amount")))
    if bad is not None:
        return replace(bad, steps=steps)
    assert mine is not None and stated is not None
    x, r = mine.amount, stated.amount
    why = mismatch(x, r)
    if why:
        return Computation(kind, None, operands=(mine, stated), steps=steps,
                           caveats=(Said.of("calc_no_combine", a=mine.label, b=stated.label, why=why),))
    low, high = Amount(r.low, r.low, r.unit, r.period, r.scale), Amount(r.high, r.high, r.unit, r.period, r.scale)
    if x.high < r.low:
        verdict, line = "below", f"{format_amount(x)} < {format_amount(low)}"
    elif x.low > r.high and not r.at_least:
        verdict, line = "above", f"{format_amount(x)} > {format_amount(high)}"
    elif r.low <= x.low and (x.high <= r.high or r.at_least):
        verdict = "within"
        line = (f"{format_amount(x)} ≥ {format_amount(low)}" if r.at_least else
                f"{format_amount(low)} ≤ {format_amount(x)} ≤ {format_amount(high)}")
    else:
        verdict, line = "partly", f"{format_amount(x)} ∩ {format_amount(r)}"
    # Below or above: by how much, from the nearest end of the source's range (« 60 000 € − 55 k€ = 5 000 € »); both
    # figures are already among the operands.
    gap: Computation | None = None
    if verdict == "below":
        mine_high = Amount(x.high, x.high, x.unit, x.period, x.scale)
        gap = subtract(Operand(stated.label, low, ""), Operand(mine.label, mine_high, ""), kind="gap")
    elif verdict == "above":
        mine_low = Amount(x.low, x.low, x.unit, x.period, x.scale)
        gap = subtract(Operand(mine.label, mine_low, ""), Operand(stated.label, high, ""), kind="gap")
    if verdict == "below" and r.low == r.high:
        verdict = "below_point"  # under an average, which is no floor: not "no"
    return Computation(kind, x, line, (mine, stated), steps=steps, verdict=verdict, winner=stated.label,
                       gap=gap.result if gap is not None else None,
                       then=(gap,) if gap is not None and gap.result is not None else ())

