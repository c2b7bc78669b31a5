"""The decision: an ordered table of small rules, read top to bottom, the first that answers wins.

Each rule is a function ``(query, scores, state, thresholds) -> Reading | None``:
it looks at the question (:class:`~bot.query.Query`), at what the phrase index
and the knowledge base say about it (:class:`Scores`, computed once before any
rule runs) and at the conversation (:class:`~bot.dialogue.DialogueState`), and
either reads the question or passes. Priority is the order of :data:`RULES`,
as in Django's ``urlpatterns``: adding a rule is one function and one line.

What a follow-up leaves open (a role named alone, a role question naming no
role) is filled afterwards by :func:`bot.dialogue.complete`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .amounts import Found
from .calc import QUESTION, QUOTA, Computation, RuleQuestion
from .dialogue import DialogueState
from .intents import DEFINITION
from .query import PIPE_WORDS, QUOTA_WORDS, Query
from .reading import Reading, ReadingKind

__all__ = ["Thresholds", "Scores", "Rule", "RULES", "GUIDANCE_RULES", "decide"]

Alternative = tuple[str, str | None, tuple[str, ...]]


@dataclass(frozen=True)
class Thresholds:
    """Every cut-off and confidence the understanding uses, in one place (tuned on tests/data/devset.jsonl)."""

    # ---------------------------------------------------------------- similarity cut-offs
    answer: float = 0.30
    """Below this best similarity, a question with no role is not understood."""
    followup_topic: float = 0.22
    """A topic matched this well (below :attr:`answer`) answers a follow-up that points back ("and they?")."""
    smalltalk: float = 0.55
    """Small talk must match this well (greetings are short and easy to confuse)."""
    glossary_over_topic: float = 0.08
    """With a role named, a glossary term must beat the best role topic by this much."""
    glossary_alone: float = 0.60
    """A term the question does not name must match one of its phrasings this well."""
    close: float = 0.06
    """Two readings this close are both offered (the other as a suggestion)."""
    near: float = 0.12
    """How far below a topic the sources lack a covered one may score and still be preferred."""
    extracted: float = 0.55
    """An extracted (ingested) question/answer pair must match this well to be used."""
    keyword_boost: float = 0.20
    """Added to a topic's score when the question contains one of its keywords."""
    focus_boost: float = 0.30
    """Added once more to a topic whose keyword follows the question's last question word ("il peut monter à
    quel % de variable ?": the salary, not the team he manages)."""
    alias_fuzz: float = 86.0
    """rapidfuzz ratio for a misspelt role name (only names of 6+ letters are fuzzy)."""
    word_fuzz: float = 84.0
    """rapidfuzz ratio for a misspelt word to count as known vocabulary."""
    unknown_share: float = 0.30
    """Share of unknown content words from which a role-less question is out of scope."""
    long_question: int = 15
    """Questions longer than this many words are stories: roles mentioned on the way are not compared."""
    top_labels: int = 12
    """How many best labels a query looks at beyond the fixed ones (topics, small talk…)."""

    part: float = 0.60
    """A further question sentence of a message ("… ? et ça gagne combien ?") is answered when read this surely."""
    named_part: float = 0.45
    """The confidence enough for a further question of a message ending with "?" that names its topic."""

    # ---------------------------------------------------------------- confidences given to readings
    compare_floor: float = 0.60
    """Least confidence of a comparison of two named roles (the names alone make it likely)."""
    compare_previous: float = 0.60
    """A comparison of the role named with the conversation's role ("et par rapport à un AM ?")."""
    outsider_compared: float = 0.80
    """Refusing a comparison of a role with another profession ("AE ou data scientist ?")."""
    outsider: float = 0.90
    """Refusing a role-less question that names another profession or subject."""
    unknown_words: float = 0.80
    """Refusing a role-less question made mostly of unknown words."""
    same_role: float = 0.80
    """Two names of one role compared: the answer says they are one role."""
    carried_topic: float = 0.80
    """A role named alone, taking the conversation's topic ("et pour un AE ?")."""
    role_alone: float = 0.70
    """A role named alone with no topic to carry: its definition."""
    topic_floor: float = 0.50
    """Least confidence of a role topic above :attr:`answer` (the role is named)."""
    role_default: float = 0.50
    """A role named with nothing understood about it: its definition."""
    compute: float = 0.90
    """A pipe-coverage calculation (cue words and an amount both given)."""
    guidance: float = 0.85
    """A guidance request: the asker's situation and a way of asking which role fits."""


