"""What a conversation remembers between two questions, and how a follow-up is completed from it.

:class:`DialogueState` is a frozen record; :func:`advance` returns the state
after a question was answered, :func:`referred_role` and :func:`complete`
fill what a follow-up leaves out ("le premier", "et pour un AE ?", "et leur
salaire ?" after a comparison). Everything here is pure: no lock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, get_args, get_origin, get_type_hints

from .amounts import Amount, format_amount, parse_amount
from .calc import QUESTION, Computation
from .intents import DEFINITION
from .profile import Profile
from .reading import Reading, ReadingKind
from .said import Said

__all__ = ["DialogueState", "advance", "changed_figures", "given_amounts", "referred_role", "complete", "state_to_dict",
           "state_from_dict"]


def _ids(kind: str) -> Any:
    # Field metadata naming the id space a slot holds, so that a restored state is checked generically.
    return {"ids": kind}


@dataclass(frozen=True)
class DialogueState:
    """One conversation's memory, replaced (never changed) after each answer."""

    roles: tuple[str, ...] = field(default=(), metadata=_ids("role"))
    """Roles of the last answered question."""
    topic: str | None = field(default=None, metadata=_ids("topic"))
    """Topic of the last answered question (salary, kpi…; an extracted entry after an extracted answer)."""
    term: str | None = field(default=None, metadata=_ids("entry"))
    """Glossary entry of the last answered question (for "et pour un quota de 50 k€ ?")."""
    pair: tuple[str, ...] = field(default=(), metadata=_ids("role"))
    """The two roles of the last comparison, while the conversation stays on them ("le premier")."""
    quota: float | None = None
    """The quota of the last pipe calculation (for "et si j'ai 120 000 € de pipe ?")."""
    unit: str = ""
    """How that quota was written (``k``, ``m`` or ``""``)."""
    place: str | None = None
    """The country the last role answer was about, if the question named one."""
    level: str | None = None
    """The seniority the last role answer was about, if the question named one."""
    levels: tuple[str, ...] = ()
    """The last two seniorities asked about the same role, oldest first ("un AE junior ?" then "et un confirmé ?"):
    what "combien de plus entre les deux ?" compares."""
    example: str | None = field(default=None, metadata=_ids("role"))
    """The role whose worked example was last shown, for questions about the example once it was shown."""
    pending: str | None = None
    """The section the last (short) answer offered in full: ``role:topic`` or ``glossary:entry``."""
    recent: tuple[str, ...] = field(default=(), metadata=_ids("role"))
    """The last roles answered about, oldest first, each once (for "lequel gagne le plus ?" after two answers)."""
    caveats_shown: frozenset[str] = field(default=frozenset(), metadata=_ids("role"))
    """Roles whose caveat was already shown in this conversation (kept for the whole conversation)."""
    profile: Profile | None = field(default=None, metadata=_ids("role"))
    """The asker's situation, as the last guidance answer read it (kept for the whole conversation)."""
    found: tuple[str, ...] = field(default=(), metadata=_ids("role"))
    """The roles the last answer found for that situation, while the conversation follows it up."""
    computed: str | None = None
    """The operation of the last computation (``variable_amount``, ``total_pay``…), for a follow-up that only
    brings amounts ("et si je négocie 50k de fixe ?")."""
    given: tuple[str, ...] = ()
    """The amounts the asker gave to the last computation, as ``slot=amount`` ("fixed=42 000 €"), for "donc au
    total ça fait combien ?" or "et si je négocie 50k de fixe ?" after it."""
    result: str | None = None
    """The result of the last computation, written as an amount ("1 440 000 €"), for "et par mois ?" after it."""
    result_from: str | None = None
    """The source file the last computation's first operand came from (cited when its result is used again)."""
    changed: tuple[str, ...] = ()
    """Worked-example figures the last computation changed, as ``figure=amount`` ("alice.conversion=30 %"), for
    "et avec un panier de 20 000 € ?" after "et si son taux de conversion passe à 30 % ?"."""
    lang: str | None = field(default=None, metadata=_ids("lang"))
    """The language the conversation is answered in (``fr``/``en``), kept while messages do not show theirs."""

    @property
    def remembered(self) -> tuple[str, ...]:
        """The roles an ordinal points into: the compared pair if any, else the last roles."""
        return self.pair or self.roles


_RECENT = 3
"""How many of the last roles answered about a conversation keeps."""


