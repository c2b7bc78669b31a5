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
from .guidance import CONFLICT, MET, UNKNOWN, Check, Match, RoleFit, Weights, check, match
from .intents import DEFINITION, Intents
from .knowledge import Knowledge, Role, SalaryFigure, say
from .normalise import ELIDED, normalise, tokenize
from .profile import Profile, ProfileCues
from .reading import Reading
from .requirements import Guidance

__all__ = ["Adviser"]

_PREFER_SHOWN = 3
"""Roles named for a liking the person states alone ("et si je préfère chasser ?"): the sources give three hunters."""


def _shown(reading: Reading) -> int | None:
    """How many roles a guidance answer names (None: the default of :class:`~bot.guidance.Weights`)."""
    return _PREFER_SHOWN if reading.guidance == "prefer" else None


# The answer's follow-up suggestions: message keys of intents/messages.toml.
_NEXT = {"fit": "guide_next_fit", "salary": "guide_next_salary", "skills": "guide_next_skills"}
_NEXT_FARM = "guide_next_farm"
# With no role to name, the answer sorts the roles by what they are for (ids of intents/profile.toml).
_FAMILIES = ("hunting", "farming")
_UNSTATED = {"studies": "guide_unstated_studies", "years": "guide_unstated_years", "language": "guide_unstated_language"}


def _clipped(text: str, limit: int = 120) -> str:
    """*text* cut after its last comma-separated part that fits in *limit* characters ("etc" marks the cut): the
    first mission in one line, the whole missions a follow-up away."""
    if len(text) <= limit:
        return text
    cut = text.rfind(", ", 0, limit)
    return f"{text[:cut]}, etc" if cut > limit // 2 else text