@dataclass(frozen=True)
class Scores:
    """What the phrase index and the knowledge base say about one question, computed once for all rules.

    Labels are ``topic:<id>``, ``glossary:<id>``, ``smalltalk:<id>``, ``compare`` and ``oos``.
    Every field has a default so that tests can build one by hand.
    """

    ranked: tuple[tuple[str, float], ...] = ()
    """Every label's similarity (keyword boosts included), best first."""
    topic: str | None = None
    """The best role topic, and its score."""
    topic_score: float = 0.0
    term: str | None = None
    """The best glossary entry the question names (or, failing one, that matches closely), and its score."""
    term_score: float = 0.0
    named: bool = False
    """True when :attr:`term` is named in the question."""
    compare_score: float = 0.0
    """Similarity to the comparison phrasings."""
    oos_score: float = 0.0
    """Similarity to the out-of-scope phrasings."""
    kw_hits: frozenset[str] = frozenset()
    """Topics whose keywords the question uses (misspelt words of 5+ letters count)."""
    asked_hits: frozenset[str] = frozenset()
    """Topics whose keywords the clauses that ask use, the asker's story and the guidance ask's own words left out
    ("j'ai fait 3 ans de vente… l'AE c'est fait pour moi ?" asks no role's missions)."""
    mentioned: tuple[str, ...] = ()
    """Roles named or implied (an ordinal, a figure only one role has, a role's own phrasing)."""
    roles: tuple[str, ...] = ()
    """:attr:`mentioned`, but only the last one when a long story names several without comparing them."""
    covered: frozenset[str] = frozenset()
    """Topics the sources cover for the first of :attr:`roles`."""
    beside_guidance: frozenset[str] = frozenset()
    """Of :attr:`asked_hits`, the topics answered first when asked beside a guidance request (``topics.toml``'s
    ``beside_guidance``)."""
    computable: str | None = None
    """The glossary entry whose rule careerbot can apply to a user's figure (pipe coverage), if any."""
    computable_roles: tuple[str, ...] = ()
    """The roles that entry is about."""
    known: Callable[[str], bool] = field(default=lambda token: True, repr=False, compare=False)
    """Whether a word is careerbot's vocabulary (misspellings included)."""
    computation: Computation | RuleQuestion | None = None
    """The computation the question asks for, done on the sources' or its own figures; or that it asks
    about the ×3 rule itself (see :func:`bot.calc_plan.plan`)."""
    example_role: str | None = None
    """The role whose worked example a role-less question names, or asks about again (its facts match)."""
    accepts_offer: bool = False
    """The question only accepts the last answer's offer ("oui", "dis-m'en plus")."""

    @property
    def best_label(self) -> str:
        return self.ranked[0][0] if self.ranked else ""

    @property
    def confidence(self) -> float:
        """The best similarity, clipped to 0–1."""
        return max(0.0, min(1.0, self.ranked[0][1] if self.ranked else 0.0))

    @property
    def in_domain(self) -> float:
        """How well the question matches anything careerbot answers about roles or terms."""
        return max(self.topic_score, self.term_score)

    def asked(self, t: Thresholds) -> str | None:
        """The topic the question is about, when it matches well enough (kept even by a refusal)."""
        return self.topic if self.topic_score >= t.answer else None


Rule = Callable[[Query, Scores, DialogueState, Thresholds], Reading | None]
"""A rule reads the question, or passes (returns None) to the next one."""


# ------------------------------------------------------------------ helpers shared by rules
def best(ranked, prefix: str, keep: Callable[[str, float], bool] = lambda key, score: True) -> tuple[str | None, float]:
    """The best label of *ranked* starting with *prefix* that *keep* accepts, as ``(id, score)``."""
    for label, score in ranked:
        if label.startswith(prefix):
            key = label[len(prefix):]
            if keep(key, score):
                return key, score
    return None, 0.0


def alternatives(ranked, chosen: str | None, chosen_score: float, roles, t: Thresholds) -> tuple[Alternative, ...]:
    """Runner-up readings close enough to the chosen one to offer as suggestions."""
    out: list[Alternative] = []
    for label, score in ranked[:4]:
        kind, _, key = label.partition(":")
        if key == chosen or kind not in ("topic", "glossary") or chosen_score - score > t.close:
            continue
        out.append((kind, key, tuple(roles[:1]) if kind == "topic" else ()))
    return tuple(out[:2])