def advance(state: DialogueState, reading: Reading) -> DialogueState:
    """What the conversation remembers after *reading* was answered.

    Small talk and empty questions change nothing; every other answer starts
    from a clean state that keeps only what the answer was about (and the
    caveats already shown).
    """
    kind = reading.kind
    if kind in (ReadingKind.SMALLTALK, ReadingKind.EMPTY):
        return state
    recent = tuple(dict.fromkeys(r for r in (*state.recent, *reading.roles) if r not in reading.roles))
    fresh = DialogueState(caveats_shown=state.caveats_shown, recent=(*recent, *reading.roles)[-_RECENT:],
                          profile=state.profile, lang=state.lang)
    if kind == ReadingKind.GUIDANCE:
        return replace(fresh, roles=reading.roles[:2], found=reading.roles, profile=reading.profile or state.profile,
                       topic=None)
    if kind == ReadingKind.TOPIC:
        # "Et pour ce dernier ?" after a comparison: the pair stays for "et le premier ?".
        pair = state.pair if reading.roles and reading.roles[0] in state.pair else ()
        example = reading.example or (reading.roles[0] if reading.topic == "example" and reading.roles else None)
        said = (*(state.levels if reading.roles == state.roles else ()), *((reading.level,) if reading.level else ()))
        return replace(fresh, roles=reading.roles, topic=reading.topic, pair=pair,
                       place=reading.place, level=reading.level, example=example,
                       levels=tuple(dict.fromkeys(reversed(said)))[:2][::-1])
    if kind == ReadingKind.COMPARE:
        return replace(fresh, roles=reading.roles, topic=reading.topic, pair=reading.roles,
                       place=reading.place, level=reading.level)
    if kind == ReadingKind.CLARIFY:
        return replace(fresh, topic=reading.topic)
    if kind == ReadingKind.COMPUTE:
        # A calculation keeps the conversation's topic: "and for an AE?" after "how much variable for an AM?".
        done = reading.computation
        # The level stays while the calculation is about the same role ("ça fait combien au total ?" after
        # "et en confirmé ?"), for "lequel gagne le plus, lui ou un KAM ?".
        level = reading.level or (state.level if set(reading.roles) <= set(state.roles) else None)
        return replace(fresh, roles=reading.roles or state.roles, term=reading.topic, quota=reading.amount,
                       unit=reading.unit, level=level, example=reading.example or _kept_example(state, reading),
                       topic=state.topic,
                       changed=tuple(f"{ref}={format_amount(a)}" for ref, a in done.changed) if done else (),
                       given=_given(done) if done else (), computed=done.kind if done else None,
                       result=format_amount(done.result) if done and done.result and done.result.unit != "%" else None,
                       result_from=done.sources[0] if done and done.result and done.sources else None)
    if kind == ReadingKind.GLOSSARY:
        # "et son taux de conversion ?" about Alice: a term on the way does not end the example's thread.
        return replace(fresh, roles=reading.roles or state.roles, term=reading.topic,
                       example=_kept_example(state, reading))
    if kind == ReadingKind.FALLBACK and reading.task is not None:
        # A task declined ("rédige-moi l'annonce") leaves the conversation where it was: "et combien je mets
        # en salaire dans l'annonce ?" is still about the role of the conversation.
        return replace(state, recent=fresh.recent)
    # Fallback and extracted answers: only the topic stays, so that "et pour un AM ?" after
    # "combien gagne une infirmière ?" asks for the AM's salary.
    return replace(fresh, topic=reading.topic)


def _kept_example(state: DialogueState, reading: Reading) -> str | None:
    """The worked example the conversation stays on: the last one shown, unless the answer was about another role."""
    return state.example if state.example and set(reading.roles) <= {state.example} else None


_SLOT_OF_LABEL = {"calc_fixed": "fixed", "calc_variable": "variable", "calc_quota": "quota",
                  "calc_pipeline": "pipeline", "calc_total_pay": "total", "calc_salary": "total", "calc_total": "total",
                  "calc_team_quota": "quota", "calc_quota_year": "quota", "calc_quota_quarter": "quota",
                  "calc_quota_month": "quota"}
"""Labels of the question's operands (:func:`bot.calc_plan._op`) and the slot each amount fills again."""
_MADE_QUOTA = frozenset({"calc_team_quota", "calc_quota_year", "calc_quota_quarter", "calc_quota_month"})


def _given(done: Computation) -> tuple[str, ...]:
    """The amounts the asker gave to *done*, or computed from them (a team's quota), each with the slot it filled:
    the last operation's first, then its steps'."""
    out: dict[str, str] = {}
    for step in (done, *reversed(done.steps)):
        for o in step.operands:
            key = o.label.key if isinstance(o.label, Said) else ""
            # The asker's own amounts, and a quota made from them (a team's, a quarter's); not a variable pay
            # computed from a fixed one, which a new fixed pay would leave stale.
            slot = _SLOT_OF_LABEL.get(key) if o.origin == QUESTION or (o.origin == "" and key in _MADE_QUOTA) else None
            if slot:
                out.setdefault(slot, format_amount(o.amount))
    return tuple(f"{slot}={text}" for slot, text in out.items())


