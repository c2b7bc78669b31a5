"""Match a :class:`~bot.profile.Profile` against the sources' requirements, role by role.

:func:`match` is pure: for each role it checks every requirement of
``knowledge/guidance.toml`` (met, missing, not said by the profile, or against
an inclination the person gave), scores the role, and returns the roles that
fit, ranked, with their reasons, their gaps and the paths the sources state,
plus the subjects of the question the sources never speak of.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .profile import Profile
from .requirements import Guidance, Requirement, Silence, Stated

__all__ = ["Check", "RoleFit", "Match", "Weights", "match", "check", "raises"]

MET, GAP, UNKNOWN, CONFLICT = "met", "gap", "unknown", "conflict"
_SALES = frozenset({"vente", "b2b"})


@dataclass(frozen=True)
class Weights:
    """How much each checked requirement counts in a role's score (one place, named)."""

    inclination: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"exige": 3.0, "idealement": 2.0, "apprecie": 2.0, "parfois": 1.0}))
    """A met inclination, by the strength the source gives it."""
    years: float = 2.0
    studies: float = 1.5
    experience: float = 1.5
    language: float = 1.0
    skill: float = 0.5
    gap: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(
        {"exige": -2.0, "idealement": -1.5, "apprecie": -1.0, "parfois": -0.5}))
    """A requirement not met, by strength."""
    conflict: float = -3.0
    """The person prefers the opposite of what the role is for (to hunt, for a role that farms)."""
    target: float = 100.0
    """The role the person asks about comes first, whatever its score."""
    shown: int = 2
    """How many fitting roles an answer names (a role asked about is always named)."""
    qualities: int = 2
    """Qualities of a role's sheet the person must name for it to be proposed on them alone (no other reason)."""
    age_said: int = 30
    """From this age, an age told in passing ("j'ai 45 ans") is met with what the sources say of age (nothing); a
    younger one ("ma fille de 20 ans") is context. Asked about ("trop tard ?"), age is always answered."""


@dataclass(frozen=True)
class Check:
    """One requirement checked against the profile."""

    requirement: Requirement
    status: str
    """``met``, ``gap`` (the profile says otherwise), ``unknown`` (the profile does not say) or ``conflict``."""


@dataclass(frozen=True)
class RoleFit:
    """How one role fits a profile."""

    role: str
    score: float
    reasons: tuple[Check, ...]
    """Met requirements, the strongest first."""
    gaps: tuple[Check, ...]
    """Requirements not met, and inclinations the person goes against."""
    unknown: tuple[Check, ...]
    """Requirements of experience, studies or language the profile does not speak of."""
    paths: tuple[Requirement, ...]
    """What the sources say of the way to or from the role."""
    target: bool = False
    """The person asked about this role."""


@dataclass(frozen=True)
class Match:
    """The roles that fit a profile and what the sources do not say."""

    fits: tuple[RoleFit, ...]
    """Roles worth naming, best first (the role asked about first)."""
    ranked: tuple[RoleFit, ...]
    """Every role with requirements, best first."""
    silences: tuple[Silence, ...]
    """Subjects the question or the profile raises that no source speaks of."""
    unstated: tuple[tuple[str, str], ...]
    """``(role, kind)``: a kind of requirement the profile speaks of that the sources give no role shown."""
    raised: tuple[Silence, ...] = ()
    """The silences the question's own words raise ("le télétravail est-il courant ?"), the first thing to say."""
    asked: frozenset[str] = frozenset()
    """Kinds of requirement the question asks about (``studies``…: "il faut quoi comme études ?")."""
    stated: tuple[Stated, ...] = ()
    """Subjects the question names that the sources answer role by role ("un poste sans objectifs ?")."""

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(f.role for f in self.fits)


