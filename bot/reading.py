"""What careerbot understood of one question: the :class:`Reading` the rules produce and the composer answers.

Kept apart from :mod:`bot.understand` so that writing an answer does not
depend on how a question is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .calc import Computation
    from .profile import Profile

__all__ = ["Reading", "ReadingKind"]


class ReadingKind(str, Enum):
    """What kind of answer a question calls for; the value is the string ``Answer.intent`` uses."""

    TOPIC = "topic"
    """A topic of one role (salary, skills…)."""
    GLOSSARY = "glossary"
    """A glossary term or practice."""
    COMPARE = "compare"
    """Two roles side by side."""
    COMPUTE = "compute"
    """A rule of the sources applied to the user's figure (pipe coverage)."""
    SMALLTALK = "smalltalk"
    """Greetings, thanks, questions about careerbot."""
    CLARIFY = "clarify"
    """A role question that names no role: ask which one."""
    FALLBACK = "fallback"
    """Out of scope or not understood: a polite refusal."""
    EXTRACTED = "extracted"
    """A question/answer pair made by ``careerbot ingest``."""
    EMPTY = "empty"
    """No words at all."""
    GUIDANCE = "guidance"
    """Which roles fit the asker's situation, what is missing, the way there (:mod:`bot.advise`)."""

    # The plain value in str() and f-strings on every Python version (3.11 prints "ReadingKind.TOPIC"
    # otherwise), so that "_compose_{kind}" and string comparisons keep working.
    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


@dataclass(frozen=True)
class Reading:
    """What careerbot understood of one question."""

    kind: ReadingKind
    """What kind of answer the question calls for (a plain string such as ``"topic"`` is accepted)."""
    topic: str | None = None
    """Role topic, glossary entry or small-talk id."""
    roles: tuple[str, ...] = ()
    """Role ids the answer is about (two for a comparison)."""
    confidence: float = 0.0
    """How sure the reading is, 0–1."""
    alternatives: tuple[tuple[str, str | None, tuple[str, ...]], ...] = ()
    """Close runner-up readings as ``(kind, topic, roles)``."""
    amount: float | None = None
    """For ``compute``: the amount given by the user, in euros."""
    unit: str = ""
    """For ``compute``: ``k`` when the user wrote thousands as k€."""
    pipe: float | None = None
    """For ``compute``: the pipeline the user already has, when given."""
    outsider: str | None = None
    """An out-of-scope profession or subject the question named, if any."""
    from_context: bool = False
    """True when the role or topic came from the previous question."""
    same_role: bool = False
    """True when the question compared two names of one role ("chargé ou responsable de compte ?")."""
    level: str | None = None
    """A seniority the question names (``junior``, ``senior``, ``moyenne``), for ordering salary figures."""
    place: str | None = None
    """A country the question names, for salary figures."""
    net: bool = False
    """True when the question asks for net pay."""
    task: str | None = None
    """For ``fallback``: the task declined (``write``, ``translate``… of ``intents/tasks.toml``)."""
    computation: Computation | None = None
    """For ``compute``: the operation done on the sources' or the question's figures, with its line."""
    example: str | None = None
    """The role whose worked example the question is about (named, or asked about again)."""
    whole: bool = False
    """For ``topic``: the whole section was asked for (an offer accepted: "oui", "dis-m'en plus")."""
    also: tuple[str, ...] = ()
    """For ``topic``: the other topics the question asks for, in order ("salaire et études", "quel profil ?"); for
    ``guidance``: ``salary`` when the pay is asked beside the guidance ("quel poste viser et ça paye combien ?"), or
    the one role topic the question asks of :attr:`about`."""
    profile: Profile | None = None
    """For ``guidance``: the asker's situation (this question's, merged with the conversation's)."""
    guidance: str | None = None
    """For ``guidance``: what is asked (``fit``, ``start``, ``gap``, or a follow-up: ``salary``, ``skills``,
    ``prefer``)."""
    about: str | None = None
    """For ``guidance``: the role whose topic (in :attr:`also`) the question asks beside the guidance ("je suis
    prof d'EPS… l'AE, il fait quoi au quotidien ?"): that topic is answered first, for this role."""

    def __post_init__(self) -> None:
        # Accept "topic" as well as ReadingKind.TOPIC; an unknown kind fails here, not in the composer.
        if not isinstance(self.kind, ReadingKind):
            object.__setattr__(self, "kind", ReadingKind(self.kind))