def _lower_first(text: str) -> str:
    """*text* with a lower-case first letter, for a list inside a sentence ("Niveau" -> "niveau", not "CRM")."""
    return text if text[1:2].isupper() or text.startswith("Bac") else text[:1].lower() + text[1:]


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
        self.messages = intents.messages
        self._junior = tuple(intents.lexicon.seniority.get("junior", ()))
        self._rewrites = intents.lexicon.rewrites
        # The subjects a question may raise that no source speaks of, their keywords as padded text (what
        # :func:`~bot.guidance.raises` looks for) indexed by their first word: a question looks up its own words.
        self._asked_silences = tuple(s for s in guidance.silences.values() if s.asked and s.keywords)
        # The words asking what a kind of requirement is, cut as a question is (« combien d'années » has no « d »).
        self._asked_kinds = {kind: tuple(f" {' '.join(t for t in tokenize(c) if t not in ELIDED)} " for c in cues)
                             for kind, cues in self.cues.asked_kinds.items()}
        self._silence_keys: dict[str, list[tuple[int, str]]] = {}
        for n, silence in enumerate(self._asked_silences):
            for k in silence.keywords:
                self._silence_keys.setdefault(k.split(" ")[0], []).append((n, f" {k} "))

    # ---------------------------------------------------------------- matching
    def match(self, profile: Profile, question: str = "", roles=None, *, shown: int | None = None) -> Match:
        """The roles fitting *profile* among *roles* (default: all; see :func:`bot.guidance.match`); *shown*: how many
        to name (the default of :class:`~bot.guidance.Weights`)."""
        words = tuple(tokenize(question))
        text = f" {' '.join(words)} "
        asked = frozenset(kind for kind, cues in self._asked_kinds.items() if any(c in text for c in cues))
        return match(profile, self.guidance, roles=roles if roles is not None else self.kb.roles,
                     words=words, opposites=self.cues.opposites, asked=asked,
                     weights=Weights(shown=shown) if shown is not None else None)

    def silent_on(self, question: str, lang: str) -> str:
        """The line saying which subjects (``asked = true`` ones) *question* raises that no source speaks of ("" when
        none)."""
        typed = normalise(question, self._rewrites)
        # SMS spellings too: « cb dheures » asks about hours (an elision typed without its apostrophe).
        bare = [w[1:] if len(w) > 4 and w[0] in "dlj" and w[1] not in "aeiouy" else w for w in typed]
        words = [*typed, *(w for w in bare if w not in typed)]
        text = f" {' '.join(typed)} | {' '.join(bare)} "
        keys = self._silence_keys
        # A padded keyword is in the padded text only where its first word is one of the question's words
        # (a keyword opening with a space is looked for in every question).
        found = {n for w in {*words, ""} for n, k in keys.get(w, ()) if k in text}
        raised = [s for n, s in enumerate(self._asked_silences) if n in found]
        return self._silent([say(s, "text", lang) for s in raised], lang)

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
        if reading.guidance == "prefer":
            profile = replace(profile, target=())  # "et si je préfère chasser ?": the roles for that, not the one aimed at
        named = [r for r in reading.roles if r not in profile.current and r not in profile.target]
        roles = (*profile.target, *named) if len(named) >= 2 else tuple(self.kb.roles)
        # "et si je préfère chasser ?": every role the sources give for that liking (the salesperson, the SDR, the AE).
        m = self.match(profile, question, roles=roles, shown=_shown(reading))
        # Roles weighed by name ("j'hésite entre SDR et AM") are all answered, best first; with no role to name,
        # the follow-ups ("et combien au début ?") are about every role the answer sorted.
        found = tuple(f.role for f in m.ranked) if len(named) >= 2 else m.roles or tuple(f.role for f in m.ranked)
        return replace(reading, roles=found, profile=profile)

    # ---------------------------------------------------------------- wording
    def _m(self, key: str, lang: str, /, **values: object) -> str:
        """Message *key* of messages.toml in *lang*."""
        return self.messages.say(key, lang, **values)

    def _years(self, value: float, lang: str) -> str:
        """A duration as the profile gave it ("6 mois", "1 an", "2,5 ans")."""
        if value < 1:
            return self._m("guide_months", lang, n=round(value * 12))
        value = round(value, 1)  # 14 months: « 1,2 an », not « 1,16667 an »
        shown = f"{value:g}".replace(".", ",") if lang == "fr" else f"{value:g}"
        return self._m("guide_year" if value < 2 else "guide_years", lang, n=shown)

    def _name(self, role_id: str, lang: str) -> str:
        return self.kb.roles[role_id].label_in(lang)

    def _short(self, role_id: str, lang: str) -> str:
        role = self.kb.roles[role_id]
        return role.short or say(role, "name", lang)

    def _label(self, space: str, key: str, lang: str) -> str:
        return self.cues.label(space, key, lang)

    def _have(self, c: Check, p: Profile, lang: str) -> str:
        """What the profile says about a requirement, for the end of its line ("votre profil : 1 an")."""
        who = self._m("guide_who_other" if p.other else "guide_who_self", lang)
        kind = c.requirement.kind
        said: list[str] = []
        if kind == "years":
            if p.years is not None and p.retail_only:
                key = "guide_in_retail_kind" if c.requirement.values else "guide_in_retail"
                return self._m("guide_have", lang, who=who, value=self._m(key, lang, years=self._years(p.years, lang)))
            if p.years is not None:
                return self._m("guide_have", lang, who=who, value=self._m("guide_in_sales", lang,
                                                                           years=self._years(p.years, lang)))
            if p.other_years is not None and not c.requirement.values:
                return self._m("guide_have", lang, who=who, value=self._m("guide_in_other_job", lang,
                                                                           years=self._years(p.other_years, lang)))
            # A profile silent on it adds nothing to the requirement's line (the answer stays short).
            return self._m("guide_have", lang, who=who, value=self._m("guide_no_sales", lang)) if p.beginner else ""
        if kind == "studies":
            said = [self._label("schools", s, lang) for s in sorted(p.schools)]
            if p.studies is not None:
                said.insert(0, self._level(p, lang))
        elif kind == "experience-kind":
            said = [self._label("experience", k, lang) for k in sorted(p.experience)
                    if k != "vente" or not p.experience & {"b2b", "retail"}]  # "vente" says less than either
            said += [self._label("jobs", j, lang) for j in sorted(p.jobs)]
        elif kind == "language":
            said = [self._label("languages", x, lang) for x in sorted(p.languages)]
            weak = [self._label("languages", x, lang) for x in sorted(p.lacking & set(c.requirement.values))]
            if weak and not said:
                return self._m("guide_have", lang, who=who, value=self._m("guide_weak", lang, what=", ".join(weak)))
        elif kind == "inclination":
            liked = ", ".join(self._label("inclinations", i, lang) for i in sorted(p.inclinations))
            if c.status == CONFLICT:
                return self._m("guide_preference" if p.other else "guide_you_prefer", lang, liked=liked)
            lacking = [self._label("inclinations", i, lang) for i in sorted(p.lacking & set(c.requirement.values))]
            if lacking:
                return self._m("guide_have", lang, who=who, value=self._m("guide_not_yet", lang, what=", ".join(lacking)))
            return ""
        else:
            return ""
        return self._m("guide_have", lang, who=who, value=", ".join(said)) if said else ""

    def _line(self, c: Check, p: Profile, lang: str) -> str:
        """A requirement as a bullet under its role's name: its short wording when it has one."""
        req = c.requirement
        text = (say(req, "brief", lang) if req.brief else say(req, "text", lang)).rstrip(".")
        text = text[:1].upper() + text[1:]
        have = self._have(c, p, lang)
        return f"{text}{' — ' + have if have else ''}. {_src(c.requirement.source)}"

    def _item(self, name: str, text: str, lang: str) -> str:
        """One bullet: a role's name and what is said of it."""
        return self._m("guide_item", lang, name=name, text=text)

    def _level(self, p: Profile, lang: str) -> str:
        """The level of studies said ("Bac +3"), and whether it is being prepared ("Bac +3 (en cours)")."""
        if p.studies is not None and p.studies < 0:
            return self._m("guide_below_bac", lang)
        level = self._m("guide_bac_plus", lang, n=p.studies) if p.studies else self._m("guide_bac", lang)
        return self._m("guide_studying", lang, level=level) if p.studying else level

    def _summary(self, p: Profile, lang: str) -> str:
        """The profile as read, in one parenthesis, so the person can see what was understood."""
        parts: list[str] = []
        if p.studies is not None or p.schools:
            study = [self._level(p, lang)] if p.studies is not None else []
            parts.append(", ".join(study + [self._label("schools", s, lang) for s in sorted(p.schools)]))
        if p.current:
            parts.append(", ".join(self._short(r, lang) for r in p.current))
        if p.years is not None:
            parts.append(self._m("guide_in_sales", lang, years=self._years(p.years, lang)))
        # "vente" says less than either other kind, or than the years in sales already said.
        kinds = [self._label("experience", k, lang) for k in sorted(p.experience)
                 if k != "vente" or not (p.experience & {"b2b", "retail"} or p.years is not None)]
        if kinds and not p.current:
            parts.append(", ".join(kinds))
        if p.jobs:
            # French contracts « de » with the label's article (« du soin »); English needs nothing.
            jobs = [self._label("jobs", j, lang) for j in sorted(p.jobs)]
            parts.append(self._m("guide_coming_from", lang, jobs=", ".join(_de(j) for j in jobs) if lang == "fr"
                                 else ", ".join(jobs)))
        if p.inclinations:
            parts.append(self._m("guide_drawn_to", lang, liked=", ".join(
                self._label("inclinations", i, lang) for i in sorted(p.inclinations))))
        if p.languages:
            parts.append(", ".join(self._label("languages", x, lang) for x in sorted(p.languages)))
        return self._m("list_sep", lang).join(parts)

    def _cite(self, files, lang: str) -> str:
        cited = [(f, self.kb.sources[f].title if f in self.kb.sources else f) for f in dict.fromkeys(files)]
        if not cited:
            return ""
        titles = self._m("list_sep", lang).join(self._m("source_title", lang, title=title, number=f.split("_")[0])
                                                for f, title in cited)
        return self._m("source_one" if len(cited) == 1 else "source_many", lang, titles=titles)

    def _silent(self, said: list[str], lang: str) -> str:
        """The line saying the sources are silent on each subject of *said* ("" for none): « … sur l'âge, ni sur
        les certifications »."""
        return self._m("guide_silent", lang, said=self._m("guide_silent_sep", lang).join(dict.fromkeys(said))) \
            if said else ""

    def _silent_line(self, m: Match, lang: str) -> str:
        said = [say(s, "text", lang) for s in m.silences if not (s.asked and s in m.raised)]
        # Kinds grouped by the roles they are missing for: one role missing three kinds is one short line.
        by_roles: dict[tuple[str, ...], list[str]] = {}
        for kind in _UNSTATED:
            roles = tuple(self._short(role, lang) for role, k in m.unstated if k == kind)
            if roles:
                by_roles.setdefault(roles, []).append(kind)
        for roles, kinds in by_roles.items():
            names = self._m("guide_and", lang).join((", ".join(roles[:-1]), roles[-1])) if len(roles) > 1 else roles[0]
            if len(kinds) == 1:
                said.append(self._m("guide_unstated_for", lang, what=self._m(_UNSTATED[kinds[0]], lang), roles=names))
            else:
                said.append(self._m("guide_unstated_group", lang, roles=names, what=self._m("list_comma", lang).join(
                    self._m(f"guide_unstated_word_{k}", lang) for k in kinds)))
        return self._silent(said, lang)

    # ---------------------------------------------------------------- answers
    def compose(self, reading: Reading, question: str = "", lang: str = "fr") -> Answer:
        """The guidance answer for *reading* (a guidance request or one of its follow-ups), in *lang*."""
        profile = reading.profile or Profile()
        if reading.guidance == "salary":
            # The role aimed at, when there is one among the roles found ("responsable grands comptes" named two).
            aimed = tuple(r for r in reading.roles if r in profile.target)
            lines, files = self._salary(aimed or reading.roles, lang, profile, beside=False)
            nxt = _NEXT["salary"]
        elif reading.guidance == "skills":
            lines, files = self._skills(reading.roles, profile, lang)
            nxt = _NEXT["skills"] if "hunting" not in profile.inclinations else _NEXT_FARM
        else:
            m = self.match(profile, question, shown=_shown(reading))
            every = {f.role for f in m.ranked}
            # Roles other than the match's (and not every role, which a profile fitting none is followed up on).
            if reading.roles and reading.roles != m.roles and (m.fits or set(reading.roles) != every):
                # The candidates were the roles the question named ("lequel entre AE et KAM ?").
                m = replace(m, fits=tuple(f for r in reading.roles for f in m.ranked if f.role == r))
            lines, files = self._fits(m, profile, reading, lang)
            nxt = _NEXT["fit"] if m.fits else (_NEXT_FARM if "hunting" in profile.inclinations else _NEXT["skills"])
            if "salary" in reading.also:
                # « quel poste viser et ça paye combien ? »: the pay at the start, for the roles shown.
                aimed = tuple(f.role for f in m.fits if f.target)  # the role aimed at alone, when there is one
                if reading.about and reading.about not in profile.current:
                    aimed = (reading.about,)  # the role the pay is asked of ("un SDR senior ça gagne combien ?")
                # (The role held, named to compare — « ça paie plus qu'AE confirmé ? » — comes beside the one aimed at.)
                pay, pay_files = self._salary(aimed or tuple(f.role for f in m.fits) or tuple(f.role for f in m.ranked),
                                              lang, profile)
                lines += pay
                files += pay_files
                nxt = _NEXT["salary"]
        cite = self._cite(files, lang)
        if cite:
            lines.append(cite)
        cited = tuple(dict.fromkeys(files))
        return Answer(text="\n".join(lines), intent="guidance", confidence=round(reading.confidence, 3),
                      role=reading.roles[0] if reading.roles else None, roles=tuple(reading.roles),
                      topic=reading.guidance, sources=cited, suggestions=(self._m(nxt, lang),), lang=lang,
                      citations=tuple((f, self.kb.sources[f].title if f in self.kb.sources else f) for f in cited))

    def _fits(self, m: Match, p: Profile, reading: Reading, lang: str) -> tuple[list[str], list[str]]:
        files: list[str] = []
        lines: list[str] = []
        summary = self._summary(p, lang)
        first = [s for s in m.raised if s.asked]
        if first:
            # What the question asks that no source speaks of comes first ("le télétravail est-il courant ?").
            lines.append(self._silent([say(s, "text", lang) for s in first], lang))
        if summary and reading.guidance != "prefer":
            lines.append(self._m("guide_profile_other" if p.other else "guide_profile_self", lang, summary=summary))
        for stated in m.stated:
            # What the question asks that the sources answer role by role ("un poste sans objectifs ?"), first.
            lines.append(say(stated, "text", lang))
            # With a role aimed at, what the sources say of the roles found (all roles when none of them is named).
            aimed = {f.role for f in m.fits} if m.fits and m.fits[0].target else set()
            for item in [i for i in stated.items if i.role in aimed] or stated.items:
                item_text = say(item, "text", lang)
                lines.append(self._item(self._short(item.role, lang), f"{item_text[:1].upper()}{item_text[1:]}. "
                                        f"{_src(item.source)}",
                                        lang))
                files.append(item.source)
        if reading.guidance == "prefer":
            liked = [self._m(f"guide_lead_{i}", lang) if i in ("farming", "hunting")
                     else self._label("inclinations", i, lang) for i in sorted(p.inclinations)]
            lines.append(self._m("guide_prefer_head", lang, liked=", ".join(liked)) if liked else
                         self._m("guide_per_sources", lang))
        elif m.fits and m.fits[0].target and not (len(m.fits) > 1 and m.fits[1].target):
            lines.append(self._m("guide_target_head", lang, name=self._name(m.fits[0].role, lang)))
        elif m.fits:
            # (Roles named by the question that nothing of the profile meets yet are not said to fit it.)
            lines.append(self._m("guide_fits_head" if any(f.reasons for f in m.fits) else "guide_asked_head", lang))
        if not m.fits and not m.stated:  # the subject the sources answer is the answer, not the two families
            lines += self._families(m, p, lang, files)
        gaps: list[tuple[RoleFit, Check]] = []
        years_gap: set[str] = set()  # roles whose years were said missing
        said: set[str] = set()  # requirements already said (a role's skills when it has no entry condition)
        open_said: set[str] = set()  # roles said to have no entry condition (neither studies nor experience)
        # "Je veux passer AE": the role aimed at is the answer; the others the profile would fit are noise.
        shown = tuple(f for f in m.fits if f.target) if m.fits and m.fits[0].target else m.fits
        if shown != m.fits:
            # ... unless another role meets a liking the role aimed at does not (a nurse aiming at "account manager"
            # for pharma and hospitals: the chargé de compte of 000 handles a hospital group's pharmaceutical needs).
            met = {v for f in shown for c in f.reasons if c.requirement.kind == "inclination" for v in c.requirement.values}
            shown += tuple(f for f in m.fits if not f.target and any(
                c.requirement.kind == "inclination" and (set(c.requirement.values) & p.inclinations) - met
                for c in f.reasons))
        for fit in shown:
            # Two reasons for the first role, one for the next (the answer stays short).
            reasons = [c for c in fit.reasons if c.requirement.kind != "skill"][:2 if fit is shown[0] else 1] \
                or list(fit.reasons[:1])
            if not reasons:
                # A role the sources set no entry requirement for (the SDR) is not one the person falls short of.
                asked = fit.gaps or fit.unknown
                if not asked:
                    open_said.add(fit.role)
                lines.append(self._item(self._name(fit.role, lang),
                                        self._m("guide_target_nothing" if asked else "guide_target_no_requirement", lang),
                                        lang))
                if not asked and len(shown) == 1:
                    # No entry condition, but the skills the sources expect: what the role asks of a newcomer.
                    for c in self._skill_checks(fit.role, p)[:2]:
                        lines.append(self._item(self._short(fit.role, lang), self._line(c, p, lang), lang))
                        files.append(c.requirement.source)
                        said.add(c.requirement.id)
            elif reasons:
                lines.append(self._item(self._name(fit.role, lang), " ".join(self._line(c, p, lang) for c in reasons),
                                        lang))
            files.extend(c.requirement.source for c in reasons)
            gaps += [(fit, c) for c in fit.gaps]
            # What the profile does not say: the years and studies each role shown asks (a counsellor must see the
            # KAM's 3-5 years beside the KAM proposed); its languages when it is aimed at, or asked about.
            gaps += [(fit, c) for c in fit.unknown if c.requirement.kind in ("years", "studies") or (
                c.requirement.kind == "language" and (fit.target or c.requirement.kind in m.asked))]
        for fit in shown:
            if ((fit.target and p.current) or (reading.guidance == "gap" and fit is shown[0])) and len(gaps) < 3:
                # From a role held to the one aimed at ("SDR -> AE"), or asked what is missing ("what would I be
                # missing?"): what the role asks that the person's profile says nothing of (the demos and
                # negotiation of the AE, its CRM), after the years.
                gaps += [(fit, c) for c in self._skill_checks(fit.role, p)
                         if c.status != MET and c.requirement.id not in said][:3 - len(gaps)]
        if gaps:
            # A role's years line already says of which kind they are (« 3 ans de vente aux particuliers, pas en
            # B2B »): its kind line would say it twice.
            years_said = {fit.role for fit, c in gaps if c.requirement.kind == "years" and p.years is not None}
            gaps = [(fit, c) for fit, c in gaps if not (c.requirement.kind == "experience-kind" and fit.role in years_said)]
            # Three when the person asks what is missing or aims at a role, two otherwise. What the person lacks
            # comes first; what the role asks that the message says nothing of is not said to be missing.
            # A requirement once, and one about the same thing as a gap already said once ("managing teams" as a
            # liking of the KAM's and as its skill).
            kept: list[tuple[RoleFit, Check]] = []
            for fit, c in gaps:
                if not any(k.requirement.id == c.requirement.id or (
                        f.role == fit.role and k.status != UNKNOWN and set(k.requirement.values) & set(c.requirement.values))
                        for f, k in kept):
                    kept.append((fit, c))
            gaps = kept[:3 if reading.guidance == "gap" or (shown and shown[0].target) else 2]
            lacking = [(fit, c) for fit, c in gaps if c.status != UNKNOWN]
            if lacking:
                lines.append(self._m("guide_gaps_head", lang))
            for fit, c in lacking:
                lines.append(self._item(self._short(fit.role, lang), self._line(c, p, lang), lang))
                if c.requirement.kind == "years":
                    years_gap.add(fit.role)
            unsaid = [(fit, c) for fit, c in gaps if c.status == UNKNOWN]
            if unsaid:
                # In one line: asked of the person, not said to be missing.
                several = len({fit.role for fit, _ in unsaid}) > 1
                colon = " : " if lang == "fr" else ": "
                # "Your message does not say" only when no item quotes the profile (« 7 ans dans un autre métier, dont
                # la fiche ne dit pas s'ils comptent » is said, its weight is what is open).
                head = "guide_unknown_head_open" if any(self._have(c, p, lang) for _, c in unsaid) else \
                    "guide_unknown_head"
                items = ((self._short(fit.role, lang) + colon if several else "") + _lower_first(self._line(c, p, lang))
                         for fit, c in unsaid)
                lines.append(self._m(head, lang) + " " + self._m("list_sep", lang).join(items))
            files.extend(c.requirement.source for _, c in gaps)
        for fit in shown if len(shown) == 1 and not {"salary", "missions", DEFINITION} & set(reading.also) else ():
            if fit.target and fit.role not in p.current:
                # What the role aimed at does, in the sheet's words: the job itself, not only its entry criteria.
                does = self._does(fit.role, lang)
                if does:
                    lines.append(self._m("guide_target_does", lang, name=self._short(fit.role, lang), does=does[0]))
                    files.append(does[1])
        # The way from a role held ("SDR": the hand-off to the AE) counts as well as the way into the roles found.
        paths = [r for fit in m.ranked if fit in shown or fit.role in p.current for r in fit.paths]
        # A hand-off leads somewhere the answer goes: to or from a role shown (an SDR tired of prospecting and of
        # closing has no use for the SDR's hand-off to the AE).
        named = {f.role for f in m.fits}
        paths = [r for r in paths if r.values[0] != "handoff" or r.to in named or (r.role in named and r.role
                                                                                    not in p.current)]
        # The entry lines speak of pay, which may follow, and repeat the years a gap line has just said
        # (« début de carrière à 28 000 €, tout en demandant 3 à 5 ans »).
        paths = [r for r in paths if r.values[0] != "entry" or not ("salary" in reading.also or r.role in years_gap)]
        paths = sorted(paths, key=lambda r: r.values[0] != "handoff")[:1]
        if paths:
            lines.append(self._m("guide_path_head", lang))
            for r in paths:
                lines.append(f"• {say(r, 'text', lang)} {_src(r.source)}")
                files.append(r.source)
        if reading.guidance == "start" and shown and shown[0].target and (shown[0].gaps or shown[0].unknown):
            # "par quel poste commencer pour y arriver ?": the sources describe no route, only roles with no entry
            # condition.
            entry = ("years", "studies", "experience-kind")
            open_roles = [f.role for f in m.ranked if not any(r.kind in entry for r in self.guidance.of(f.role))]
            if open_roles:
                lines.append(self._m("guide_open_roles_start", lang,
                                     roles=", ".join(self._short(r, lang) for r in open_roles)))
        unstated = tuple(u for u in m.unstated if any(f.role == u[0] for f in shown))
        # A role already said to have no entry condition needs no "no studies, no experience given" again.
        silent = self._silent_line(replace(m, unstated=tuple(
            u for u in unstated if not (u[0] in open_said and u[1] in ("studies", "years")))), lang)
        if silent:
            lines.append(silent)
        if "studies" in m.asked and shown and all((f.role, "studies") in unstated for f in shown):
            # "il faut quoi comme études ?" for roles the sources give no studies for: the role they give them for.
            elsewhere = [r for f in m.ranked if f not in shown for r in self.guidance.of(f.role) if r.kind == "studies"]
            if elsewhere:
                lines.append(self._m("guide_studies_elsewhere", lang))
                for r in elsewhere[:1]:
                    lines.append(self._item(self._short(r.role, lang), self._line(check(r, Profile()), Profile(), lang),
                                            lang))
                    files.append(r.source)
        return lines, files

    def _families(self, m: Match, p: Profile, lang: str, files: list[str]) -> list[str]:
        """With no role to name: the two families of roles the sources draw (winning new customers, keeping
        existing ones), then which roles they set no entry condition for and what they ask for the others."""
        lines = [self._m("guide_no_fit", lang)]
        ranked = [f.role for f in m.ranked]
        for inclination in _FAMILIES:
            reqs = [r for rid in ranked for r in self.guidance.of(rid)
                    if r.kind == "inclination" and inclination in r.values and r.strength == "exige"]
            if reqs:
                names = ", ".join(self._short(r.role, lang) for r in reqs)
                cited = " ".join(sorted({_src(r.source) for r in reqs}))
                lines.append(self._item(self._label("inclinations", inclination, lang), f"{names} {cited}", lang))
                files.extend(r.source for r in reqs)
        # What the person says of themselves that a role's sheet asks (« j'encaisse les défaites » against the AE's
        # resilience): said, though it makes no role fit on its own.
        met = [(fit, c) for fit in m.ranked for c in fit.reasons if c.requirement.kind == "skill"]
        if met:
            lines.append(self._m("guide_skills_met", lang))
            for fit, c in met[:2]:
                lines.append(self._item(self._short(fit.role, lang), self._line(c, p, lang), lang))
                files.append(c.requirement.source)
        entry = ("years", "studies", "experience-kind")
        open_roles = [rid for rid in ranked if not any(r.kind in entry for r in self.guidance.of(rid))]
        if open_roles:
            lines.append(self._m("guide_open_roles", lang, roles=", ".join(self._short(r, lang) for r in open_roles)))
        for fit in m.ranked:
            asked = [c for c in (*fit.gaps, *fit.unknown) if c.requirement.kind in entry]
            # Years of a kind ("2 à 5 ans d'expérience commerciale en B2B") already say the kind.
            if any(c.requirement.kind == "years" and c.requirement.values for c in asked):
                asked = [c for c in asked if c.requirement.kind != "experience-kind"]
            for c in asked[:2]:
                lines.append(self._item(self._short(fit.role, lang), self._line(c, p, lang), lang))
                files.append(c.requirement.source)
        return lines

    def _does(self, role_id: str, lang: str) -> tuple[str, str] | None:
        """The first mission of a role, in *lang*, and its source; None without missions (the answer stays short:
        the whole missions are a follow-up away)."""
        topic = self.kb.roles[role_id].topics.get("missions")
        if topic is None or not topic.facts:
            return None
        first = [f for f in topic.facts if f.bullet][:1] or list(topic.facts[:1])
        items = [_clipped(say(f, "text", lang).strip().rstrip(" ;.")) for f in first]
        return " ; ".join(i[:1].lower() + i[1:] for i in items), first[0].source

    def _junior_figures(self, role: Role) -> tuple[SalaryFigure, ...]:
        topic = role.topics.get("salary")
        if topic is None:
            return ()
        words = [f" {w} " for w in self._junior]
        return tuple(f for f in topic.figures if not f.on_request
                     and any(w in f" {' '.join(tokenize(f.seniority + ' ' + f.scope))} " for w in words))

    def _figures(self, role: Role, seasoned: bool) -> tuple[SalaryFigure, ...]:
        """The figures a guidance answer gives for *role*: its starting ones, or, for someone with years of
        selling behind them (*seasoned*), every figure with an amount (the average, the confirmed level…)."""
        if not seasoned:
            return self._junior_figures(role)
        topic = role.topics.get("salary")
        if topic is None:
            return ()
        return tuple(f for f in topic.figures if not f.on_request and (f.total or f.fixed or f.variable or f.ote))[:3]

    def _salary(self, roles: tuple[str, ...], lang: str, profile: Profile | None = None, *,
                beside: bool = True) -> tuple[list[str], list[str]]:
        """The pay lines of *roles* for *profile*; *beside*: with the pay of the role held next to them."""
        p = profile or Profile()
        # Someone with years of B2B selling ("AE depuis 4 ans") is not starting out: every figure the sources give,
        # and the pay of the role held beside the role aimed at ("est-ce que je vais gagner plus ?"). Shop years
        # (B2C) start over in these B2B roles.
        shop = "retail" in p.experience and "b2b" not in p.experience
        seasoned = (p.years is not None and p.years >= 2 and not shop) or (bool(p.current) and p.years is None)
        if seasoned and beside:
            roles = tuple(dict.fromkeys((*roles, *(r for r in p.current if r in self.kb.roles))))
        lines = [self._m("guide_salary_head_all" if seasoned else "guide_salary_head", lang)]
        files: list[str] = []
        # Roles with a figure first; with more than two roles, those without one share one line.
        paid = [r for r in roles if self._figures(self.kb.roles[r], seasoned)]
        unpaid = [r for r in roles if r not in paid]
        if len(roles) > 2 and unpaid:
            roles = tuple(paid)
        for rid in roles:
            role = self.kb.roles[rid]
            figures = self._figures(role, seasoned)
            if figures:
                for f in figures:
                    amounts = self._m("list_sep", lang).join(x for x in (
                        say(f, "total", lang), f.fixed and self._m("amount_fixed", lang, amount=say(f, "fixed", lang)),
                        f.variable and self._m("amount_variable", lang, amount=say(f, "variable", lang)),
                        f.ote and self._m("amount_ote", lang, amount=say(f, "ote", lang))) if x)
                    period = say(f, "period", lang)
                    lines.append(self._m("guide_salary_item", lang, name=self._short(rid, lang), scope=say(f, "scope", lang),
                                         amounts=amounts + (", " + period if period else ""), source=_src(f.source)))
                    files.append(f.source)
            elif "salary" in role.topics and (shares := [f for f in role.topics["salary"].figures if f.variable_share
                                                        and not (f.fixed or f.total or f.ote)]):
                # No amount at all, only a variable share (the AM's 10 to 30 % of a fixed pay the sheet does not give).
                lines.append(self._item(self._short(rid, lang), self._m(
                    "guide_salary_share_only", lang, share=say(shares[0], "variable_share", lang))
                    + f" {_src(shares[0].source)}", lang))
                files.append(shares[0].source)
            elif "salary" in role.topics:
                # No starting figure: what the sheet does say of the pay, in its first two facts.
                facts = role.topics["salary"].facts[:2]
                text = " ".join(say(f, "text", lang) for f in facts)
                lines.append(self._item(self._short(rid, lang), self._m("guide_salary_no_start", lang) + (
                    f"{text[:1].lower()}{text[1:]} {_src(facts[0].source)}" if facts else ""), lang))
                files.extend(f.source for f in facts)
            else:
                lines.append(self._item(self._short(rid, lang), self._m("guide_salary_none", lang), lang))
        if len(roles) < len(paid) + len(unpaid):
            lines.append(self._m("guide_salary_none_of_all" if seasoned else "guide_salary_none_of", lang,
                                 roles=", ".join(self._short(r, lang) for r in unpaid)))
        if len(lines) == 1:
            lines = [self._m("guide_salary_no_role", lang)]
        elif seasoned and set(roles) & set(p.current) and len({f.split("_")[0] for f in files}) > 1:
            # The role held beside the one aimed at, from two sheets, of other years and sectors: no verdict on
            # which pays more.
            lines.append(self._m("guide_salary_no_verdict", lang))
        return lines, files

    def _skills(self, roles: tuple[str, ...], p: Profile, lang: str) -> tuple[list[str], list[str]]:
        lines = [self._m("guide_skills_head", lang)]
        files: list[str] = []
        fits = {f.role: f for f in match(p, self.guidance, roles=roles, opposites=self.cues.opposites).ranked}
        for rid in roles:
            fit = fits.get(rid)
            if fit is None:
                continue
            lacking = [c for c in fit.gaps if c.status != CONFLICT]
            lacking += [c for c in fit.unknown if c.requirement.kind == "language"]
            skills = [c for c in self._skill_checks(rid, p) if c.status != "met"]
            # What can be worked on first (skills, languages), then what else is missing (years, studies).
            workable = [c for c in lacking if c.requirement.kind in ("skill", "language")]
            rest = [c for c in lacking if c not in workable]
            # (A skill both missing and checked is one line.) Every role sorted (a profile fitting none): the first
            # line of each, not four.
            ordered = list({c.requirement.id: c for c in (*workable, *skills, *rest)}.values())
            for c in ordered[:4 if len(roles) <= 2 else 1]:
                lines.append(self._item(self._short(rid, lang), self._line(c, p, lang), lang))
                files.append(c.requirement.source)
        if len(lines) == 1:
            lines = [self._m("guide_skills_none", lang)]
        return lines, files

    def _skill_checks(self, rid: str, p: Profile) -> list[Check]:
        """The skills of *rid* checked against *p*, the skills of the roles *p* holds (an AE negotiates: the KAM's
        negotiation is no gap for one) and of the kinds of experience it has (B2B selling) counted as had. They count
        only here, not in the ranking."""
        held = {k for r in (*p.current, *p.experience) for k in self.cues.role_skills.get(r, ())}
        had = replace(p, skills=p.skills | held) if held else p
        return [check(r, had) for r in self.guidance.of(rid) if r.kind == "skill"]