def check(req: Requirement, profile: Profile, opposites: Mapping[str, frozenset[str]] = MappingProxyType({})) -> Check:
    """Whether *profile* meets *req* (see :class:`Check` for the statuses)."""
    values = set(req.values)
    kind = req.kind
    if kind == "years":
        # Sales years meet years of experience. Years in another job meet none: with a kind named (the AE's
        # B2B sales) they are not it; with none (the KAM sheet's 3 to 5) the sheet does not say whether they
        # count, so the answer says what the person has and leaves it open.
        if profile.years is None and profile.other_years is not None:
            return Check(req, GAP if values else UNKNOWN)
        if profile.years is None:
            return Check(req, GAP if profile.beginner and not profile.current else UNKNOWN)
        if profile.retail_only and (req.min is None or profile.years >= req.min):
            # Shop (B2C) years: not the AE's B2B sales years; the KAM sheet does not say whether they count.
            return Check(req, GAP if values else UNKNOWN)
        return Check(req, MET if req.min is None or profile.years >= req.min else GAP)
    if kind == "studies":
        if profile.schools & values:
            return Check(req, MET)
        if profile.studies is None:
            return Check(req, UNKNOWN)
        # A level being prepared ("je termine mon M2") meets no requirement yet: the answer says it is in progress.
        return Check(req, MET if (req.min is None or profile.studies >= req.min) and not profile.studying else GAP)
    if kind == "experience-kind":
        had = set(profile.experience) | ({"vente"} if "b2b" in profile.experience else set())
        if had & values:
            return Check(req, MET)
        if "vente" in had and "retail" not in had and values <= _SALES:
            # Selling of a kind the message does not say ("inside sales dans une startup SaaS", "ingénieur commercial
            # dans une ESN"): B2B is not said missing, only not said.
            return Check(req, UNKNOWN)
        known = bool(had) or bool(profile.jobs) or profile.years is not None
        return Check(req, GAP if known else UNKNOWN)
    if kind == "language":
        return Check(req, MET if profile.languages & values else GAP if profile.lacking & values else UNKNOWN)
    if kind == "inclination":
        if profile.inclinations & values:
            return Check(req, MET)
        if profile.lacking & values and req.strength == "exige":
            return Check(req, GAP)  # "never managed anyone", for a job that very often means managing a team
        against = {o for v in values for o in opposites.get(v, ())}
        if profile.inclinations & against and req.strength == "exige":
            return Check(req, CONFLICT)
        return Check(req, UNKNOWN)
    if kind == "skill":
        # « je ne manage personne »: a skill said not to be had is missing, not unsaid.
        return Check(req, MET if profile.skills & values else GAP if profile.lacking & values else UNKNOWN)
    return Check(req, UNKNOWN)


def _weight(c: Check, w: Weights) -> float:
    req = c.requirement
    if c.status == MET:
        if req.kind == "inclination":
            return w.inclination.get(req.strength, 1.0)
        return {"years": w.years, "studies": w.studies, "experience-kind": w.experience,
                "language": w.language, "skill": w.skill}.get(req.kind, 0.0)
    if c.status == GAP:
        return w.gap.get(req.strength, -1.0)
    if c.status == CONFLICT:
        return w.conflict
    return 0.0


def _liked(fit: RoleFit, w: Weights) -> float:
    """How much of a role's score comes from inclinations the person gave."""
    return sum(_weight(c, w) for c in fit.reasons if c.requirement.kind == "inclination")


def _relevant_path(req: Requirement, profile: Profile, target: bool) -> bool:
    """Whether a path requirement speaks to this profile: a hand-off from a role held or to a role aimed
    at, an entry level for a beginner, a career onward for a role asked about or an ambition to manage."""
    value = req.values[0]
    if value == "handoff":
        # From the role held to the one aimed at, or onward from it when nothing else is aimed at (an AE aiming
        # at KAM has no use for the AE's hand-off to the CSM).
        return (req.role in profile.current and (not profile.target or req.to in profile.target)) \
            or req.to in profile.target
    if value == "entry":
        return profile.beginner or (profile.years is not None and profile.years < 2)
    if value == "career":
        # Where the role leads: for someone who wants to manage or go international, not every role aimed at.
        return bool(profile.inclinations & {"management", "international"})
    return False


def raises(silence: Silence | Stated, words: tuple[str, ...]) -> bool:
    """Whether the folded *words* of a question name *silence* (one of its keywords)."""
    if not silence.keywords:
        return False
    text = f" {' '.join(words)} "
    return any(f" {k} " in text for k in silence.keywords)


