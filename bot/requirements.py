"""Load ``knowledge/guidance.toml``: what the sources ask of a candidate, role by role, and what they never say.

Every :class:`Requirement` is one typed claim of one source (kind, comparable
value, our own text in French and English, the passage it rests on); every :class:`Silence`
a subject no source speaks of; every :class:`Stated` a subject people ask about that the sources answer
role by role ("un poste sans objectifs ?"). Read here, checked against the knowledge base
(roles and sources exist), matched by :mod:`bot.guidance`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import KnowledgeError
from .knowledge import Knowledge
from .normalise import fold
from .tomlfile import ParsedCache, Table, read_toml

__all__ = ["Requirement", "Silence", "Stated", "StatedItem", "Guidance", "load_guidance", "KINDS", "STRENGTHS"]

KINDS = ("studies", "years", "experience-kind", "skill", "language", "inclination", "path")
"""What a requirement is about."""
STRENGTHS = ("exige", "idealement", "apprecie", "parfois")
"""How firmly the source states it: demanded, ideally, preferred, in some companies only."""
_PATHS = ("handoff", "career", "entry")


@dataclass(frozen=True)
class Requirement:
    """One thing a source asks of (or says about the way to) one role."""

    id: str
    role: str
    """The role it is about."""
    kind: str
    """One of :data:`KINDS`."""
    text: str
    """The claim in careerbot's own words, as an answer shows it."""
    source: str
    """The source file it comes from."""
    evidence: tuple[str, ...]
    """Passages of the source it rests on, copied as written (checked by the tests)."""
    strength: str = "exige"
    """One of :data:`STRENGTHS`."""
    values: tuple[str, ...] = ()
    """Comparable ids: experience kinds, schools, skills, languages, inclinations; for a path its kind."""
    min: float | None = None
    """Least years (``years``) or Bac +N level (``studies``)."""
    max: float | None = None
    """Upper end of a stated range of years ("3 à 5 ans")."""
    to: str = ""
    """For a path: the role it leads to, when it leads to one."""
    text_en: str = ""
    """The same claim in English, with the same figures (required: its twin)."""
    brief: str = ""
    """The claim said short, for a bullet already naming the role and citing the source (optional)."""
    brief_en: str = ""


@dataclass(frozen=True)
class Silence:
    """A subject the sources never speak of ("l'âge"), and the words that raise it."""

    id: str
    text: str
    keywords: tuple[str, ...] = ()
    text_en: str = ""
    """The subject in English (required: its twin)."""
    asked: bool = False
    """Said first in any answer whose question names it ("faut-il être fort en maths pour être AE ?"), not only
    in guidance; left false for subjects people name in their story ("je suis en reconversion", "en stage")."""


@dataclass(frozen=True)
class StatedItem:
    """What one source says of one role on a :class:`Stated` subject."""

    role: str
    text: str
    source: str
    evidence: tuple[str, ...]
    """Passages of the source it rests on, copied as written (checked by the tests)."""
    text_en: str = ""


@dataclass(frozen=True)
class Stated:
    """A subject people ask about that the sources do answer, role by role ("un poste commercial sans
    objectifs ?": every role they describe has targets); said first in a guidance answer whose question names it."""

    id: str
    text: str
    """The head line (« Les sources ne décrivent aucun poste commercial sans objectifs : »)."""
    keywords: tuple[str, ...]
    items: tuple[StatedItem, ...]
    text_en: str = ""


@dataclass(frozen=True)
class Guidance:
    """Everything in ``guidance.toml``."""

    requirements: tuple[Requirement, ...]
    silences: Mapping[str, Silence]
    stated: tuple[Stated, ...] = ()

    def of(self, role: str) -> tuple[Requirement, ...]:
        """The requirements of *role*, in file order."""
        return tuple(r for r in self.requirements if r.role == role)