def _assign(query: Query) -> tuple[float, str, float | None] | None:
    """(quota, unit, pipe) from the amounts of *query*: each belongs to the nearest quota or pipe word."""
    folded = query.folded
    cues = [(m.start(), "pipe") for w in PIPE_WORDS for m in re.finditer(rf"\b{w}\b", folded)]
    cues += [(m.start(), "quota") for w in QUOTA_WORDS for m in re.finditer(rf"\b{w}\b", folded)]

    def after_pipe(position: int) -> bool:
        return min(cues, key=lambda c: abs(c[0] - position))[1] == "pipe"

    pipes = [a for a in query.amounts[:2] if after_pipe(a.start)]
    quotas = [a for a in query.amounts[:2] if not after_pipe(a.start)]
    if len(pipes) == 1 and len(quotas) == 1:
        return quotas[0].amount.low, _unit(quotas[0]), pipes[0].amount.low
    return None


def _unit(found: Found) -> str:
    """How an amount was written, as :class:`Reading` keeps it: ``k`` for thousands, ``m`` for millions."""
    return found.amount.scale.lower()


_PLAIN_ARITHMETIC = frozenset({"expression", "percent_of", "per_head", "share", "difference", "ratio", "sum", "product"})
"""Operations that, on the question's own numbers and naming no role, are not about the sales professions."""


