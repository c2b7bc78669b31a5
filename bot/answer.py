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
    """What to show the user (in :attr:`lang`), ending with the source documents when it states facts."""
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
    """A remark a portal may show beside the answer: the role's caveat (a term with two senses, sources
    that disagree — said in the text once per conversation, given here every time), or that the question
    was cut because it was too long."""
    citations: tuple[tuple[str, str], ...] = ()
    """``(file, title)`` of each source the answer uses, in the order cited."""
    facts: tuple[str, ...] = ()
    """Ids of the facts a precise answer gives (``kam.salary#2``); empty for a whole section."""
    lang: str = "fr"
    """The language of :attr:`text` and :attr:`suggestions`: ``fr`` or ``en`` (the question's, unless forced)."""

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        for key in ("roles", "sources", "suggestions", "facts"):
            data[key] = list(data[key])
        data["citations"] = [{"file": f, "title": t} for f, t in self.citations]
        return data
