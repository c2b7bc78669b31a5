"""The asker's situation read from a message: studies, experience, inclinations, languages, roles held or aimed at.

:func:`load_profile_cues` reads ``intents/profile.toml`` into :class:`ProfileCues`;
:class:`ProfileReader` turns a question's tokens into a frozen :class:`Profile`
and tells whether the question asks for guidance (which role fits, what is
missing, where to start) or follows a guidance answer up. Pure once built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rapidfuzz import fuzz, process

from .clauses import CLAUSE_CUT, Phrases, has_phrase, phrases
from .errors import KnowledgeError
from .normalise import ELIDED, fold, normalise
from .tomlfile import ParsedCache, Table, read_toml

__all__ = ["Profile", "ProfileCues", "ProfileReader", "load_profile_cues", "ASKS", "FOLLOWUPS"]

BELOW_BAC = "-1"
"""The ``[study_levels]`` key of the levels below the baccalauréat (no diploma, CAP, BEP): a profile's level -1."""

ASKS = ("fit", "start", "gap")
"""Ways of asking for guidance, in ``[asks]`` of ``profile.toml``."""
FOLLOWUPS = ("salary", "skills", "prefer")
"""Follow-ups of a guidance answer, in ``[followups]``."""

_BAC = re.compile(r"\bbac\s*\+?\s*(\d)\b")
# A sentence and its closing mark (the last one may have none).
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_WORD_FUZZ = 88.0  # rapidfuzz ratio for a misspelt cue word of six letters or more


@dataclass(frozen=True)
class Profile:
    """What a message says about the person asking (or the person they advise). Empty fields: not said."""

    studies: int | None = None
    """Level of studies, the N of Bac +N (0: baccalauréat)."""
    studying: bool = False
    """The level of :attr:`studies` is being prepared, not yet obtained ("en 2e année de bachelor", "je termine
    mon M2"): it meets no requirement yet."""
    placement: bool = False
    """A work-study, an internship or an apprenticeship is told ("en alternance", "stage de 6 mois"): a student with
    one is no beginner, whatever kind of selling it was."""
    schools: frozenset[str] = frozenset()
    """Kinds of school or degree (``commerce``, ``ingenieur``, ``master-commercial``…)."""
    years: float | None = None
    """Years of sales experience (a job in sales, one of the roles, or said of sales)."""
    other_years: float | None = None
    """Years in another job."""
    experience: frozenset[str] = frozenset()
    """Kinds of experience: ``vente``, ``b2b``, ``retail``, ``none`` (none yet, student)."""
    jobs: frozenset[str] = frozenset()
    """Other jobs held (``enseignant``, ``ingenieur``…)."""
    current: tuple[str, ...] = ()
    """Role ids held now ("je suis SDR")."""
    target: tuple[str, ...] = ()
    """Role ids aimed at ("pour passer AE")."""
    inclinations: frozenset[str] = frozenset()
    """``farming``, ``hunting``, ``tech``, ``big-accounts``, ``management``, ``international``."""
    skills: frozenset[str] = frozenset()
    """Skills said (``crm``, ``negociation``…)."""
    languages: frozenset[str] = frozenset()
    """Languages said (``anglais``…)."""
    lacking: frozenset[str] = frozenset()
    """Languages and inclinations the person says they lack or hold weakly ("my English is basic" -> ``anglais``,
    "I've never managed anyone" -> ``management``): a requirement of them is not met yet."""
    age: int | None = None
    """An age given ("j'ai 45 ans"): the sources say nothing of age."""
    other: bool = False
    """The message describes someone else (a daughter, a pupil, a client)."""

    @property
    def empty(self) -> bool:
        """Whether the message says nothing about the person's situation."""
        return not (self.studies is not None or self.schools or self.years is not None or self.other_years is not None
                    or self.experience or self.jobs or self.current or self.inclinations or self.skills
                    or self.languages or self.age is not None)

    @property
    def retail_only(self) -> bool:
        """The sales experience said is in shops only (B2C): no B2B kind, no role of the sources held."""
        return "retail" in self.experience and "b2b" not in self.experience and not self.current

    @property
    def tells_story(self) -> bool:
        """Whether the person's situation is told (studies, a time in a job, an age, a trade): with several
        questions about selling (:meth:`ProfileReader.story_asks`), enough for a message to ask guidance."""
        return self.studies is not None or self.years is not None or self.other_years is not None \
            or self.age is not None or bool(self.jobs)

    @property
    def beginner(self) -> bool:
        """No experience at all said ("étudiant", "aucune expérience"), only another job ("je suis prof"), or studies
        under way and no selling said ("je termine mon master en école de commerce")."""
        sold = bool(self.years or self.current or self.experience & {"vente", "b2b", "retail"})
        return "none" in self.experience or (bool(self.jobs) and not sold) or (
            self.studying and not self.jobs and not sold and not self.placement)

    def merged(self, newer: Profile, opposites: Mapping[str, frozenset[str]] = MappingProxyType({})) -> Profile:
        """This profile updated by *newer*: what *newer* says wins; an inclination drops its opposites."""
        values: dict[str, Any] = {}
        for f in fields(Profile):
            old, new = getattr(self, f.name), getattr(newer, f.name)
            if isinstance(old, frozenset):
                if f.name == "inclinations":
                    dropped = frozenset(x for i in new for x in opposites.get(i, ()))
                    values[f.name] = (old - dropped) | new
                else:
                    values[f.name] = old | new
            elif isinstance(old, tuple):
                values[f.name] = new or old
            elif isinstance(old, bool):
                values[f.name] = old or new
            else:
                values[f.name] = new if new is not None else old
        return Profile(**values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: fields at their default left out, sets as sorted lists."""
        out: dict[str, Any] = {}
        for f in fields(Profile):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            out[f.name] = sorted(value) if isinstance(value, frozenset) else list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Profile:
        """The profile *data* describes (see :meth:`to_dict`); ValueError naming the field otherwise."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a profile is a dict, got {type(data).__name__}")
        kinds = {f.name: f for f in fields(Profile)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            f = kinds.get(key)
            if f is None:
                raise ValueError(f"unknown profile field {key!r}")
            default = f.default
            if isinstance(default, (frozenset, tuple)):
                if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 40 for v in value) \
                        or len(value) > 20:
                    raise ValueError(f"profile field {key!r} must be a short list of ids")
                values[key] = type(default)(value)
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"profile field {key!r} must be true or false")
                values[key] = value
            elif key in ("studies", "age"):
                if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
                    raise ValueError(f"profile field {key!r} must be a whole number")
                values[key] = value
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 80:
                    raise ValueError(f"profile field {key!r} must be a number of years")
                values[key] = float(value)
        return cls(**values)

    def roles(self) -> frozenset[str]:
        """Role ids the profile names (for checking a restored state)."""
        return frozenset((*self.current, *self.target))