def load_guidance(path: Path, knowledge: Knowledge, *, cache: ParsedCache | None = None) -> Guidance:
    """Read and check ``guidance.toml`` at *path* against *knowledge* (its roles and sources; *cache*: see
    :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        On the first problem, naming the file, the entry and the fix.
    """
    doc = Table(read_toml(path, cache), path, None)
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc.tables("requirement")):
        t = Table(raw, path, f"requirement #{i + 1}")
        rid = t.str("id")
        t.entry = f"requirement '{rid}'"
        if rid in seen:
            raise t.error("duplicate id", "give each requirement its own id")
        seen.add(rid)
        role, kind, strength = t.str("role"), t.str("kind"), t.str("strength", required=False) or "exige"
        if role not in knowledge.roles:
            raise t.error(f"unknown role '{role}'", f"use one of {', '.join(sorted(knowledge.roles))}")
        if kind not in KINDS:
            raise t.error(f"unknown kind '{kind}'", f"use one of {', '.join(KINDS)}")
        if strength not in STRENGTHS:
            raise t.error(f"unknown strength '{strength}'", f"use one of {', '.join(STRENGTHS)}")
        source = t.str("source")
        if source not in knowledge.sources:
            raise t.error(f"source '{source}' is not in sources.toml", "name one of the files listed in sources.toml")
        low, high = t.number("min"), t.number("max")
        values = tuple(fold(v) for v in t.strs("values"))
        to = t.str("to", required=False)
        if kind in ("years", "studies") and low is None:
            raise t.error(f"a '{kind}' requirement needs min", "write min = 3 (years) or min = 5 (Bac +5)")
        if low is not None and high is not None and high < low:
            raise t.error(f"max {high:g} is below min {low:g}", "swap them")
        if kind in ("experience-kind", "skill", "language", "inclination", "path") and not values:
            raise t.error(f"a '{kind}' requirement needs values", 'write values = ["…"] with the ids it is about')
        if kind == "path" and (len(values) != 1 or values[0] not in _PATHS):
            raise t.error("a path has one value", f"write values = [\"handoff\"] (or one of {', '.join(_PATHS)})")
        if to and to not in knowledge.roles:
            raise t.error(f"unknown role '{to}' in 'to'", f"use one of {', '.join(sorted(knowledge.roles))}")
        text, text_en = t.twin("text")
        brief, brief_en = t.twin("brief", required=False)
        requirements.append(Requirement(
            id=rid, role=role, kind=kind, text=text, text_en=text_en, brief=brief, brief_en=brief_en, source=source,
            evidence=t.strs("evidence", min_items=1), strength=strength, values=values, min=low, max=high, to=to))
        t.done()
    silences: dict[str, Silence] = {}
    for i, raw in enumerate(doc.tables("silent")):
        t = Table(raw, path, f"silent #{i + 1}")
        sid = t.str("id")
        t.entry = f"silent '{sid}'"
        text, text_en = t.twin("text")
        silence = Silence(id=sid, text=text, text_en=text_en, keywords=tuple(fold(k) for k in t.strs("keywords")),
                          asked=t.bool("asked"))
        if silence.id in silences:
            raise t.error(f"duplicate id '{silence.id}'", "give each silent subject its own id")
        t.done()
        silences[silence.id] = silence
    stated: list[Stated] = []
    for i, raw in enumerate(doc.tables("stated")):
        t = Table(raw, path, f"stated #{i + 1}")
        sid = t.str("id")
        t.entry = f"stated '{sid}'"
        text, text_en = t.twin("text")
        items: list[StatedItem] = []
        for j, raw_item in enumerate(t.tables("item")):
            it = Table(raw_item, path, f"stated '{sid}' item #{j + 1}")
            role, source = it.str("role"), it.str("source")
            if role not in knowledge.roles:
                raise it.error(f"unknown role '{role}'", f"use one of {', '.join(sorted(knowledge.roles))}")
            if source not in knowledge.sources:
                raise it.error(f"source '{source}' is not in sources.toml", "name one of the files listed in sources.toml")
            item_text, item_en = it.twin("text")
            items.append(StatedItem(role=role, text=item_text, text_en=item_en, source=source,
                                    evidence=it.strs("evidence", min_items=1)))
            it.done()
        keywords = tuple(fold(k) for k in t.strs("keywords", min_items=1))
        if not items:
            raise t.error("no [[stated.item]]", "add what each source says of a role on this subject")
        t.done()
        stated.append(Stated(id=sid, text=text, text_en=text_en, keywords=keywords, items=tuple(items)))
    if not requirements:
        raise KnowledgeError(path, None, "no [[requirement]]", "add the requirements the sources state (see SCHEMA.md)")
    doc.done()
    return Guidance(requirements=tuple(requirements), silences=silences, stated=tuple(stated))
