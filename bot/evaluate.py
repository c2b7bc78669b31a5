"""Score careerbot on a labelled question file: accuracy per intent, fallback precision and recall, failures.

The label format is documented in ``tests/data/README.md``. Records sharing a
``conversation`` are asked in file order in one session.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .answer import Answer
from .engine import Bot, Session
from .lang import LANGUAGES
from .normalise import match_key

__all__ = ["Case", "Result", "Report", "read_cases", "evaluate", "default_devset", "role_topic_cases", "map_roles"]


def default_devset() -> Path:
    """The development set (``tests/data`` in a checkout, ``bot/data/labelled`` once installed)."""
    package = Path(__file__).resolve().parent
    installed = package / "data" / "labelled" / "devset.jsonl"
    return installed if installed.is_file() else package.parent / "tests" / "data" / "devset.jsonl"


@dataclass(frozen=True)
class Case:
    """One labelled question."""

    id: str
    question: str
    intents: tuple[str, ...]
    role: str | None = None
    roles: frozenset = frozenset()
    topic: str | None = None
    must: tuple[str, ...] = ()
    conversation: str | None = None
    kind: str | None = None
    """What the question asks for (``precise``, ``unknown``, ``task``…), in the sets that say so."""


@dataclass(frozen=True)
class Result:
    """How careerbot did on one case."""

    case: Case
    answer: Answer
    problems: tuple[str, ...]
    asked_in: str = "fr"
    """The question's language as careerbot detects it (``fr`` or ``en``)."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    """Accuracy figures over a set of cases."""

    results: list[Result] = field(default_factory=list)

    @property
    def in_domain(self) -> list[Result]:
        return [r for r in self.results if "fallback" not in r.case.intents]

    @property
    def out_of_scope(self) -> list[Result]:
        return [r for r in self.results if r.case.intents == ("fallback",)]

    @staticmethod
    def _rate(results: list[Result]) -> float:
        return sum(r.ok for r in results) / len(results) if results else 1.0

    @property
    def accuracy(self) -> float:
        """Share of all cases answered right."""
        return self._rate(self.results)

    @property
    def in_domain_accuracy(self) -> float:
        """Share of in-domain cases answered with the right intent, role(s) and facts."""
        return self._rate(self.in_domain)

    @property
    def fallback_recall(self) -> float:
        """Share of out-of-scope questions that were refused."""
        oos = self.out_of_scope
        return sum(r.answer.fallback for r in oos) / len(oos) if oos else 1.0

    @property
    def fallback_precision(self) -> float:
        """Share of refusals that were right to refuse."""
        refused = [r for r in self.results if r.answer.fallback]
        return sum("fallback" in r.case.intents for r in refused) / len(refused) if refused else 1.0

    def by_intent(self) -> dict[str, tuple[int, int]]:
        """Expected intent -> (right, total)."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            row = table["|".join(r.case.intents)]
            row[0] += r.ok
            row[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Kind of question (when the set labels it) -> (right, total)."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            if r.case.kind:
                row = table[r.case.kind]
                row[0] += r.ok
                row[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    def by_language(self) -> dict[str, tuple[int, int, int]]:
        """Question language -> (questions, answered in that language, answered right)."""
        table: dict[str, list[int]] = {}
        for r in self.results:
            row = table.setdefault(r.asked_in, [0, 0, 0])
            row[0] += 1
            row[1] += r.answer.lang == r.asked_in
            row[2] += r.ok
        return {k: (v[0], v[1], v[2]) for k, v in sorted(table.items(), key=lambda kv: kv[0] != "fr")}

    def format(self, *, failures: bool = True) -> str:
        """A plain-text report."""
        lines = [f"{'intent':<24}{'right':>7}{'total':>7}{'acc':>8}"]
        for intent, (right, total) in self.by_intent().items():
            lines.append(f"{intent:<24}{right:>7}{total:>7}{right / total:>8.1%}")
        kinds = self.by_kind()
        if kinds:
            lines.append("")
            lines.append(f"{'kind':<24}{'right':>7}{'total':>7}{'acc':>8}")
            for kind, (right, total) in kinds.items():
                lines.append(f"{kind:<24}{right:>7}{total:>7}{right / total:>8.1%}")
        lines.append("")
        lines.append(f"all cases             {self.accuracy:.1%} of {len(self.results)}")
        lines.append(f"in-domain accuracy    {self.in_domain_accuracy:.1%} of {len(self.in_domain)}")
        lines.append(f"fallback recall       {self.fallback_recall:.1%} of {len(self.out_of_scope)}")
        lines.append(f"fallback precision    {self.fallback_precision:.1%}")
        for lang, (asked, same, right) in self.by_language().items():
            lines.append(f"asked in {lang}: {asked:>4}   answered in {lang} {same / asked:6.1%}   right {right / asked:6.1%}")
        if failures and self.failures():
            lines.append("")
            lines.append("failures:")
            for r in self.failures():
                got = f"{r.answer.intent}/{r.answer.topic or ''}/{','.join(r.answer.roles)}"
                lines.append(f"  {r.case.id}: {r.case.question!r} -> {got}: {'; '.join(r.problems)}")
        return "\n".join(lines)


def _case(raw: dict, where: str) -> Case:
    try:
        intents = raw["intent"]
        intents = (intents,) if isinstance(intents, str) else tuple(intents)
        return Case(
            id=str(raw.get("id", where)),
            question=raw["question"],
            intents=intents,
            role=raw.get("role"),
            roles=frozenset(raw.get("roles") or ()),
            topic=raw.get("topic"),
            must=tuple(raw.get("must") or ()),
            conversation=raw.get("conversation"),
            kind=raw.get("kind"),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{where}: a labelled case needs 'question' and 'intent' ({exc})") from None


def read_cases(path: str | Path) -> list[Case]:
    """Read a labelled JSONL file."""
    path = Path(path)
    cases = []
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
                cases.append(_case(raw, f"{path.name}:{n}"))
    return cases


def role_topic_cases(cases: Iterable[Case], topics: Iterable[str]) -> list[Case]:
    """The cases that ask one role's topic (salary of the KAM…): no comparison, term, computation or refusal."""
    topic_ids = frozenset(topics)
    return [c for c in cases if c.role and set(c.intents) <= topic_ids]