def given_amounts(state: DialogueState) -> tuple[tuple[str, Amount], ...]:
    """The amounts the asker gave to the last computation, with their slots (unreadable entries left out)."""
    return _pairs(state.given)


def _pairs(entries: Sequence[str]) -> tuple[tuple[str, Amount], ...]:
    out = []
    for entry in entries:
        key, _, text = entry.partition("=")
        amount = parse_amount(text)
        if key and amount is not None:
            out.append((key, amount))
    return tuple(out)


def last_result(state: DialogueState) -> tuple[Amount, str] | None:
    """The result of the conversation's last computation, as an amount, and the source its figures came from ("" for
    the asker's own); None when there was none."""
    amount = parse_amount(state.result) if state.result else None
    return (amount, state.result_from or "") if amount is not None else None


def changed_figures(state: DialogueState) -> tuple[tuple[str, Amount], ...]:
    """The worked-example figures the conversation changed, as amounts (unreadable entries are left out)."""
    return _pairs(state.changed)


def referred_role(state: DialogueState, ordinals: Sequence[int]) -> str | None:
    """The earlier role "le premier" / "ce dernier" points at (first ordinal that fits), or None."""
    remembered = state.remembered
    for index in ordinals:
        if -len(remembered) <= index < len(remembered):
            return remembered[index]
    return None


def complete(state: DialogueState, reading: Reading, *, carried: float) -> Reading:
    """Fill what a follow-up leaves open from the conversation.

    - A role named alone (``topic`` reading without a topic, "et pour un AE ?")
      takes the last topic, with confidence *carried*, or else its definition.
    - A role question naming no role (``clarify`` with a topic) is about the
      last compared pair ("et leur salaire ?") or the last role; with neither,
      careerbot asks which role.
    """
    if reading.kind == ReadingKind.TOPIC and reading.topic is None:
        if state.topic:
            return replace(reading, topic=state.topic, confidence=carried, from_context=True)
        return replace(reading, topic=DEFINITION)
    if reading.kind == ReadingKind.CLARIFY and reading.topic is not None:
        if len(state.roles) >= 2:
            return replace(reading, kind=ReadingKind.COMPARE, roles=state.roles[:2], from_context=True,
                           topic=reading.topic if reading.topic != DEFINITION else None)
        if state.roles:
            return replace(reading, kind=ReadingKind.TOPIC, roles=state.roles[:1], from_context=True)
        if state.example:
            # "et elle touche quoi comme prime ?" about Alice: the role of the worked example's person.
            return replace(reading, kind=ReadingKind.TOPIC, roles=(state.example,), from_context=True)
    return reading


def state_to_dict(state: DialogueState) -> dict[str, Any]:
    """A small JSON-ready dict of *state*: slots at their default are left out, sets become sorted lists."""
    out: dict[str, Any] = {}
    for f in fields(DialogueState):
        value = getattr(state, f.name)
        if value == f.default:
            continue
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Profile):
            value = value.to_dict()
        out[f.name] = value
    return out


def _convert(hint: Any, value: Any) -> Any:
    """*value* as the slot type *hint* (``str``, ``str | None``, ``float | None``, ``tuple[str, ...]``,
    ``frozenset[str]``); raises ValueError when it is not one."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (tuple, frozenset):
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return origin(value)
    elif args and type(None) in args:
        if value is None:
            return None
        return _convert(next(a for a in args if a is not type(None)), value)
    elif hint is Profile:
        return Profile.from_dict(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    raise ValueError(f"expected {hint}, got {type(value).__name__}")


def state_from_dict(data: Any, known: Mapping[str, frozenset[str]]) -> DialogueState:
    """The :class:`DialogueState` *data* describes (see :func:`state_to_dict`).

    *known* maps an id space (``role``, ``topic``, ``entry``) to the ids that
    exist; a slot holding another id, a slot of the wrong type or a key that is
    no slot raises ValueError, naming it.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"a dialogue state is a dict, got {type(data).__name__}")
    slots = {f.name: f for f in fields(DialogueState)}
    hints = get_type_hints(DialogueState)
    values: dict[str, Any] = {}
    for key, raw in data.items():
        f = slots.get(key)
        if f is None:
            raise ValueError(f"unknown slot {key!r}")
        try:
            value = _convert(hints[key], raw)
        except ValueError as exc:
            raise ValueError(f"slot {key!r}: {exc}") from None
        space = f.metadata.get("ids")
        if space and value is not None:
            ids = {value} if isinstance(value, str) else set(value.roles()) if isinstance(value, Profile) else set(value)
            allowed = known.get(space, frozenset())
            if not ids <= allowed:
                raise ValueError(f"slot {key!r}: unknown {space} id(s) {sorted(ids - allowed)}")
        values[key] = value
    return DialogueState(**values)
