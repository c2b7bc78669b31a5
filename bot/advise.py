"""Write a guidance answer: the roles that fit a profile, what is missing, the way there, cited line by line.

:class:`Adviser` holds the requirements, the profile cues and the knowledge
base; :meth:`Adviser.resolve` matches a guidance :class:`~bot.reading.Reading`
(its roles become the roles found) and :meth:`Adviser.compose` writes the
short answer, its follow-ups (pay at the start, skills to work on) included.
Every line names its source; what the sources never say is said so.
"""

from __future__ import annotations

from dataclasses import replace

from .answer import Answer
from .guidance import CONFLICT, Check, Match, RoleFit, check, match
from .intents import Intents
from .knowledge import Knowledge, Role, SalaryFigure
from .normalise import tokenize
from .profile import Profile, ProfileCues
from .reading import Reading
from .requirements import Guidance

__all__ = ["Adviser"]

# The answer's fixed wording (like the verdicts of bot/compose.py): one place, French.
_NEXT = {
    "fit": "Et combien je gagnerais au début ?",
    "salary": "Et quelles compétences travailler ?",
    "skills": "Et si je préfère chasser de nouveaux clients ?",
}
_NEXT_FARM = "Et si je préfère fidéliser des clients existants ?"
_UNSTATED = {"studies": "les études demandées", "years": "l'expérience demandée", "language": "les langues demandées"}


def _years(value: float) -> str:
    if value < 1:
        return f"{round(value * 12)} mois"
    shown = f"{value:g}".replace(".", ",")
    return f"{shown} an" if value < 2 else f"{shown} ans"


def _src(file: str) -> str:
    return f"[{file.split('_')[0]}]"



def _de(label: str) -> str:
    """« de » before *label*, contracted as French wants it (« du soin », « de l'enseignement »)."""
    if label.startswith("le "):
        return "du " + label[3:]
    if label.startswith("les "):
        return "des " + label[4:]
    return "de " + label