def match(profile: Profile, guidance: Guidance, *, roles: Iterable[str], words: tuple[str, ...] = (),
          opposites: Mapping[str, frozenset[str]] = MappingProxyType({}), weights: Weights | None = None,
          asked: frozenset[str] = frozenset()) -> Match:
    """The roles of *roles* that fit *profile*, ranked, with reasons, gaps and paths.

    Parameters
    ----------
    profile : Profile
    guidance : Guidance
        The requirements (``knowledge/guidance.toml``).
    roles : iterable of str, keyword-only
        Role ids to consider, in the order ties keep.
    words : tuple of str, keyword-only
        The question's folded words, for the subjects it raises that the sources never speak of.
    opposites : mapping, keyword-only
        Inclination -> the ones it excludes (``farming`` -> ``hunting``).
    asked : frozenset of str, keyword-only
        Kinds of requirement the question asks about (``studies``, ``years``, ``language``): for a role shown
        whose sources give none, the answer says so even if the profile is silent on them.

    Examples
    --------
    >>> fits = match(Profile(years=4.0, inclinations=frozenset({"farming"})), guidance, roles=["am", "kam"])  # doctest: +SKIP
    >>> fits.roles                                                                                        # doctest: +SKIP
    ('kam', 'am')
    """
    weights = weights or Weights()
    order = list(dict.fromkeys(roles))
    fits: list[RoleFit] = []
    for role in order:
        reqs = guidance.of(role)
        if not reqs:
            continue
        target = role in profile.target
        checks = [check(r, profile, opposites) for r in reqs if r.kind != "path"]
        score = sum(_weight(c, weights) for c in checks) + (weights.target if target else 0.0)
        reasons = sorted((c for c in checks if c.status == MET), key=lambda c: -_weight(c, weights))
        gaps = [c for c in checks if c.status in (GAP, CONFLICT)]
        unknown = [c for c in checks if c.status == UNKNOWN and c.requirement.kind in ("years", "studies", "language",
                                                                                       "experience-kind")]
        paths = [r for r in reqs if r.kind == "path" and _relevant_path(r, profile, target)]
        fits.append(RoleFit(role, score, tuple(reasons), tuple(gaps), tuple(unknown), tuple(paths), target))
    # What the person says they like comes first, then the whole score (gaps included).
    ranked = sorted(fits, key=lambda f: (-f.target, -_liked(f, weights), -f.score, order.index(f.role)))
    # A role is worth naming when it is asked about, matches an inclination the person gave, or fits
    # on more than skills (the experience, the studies) and scores above nothing; a role held is no advice.
    # Someone who has never sold (a teacher, a student) does not fit a role that asks years of experience on their
    # studies or skills alone: such a role is named for a liking of theirs (« l'international » for the KAM), or not
    # at all (the answer then says what each role asks).
    unsold = not profile.experience & _SALES and not profile.current and (profile.beginner or profile.years is None)

    def years_open(f: RoleFit) -> bool:
        # (A school the sheet names, « école d'ingénieurs » for the KAM, is more than a level: it counts.)
        return unsold and any(r.kind == "years" for r in guidance.of(f.role)) \
            and not any(c.requirement.kind == "years" or (c.requirement.kind == "studies"
                                                          and profile.schools & set(c.requirement.values))
                        for c in f.reasons)

    def scores(f: RoleFit) -> bool:
        # (The years a beginner lacks rank a role lower; they do not take away a liking it matches: « l'international »
        # still names the KAM.)
        liked = _liked(f, weights) > 0
        return f.score > 0 or (liked and f.score - sum(_weight(c, weights) for c in f.gaps
                                                       if c.requirement.kind == "years") > 0)

    shown = [f for f in ranked if f.target]
    worth = [f for f in ranked if not f.target and f.role not in profile.current
             and (_liked(f, weights) >= 2 or (scores(f) and (not years_open(f) or _liked(f, weights) > 0) and any(
                 c.requirement.kind not in ("skill", "language") for c in f.reasons)))]
    shown += worth[:max(0, weights.shown - len(shown))]
    if not shown:
        # Nothing else points anywhere, but a skill the person says they have is one a role's sheet asks ("j'adore
        # la data" against the AM's data analysis): those roles, with that reason.
        # A role whose sheet asks several of the qualities the person names ("compétition, gestion de la pression,
        # esprit d'équipe" against the AE's) is named even to someone who never sold: the years it asks are a gap
        # then; so is a role that asks the languages the person asks about ("which job values my languages?").
        def qualities(f: RoleFit) -> int:
            return len({v for c in f.reasons if c.requirement.kind == "skill" for v in c.requirement.values}
                       & profile.skills)

        shown = [f for f in ranked if f.role not in profile.current and (
            (not years_open(f) and qualities(f) > 0) or qualities(f) >= weights.qualities
            or ("language" in asked and any(c.requirement.kind == "language" for c in f.reasons)))][:weights.shown]
    raised = [s for s in guidance.silences.values() if raises(s, words)]
    silences = list(raised)
    auto = {"age": profile.age is not None and profile.age >= weights.age_said,
            "former-job": bool(profile.jobs) and not profile.experience & _SALES,
            # (a move from another job says it already)
            "no-experience": profile.beginner and not profile.current and not (profile.jobs and not profile.experience & _SALES),
            "promotion": bool(profile.current and profile.target)}
    silences += [guidance.silences[k] for k, on in auto.items() if on and k in guidance.silences]
    said = {"studies": profile.studies is not None or bool(profile.schools) or "studies" in asked,
            "years": profile.years is not None or "years" in asked,
            "language": bool(profile.languages) or "language" in asked}
    unstated = tuple((f.role, kind) for f in shown for kind, on in said.items()
                     if on and not any(r.kind == kind for r in guidance.of(f.role)))
    return Match(fits=tuple(shown), ranked=tuple(ranked), silences=tuple(dict.fromkeys(silences)), unstated=unstated,
                 raised=tuple(raised), asked=asked, stated=tuple(s for s in guidance.stated if raises(s, words)))
