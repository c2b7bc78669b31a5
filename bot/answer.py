"""The answer careerbot gives: an immutable record a portal can show or serialise."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Answer"]


@dataclass(frozen=True)
class Answer:
    """One answer to one question.

    Examples
    --------
    >>> a = Answer(text="Bonjour !", intent="smalltalk", topic="greeting", confidence=0.9)
    >>> a.to_dict()["fallback"]
    False
    """

    text: str
    """What to show the user (French), ending with the source documents when it states facts."""
    intent: str
    """What was understood: a role topic (``salary``, ``kpi``…), ``glossary``, ``compare``,
    ``compute``, ``smalltalk``, ``clarify``, ``fallback`` or ``empty``."""
    confidence: float = 0.0
    """How sure careerbot is of its reading, from 0 to 1."""
    fallback: bool = False
    """True when careerbot could not answer (out of scope, gibberish, empty question)."""
    role: str | None = None
    """Role id the answer is about (``kam``…), or None."""
    roles: tuple[str, ...] = ()
    """All role ids the answer is about (two for a comparison)."""
    topic: str | None = None
    """Role topic, glossary entry id, or small-talk id; None when not applicable."""
    sources: tuple[str, ...] = ()
    """File names of the source documents the answer comes from."""
    suggestions: tuple[str, ...] = ()
    """Questions the user may have meant or may ask next."""
    notice: str | None = None
    """A remark about the question itself (e.g. it was cut because it was too long)."""

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        for key in ("roles", "sources", "suggestions"):
            data[key] = list(data[key])
        return data