# ------------------------------------------------------------------ the rules, in order
def task_request(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A task careerbot does not do (write a CV, translate, recommend a tool, leave its sources): decline.

    First of all: a request that names a role ("écris l'offre d'emploi d'un AE") is still a task,
    and an injection must not reach the rules that would answer it.
    """
    if q.task is None:
        return None
    return Reading(ReadingKind.FALLBACK, None, q.roles[:1], t.outsider, task=q.task)


def accepted_offer(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """"Oui" or "dis-m'en plus" right after a short answer that offered the whole section: give it."""
    if not (s.accepts_offer and state.pending and ":" in state.pending):
        return None
    owner, topic = state.pending.split(":", 1)
    if owner == "glossary":
        return Reading(ReadingKind.GLOSSARY, topic, (), t.carried_topic, from_context=True, whole=True)
    return Reading(ReadingKind.TOPIC, topic, (owner,), t.carried_topic, from_context=True, whole=True)


# Inclinations that say which side of selling a person leans to (ids of intents/profile.toml): with them, or
# studies or experience, two roles weighed are weighed for that person.
_LEANINGS = frozenset({"farming", "hunting"})


def _outsider_asked(q: Query) -> bool:
    """Whether the other profession or subject named stands in the clauses that ask ("combien gagne un infirmier ?"),
    not only in the asker's story ("I'm a backend developer (Python)… what does it pay?")."""
    return q.outsider is not None and set(q.outsider.split()) <= set(q.asked or q.masked)


MAX_BESIDE = 2
"""Role topics a guidance answer also answers when the message asks them beside ("… quelles études ? et le
quotidien ?"), first ones first."""


def guidance_request(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """The asker's situation and a guidance ask ("bac+5 et 4 ans de vente B2B, quel poste pour moi ?",
    "SDR depuis un an, qu'est-ce qui me manque pour passer AE ?"): which roles fit, what is missing.

    Before the computations and comparisons (a story has figures and may name two roles), after the
    tasks. A role question with a story but no guidance ask ("ma fille est en école de commerce, c'est
    quoi un AE ?") does not land here: the ask words are ``intents/profile.toml``'s ``[asks]``.
    """
    if q.guidance is None or q.profile is None or (q.profile.empty and (state.profile is None or state.profile.empty)):
        return None
    if q.outsider is not None and not q.roles and q.outsider_aimed:
        return None  # "devenir community manager sans diplôme": another job aimed at, which the refusal names
    if q.example_said:
        return None  # "in the Alice example… what am I missing?": a question about a worked example, not the asker
    if q.outsider is not None and "salary" in s.kw_hits and not q.outsider_held and _outsider_asked(q):
        # "il hésite entre commercial et infirmier : combien gagne un infirmier ?": another job's pay ("je suis
        # agent immobilier, quel poste viser et ça paye combien ?" tells the asker's own job, and asks guidance).
        return None
    if state.found and q.guidance_followup and q.profile.empty and not q.roles:
        # "et quelles compétences je devrais travailler en priorité ?" right after a guidance answer: its follow-up.
        return None
    done = s.computation
    # (Plain arithmetic on the story's own numbers, « 115 % de mes objectifs… ~60 clients », asks no calculation
    # when the question asks guidance: « Je vise un poste de KAM. Ça colle ? ».)
    story_numbers = q.guidance_asked and isinstance(done, Computation) and done.kind in _PLAIN_ARITHMETIC \
        and all(o.origin == QUESTION for o in done.operands)
    if isinstance(done, Computation) and done.ok and not story_numbers and (
            any(o.origin == QUESTION for o in done.operands) or done.kind == "compare_pay"):
        # "mon quota est de 110 000 €, j'ai 260 000 € de pipe : combien me manque-t-il ?" asks a calculation;
        # "il hésite entre AE junior et KAM : lequel paie le mieux au départ ?" asks who earns more.
        return None
    if not q.guidance_asked and s.asked_hits == {"salary"} and q.profile.target:
        # "je termine mon master et je vise un poste de KAM. Combien peut-on espérer gagner au début ?": the aim is
        # told, the question asks only the pay of the role aimed at: that pay, first.
        return None
    told = q.profile.studies is not None or q.profile.years is not None \
        or bool(q.profile.experience or q.profile.jobs or q.profile.schools) or q.profile.placement
    if q.guidance == "gap" and "salary" in s.kw_hits and not q.profile.target and not told:
        return None  # "quel salaire d'AE je peux viser à Genève ?": pay asked of a role not aimed at, with no story
    if q.person_asked and isinstance(done, Computation):
        return None  # "sdr depuis 1 an, si je passe AE junior je gagne cmb de plus ?": a calculation, even one lacking a figure
    if q.story_asked and q.profile.current and s.asked_hits and set(q.roles) <= set(q.profile.current):
        # "I'm an account manager in London… what would an AM earn in France?", "je suis AM depuis 2 ans… c'est quoi
        # la fourchette de variable pour un AM, et il est lié à quoi ?": topics of the role the person holds.
        return None
    if q.person_asked and (DEFINITION in s.asked_hits or s.beside_guidance):
        # "une élève s'intéresse au métier de KAM, pourriez-vous m'expliquer en quoi il consiste pour que je puisse lui
        # en parler ?", "I'm an AE tired of hunting. If I move into account management, would I stop having a
        # quota?": a topic of the role, asked by a person whose story is context; not whether it fits them.
        return None
    if q.profile.current and not q.profile.target and "career" in s.kw_hits and "career" in s.covered:
        return None  # "KAM depuis 8 ans, quelles évolutions ?": the career the sources give for the role held
    # A role the asker holds ("commercial depuis 5 ans, je veux garder mes clients : quel poste ?") is their
    # story; only another role named with a topic makes it a role question.
    # "commercial dans la tech, c'est quoi le mieux pour moi ?": an ordinary word for selling names no role asked.
    weighed = set(q.roles) - set(q.profile.current)
    situation = told or bool(q.profile.inclinations & _LEANINGS)
    # The pay asked beside ("quel poste viser et ça paye combien ?") is answered with the guidance, for the roles found.
    # The experience a role asks is what a guidance answer weighs first when the question itself asks guidance ("je
    # peux postuler direct en AE ou c'est mort sans expérience ?"); asked after a story, it is the role's topic.
    # Asked in the sentence that asks guidance, the topics a guidance answer gives first beside it are part of the
    # guidance ("est-ce que KAM est accessible pour moi, vu qu'on parle de management d'équipes ?"); not the career
    # after the role aimed at ("après account executive, quelle évolution ?"), which the guidance does not state.
    beside = s.beside_guidance if q.guidance_asked else frozenset()
    if weighed - q.weak_roles and s.asked_hits - {DEFINITION, "salary", *(("experience",) if q.guidance_asked else ())} \
            - beside and q.guidance != "gap" \
            and not (q.guidance == "fit" and len(weighed) >= 2 and situation):
        # "j'hésite entre SDR et AM, vous me conseillez quoi ?" weighs two roles for the person: guidance.
        # "je me reconvertis, le métier d'AE me correspond ? quelles compétences faut-il ?": a role topic asked.
        return None
    # The generic "commercial" ("commercial international c'est possible ?") is no role aimed at: roles that fit.
    roles = tuple(r for r in q.roles if r not in q.weak_roles or r in q.profile.current)
    target = tuple(r for r in q.profile.target if r in roles)
    others = [r for r in roles if r not in q.profile.current]
    if not target and len(others) == 1:
        target = (others[0],)  # "on m'a parlé du métier de SDR, est-ce que je peux le faire ?": the one role asked about
    elif target and len(others) >= 2:
        target = tuple(others)  # "je vise SDR ou direct AE ?": each role weighed is aimed at
    profile = replace(q.profile, target=target)
    # A role topic asked beside ("je suis prof d'EPS… l'AE, concrètement il fait quoi ?", "ai-je le profil ? quelles
    # compétences on attend ?") is answered first, for the role the asking clause names (or the one role aimed at).
    about = q.asked_roles[-1] if q.asked_roles else target[0] if len(target) == 1 else others[0] if len(others) == 1 \
        else None
    if about in q.profile.current:
        about = None  # "AE depuis 6 ans, je veux manager : quoi pour moi ?" tells of the role held, asks none of it
    parts = [label[6:] for label, _ in s.ranked if label.startswith("topic:")
             and label[6:] in s.beside_guidance][:MAX_BESIDE] if about else []
    salary = "salary" in s.asked_hits
    # The pay asked of a role the asking sentence names ("… un SDR senior ça gagne combien ?") is that role's.
    return Reading(ReadingKind.GUIDANCE, None, roles, t.guidance, profile=profile, guidance=q.guidance,
                   also=(("salary",) if salary else ()) + tuple(parts),
                   about=about if parts else q.asked_last_role if salary else None)


def guidance_followup(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """Right after a guidance answer, "et combien je gagnerais au début ?", "et quelles compétences
    travailler ?", "et si je préfère chasser ?": about the roles found, with the profile remembered. A
    preference said with no role named is answered anywhere in a conversation.

    A question naming a role not found is a question about that role, left to the role rules.
    """
    if q.guidance_followup == "prefer" and q.profile is not None and q.profile.inclinations and not q.roles \
            and q.outsider is None:
        # "et si je préfère chasser de nouveaux clients ?" says what the person likes: the roles for it, whatever
        # came before.
        return Reading(ReadingKind.GUIDANCE, None, (), t.guidance, profile=q.profile, guidance="prefer")
    if not state.found or q.guidance_followup is None or q.profile is None or not set(q.roles) <= set(state.found):
        return None
    if q.guidance_followup == "prefer":
        if not q.profile.inclinations:
            return None
        return Reading(ReadingKind.GUIDANCE, None, (), t.guidance, profile=q.profile, guidance="prefer")
    return Reading(ReadingKind.GUIDANCE, q.guidance_followup, q.roles or state.found, t.guidance,
                   profile=state.profile, guidance=q.guidance_followup, from_context=True)


def computation(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A sum, a share, a comparison of pay, a pipe coverage, a worked example's arithmetic: compute it.

    Before the other rules: figures and an operation word make the question a calculation
    whatever role or topic it names. A question about the ×3 rule itself ("le x3 garantit-il
    le quota ?") is answered from the rule's entry, not computed.
    """
    found = s.computation
    if found is None:
        return None
    if isinstance(found, RuleQuestion):
        return Reading(ReadingKind.GLOSSARY, found.topic, q.roles[:1], t.compute)
    if found.kind == "figure":
        return None  # a figure read as the sources state it: the fact-level answer gives it, with its scope
    if not found.ok and not found.operands and found.missing and q.roles and found.kind == "check_pay" \
            and "salary" in s.kw_hits and len(s.kw_hits - {DEFINITION}) >= 2:
        # "mes clients paient 20-30k€… un AM ça gagne combien ?" with no AM pay in the sources: the role's
        # own pay answer says what they do give (the variable share), not a bare "no figure".
        return None
    own = found.kind in _PLAIN_ARITHMETIC and not s.example_role and not (q.quota_cue or q.pipe_cue) \
        and all(o.origin == QUESTION for o in found.operands)
    if own and ((not q.roles and not (state.roles and state.computed)) or not any(o.amount.unit for o in found.operands)):
        # "combien font 17 × 23 ?", or an age and a number of years in a story: arithmetic on the
        # question's own bare numbers is no question about the sales professions. After a computation about a
        # role, amounts alone follow it up ("et pour un senior à 75k avec 30 % de variable ?").
        return None
    quota = next((o.amount for o in found.operands if o.label == QUOTA), None)
    # A pipe calculation keeps the rule's entry as the conversation's term, for "et pour 200k ?".
    topic = s.computable if found.kind in ("coverage", "pipeline_needed", "quota_supported") else None
    # The one level a pay calculation names stays for the follow-ups (« combien de plus ? » after « AE confirmé ou
    # KAM ? »).
    level = next(iter(q.levels)) if len(q.levels) == 1 and found.kind in _PAY_KINDS else None
    return Reading(ReadingKind.COMPUTE, topic, q.roles[:2], t.compute, computation=found,
                   example=s.example_role, amount=quota.low if quota else None,
                   unit={"k": "k", "M": "m"}.get(quota.scale, "") if quota else "", level=level)


_PAY_KINDS = frozenset({"compare_pay", "total_pay", "variable_amount", "variable_share", "fixed_amount", "check_pay"})
"""Computations on a role's pay figures, whose level a follow-up keeps."""


def named_example(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A worked example named without a role ("Alice", "l'agence"), or asked about again: that example.

    After the computations (its arithmetic is computed) and before the role rules: a role named
    with the example is the example's own ("les AM de l'agence") or makes it a role question.
    """
    role = s.example_role
    if role is None or (s.roles and s.roles[0] != role):
        return None
    return Reading(ReadingKind.TOPIC, "example", (role,), max(s.confidence, t.topic_floor),
                   from_context=not q.example, example=role)


_FOR_AMOUNT = re.compile(r"\b(?:pour|for|avec|with)\s+(?:un\s+|une\s+|a\s+)?[\d$€]")


def pipe_coverage(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A quota (and maybe a pipeline) with a quota or pipe word: apply the sources' coverage rule.

    First: figures make the question a calculation whatever else it says. Right
    after the pipe-coverage entry one cue word is enough ("et pour un quota de
    50 000 € ?"), and a pipeline alone is judged against the last quota.
    """
    if not s.computable or not q.amounts:
        return None
    after_rule = state.term == s.computable
    # "j'en ai 250k, ça passe ?" right after a calculation: one amount, no role, is the pipeline.
    one = after_rule and len(q.amounts) == 1 and not q.roles
    # "et pour 200k ?" asks the rule again for a new quota; "j'en ai 250k, ça passe ?" gives a pipeline.
    new_quota = one and not q.pipe_cue and bool(_FOR_AMOUNT.search(q.folded))
    judged = one and state.quota is not None and not q.quota_cue and not new_quota
    if not ((q.quota_cue and q.pipe_cue) or (after_rule and (q.quota_cue or q.pipe_cue)) or judged or new_quota):
        return None
    first = q.amounts[0]
    quota, unit, pipe = first.amount.low, _unit(first), None
    if judged and state.quota is not None:
        # "et si j'ai 120 000 € de pipe ?" after a calculation: judge it against that quota.
        quota, unit, pipe = state.quota, state.unit, first.amount.low
    elif len(q.amounts) >= 2:
        quota, unit, pipe = _assign(q) or (quota, unit, pipe)
    return Reading(ReadingKind.COMPUTE, s.computable, s.computable_roles[:1], t.compute,
                   amount=quota, unit=unit, pipe=pipe)


def term_across_roles(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """Three roles or more and a matching term: the term (a hand-off chain), not a comparison.

    Before :func:`comparison`, which would otherwise compare the first two.
    """
    # An ordinary word for selling ("vendeur en magasin") is no third role of a chain.
    if len([r for r in s.mentioned if r not in q.weak_roles]) >= 3 and s.term and s.term_score >= t.answer:
        return Reading(ReadingKind.GLOSSARY, s.term, (), s.confidence)
    return None


def comparison(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """Two roles: compare them, on the topic the question names by keyword (but "definition").

    A long story naming roles on the way has been cut to its last role already
    (see :attr:`Scores.roles`), so it does not land here.
    """
    if len(s.roles) < 2:
        return None
    focus = s.topic if (s.topic in s.kw_hits and s.topic != DEFINITION and s.topic_score >= t.answer) else None
    named = s.kw_hits - {DEFINITION}
    if focus is None and len(named) == 1 and not q.compare_cue:
        # "le métier de SDR ça mène ensuite à AE ?": no word of comparing, one topic named by keyword.
        focus = next(iter(named))
    # "je veux faire du commerce mais pas vendeur… c koi la diff entre un SDR et un AE ?": an ordinary word for
    # selling gives way to two roles named by their names.
    strong = [r for r in s.roles if r not in q.weak_roles]
    pair = tuple(strong[:2]) if len(strong) >= 2 else s.roles[:2]
    return Reading(ReadingKind.COMPARE, focus, pair, max(s.confidence, t.compare_floor))


def role_against_outsider(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A role compared with another profession ("différence entre un AE et un data scientist"): refuse.

    Before the role rules, which would answer about the role alone; short
    questions only, since a story may name a former job on the way.
    """
    if s.roles and q.outsider is not None and q.compare_cue and len(q.tokens) <= t.long_question:
        return Reading(ReadingKind.FALLBACK, outsider=q.outsider, confidence=t.outsider_compared)
    return None


def two_names_of_one_role(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """Two names of one role compared ("chargé de compte ou responsable de compte ?"): say they are one."""
    if s.roles and q.mentions >= 2 and q.compare_cue:
        return Reading(ReadingKind.TOPIC, DEFINITION, s.roles[:1], t.same_role, same_role=True)
    return None


def role_alone(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A role and nothing else ("et pour un AE ?", "KAM"): a topic left open for the conversation to fill.

    :func:`bot.dialogue.complete` gives it the last topic, or the definition.
    """
    if s.roles and (not q.substance or (q.only_details and q.followup_cue and state.topic)):
        # "et un AE débutant ?", "and in the US for a KAM?": the role, and a level or place for the same topic.
        return Reading(ReadingKind.TOPIC, None, s.roles[:1], t.role_alone)
    return None


def compare_with_previous(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A comparison phrasing with one new role ("et par rapport à un AM ?"): compare it with the last role."""
    if (s.roles and s.compare_score > s.in_domain and state.roles and state.roles[0] != s.roles[0]):
        return Reading(ReadingKind.COMPARE, None, (state.roles[0], s.roles[0]), t.compare_previous,
                       from_context=True)
    return None


def term_for_role(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """With a role named, a term's own entry when the question asks what it is or names no topic of the role.

    A term is usually the subject of a question about the role's work ("un AE
    a-t-il un quota ?" is about objectives), hence the conditions; an unnamed
    term must beat the best topic clearly.
    """
    if not s.roles or not s.term or s.term_score < t.answer:
        return None
    definitional = s.topic == DEFINITION or s.topic_score < t.answer
    if ((s.named and (definitional or s.topic not in s.kw_hits))
            or (not s.named and s.term_score >= s.topic_score + t.glossary_over_topic)):
        return Reading(ReadingKind.GLOSSARY, s.term, s.roles[:1], s.confidence,
                       alternatives(s.ranked, s.term, s.term_score, s.roles, t))
    return None


def role_topic(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A role and a topic: that topic of that role.

    A topic the sources lack for the role gives way to a close runner-up they
    cover (one the question names, if the first was named too), or else to a
    close glossary term ("quand l'AE a signé" -> the hand-offs).
    """
    if not s.roles or not s.topic or s.topic_score < t.answer:
        return None
    topic, topic_score = s.topic, s.topic_score
    if topic not in s.covered:
        floor = max(t.answer, topic_score - t.near)
        # The definition is no stand-in for a topic the sources lack for the role: it would pass for an answer
        # to anything ("le métier d'AM recrute-t-il ?").
        near = next(((k[6:], v) for k, v in s.ranked if k.startswith("topic:") and k[6:] in s.covered
                     and (k[6:] in s.kw_hits or topic not in s.kw_hits) and v >= floor
                     and not (k[6:] == DEFINITION and topic in s.kw_hits)), None)
        loose = best(s.ranked, "glossary:", lambda e, v: v >= floor)
        if near is not None:
            topic, topic_score = near
        elif topic not in s.kw_hits and loose[0]:
            return Reading(ReadingKind.GLOSSARY, loose[0], s.roles[:1], loose[1])
    return Reading(ReadingKind.TOPIC, topic, s.roles[:1], max(s.confidence, t.topic_floor),
                   alternatives(s.ranked, topic, topic_score, s.roles, t))


def role_definition(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A role named and nothing understood about it: its definition. Last of the rules with a role."""
    if s.roles:
        return Reading(ReadingKind.TOPIC, DEFINITION, s.roles[:1], t.role_default)
    return None


def outsider(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, another profession or subject named ("combien gagne une infirmière ?"): refuse.

    The refusal keeps the topic asked, so that "et pour un AM ?" next asks for the AM's salary.
    """
    if not s.roles and q.outsider is not None:
        return Reading(ReadingKind.FALLBACK, s.asked(t), outsider=q.outsider, confidence=t.outsider)
    return None


def named_term(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, a term named: the term, unless a role topic (not "definition") matches clearly better.

    Before the unknown-words check: a named term makes the question ours.
    """
    if s.roles or not s.named:
        return None
    if s.topic != DEFINITION and s.topic_score > s.term_score + t.close:
        return None
    return Reading(ReadingKind.GLOSSARY, s.term, (), s.confidence,
                   alternatives(s.ranked, s.term, s.term_score, state.roles, t))


def unknown_words(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, mostly words careerbot does not know: another subject, refuse.

    In a conversation, a topic question with a few unknown verbs ("quels KPI je
    devrais suivre ?") stays on the conversation's role, unless an unknown word
    follows a determiner ("et un sommelier ?": a new subject).
    """
    if s.roles or not q.content:
        return None
    unknown = [w for w in q.content if not s.known(w)]
    if len(unknown) / len(q.content) < t.unknown_share:
        return None
    asked = s.asked(t) or (s.topic if _conversation_topic(q, s, state, t) else None)
    if state.roles and asked and not (q.determined & set(unknown)):
        return None
    return Reading(ReadingKind.FALLBACK, asked, confidence=t.unknown_words)


def addressed_smalltalk(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """A short message about careerbot itself, naming no role ("vous êtes un vrai conseiller ou un bot ?",
    "what kind of questions can you help me with?"): small talk, before a word of it ("conseiller") reads as
    another profession."""
    if q.smalltalk is None or q.roles or q.terms:
        return None
    return Reading(ReadingKind.SMALLTALK, q.smalltalk, (), max(s.confidence, t.smalltalk))


def smalltalk(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, small talk the best match and a close one: a greeting, thanks, a question about careerbot."""
    # ("what about their bonus?" after a role's answer names a topic of that role: no small talk.)
    if not s.roles and s.best_label.startswith("smalltalk:") and s.ranked[0][1] >= t.smalltalk \
            and not (state.roles and s.kw_hits and "?" in q.text):
        return Reading(ReadingKind.SMALLTALK, s.best_label.split(":", 1)[1], (), s.confidence)
    return None


def detail_followup(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """"et aux USA ?", "and for a junior?", "et en net ?" after a role answer: the same role and topic, for
    that place, level or net pay (:func:`bot.dialogue.complete` fills the topic).

    Before the refusals: a message of detail words alone has too little to match anything else.
    """
    if s.roles or not q.only_details or not state.roles or not state.topic:
        return None
    return Reading(ReadingKind.TOPIC, None, state.roles[:1], t.carried_topic, from_context=True)


def out_of_scope(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, closer to the out-of-scope phrasings than to anything ours, or nothing close: refuse."""
    if s.roles or _conversation_topic(q, s, state, t):
        return None
    if s.oos_score > s.in_domain or max(s.in_domain, s.compare_score) < t.answer:
        return Reading(ReadingKind.FALLBACK, s.asked(t), confidence=round(1.0 - min(s.in_domain, 1.0), 3))
    return None


def term(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, a term matching at least as well as any topic: the term, unless it is a follow-up.

    A follow-up word ("et lui ?") in a conversation means a topic of the
    conversation's role, left to :func:`topic_without_role`.
    """
    if s.roles or not s.term or s.term_score < s.topic_score:
        return None
    if state.roles and q.followup_cue:
        return None
    return Reading(ReadingKind.GLOSSARY, s.term, (), s.confidence,
                   alternatives(s.ranked, s.term, s.term_score, state.roles, t))


def topic_without_role(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """No role, a role topic: ask which role — :func:`bot.dialogue.complete` takes the conversation's instead."""
    if not s.roles and s.topic and (s.topic_score >= t.answer or _conversation_topic(q, s, state, t)):
        return Reading(ReadingKind.CLARIFY, s.topic, (), s.confidence)
    return None


def _conversation_topic(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> bool:
    """A follow-up ("and how do I tell whether they're performing?") whose topic matches loosely, about the
    conversation's role: loose is enough when it points back and nothing out of scope matches better."""
    return bool(state.roles and q.followup_cue and s.topic and s.topic_score >= t.followup_topic
                and s.topic_score > s.oos_score)


def nothing_understood(q: Query, s: Scores, state: DialogueState, t: Thresholds) -> Reading | None:
    """Anything left: ask what the question is about. Last, always answers."""
    return Reading(ReadingKind.CLARIFY, None, (), s.confidence)


RULES: tuple[Rule, ...] = (
    task_request,
    addressed_smalltalk,
    accepted_offer,
    guidance_request,
    guidance_followup,
    computation,
    named_example,
    pipe_coverage,
    term_across_roles,
    comparison,
    role_against_outsider,
    two_names_of_one_role,
    role_alone,
    compare_with_previous,
    term_for_role,
    role_topic,
    role_definition,
    outsider,
    named_term,
    unknown_words,
    smalltalk,
    detail_followup,
    out_of_scope,
    term,
    topic_without_role,
    nothing_understood,
)
"""The rules in priority order: the first that returns a :class:`Reading` wins."""

GUIDANCE_RULES = frozenset({guidance_request, guidance_followup})
"""The rules that need the requirements of ``knowledge/guidance.toml`` (left out of a bot built without them)."""


def decide(query: Query, scores: Scores, state: DialogueState, thresholds: Thresholds,
           rules: tuple[Rule, ...] = RULES) -> Reading:
    """The reading of the first rule of *rules* that reads the question (the last rule always does)."""
    for rule in rules:
        reading = rule(query, scores, state, thresholds)
        if reading is not None:
            return reading
    return Reading(ReadingKind.CLARIFY, None, (), scores.confidence)