@dataclass(frozen=True)
class ProfileCues:
    """Everything in ``intents/profile.toml``, folded (see that file for what each table means)."""

    study_levels: Mapping[str, int]
    schools: Mapping[str, tuple[str, ...]]
    school_levels: Mapping[str, int]
    numbers: Mapping[str, int]
    year_units: frozenset[str]
    month_units: frozenset[str]
    duration_before: frozenset[str]
    required_before: frozenset[str]
    """Words right before a duration (or its range) that make it a requirement ("faut 3-5 ans d'xp"), not a past."""
    experience_after: frozenset[str]
    age_after: frozenset[str]
    age_before: tuple[str, ...]
    experience_next: frozenset[str]
    aim_cues: tuple[str, ...]
    experience: Mapping[str, tuple[str, ...]]
    jobs: Mapping[str, tuple[str, ...]]
    job_schools: Mapping[str, str]
    choice_words: frozenset[str]
    """Words a bare choice between roles may hold beside their names (« SDR ou AE direct ? »)."""
    amount_asks: tuple[str, ...]
    """Words of a question asking for a figure (« combien »): a story's one such question asks no guidance."""
    school_titles: frozenset[str]
    """The words of a job title that tell its school (« ingénieur », not « engineer »)."""
    denial_fillers: frozenset[str]
    """Words that may stand between a denial and what it denies (« obligatoirement un diplôme d'école »)."""
    job_experience: Mapping[str, str]
    inclinations: Mapping[str, tuple[str, ...]]
    opposites: Mapping[str, frozenset[str]]
    skills: Mapping[str, tuple[str, ...]]
    languages: Mapping[str, tuple[str, ...]]
    role_experience: Mapping[str, tuple[str, ...]]
    self_cues: frozenset[str]
    self_subjects: frozenset[str]
    """Of :attr:`self_cues`, the asker as subject or owner ("je", "my", "pour moi"), not as the one addressed ("m'")."""
    other_subjects: tuple[str, ...]
    """The person asked for as subject or owner in a question ("could she…", "son profil")."""
    reported_asks: tuple[str, ...]
    """Ways of reporting a question ("je me demande si"): the "je" in them is not the person asked about."""
    other_cues: tuple[str, ...]
    refusal_cues: tuple[str, ...]
    """Words that turn down the inclination right after them ("j'en ai marre de chasser", "plutôt que prospecter")."""
    current_cues: tuple[str, ...]
    target_cues: tuple[str, ...]
    asks: Mapping[str, tuple[str, ...]]
    followups: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """``space.id`` -> how answers name it (``inclinations.farming`` -> "fidéliser des clients existants")."""
    labels_en: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """The same in English (``[labels_en.<space>]``): every label has its twin."""

    age_of: frozenset[str] = frozenset()
    """Words after which "N ans" (N of 16 or more, no experience word next) is an age: "mon fils de 22 ans"."""
    not_age: frozenset[str] = frozenset()
    """Words before those that keep it a duration: "plus de 20 ans"."""
    not_had: tuple[str, ...] = ()
    """Words that deny the level, school or language right after them ("pas de bac+5", "no English")."""
    weak_words: tuple[str, ...] = ()
    """Words that make a language said next to them a weak one ("anglais scolaire", "my English is basic")."""
    weak_before: tuple[str, ...] = ()
    """Of :attr:`weak_words`, those said before the language they weaken ("un peu espagnol")."""
    lacks: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Inclination id -> phrases saying the person has not done it yet ("jamais managé", "never managed")."""
    asking_before: frozenset[str] = frozenset()
    """Question words: a kind of experience right after one is asked about, not had ("quel métier commercial")."""
    refusal_after: tuple[str, ...] = ()
    """Words that turn down the inclination right before them ("la prospection à froid **me stresse**")."""
    employer_before: frozenset[str] = frozenset()
    """Words before a job word that make it the employer's trade when a role is held ("at a marketing agency")."""
    definition_asks: tuple[str, ...] = ()
    """Words asking what a thing is ("c'est quoi"): a preference said with them is no follow-up of guidance."""
    difference_asks: tuple[str, ...] = ()
    """Words asking how two things differ ("la vraie différence entre les deux"): with them, a story weighing two
    roles ("j'hésite entre AE ou KAM") asks the comparison, not which role fits."""
    employer_cues: tuple[str, ...] = ()
    """Words of someone hiring ("je recrute", "ouvrir un poste", "we're hiring"): with no candidate described, the
    message asks about the roles, not which role fits the asker."""
    negation_before: frozenset[str] = frozenset()
    """Words before an aim word that make it a refusal ("je **ne** veux", "I **don't** want")."""
    origin_before: frozenset[str] = frozenset()
    """Words right before a job that make it the one left, after a move verb ("passer **de** prof à…")."""
    negation_words: frozenset[str] = frozenset()
    """Words after a contrast or aim word that keep it inside a refusal ("je veux **pas**")."""
    joiners: frozenset[str] = frozenset()
    """Contrast words that also join two things said alike ("le téléphone **et** les appels à froid")."""
    clause_starts: frozenset[str] = frozenset()
    """Words that open a new clause after a joiner ("… **et j**'adore…"): only then does the joiner end a refusal."""
    contrast_words: frozenset[str] = frozenset()
    """Words that end the reach of a refusal said before them ("je n'aime pas manager **mais** j'adore prospecter")."""
    past_before: frozenset[str] = frozenset()
    """Words before a duration that make it a past whatever follows ("SDR depuis un an, pour passer AE")."""
    aim_after_duration: tuple[str, ...] = ()
    """Words right after a duration that make it a time to reach a goal ("3 mois pour devenir"), not experience."""
    asked_kinds: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Kind of requirement (``studies``, ``years``, ``language``) -> folded words that ask about it ("diplômes")."""
    aimed_inclinations: frozenset[str] = frozenset()
    """Inclinations that are one only after an aim ("je veux rester dans la finance"); said of a past ("chef de
    projet dans une agence de pub") they are the person's story."""
    asset_after: tuple[str, ...] = ()
    """Words after an aimed inclination that make it one too ("mes connaissances en finance **peuvent servir**")."""
    kind_aliases: tuple[str, ...] = ()
    """Role names that, held, say a kind of selling rather than the role ("field sales rep": sales, not an AE)."""
    rather_cues: frozenset[str] = frozenset()
    """Words opening a preference ("**plutôt** le suivi que la prospection") ..."""
    rather_than: frozenset[str] = frozenset()
    """... and the words after which, with one of :attr:`rather_cues` before, an inclination is turned down ("que")."""
    experience_evidence: tuple[str, ...] = ()
    """Words that make a kind of sales experience named within four words one the person has had."""
    requirement_links: frozenset[str] = frozenset()
    """Words between a role name and a level that make the level the role's requirement ("KAM c'est Bac+5")."""
    person_cues: frozenset[str] = frozenset()
    """Words naming someone else in a sentence ("il", "she"): a question with one speaks of that person."""
    studying_cues: tuple[str, ...] = ()
    """Words that make the level right after them one being prepared ("en 2e année de", "je termine mon")."""
    placement_cues: tuple[str, ...] = ()
    """Words telling a work-study, an internship or an apprenticeship ("alternance", "stage", "internship")."""
    role_skills: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Role id (or kind of experience) -> skill ids holding the role is practice of (the AE's demos, negotiation and
    closing; B2B selling's prospecting)."""
    half_after: tuple[tuple[str, ...], ...] = ()
    """Words after a duration that add half of its unit ("un an et demi", "a year and a half"), as token runs."""
    role_levels: frozenset[str] = frozenset()
    """Level words that may stand between a role and its duration ("AE junior depuis 2 ans": the role held)."""
    role_articles: frozenset[str] = frozenset()
    """Words that may stand between a one-word current cue and its role ("I'm a junior AE")."""
    not_typos: frozenset[str] = frozenset()
    """Words that look like a cue word but are another ("développer" is no misspelt "développeur")."""
    other_languages: tuple[str, ...] = ()
    """Languages no requirement names ("French", "Hindi"): they take the weakness words said right before them."""
    workplace_levels: tuple[str, ...] = ()
    asked_after: tuple[str, ...] = ()
    speaker_cues: tuple[str, ...] = ()
    question_words: tuple[str, ...] = ()
    help_requests: tuple[str, ...] = ()
    possessives: frozenset[str] = frozenset()
    had_before: frozenset[str] = frozenset()
    experience_words: frozenset[str] = frozenset()
    """Level words that also name a workplace ("lycée", "high school"): within five words of another job ("prof au
    lycée", "high-school teacher") they say where that job is done, not the person's level."""

    def label(self, space: str, key: str, lang: str = "fr") -> str:
        """How answers in *lang* name *key* of *space* (the id itself when no label is given)."""
        if lang == "en":
            return self.labels_en.get(f"{space}.{key}") or self.labels.get(f"{space}.{key}", key)
        return self.labels.get(f"{space}.{key}", key)

def _folded(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(i).strip() for i in items if i.strip()))


def _is_words(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def load_profile_cues(path: Path, *, cache: ParsedCache | None = None) -> ProfileCues:
    """Read and check ``profile.toml`` at *path* (*cache*: see :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        On the first problem, naming the file, the table and the fix.
    """
    t = Table(read_toml(path, cache), path, None)
    words = "must be a list of words"
    word_fix = 'write {key} = ["…", "…"]'

    def lists(key: str) -> Mapping[str, tuple[str, ...]]:
        table = t.mapping(key, _is_words, words, word_fix)
        if not table:
            raise KnowledgeError(path, key, "the table is missing or empty", f"add [{key}] with id = [\"cue\", …] lines")
        return MappingProxyType({k: _folded(v) for k, v in table.items()})

    def whole(key: str) -> Mapping[str, int]:
        table = t.mapping(key, lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                          "must be a whole number", "write {key} = 5")
        return MappingProxyType({fold(k): int(v) for k, v in table.items()})

    asked_kinds = lists("asked_kinds") if "asked_kinds" in t.data else MappingProxyType({})
    odd_kinds = sorted(set(asked_kinds) - {"studies", "years", "language"})
    if odd_kinds:
        raise KnowledgeError(path, "asked_kinds", f"unknown kind(s) {', '.join(odd_kinds)}", "use studies, years or language")
    levels: dict[str, int] = {}
    for level, cues in t.mapping("study_levels", _is_words, words, word_fix).items():
        if not (level.isdigit() or level == BELOW_BAC):
            raise KnowledgeError(path, f"study_levels.{level}", "a level is the N of Bac +N, or -1 below the bac",
                                 'write "5" = ["master", …]')
        levels.update({cue: int(level) for cue in _folded(cues)})
    schools = lists("schools")
    school_levels = whole("school_levels")
    jobs = lists("jobs")
    job_schools = t.mapping("job_schools", lambda v: isinstance(v, str), "must be a school id", 'write {key} = "ingenieur"')
    job_experience = t.mapping("job_experience", lambda v: isinstance(v, str), "must be an experience kind",
                               'write {key} = "none"')
    experience = lists("experience")
    for name, ids, allowed in (("school_levels", school_levels, schools), ("job_schools", job_schools.values(), schools),
                               ("job_schools", job_schools, jobs), ("job_experience", job_experience, jobs),
                               ("job_experience", job_experience.values(), experience)):
        unknown = sorted(set(ids) - set(allowed))
        if unknown:
            raise KnowledgeError(path, name, f"unknown id(s) {', '.join(unknown)}",
                                 f"use one of {', '.join(sorted(allowed))}")
    inclinations = lists("inclinations")
    opposites = t.mapping("opposites", _is_words, words, 'write {key} = ["hunting"] under [opposites]')
    bad_ids = sorted({k for k, v in opposites.items() for k in (k, *v)} - set(inclinations))
    if bad_ids:
        raise KnowledgeError(path, "opposites", f"unknown inclination id(s) {', '.join(bad_ids)}",
                             f"use ids of [inclinations]: {', '.join(inclinations)}")
    asks = lists("asks")
    followups = lists("followups")
    for name, table, needed in (("asks", asks, ASKS), ("followups", followups, FOLLOWUPS)):
        missing = [k for k in needed if k not in table]
        if missing or set(table) - set(needed):
            raise KnowledgeError(path, name, f"needs exactly the keys {', '.join(needed)}",
                                 f"add or rename the lines of [{name}]")
    role_experience = t.mapping("role_experience", _is_words, words, word_fix)
    bad = sorted({k for v in role_experience.values() for k in v} - set(experience))
    if bad:
        raise KnowledgeError(path, "role_experience", f"unknown experience kind(s) {', '.join(bad)}",
                             f"use ids of [experience]: {', '.join(experience)}")
    labels: dict[str, str] = {}
    labels_en: dict[str, str] = {}
    for name, found in (("labels", labels), ("labels_en", labels_en)):
        for space, table in t.table(name).items():
            if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
                raise KnowledgeError(path, f"{name}.{space}", "must be a table of texts",
                                     f'write [{name}.{space}] then id = "how answers name it"')
            found.update({f"{space}.{k}": v.strip() for k, v in table.items()})
    for one, other, fix in ((labels, labels_en, "labels_en"), (labels_en, labels, "labels")):
        lacking = sorted(set(one) - set(other))
        if lacking:
            space, _, key = lacking[0].partition(".")
            raise KnowledgeError(path, f"{fix}.{space}", f"'{key}' has no twin in [{fix}.{space}]",
                                 f'add {key} = "…" under [{fix}.{space}], saying the same in the other language')
    cues = ProfileCues(
        study_levels=MappingProxyType(levels), schools=schools, school_levels=school_levels,
        numbers=whole("numbers"),
        year_units=frozenset(_folded(t.strs("year_units", min_items=1))),
        month_units=frozenset(_folded(t.strs("month_units", min_items=1))),
        duration_before=frozenset(_folded(t.strs("duration_before"))),
        required_before=frozenset(_folded(t.strs("required_before"))),
        experience_after=frozenset(_folded(t.strs("experience_after"))),
        age_after=frozenset(_folded(t.strs("age_after"))), age_before=_folded(t.strs("age_before")),
        age_of=frozenset(_folded(t.strs("age_of"))),
        not_age=frozenset(_folded(t.strs("not_age"))),
        experience_next=frozenset(_folded(t.strs("experience_next"))), aim_cues=_folded(t.strs("aim_cues")),
        experience=experience, jobs=jobs, job_schools=MappingProxyType(dict(job_schools)),
        school_titles=frozenset(_folded(t.strs("school_titles"))),
        amount_asks=_folded(t.strs("amount_asks")),
        choice_words=frozenset(_folded(t.strs("choice_words"))),
        denial_fillers=frozenset(_folded(t.strs("denial_fillers"))),
        job_experience=MappingProxyType(dict(job_experience)), inclinations=inclinations,
        opposites=MappingProxyType({k: frozenset(v) for k, v in opposites.items()}),
        skills=lists("skills"), languages=lists("languages"),
        role_experience=MappingProxyType({k: _folded(v) for k, v in role_experience.items()}),
        role_skills=MappingProxyType({k: tuple(v) for k, v in t.mapping("role_skills", _is_words, words, word_fix).items()})
        if "role_skills" in t.data else MappingProxyType({}),
        self_cues=frozenset(_folded(t.strs("self_cues", min_items=1))),
        self_subjects=frozenset(_folded(t.strs("self_subjects"))),
        reported_asks=_folded(t.strs("reported_asks")),
        other_subjects=_folded(t.strs("other_subjects")),
        person_cues=frozenset(_folded(t.strs("person_cues"))),
        other_cues=_folded(t.strs("other_cues")),
        refusal_cues=_folded(t.strs("refusal_cues")),
        refusal_after=_folded(t.strs("refusal_after")),
        studying_cues=_folded(t.strs("studying_cues")),
        placement_cues=_folded(t.strs("placement_cues")),
        other_languages=_folded(t.strs("other_languages")),
        not_typos=frozenset(_folded(t.strs("not_typos"))),
        role_levels=frozenset(_folded(t.strs("role_levels"))),
        role_articles=frozenset(_folded(t.strs("role_articles"))),
        half_after=tuple(tuple(w.split()) for w in _folded(t.strs("half_after"))),
        workplace_levels=_folded(t.strs("workplace_levels")),
        asked_after=_folded(t.strs("asked_after")),
        speaker_cues=_folded(t.strs("speaker_cues")),
        question_words=_folded(t.strs("question_words")),
        help_requests=_folded(t.strs("help_requests")),
        possessives=frozenset(_folded(t.strs("possessives"))),
        had_before=frozenset(_folded(t.strs("had_before"))),
        experience_words=frozenset(_folded(t.strs("experience_words"))),
        experience_evidence=_folded(t.strs("experience_evidence")),
        aimed_inclinations=frozenset(t.strs("aimed_inclinations")),
        asset_after=_folded(t.strs("asset_after")),
        kind_aliases=_folded(t.strs("kind_aliases")),
        rather_cues=frozenset(_folded(t.strs("rather_cues"))),
        rather_than=frozenset(_folded(t.strs("rather_than"))),
        asked_kinds=asked_kinds,
        aim_after_duration=_folded(t.strs("aim_after_duration")),
        past_before=frozenset(_folded(t.strs("past_before"))),
        contrast_words=frozenset(_folded(t.strs("contrast_words"))),
        joiners=frozenset(_folded(t.strs("joiners"))),
        clause_starts=frozenset(_folded(t.strs("clause_starts"))),
        negation_words=frozenset(_folded(t.strs("negation_words"))),
        origin_before=frozenset(_folded(t.strs("origin_before"))),
        negation_before=frozenset(_folded(t.strs("negation_before"))),
        definition_asks=_folded(t.strs("definition_asks")),
        difference_asks=_folded(t.strs("difference_asks")),
        employer_cues=_folded(t.strs("employer_cues")),
        employer_before=frozenset(_folded(t.strs("employer_before"))),
        requirement_links=frozenset(w for p in _folded(t.strs("requirement_links")) for w in p.split()),
        not_had=_folded(t.strs("not_had")),
        weak_words=_folded(t.strs("weak_words")),
        weak_before=_folded(t.strs("weak_before")),
        lacks=MappingProxyType({k: _folded(v) for k, v in t.mapping("lacks", _is_words, words, word_fix).items()})
        if "lacks" in t.data else MappingProxyType({}),
        asking_before=frozenset(_folded(t.strs("asking_before"))),
        current_cues=_folded(t.strs("current_cues")), target_cues=_folded(t.strs("target_cues")),
        asks=asks, followups=followups, labels=MappingProxyType(dict(labels)), labels_en=MappingProxyType(dict(labels_en)),
    )
    t.done()
    return cues


class _Table:
    """Phrases (token tuples, up to six words) -> the ids they point at, found as runs of tokens."""

    def __init__(self, pairs: Iterable[tuple[str, str]], rewrites: Mapping[str, str], *, fuzzy: bool = True,
                 not_typos: frozenset[str] = frozenset()):
        self.map: dict[tuple[str, ...], set[str]] = {}
        self.not_typos = not_typos
        for phrase, target in pairs:
            key = tuple(t for t in normalise(phrase, rewrites) if t not in ELIDED)
            if key:
                self.map.setdefault(key, set()).add(target)
        self.longest = max(map(len, self.map), default=0)
        self.sizes = sorted({len(k) for k in self.map}, reverse=True)
        self.first_words = frozenset(k[0] for k in self.map)
        """The phrase lengths the table holds, longest first (only those are looked up)."""
        self.first_pairs = frozenset(k[:2] for k in self.map if len(k) >= 2)
        """The first two words of the phrases of two words or more: only where they stand are those looked up."""
        # Single words of six letters or more, for typos ("fideliser" typed "fidéliserr").
        self.fuzzy = sorted(k[0] for k in self.map if len(k) == 1 and len(k[0]) >= 6) if fuzzy else []
        # The word each token misspells, found once per distinct token (the same words come back in every question).
        self._closest = lru_cache(maxsize=4096)(self._closest_word)

    def _closest_word(self, token: str) -> str | None:
        match = process.extractOne(token, self.fuzzy, scorer=fuzz.ratio, score_cutoff=_WORD_FUZZ)
        return match[0] if match is not None else None

    def find(self, tokens: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """``(start, end, id)`` of every phrase found, longest phrases first at each place; typos of long words too."""
        if not self.fuzzy and self.first_words.isdisjoint(tokens):
            return []  # no phrase can start here (the asks are looked up on every question)
        hits: list[tuple[int, int, str]] = []
        taken = bytearray(len(tokens))
        # A phrase starts with one of the first words: only those places are looked up.
        first = self.first_words
        starts = [i for i, tok in enumerate(tokens) if tok in first]
        pairs = self.first_pairs
        # Most places a first word stands start no longer phrase ("je", "est"…): each is looked at once for all sizes.
        longer = [i for i in starts if tokens[i:i + 2] in pairs]
        for size in self.sizes:
            last = len(tokens) - size
            for i in (longer if size > 1 else starts):
                if i > last:
                    break
                found = self.map.get(tokens[i:i + size])
                if found and not any(taken[i:i + size]):
                    hits.extend((i, i + size, t) for t in sorted(found))
                    taken[i:i + size] = b"\x01" * size
        if self.fuzzy:
            for i, tok in enumerate(tokens):
                if taken[i] or len(tok) < 6 or tok in self.not_typos:
                    continue
                match = self._closest(tok)
                if match is not None:
                    hits.extend((i, i + 1, t) for t in sorted(self.map[(match,)]))
        return sorted(hits)

    def ids(self, tokens: tuple[str, ...]) -> set[str]:
        return {t for _, _, t in self.find(tokens)}


_AIM_REACH = 8
_TARGET_REACH = 5
"""A cue of aiming at (``target_cues``) this many words before a role makes it aimed at, whatever is between."""
"""A sector counts as an inclination this many words at most after an aim of the same sentence ("I'd like a
client-facing sales job in financial services"; not "… become an SDR? I'm 41 and currently a bank teller")."""
_QUESTION_GAP = 6
"""Question words at least this many words apart in one clause ask two things."""
_SELLING = frozenset({"vente", "b2b", "retail"})
"""The kinds of experience (``[experience]`` of profile.toml) that are selling."""
_LEANING = frozenset({"hunting", "farming", "big-accounts"})
"""The inclinations that lean to the sources' roles (new clients, existing ones, large accounts)."""
STORY_MIN_WORDS = 12
"""A message telling the asker's story before asking has at least this many words."""
STORY_QUESTIONS = 2
"""… and asks at least this many questions (counted by clause: :meth:`ProfileReader._questions_in`) for its story to
ask guidance by itself."""


class ProfileReader:
    """Reads a :class:`Profile` (and a guidance ask) from a question's tokens.

    Parameters
    ----------
    cues : ProfileCues
    role_aliases : mapping of role id to its names
        To tell a role held ("je suis SDR") from one aimed at ("passer AE").
    rewrites : mapping, optional
        The lexicon's SMS and typo rewrites.
    """

    def __init__(self, cues: ProfileCues, role_aliases: Mapping[str, Iterable[str]],
                 rewrites: Mapping[str, str] | None = None, *, weak: Iterable[str] = ()):
        self.cues = cues
        rw = rewrites or {}
        # Role names that are ordinary words ("vendeuse", "commercial"): opening a message, they tell the
        # asker's own job ("Vendeuse en boutique depuis 3 ans…").
        self._weak = frozenset(tuple(normalise(w, rw)) for w in weak)
        self._rewrites = rw

        def table(groups: Mapping[str, Iterable[str]], fuzzy: bool = True) -> _Table:
            return _Table(((p, gid) for gid, ps in groups.items() for p in ps), rw, fuzzy=fuzzy,
                          not_typos=cues.not_typos)

        # Levels exactly: "licencié" (laid off) is no "licence".
        self._levels = _Table(((p, str(level)) for p, level in cues.study_levels.items()), rw, fuzzy=False)
        self._schools = table(cues.schools)
        self._experience = table(cues.experience)
        self._jobs = table(cues.jobs)
        self._inclinations = table(cues.inclinations)
        self._skills = table(cues.skills)
        self._languages = table(cues.languages)
        # Role names, asks and follow-ups are matched exactly (asks run on every question: cheap look-ups only).
        self._roles = table({rid: tuple(fold(a) for a in names) for rid, names in role_aliases.items()}, False)
        self._asks = table(cues.asks, False)
        self._followups = table(cues.followups, False)
        self._other = _cue_phrases(cues.other_cues, rw)
        self._reported = table({"reported": cues.reported_asks}, False)
        self._other_subjects = _cue_phrases(cues.other_subjects, rw)
        self._refusals = _cue_phrases(cues.refusal_cues, rw)
        self._aim_after = _cue_phrases(cues.aim_after_duration, rw)
        self._definition_asks = _cue_phrases(cues.definition_asks, rw)
        self._difference_asks = _cue_phrases(cues.difference_asks, rw)
        self._employer = _cue_phrases(cues.employer_cues, rw)
        self._refusals_after = _cue_phrases(cues.refusal_after, rw)
        self._assets = _cue_phrases(cues.asset_after, rw)
        self._kind_aliases = _cue_phrases(cues.kind_aliases, rw)
        self._studying = _cue_phrases(cues.studying_cues, rw)
        self._placement = _cue_phrases(cues.placement_cues, rw)
        self._evidence = _cue_phrases(cues.experience_evidence, rw)
        self._current = table({"current": cues.current_cues})
        self._target = table({"target": cues.target_cues})
        self._age_before = table({"age": cues.age_before})
        self._speaker = table({"speaker": cues.speaker_cues}, False)
        self._question_words = table({"q": cues.question_words}, False)
        self._help_requests = _cue_phrases(cues.help_requests, rw)
        # Where a sentence splits into clauses that may each ask something: before "et" / "and", and at a comma
        # followed by a question word ("Would KAM be realistic, what salary at the start, and does he need…").
        opening = "|".join(re.escape(w) for w in sorted(cues.question_words, key=len, reverse=True))
        self._joined = re.compile(rf",\s*(?=(?:{opening})\b)|\s+(?:et|and)\s+" if opening else r"\s+(?:et|and)\s+")
        self._aims = table({"aim": cues.aim_cues})
        self._denials = _cue_phrases(cues.not_had, rw)
        self._amount_asks = _cue_phrases(cues.amount_asks, rw)
        self._weak_words = _cue_phrases(cues.weak_words, rw)
        self._weak_before = _cue_phrases(cues.weak_before, rw)
        self._role_between = cues.role_articles | cues.role_levels
        self._workplaces = _cue_phrases(cues.workplace_levels, rw)
        self._asked_after = _cue_phrases(cues.asked_after, rw)
        self._other_languages = _cue_phrases(cues.other_languages, rw)
        self._lacks = table(cues.lacks, False)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The tokens the cues are matched on ("bac +5" written "bac+5" first)."""
        folded = fold(text)
        joined = _BAC.sub(lambda m: f"bac+{m.group(1)}", folded)
        # Folding twice is folding once: without a "bac + 5" to join, the text's own tokens are these, which the
        # query reader has just cut (normalise keeps the last few texts').
        words = normalise(text if joined == folded else joined, self._rewrites)
        return tuple(t for t in words if t not in ELIDED)

    def asks(self, tokens: tuple[str, ...]) -> str | None:
        """The guidance asked for (``gap`` before ``start`` before ``fit``), or None."""
        found = self._asks.ids(tokens)
        if found and self._hiring(tokens):
            return None
        if "fit" in found and has_phrase(tokens, self._difference_asks):
            found = found - {"fit"}  # "j'hésite entre AE ou KAM, c'est quoi la vraie différence ?": the comparison
        return next((a for a in ("gap", "start", "fit") if a in found), None)

    def _hiring(self, tokens: tuple[str, ...]) -> bool:
        """Whether the asker speaks as someone hiring with no candidate described ("je recrute pour ma startup :
        AE confirmé ou KAM, lequel coûte le plus ?"): the roles are asked about, not the asker's fit."""
        return has_phrase(tokens, self._employer) and not has_phrase(tokens, self._other)

    def story_asks(self, folded: str, tokens: tuple[str, ...], roles: Iterable[str] = ()) -> str | None:
        """The guidance a story told with several questions asks, or with one question about the person, with no ask
        word of its own ("AE depuis 2 ans, bac+3. Est-ce que ça bloque pour KAM ? Combien d'xp ?", "… Does my
        background fit?"): what a role named asks of the person (``gap``), or which roles fit (``fit``); None for a
        short message, one with fewer questions, or one about no one."""
        if len(tokens) < STORY_MIN_WORDS or "?" not in folded:
            return None
        if has_phrase(tokens, self._difference_asks) or self._hiring(tokens):
            return None  # « c'est quoi la différence entre SDR et AE ? je suis en BTS » asks the comparison
        asked = self.questions_asked(folded)
        # One question is enough when it asks about the person ("Does my background fit?", "est-ce que KAM est
        # accessible pour moi ?", "could I move to an AE role?").
        if not (asked >= STORY_QUESTIONS or (asked and self.asks_about_person(folded))) \
                or not (set(tokens) & self.cues.self_cues or has_phrase(tokens, self._other)):
            return None
        if asked < STORY_QUESTIONS and self._asks_amount(folded):
            return None  # « … à Lyon, je peux demander combien ? »: one figure asked, the story is its context
        roles = tuple(roles)
        # About selling: a role named, a kind of selling (had or wanted) or a leaning of the sources' roles.
        selling = bool(roles) or any(k in _SELLING for _, _, k in self._experience.find(tokens)) \
            or any(k in _LEANING for _, _, k in self._inclinations.find(tokens))
        if not selling:
            return None
        return "gap" if roles else "fit"

    def _asks_amount(self, folded: str) -> bool:
        """Whether a question sentence of *folded* asks for a figure (« combien », "how much")."""
        return any(has_phrase(self.tokens(m.group(0)), self._amount_asks) for m in _SENTENCE.finditer(folded)
                   if m.group(0).rstrip().endswith("?"))

    def questions_asked(self, folded: str) -> int:
        """How many questions *folded* asks (:meth:`_questions_in`, sentence by sentence)."""
        return sum(self._questions_in(m.group(0)) for m in _SENTENCE.finditer(folded))

    def asks_about_person(self, folded: str) -> bool:
        """Whether a question of *folded* speaks of the asker or of the person they ask for ("could I move to an AE
        role?", "would my teaching background help?", "est-ce accessible pour moi ?"), not only of a role.

        Its question is, in each sentence ending with "?", the clauses (cut at punctuation and "et", "mais"…) that
        hold a question word, and the last one ("je suis en L3 et je vois des offres d'AE partout, c'est quel genre
        de poste ?" asks about the role); a question reported ("je me demande si…") is not about the person."""
        for m in _SENTENCE.finditer(folded):
            if not m.group(0).rstrip().endswith("?"):
                continue
            parts = [p for p in CLAUSE_CUT.split(m.group(0)) if p.strip()]
            for i, part in enumerate(parts):
                words = self.tokens(part)
                if i < len(parts) - 1 and not self._question_words.find(words):
                    continue
                reported = self._reported_at(words)
                own = [t for j, t in enumerate(words) if j not in reported]
                if set(own) & self.cues.self_subjects or has_phrase(own, self._other_subjects):
                    return True
        return False

    def _reported_at(self, tokens: Sequence[str]) -> set[int]:
        """The positions of the words of a way of reporting a question in *tokens*."""
        return {i for s, e, _ in self._reported.find(tuple(tokens)) for i in range(s, e)}

    def _questions_in(self, sentence: str) -> int:
        """The questions one sentence asks: its clauses joined by "et" / "and" that hold a question word ("c'est
        vrai ? et du coup je fais quoi"), or one for a sentence ending in "?" with none ("mon bac+3 va me bloquer ?"),
        unless it asks careerbot for help ("vous pouvez m'aider ?")."""
        # Question words a few words apart ask apart ("c'est quoi le métier…, faut faire quelles études"); close
        # together ("how much would I earn") they open one question.
        found = 0
        for part in self._joined.split(sentence):
            last = -_QUESTION_GAP
            for start, _, _ in sorted(self._question_words.find(self.tokens(part))):
                found += start - last >= _QUESTION_GAP
                last = start
        if found or not sentence.rstrip().endswith("?"):
            return found
        return 0 if has_phrase(self.tokens(sentence), self._help_requests) else 1

    def _sentence_of(self, text: str, tokens: tuple[str, ...]) -> tuple[int, ...]:
        """The sentence each of *tokens* (:meth:`tokens` of *text*) stands in, by number; every token in sentence 0
        when the sentences do not add up to the tokens."""
        out: list[int] = []
        for n, sentence in enumerate(_SENTENCE.findall(text)):
            out.extend([n] * len(self.tokens(sentence)))
        return tuple(out) if len(out) == len(tokens) else (0,) * len(tokens)

    def without_asks(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """*tokens* without the words of the guidance asks they hold ("c'est fait pour moi ?" -> "c est")."""
        spans = [(start, end) for start, end, _ in self._asks.find(tokens)]
        return tuple(t for i, t in enumerate(tokens) if not any(a <= i < b for a, b in spans))

    def followup(self, tokens: tuple[str, ...]) -> str | None:
        """The follow-up of a guidance answer the question makes (``prefer`` first), or None."""
        found = self._followups.ids(tokens)
        if "prefer" in found and has_phrase(tokens, self._definition_asks):
            found = found - {"prefer"}  # "je préfère chasser, c'est quoi le new business ?" asks a definition
        return next((a for a in ("prefer", "skills", "salary") if a in found), None)

    def read(self, text: str, roles: Iterable[str] = ()) -> Profile:
        """The :class:`Profile` *text* describes; *roles* are the role ids the question names (from
        :class:`~bot.roles.RoleFinder`), which alone may count as held or aimed at."""
        c = self.cues
        tokens = self.tokens(text)
        if not tokens:
            return Profile()
        # "un BTS mais pas de bac+5", "no English yet": what is denied is not had.
        schools = {k for s, _, k in self._schools.find(tokens) if not self._denied(tokens, s)}
        all_roles = self._roles.find(tokens)
        # "on me dit que KAM c'est Bac+5": a level right after a role name is what the role asks, not the person's.
        asked = self._asked_spans(text, tokens)
        jobs_found = self._jobs.find(tokens)
        job_starts = [s for s, _, _ in jobs_found]
        level_hits = [(s, int(k)) for s, e, k in self._levels.find(tokens) if not self._denied(tokens, s)
                      # "quel master je dois faire ?": a level asked about is not had.
                      and not c.asking_before & set(tokens[max(0, s - 2):s])
                      and s not in asked and not (has_phrase(tokens[e:e + 2], self._asked_after)
                                                  and not c.had_before & set(tokens[max(0, s - 3):s]))
                      and not any(e <= s <= e + 3 and set(tokens[e:s]) <= c.requirement_links for _, e, _ in all_roles)
                      # "high-school history teacher", "prof au lycée": the school is where the job is done.
                      and not (tuple(tokens[s:e]) in self._workplaces and any(abs(j - s) <= 5 for j in job_starts))]
        levels = [n for _, n in level_hits]
        # A level named outranks the school's usual one: « M1 en école d'ingénieurs » is Bac +4, not yet Bac +5.
        levels = levels or [c.school_levels[s] for s in schools if s in c.school_levels]
        top = max(levels) if levels else None
        # "2nd year of a business bachelor", "je termine mon M2": the highest level named is being prepared.
        studying = top is not None and any(
            n == top and has_phrase(tokens[max(0, s - 5):s], self._studying) for s, n in level_hits)
        # "quel métier commercial ?", "which sales job?": a kind of experience asked about, not had.
        said_kinds = self._experience.find(tokens)
        experience_hits = [h for h in said_kinds if not c.asking_before & set(tokens[max(0, h[0] - 2):h[0]])]
        # "on m'a dit que commercial dans la tech ça paye bien": selling named with nothing of a past around it.
        if self._evidence:
            experience_hits = [h for h in experience_hits if h[2] == "none" or has_phrase(
                tokens[max(0, h[0] - 4):h[1] + 4], self._evidence)]
        # "master marketing et fonction commerciale": a word of a degree's name is no selling done.
        in_school = {i for s, e, _ in self._schools.find(tokens) for i in range(s, e)}
        experience_hits = [h for h in experience_hits if not set(range(h[0], h[1])) <= in_school]
        # "do I need pure sales experience first?": a kind asked about or denied is not had.
        experience_hits = [h for h in experience_hits if h[2] == "none" or not self._denied(tokens, h[0])]
        # "pas d'expérience en vente B2B": the kinds named right after a "none" cue are not had.
        none_ends = [e for _, e, k in experience_hits if k == "none"]
        experience_hits = [h for h in experience_hits
                           if h[2] == "none" or not any(0 <= h[0] - e <= 2 for e in none_ends)]
        # "je veux me reconvertir dans la vente B2B": a kind said after an aim is where the person wants to go.
        aims = [e for _, e, _ in self._aims.find(tokens)]
        experience_hits = [h for h in experience_hits
                           if h[2] == "none" or not any(0 <= h[0] - e <= 4 for e in aims)]
        # A job word inside a longer phrase of another table is that phrase ("ingénieur commercial" is sales,
        # "master marketing" a degree).
        role_words = {i for s, e, _ in all_roles for i in range(s, e)}
        # (A kind named with nothing of a past around it still covers its words: "business developer" is no developer.)
        covered = {i for s, e, _ in (*said_kinds, *self._schools.find(tokens)) if e - s > 1 for i in range(s, e)}
        covered |= role_words
        job_hits = [h for h in jobs_found if h[0] not in covered]
        named = set(roles)
        role_hits = [h for h in all_roles if h[2] in named]
        current, target = self._role_places(tokens, role_hits)
        if current:
            # "account manager at a digital marketing agency": with a role held, a job word after "at", "chez",
            # "dans" names the employer's trade, not another job of the person's.
            job_hits = [h for h in job_hits if not c.employer_before & set(tokens[max(0, h[0] - 3):h[0]])]
        # A kind of selling inside a longer job phrase is that job ("manager d'un coffee shop" sold in no shop).
        job_words = {i for s, e, _ in job_hits if e - s > 1 for i in range(s, e)}
        experience_hits = [h for h in experience_hits if not set(range(h[0], h[1])) <= job_words]
        # "not so much at hard selling", "j'ai horreur de la vente": a kind of selling turned down is not had.
        experience_hits = [h for h in experience_hits if h[2] == "none" or not self._turned_down(tokens, h[0])]
        # "commercial terrain B2C": a kind of selling said right after another qualifies it (no B2B here).
        experience_hits = [h for h in experience_hits if not (h[2] == "b2b" and any(
            k == "retail" and 0 <= s - h[1] <= 1 for s, _, k in experience_hits))]
        experience = {k for _, _, k in experience_hits}
        if "retail" in experience and "b2b" not in experience:
            # "Vendeuse en boutique depuis 5 ans": a shop seller named by a word that is also a role's name holds no
            # role of the sources; the years are selling to consumers (B2C).
            strong = {rid for s, e, rid in role_hits if tuple(tokens[s:e]) not in self._weak}
            current = tuple(r for r in current if r in strong)
        other = has_phrase(tokens, self._other)
        # "mon prof m'a dit que…", "my boss says…": a job after a possessive is someone else's, who speaks of the person.
        job_hits = [h for h in job_hits if not (h[0] and tokens[h[0] - 1] in c.possessives)]
        if other:
            # "je suis professeur principal, un élève veut devenir KAM": asking for someone else, the job the
            # speaker says of themselves is not the person's.
            speaker = {e for _, e, _ in self._speaker.find(tokens)}
            job_hits = [h for h in job_hits if not speaker & {h[0], h[0] - 1, h[0] - 2}]
        jobs = {j for _, _, j in job_hits}
        for rid in current:
            experience.update(c.role_experience.get(rid, ()))
        for s, e, job in job_hits:
            if job in c.job_schools and c.school_titles & set(tokens[s:e]):
                schools.add(c.job_schools[job])
        for job in jobs:
            if job in c.job_experience:
                experience.add(c.job_experience[job])
        sales_at = sorted({s for s, _, k in experience_hits if k in ("vente", "b2b", "retail")}
                          | {s for s, _, rid in role_hits if rid in current})
        job_at = sorted(s for s, _, _ in job_hits)
        years, other_years, age = self._durations(tokens, sales_at, job_at)
        if experience & {"vente", "b2b", "retail"} or years:
            experience.discard("none")
        liked: set[str] = set()
        refused: set[str] = set()
        # "bac+5 informatique", "master finance": a sector right after a level is what was studied, not a liking.
        level_ends = {e for _, e, _ in self._levels.find(tokens)}
        sentence: tuple[int, ...] = ()  # each token's sentence, made at the first sector that needs it
        last: dict[str, bool] = {}  # whether each inclination's last mention turns it down
        found = self._inclinations.find(tokens)
        for s, e, k in found:
            if k in c.aimed_inclinations and not sentence:
                sentence = self._sentence_of(text, tokens)
            if s in role_words or (k not in _LEANING and level_ends & {s, s - 1}) or (
                    k in c.aimed_inclinations and not any(0 <= s - a <= _AIM_REACH and sentence[a - 1] == sentence[s]
                                                          for a in aims if a)
                                   and not has_phrase(tokens[e:e + 4], self._assets)):
                continue
            # « pas de phoning », « sans prospection », « no cold calls »: denied right before, turned down too.
            # (A refusal said after reaches back over a list of the same kind, not over another kind named between.)
            until = min((o for o, _, other in found if o >= e and other != k), default=None)
            said_no = self._turned_down(tokens, s, e, until) or self._denied(tokens, s)
            (refused if said_no else liked).add(k)
            last[k] = said_no
        # "I hate cold calling", "marre de chasser": turning one side down leans to its only opposite (farming).
        for k in refused - liked:
            if len(c.opposites.get(k, ())) == 1:
                liked |= c.opposites[k] - refused
        # "je fais 100 % new business et j'en ai marre de chasser. Je voudrais garder mes clients": a side told, then
        # turned down last, with its opposite liked, is the side left.
        liked -= {k for k in liked & refused if last[k] and c.opposites.get(k, frozenset()) & liked}
        languages = self._languages.find(tokens)
        spans = [(s, e) for s, e, _ in languages]
        if self._other_languages and languages:  # they matter only beside a language of the requirements
            spans += [(i, j) for i in range(len(tokens)) for j in range(i + 1, min(i + 3, len(tokens)) + 1)
                      if tuple(tokens[i:j]) in self._other_languages]

        def weak(start: int, end: int) -> bool:
            return self._weakly(tokens, start, end, spans)

        # « j'aime pas trop les rdv ni négocier »: a skill turned down is one the person lacks, not one they have.
        skills = self._skills.find(tokens)
        skills_down = {k for s, e, k in skills if self._turned_down(tokens, s, e) or self._denied(tokens, s)}

        return Profile(
            studies=top, studying=studying, placement=has_phrase(tokens, self._placement), schools=frozenset(schools),
            years=years, other_years=other_years, experience=frozenset(experience), jobs=frozenset(jobs),
            current=current, target=target,
            inclinations=frozenset(liked),
            skills=frozenset(k for _, _, k in skills) - skills_down,
            # "quel niveau d'anglais est attendu ?": a language asked about is not had.
            languages=frozenset(k for s, e, k in languages if not self._denied(tokens, s) and not weak(s, e)
                                and not c.asking_before & set(tokens[max(0, s - 3):s])),
            # "je parle pas anglais": a language denied is lacking, as a weak one is.
            lacking=frozenset({k for s, e, k in languages if weak(s, e) or self._denied(tokens, s)}
                              | self._lacks.ids(tokens) | skills_down),
            age=age, other=other,
        )

    def aims_at(self, tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
        """Whether *phrase* follows a target cue in *tokens* ("devenir community manager"), within two words."""
        targets = {e for _, e, _ in self._target.find(tokens)}
        # "passer de prof à un métier commercial": the job after "de" / "from" is where the person comes from.
        # (... unless that "de" ends the target cue: « une formation de développeur web ».)
        return any(tokens[i:i + len(phrase)] == phrase and targets & {i, i - 1, i - 2}
                   and not (i and tokens[i - 1] in self.cues.origin_before and i not in targets)
                   for i in range(len(tokens) - len(phrase) + 1))

    def holds(self, tokens: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
        """Whether *phrase* follows a cue of the person's current job in *tokens* ("je suis agent immobilier",
        "I'm a nurse"), within two words: the job told is the asker's own."""
        currents = {e for _, e, _ in self._current.find(tokens)}
        return any(tokens[i:i + len(phrase)] == phrase and currents & {i, i - 1, i - 2}
                   for i in range(len(tokens) - len(phrase) + 1))

    def _asked_spans(self, text: str, tokens: tuple[str, ...]) -> frozenset[int]:
        """Positions of *tokens* in a question that says nothing of the person ("Est-ce que le bac+5 est
        bloquant ?"): a level named there is asked about, not had. Empty when the sentences do not add up
        to the message's tokens."""
        positions: set[int] = set()
        at = 0
        for sentence in _SENTENCE.findall(text):
            words = self.tokens(sentence)
            said = set(normalise(fold(sentence), self._rewrites))  # elided "j'" kept: "j'ai un bac+5 ?"
            if sentence.rstrip().endswith("?") and not said & (self.cues.self_cues | self.cues.person_cues):
                positions.update(range(at, at + len(words)))
            at += len(words)
        return frozenset(positions) if at == len(tokens) else frozenset()

    def _turned_down(self, tokens: tuple[str, ...], start: int, end: int | None = None, until: int | None = None) -> bool:
        """Whether a refusal cue stands in the eight words before *start* ("je déteste l'idée de faire de la
        prospection"), after any contrast word ("je n'aime pas le management **mais** j'adore prospecter"), or a
        refusal said after it in the six words after *end* ("la prospection à froid me stresse", "le closing agressif ce
        n'est pas pour moi"), up to *until* (where something else is named: "fidéliser les habitués. La prospection me
        fait peur" turns down the prospecting only)."""
        before = tokens[max(0, start - 8):start]
        # A contrast or an aim ends the reach of what was said before it, unless a negation is next to it ("je veux
        # pas", "I don't want to").
        neg = self.cues.negation_words
        cut = max((i + 1 for i, t in enumerate(before) if t in self.cues.contrast_words
                   and not set(before[max(0, i - 3):i]) & self.cues.negation_before
                   and (i + 1 == len(before) or before[i + 1] not in neg)
                   and (t not in self.cues.joiners or self._new_clause(before[i + 1:i + 4]))),
                  default=0)
        # "plutôt le suivi de clients que la prospection": after "que", with "plutôt" before it, turned down.
        rather = any(t in self.cues.rather_than and set(tokens[max(0, start - 10):start - 3 + k]) & self.cues.rather_cues
                     for k, t in enumerate(tokens[max(0, start - 3):start]))
        if rather or has_phrase(before[cut:], self._refusals):
            return True
        if end is None:
            return False
        # "le suivi client, les réunions de renouvellement, tout ça m'ennuie": a refusal said after a list reaches
        # back over it, up to ten words, unless a new clause starts in between ("… et je m'ennuie jamais").
        after = tokens[end:min(end + 10, len(tokens) if until is None else until)]
        stop = next((i for i, t in enumerate(after)
                     if t in self.cues.clause_starts or t in self.cues.contrast_words - self.cues.joiners), len(after))
        return has_phrase(after[:max(stop, 6)], self._refusals_after)

    def _new_clause(self, after: tuple[str, ...]) -> bool:
        """Whether the words after a joiner open a new clause ("et j'adore", "and I love"), not a second object."""
        return bool(set(after) & (self.cues.clause_starts | (self.cues.contrast_words - self.cues.joiners)))

    def _weakly(self, tokens: tuple[str, ...], start: int, end: int,
                spans: Iterable[tuple[int, int]] = ()) -> bool:
        """Whether a weakness word stands within two words before *start* or three after *end* ("un anglais
        scolaire", "my English is basic") and is this language's, not another's of *spans* (the languages
        named): right after a language it is that one's ("anglais scolaire, espagnol courant"), right before
        one it is that one's ("English, Hindi and basic French": the French is basic)."""
        spans = tuple(spans)
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        for i, j in self._weak_at(tokens, max(0, start - 3), start):
            if (tuple(tokens[i:j]) in self._weak_before and j >= start - 1) or (i >= start - 2 and i not in ends):
                return True  # (« a bit of German », « un peu espagnol » right after another language)
        nxt = min((s for s in starts if s >= end), default=len(tokens))
        for i, j in self._weak_at(tokens, end, min(end + 3, nxt)):
            if tuple(tokens[i:j]) in self._weak_before and starts & {j, j + 1}:
                continue  # « anglais + un peu espagnol »: the next language's
            if i == end or not (starts & {j, j + 1}):
                return True
        return False

    def _weak_at(self, tokens: tuple[str, ...], lo: int, hi: int) -> list[tuple[int, int]]:
        """The spans ``(i, j)`` of weakness phrases lying within ``tokens[lo:hi]``."""
        return [(i, j) for i in range(lo, hi) for j in range(i + 1, min(i + 4, hi) + 1)
                if tuple(tokens[i:j]) in self._weak_words]

    def _denied(self, tokens: tuple[str, ...], start: int) -> bool:
        """Whether a denial stands right before *start* ("pas de bac+5", "sans anglais")."""
        before = start
        # (« obligatoirement un diplôme d'école de commerce »: the words of a degree between are skipped.)
        while before > 0 and start - before < 4 and tokens[before - 1] in self.cues.denial_fillers:
            before -= 1
        return has_phrase(tokens[max(0, start - 2):start], self._denials) or (
            before < start and has_phrase(tokens[max(0, before - 2):before], self._denials))


    def _role_places(self, tokens: tuple[str, ...],
                     role_hits: list[tuple[int, int, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Roles held and roles aimed at: a target cue right before a role makes it aimed at, a current
        cue near it (or a duration after it) makes it held; a lone role of a message that asks is aimed at."""
        current: list[str] = []
        target: list[str] = []
        targets = {e for _, e, _ in self._target.find(tokens)}
        currents = self._current.find(tokens)
        for start, end, rid in role_hits:
            before = {start - k for k in (0, 1, 2)}
            # Determiners between the cue and the role ("devenir un KAM") are skipped by the window.
            if targets & before:
                target.append(rid)
            elif targets & {start - k for k in range(3, _TARGET_REACH + 1)} and not (
                    end < len(tokens) and tokens[end] in self.cues.duration_before):
                # « switching to B2B as an Account Manager »: the aim a few words before wins over the "as an"
                # right before, unless a duration follows the role (« … comme AE depuis 2 ans »).
                target.append(rid)
            # A cue right after the role counts ("SDR depuis un an"), but not a pronoun opening the next sentence
            # ("… for our AEs. I want to…").
            elif tuple(tokens[start:end]) in self._kind_aliases:
                continue  # "I'm a field sales rep": a kind of selling (its experience is read), not the role held
            elif any((e in before if e - s > 1 else e <= start and set(tokens[e:start]) <= self._role_between)
                     or (s == end and tokens[s] not in self.cues.self_cues) for s, e, _ in currents):
                # (A one-word cue, « I'm » read « i », stands right before the role, its article or its level: « should
                # I look at account management » holds none.)
                current.append(rid)
            elif end < len(tokens) and tokens[end] in self.cues.duration_before:
                current.append(rid)
            elif end + 1 < len(tokens) and tokens[end] in self.cues.role_levels \
                    and tokens[end + 1] in self.cues.duration_before:
                current.append(rid)  # "AE junior depuis 2 ans"
            elif start == 0 and tuple(tokens[start:end]) in self._weak:
                current.append(rid)
        return tuple(dict.fromkeys(current)), tuple(dict.fromkeys(r for r in target if r not in current))

    def _number(self, token: str) -> float | None:
        if token.isdigit():
            return float(token)
        if re.fullmatch(r"\d+[.,]\d+", token):
            return float(token.replace(",", "."))
        return float(self.cues.numbers[token]) if token in self.cues.numbers else None

    def _durations(self, tokens: tuple[str, ...], sales_at: list[int],
                   job_at: list[int]) -> tuple[float | None, float | None, int | None]:
        """(years of sales experience, years in another job, age) from "4 ans", "depuis un an", "six mois"."""
        c = self.cues
        ages = {e for _, e, _ in self._age_before.find(tokens)}
        years: float | None = None
        other: float | None = None
        age: int | None = None
        for i in range(len(tokens) - 1):
            n = self._number(tokens[i])
            unit = tokens[i + 1]
            if n is None or (unit not in c.year_units and unit not in c.month_units):
                continue
            start = i - 1 if i and self._number(tokens[i - 1]) is not None else i
            if start and tokens[start - 1] in c.required_before:
                continue  # "pour être KAM faut 3-5 ans d'xp ?": what a role asks, not the asker's past
            value = n / 12 if unit in c.month_units else n
            # « un an et demi », « a year and a half »: half a unit more, the words after it read past it.
            half = next((len(h) for h in c.half_after if tuple(tokens[i + 2:i + 2 + len(h)]) == h), 0)
            if half:
                value += 0.5 / 12 if unit in c.month_units else 0.5
            after = tokens[i + 2 + half:i + 5 + half]
            if has_phrase(tokens[i + 2:i + 4], self._aim_after) and not (i and tokens[i - 1] in c.past_before):
                continue  # "une formation de 3 mois pour devenir commercial": a time to get there, not a past
            said_after = bool(set(after) & c.experience_after)
            of_age = i >= 1 and tokens[i - 1] in c.age_of and (i < 2 or tokens[i - 2] not in c.not_age)
            # "Ingénieur, 31 ans, 5 ans en R&D": a number of years right before another duration is an age.
            next_duration = i + 3 < len(tokens) and self._number(tokens[i + 2]) is not None and (
                tokens[i + 3] in c.year_units or tokens[i + 3] in c.month_units)
            # "Étudiant en L3, 21 ans, je bosse chez…": years followed by a new clause are an age.
            new_clause = bool(after[:1] and after[0] in c.clause_starts) and not (i and tokens[i - 1] in c.duration_before)
            if (after[:1] and after[0] in c.age_after) or (
                    unit in c.year_units and n >= 15 and not (after[:1] and after[0] in c.experience_next)
                    and (i in ages or (of_age and n >= 16) or (next_duration and n >= 16) or (new_clause and n >= 16))):
                age = int(n)
                continue
            if not (said_after or (i and tokens[i - 1] in c.duration_before)):
                continue
            # The duration belongs to the nearest sales word or other job around it.
            near_sales = min((abs(p - i) for p in sales_at), default=None)
            near_job = min((abs(p - i) for p in job_at), default=None)
            # "Data analyst depuis 3 ans" with no word of sales anywhere: time in a job careerbot does not name.
            # "2 years in R&D", "5 ans dans la logistique", "(20 ans chef d'atelier)": with no word of selling in the
            # message, a duration is time in another trade, unless it is said of experience ("3 ans d'expérience").
            unnamed_job = near_sales is None and i > 1 and not set(tokens[i + 2:i + 5]) & c.experience_words
            if unnamed_job or (near_job is not None and (near_sales is None or near_job < near_sales)):
                other = max(other or 0.0, value)
            else:
                years = max(years or 0.0, value)
        return years, other, age


def with_target(profile: Profile, roles: tuple[str, ...]) -> Profile:
    """*profile* aiming at *roles* (a follow-up naming a role)."""
    return replace(profile, target=roles)


def _cue_phrases(items: Iterable[str], rewrites: Mapping[str, str]) -> Phrases:
    """*items* as token tuples matched on :meth:`ProfileReader.tokens` (elided letters dropped, as there)."""
    return frozenset(tuple(t for t in p if t not in ELIDED) for p in phrases(items, rewrites)) - {()}