class Adviser:
    """Guidance answers from *guidance* (requirements), *cues* (profile wording) and the knowledge base.

    Parameters
    ----------
    knowledge : Knowledge
    intents : Intents
        For the words naming a junior level (salary follow-up).
    guidance : Guidance
    cues : ProfileCues
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, guidance: Guidance, cues: ProfileCues):
        self.kb = knowledge
        self.guidance = guidance
        self.cues = cues
        self._junior = tuple(intents.lexicon.seniority.get("junior", ()))

    # ---------------------------------------------------------------- matching
    def match(self, profile: Profile, question: str = "", roles=None) -> Match:
        """The roles fitting *profile* among *roles* (default: all; see :func:`bot.guidance.match`)."""
        return match(profile, self.guidance, roles=roles if roles is not None else self.kb.roles,
                     words=tuple(tokenize(question)), opposites=self.cues.opposites)

    def resolve(self, reading: Reading, question: str = "", remembered: Profile | None = None) -> Reading:
        """*reading* with the profile merged into the *remembered* one and the roles found in its ``roles``
        (a pay or skills follow-up keeps the roles it came with).

        Roles the question names that it neither holds nor aims at ("lequel choisir entre AE et KAM ?")
        are the only candidates.
        """
        profile = reading.profile or Profile()
        if remembered is not None:
            profile = remembered.merged(profile, self.cues.opposites)
        if reading.guidance in ("salary", "skills"):
            return replace(reading, profile=profile)
        named = [r for r in reading.roles if r not in profile.current and r not in profile.target]
        roles = (*profile.target, *named) if len(named) >= 2 else tuple(self.kb.roles)
        found = self.match(profile, question, roles=roles).roles
        return replace(reading, roles=found, profile=profile)

    # ---------------------------------------------------------------- wording
    def _name(self, role_id: str) -> str:
        role = self.kb.roles[role_id]
        return role.label

    def _short(self, role_id: str) -> str:
        role = self.kb.roles[role_id]
        return role.short or role.name

    def _have(self, c: Check, p: Profile) -> str:
        """What the profile says about a requirement, for the end of its line ("votre profil : 1 an")."""
        who = "son profil" if p.other else "votre profil"
        kind = c.requirement.kind
        if kind == "years":
            if p.years is not None:
                return f"{who} : {_years(p.years)} en vente"
            return f"{who} : aucune expérience en vente citée" if p.beginner else f"{who} ne le précise pas"
        if kind == "studies":
            said = [self.cues.label("schools", s) for s in sorted(p.schools)]
            if p.studies is not None:
                said.insert(0, "Bac" if p.studies == 0 else f"Bac +{p.studies}")
            return f"{who} : {', '.join(said)}" if said else f"{who} ne le précise pas"
        if kind == "experience-kind":
            kinds = [self.cues.label("experience", k) for k in sorted(p.experience)
                     if k != "vente" or "b2b" not in p.experience]
            kinds += [self.cues.label("jobs", j) for j in sorted(p.jobs)]
            return f"{who} : {', '.join(kinds)}" if kinds else f"{who} ne le précise pas"
        if kind == "language":
            langs = [self.cues.label("languages", x) for x in sorted(p.languages)]
            return f"{who} : {', '.join(langs)}" if langs else f"{who} ne le précise pas"
        if kind == "inclination":
            liked = [self.cues.label("inclinations", i) for i in sorted(p.inclinations)]
            if c.status == CONFLICT:
                return f"vous préférez : {', '.join(liked)}" if not p.other else f"préférence : {', '.join(liked)}"
            return ""
        return ""

    def _line(self, c: Check, p: Profile) -> str:
        text = c.requirement.text.rstrip(".")
        have = self._have(c, p)
        return f"{text}{' — ' + have if have else ''}. {_src(c.requirement.source)}"

    def _summary(self, p: Profile) -> str:
        """The profile as read, in one parenthesis, so the person can see what was understood."""
        parts: list[str] = []
        if p.studies is not None or p.schools:
            study = [f"Bac +{p.studies}" if p.studies else "Bac"] if p.studies is not None else []
            parts.append(", ".join(study + [self.cues.label("schools", s) for s in sorted(p.schools)]))
        if p.current:
            parts.append(", ".join(self._short(r) for r in p.current))
        if p.years is not None:
            parts.append(f"{_years(p.years)} en vente")
        kinds = [self.cues.label("experience", k) for k in sorted(p.experience) if k != "vente" or "b2b" not in p.experience]
        if kinds and not p.current:
            parts.append(", ".join(kinds))
        if p.jobs:
            parts.append("venant " + ", ".join(_de(self.cues.label("jobs", j)) for j in sorted(p.jobs)))
        if p.inclinations:
            parts.append("attiré par : " + ", ".join(self.cues.label("inclinations", i) for i in sorted(p.inclinations)))
        if p.languages:
            parts.append(", ".join(self.cues.label("languages", x) for x in sorted(p.languages)))
        return " ; ".join(parts)

    def _cite(self, files) -> str:
        cited = [(f, self.kb.sources[f].title if f in self.kb.sources else f) for f in dict.fromkeys(files)]
        if not cited:
            return ""
        label = "Source" if len(cited) == 1 else "Sources"
        return f"{label} : " + " ; ".join(f"« {title} » ({f.split('_')[0]})" for f, title in cited)

    def _silent_line(self, m: Match) -> str:
        said = [s.text for s in m.silences]
        for kind, label in _UNSTATED.items():
            roles = [self._short(role) for role, k in m.unstated if k == kind]
            if roles:
                said.append(f"{label} pour {' et '.join(roles)}")
        return f"Les sources ne disent rien de : {' ; '.join(dict.fromkeys(said))}." if said else ""

    # ---------------------------------------------------------------- answers
    def compose(self, reading: Reading, question: str = "") -> Answer:
        """The guidance answer for *reading* (a guidance request or one of its follow-ups)."""
        profile = reading.profile or Profile()
        if reading.guidance == "salary":
            lines, files = self._salary(reading.roles)
            nxt = _NEXT["salary"]
        elif reading.guidance == "skills":
            lines, files = self._skills(reading.roles, profile)
            nxt = _NEXT["skills"] if "hunting" not in profile.inclinations else _NEXT_FARM
        else:
            m = self.match(profile, question)
            if reading.roles and reading.roles != m.roles:
                # The candidates were the roles the question named ("lequel entre AE et KAM ?").
                m = replace(m, fits=tuple(f for r in reading.roles for f in m.ranked if f.role == r))
            lines, files = self._fits(m, profile, reading)
            nxt = _NEXT["fit"] if m.fits else (_NEXT_FARM if "hunting" in profile.inclinations else _NEXT["skills"])
        cite = self._cite(files)
        if cite:
            lines.append(cite)
        cited = tuple(dict.fromkeys(files))
        return Answer(text="\n".join(lines), intent="guidance", confidence=round(reading.confidence, 3),
                      role=reading.roles[0] if reading.roles else None, roles=tuple(reading.roles),
                      topic=reading.guidance, sources=cited, suggestions=(nxt,),
                      citations=tuple((f, self.kb.sources[f].title if f in self.kb.sources else f) for f in cited))

    def _fits(self, m: Match, p: Profile, reading: Reading) -> tuple[list[str], list[str]]:
        files: list[str] = []
        lines: list[str] = []
        lead = {"farming": "fidéliser", "hunting": "chasser"}
        summary = self._summary(p)
        if summary and reading.guidance != "prefer":
            lines.append(f"{'Profil décrit' if p.other else 'Votre profil'} : {summary}.")
        if reading.guidance == "prefer":
            liked = [lead.get(i, self.cues.label("inclinations", i)) for i in sorted(p.inclinations)]
            lines.append(f"Avec cette préférence ({', '.join(liked)}), d'après les sources :" if liked else
                         "D'après les sources :")
        elif m.fits and m.fits[0].target:
            lines.append(f"Pour devenir {self._name(m.fits[0].role)}, d'après les sources :")
        elif m.fits:
            lines.append("Les rôles qui correspondent, d'après les sources :")
        if not m.fits:
            lines.append("Les sources ne permettent pas de désigner un rôle pour ce profil. "
                         "Ce qu'elles demandent pour y entrer :")
            for fit in m.ranked:
                for c in [*fit.gaps, *fit.unknown][:2]:
                    if c.requirement.kind in ("years", "studies", "experience-kind"):
                        lines.append(f"• {self._short(fit.role)} : {self._line(c, p)}")
                        files.append(c.requirement.source)
        gaps: list[tuple[RoleFit, Check]] = []
        for fit in m.fits:
            reasons = [c for c in fit.reasons if c.requirement.kind != "skill"][:2] or list(fit.reasons[:1])
            if fit.target and not reasons:
                lines.append(f"• {self._name(fit.role)} : rien dans ce profil ne répond encore à ce que les sources demandent.")
            elif reasons:
                lines.append(f"• {self._name(fit.role)} : " + " ".join(self._line(c, p) for c in reasons))
            files.extend(c.requirement.source for c in reasons)
            gaps += [(fit, c) for c in fit.gaps]
            if fit.target or fit is m.fits[0]:
                gaps += [(fit, c) for c in fit.unknown if c.requirement.kind in ("language", "years", "studies")]
        if gaps:
            lines.append("Ce qui manque encore :")
            for fit, c in gaps[:3]:
                lines.append(f"• {self._short(fit.role)} : {self._line(c, p)}")
                files.append(c.requirement.source)
        # The way from a role held ("SDR": the hand-off to the AE) counts as well as the way into the roles found.
        paths = [r for fit in m.ranked if fit in m.fits or fit.role in p.current for r in fit.paths]
        paths = sorted(paths, key=lambda r: r.values[0] != "handoff")[:2]
        if paths:
            lines.append("Le chemin, selon les sources :")
            for r in paths:
                lines.append(f"• {r.text} {_src(r.source)}")
                files.append(r.source)
        silent = self._silent_line(m)
        if silent:
            lines.append(silent)
        return lines, files

    def _junior_figures(self, role: Role) -> tuple[SalaryFigure, ...]:
        topic = role.topics.get("salary")
        if topic is None:
            return ()
        words = [f" {w} " for w in self._junior]
        return tuple(f for f in topic.figures if not f.on_request
                     and any(w in f" {' '.join(tokenize(f.seniority + ' ' + f.scope))} " for w in words))

    def _salary(self, roles: tuple[str, ...]) -> tuple[list[str], list[str]]:
        lines = ["Au début, pour les rôles trouvés, d'après les sources :"]
        files: list[str] = []
        for rid in roles:
            role = self.kb.roles[rid]
            figures = self._junior_figures(role)
            if figures:
                for f in figures:
                    amounts = " ; ".join(x for x in (f.total, f.fixed and f"fixe {f.fixed}", f.variable and
                                                     f"variable {f.variable}", f.ote and f"OTE {f.ote}") if x)
                    lines.append(f"• {self._short(rid)} ({f.scope}) : {amounts}{', ' + f.period if f.period else ''}. "
                                 f"{_src(f.source)}")
                    files.append(f.source)
            elif "salary" in role.topics:
                topic = role.topics["salary"]
                first = topic.facts[0] if topic.facts else None
                lines.append(f"• {self._short(rid)} : les sources ne donnent pas de salaire de début ; "
                             + (f"{first.text[:1].lower()}{first.text[1:]} {_src(first.source)}" if first else ""))
                files.extend(f.source for f in topic.facts[:1])
            else:
                lines.append(f"• {self._short(rid)} : les sources ne donnent aucun salaire pour ce rôle.")
        if not roles:
            lines = ["Aucun rôle n'a été trouvé pour ce profil : les sources ne permettent pas de donner un salaire de début."]
        return lines, files

    def _skills(self, roles: tuple[str, ...], p: Profile) -> tuple[list[str], list[str]]:
        lines = ["À travailler pour les rôles trouvés, d'après les sources (ce qui manque d'abord) :"]
        files: list[str] = []
        fits = {f.role: f for f in match(p, self.guidance, roles=roles, opposites=self.cues.opposites).ranked}
        for rid in roles:
            fit = fits.get(rid)
            if fit is None:
                continue
            lacking = [c for c in fit.gaps if c.status != CONFLICT]
            lacking += [c for c in fit.unknown if c.requirement.kind == "language"]
            skills = [c for c in self._skill_checks(rid, p) if c.status != "met"]
            for c in [*lacking, *skills][:4]:
                lines.append(f"• {self._short(rid)} : {self._line(c, p)}")
                files.append(c.requirement.source)
        if len(lines) == 1:
            lines = ["Les sources ne listent pas de compétences pour les rôles trouvés."]
        return lines, files

    def _skill_checks(self, rid: str, p: Profile) -> list[Check]:
        return [check(r, p) for r in self.guidance.of(rid) if r.kind == "skill"]