def map_roles(loaded: Iterable, labelled: Iterable) -> dict[str, str]:
    """Role id of *loaded* roles -> the id of the *labelled* role (the one the labels use) sharing most names.

    A role ingested from a sheet gets its own id; the labels name the curated roles.
    """
    from .normalise import fold

    def names(role) -> set[str]:
        return {fold(n).strip() for n in (role.id, role.name, role.short, *role.aliases) if n}

    targets = [(r.id, names(r)) for r in labelled]
    mapping = {}
    for role in loaded:
        mine = names(role)
        shared, best = max(((len(mine & theirs), rid) for rid, theirs in targets), default=(0, ""))
        if shared:
            mapping[role.id] = best
    return mapping


_RANGE_FR = re.compile(r"(\d) à (\d)")


def holds(text: str, fact: str, lang: str = "fr", *, no_data: Mapping[str, str] | None = None) -> bool:
    """Whether answer *text* in *lang* states the labelled *fact* (labels are written in French).

    *no_data* maps a language to careerbot's "the sources do not give" wording, which an
    English answer says in English; a French range "10 à 30" is "10 to 30" in English.
    """
    if no_data and match_key(fact) == match_key(no_data.get("fr", "")):
        fact = no_data.get(lang, fact)
    elif lang == "en":
        fact = _RANGE_FR.sub(r"\1 to \2", fact)
    return match_key(fact) in match_key(text)


def check(case: Case, answer: Answer, role_map: dict[str, str] | None = None, *,
          no_data: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """What is wrong with *answer* for *case* (empty when it is right).

    *role_map* renames answered roles (see :func:`map_roles`); *no_data*: see :func:`holds`.
    """
    problems = []
    if role_map:
        answer = replace(answer, role=role_map.get(answer.role or "", answer.role),
                         roles=tuple(role_map.get(r, r) for r in answer.roles))
    if "fallback" in case.intents and answer.fallback:
        return ()
    if answer.intent not in case.intents:
        problems.append(f"intent {answer.intent!r}, expected {'|'.join(case.intents)}")
    if case.role and answer.intent != "compare" and answer.role != case.role and case.role not in answer.roles:
        problems.append(f"role {answer.role!r}, expected {case.role!r}")
    if case.roles and frozenset(answer.roles) != case.roles:
        problems.append(f"roles {sorted(answer.roles)}, expected {sorted(case.roles)}")
    if case.topic and answer.intent in ("glossary", "compute", "smalltalk") and answer.topic != case.topic:
        problems.append(f"topic {answer.topic!r}, expected {case.topic!r}")
    for fact in case.must:
        if not holds(answer.text, fact, answer.lang, no_data=no_data):
            problems.append(f"missing {fact!r}")
    return tuple(problems)


def evaluate(bot: Bot, cases: Iterable[Case], role_map: dict[str, str] | None = None) -> Report:
    """Ask every case (conversations in one session each) and score the answers.

    *role_map* (see :func:`map_roles`) reads the bot's role ids as the labels' ones.
    """
    sessions: dict[str, Session] = {}
    report = Report()
    no_data = {lang: bot.intents.messages.say("no_data", lang) for lang in LANGUAGES}
    for case in cases:
        session = None
        if case.conversation:
            session = sessions.setdefault(case.conversation, bot.new_session())
        answer = bot.ask(case.question, session)
        report.results.append(Result(case, answer, check(case, answer, role_map, no_data=no_data),
                                     asked_in=bot.languages.detect(case.question).lang))
    return report
