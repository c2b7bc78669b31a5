"""The public entry point: :class:`Bot` answers questions, :class:`Session` remembers one conversation."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from pathlib import Path

from .answer import Answer
from .cache import IndexCache
from .compose import Composer
from .intents import Intents, load_intents
from .knowledge import Knowledge, load_knowledge
from .paths import cache_dir as default_cache_dir
from .state import from_state, to_state
from .understand import Context, Reading, Thresholds, Understanding

__all__ = ["Bot", "Session", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 1000
"""Longer questions are cut to this many characters (and the answer says so)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class Session:
    """The memory of one conversation (last roles and topic), for follow-up questions.

    Create one per user with :meth:`Bot.new_session`; a session is safe to use
    from several threads, but its answers then depend on the order of questions.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._context = Context()
        self.last: Answer | None = None
        """The last answer given in this conversation."""

    @property
    def context(self) -> Context:
        """What the conversation remembers now."""
        return self._context

    def reset(self) -> None:
        """Forget the conversation."""
        with self._lock:
            self._context = Context()
            self.last = None

    def state(self) -> dict:
        """What the conversation remembers, as a small JSON-ready dict (``{}`` for a fresh one).

        :meth:`Bot.restore_session` turns it back into a session; the HTTP
        service carries it, signed, in the token it gives each visitor.
        """
        with self._lock:
            state = to_state(self._context)
            # Roles whose caveat this conversation has already shown, where the session keeps them.
            shown = getattr(self, "_caveats", None)
            if shown:
                state["caveats"] = sorted(shown)
            return state


def _next_context(before: Context, reading: Reading) -> Context:
    """What the conversation remembers after *reading* was answered."""
    if reading.kind == "topic":
        # "Et pour ce dernier ?" after a comparison: the pair stays for "et le premier ?".
        pair = before.pair if reading.roles and reading.roles[0] in before.pair else ()
        return Context(roles=reading.roles, topic=reading.topic, pair=pair)
    if reading.kind == "compare":
        return Context(roles=reading.roles, topic=reading.topic, pair=reading.roles)
    if reading.kind == "clarify":
        return Context(roles=(), topic=reading.topic)
    if reading.kind == "compute":
        return Context(roles=reading.roles or before.roles, term=reading.topic, quota=reading.amount,
                       unit=reading.unit)
    if reading.kind == "glossary":
        return Context(roles=reading.roles or before.roles, topic=None, term=reading.topic)
    if reading.kind in ("smalltalk", "empty"):
        return before
    return Context(topic=reading.topic)


class Bot:
    """careerbot: answers questions on sales careers from its knowledge base.

    A ``Bot`` holds no per-user state and never changes after it is built, so
    one instance can serve many threads; give each conversation its own
    :class:`Session`.

    Examples
    --------
    >>> bot = Bot.load()
    >>> answer = bot.ask("combien gagne un KAM ?")
    >>> answer.role, answer.intent
    ('kam', 'salary')
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, *, thresholds: Thresholds | None = None,
                 cache_dir: Path | None = None):
        self.knowledge = knowledge
        self.intents = intents
        self._understanding = Understanding(knowledge, intents, thresholds=thresholds,
                                            build=IndexCache(cache_dir))
        self._composer = Composer(knowledge, intents)

    @classmethod
    def load(cls, path: str | Path | None = None, *, extra=(), intents: str | Path | None = None,
             thresholds: Thresholds | None = None, cache_dir: Path | None | str = "default") -> "Bot":
        """Load the knowledge base in *path* (default: the bundled one) and build the bot.

        *extra* folders (e.g. made by ``careerbot ingest``) are answered from beside
        the curated knowledge; curated answers win when both match as well.
        Built indexes are cached in *cache_dir* (default: the user's cache folder;
        None: no cache), so later start-ups skip scikit-learn.

        Raises
        ------
        KnowledgeError
            When a knowledge or intent file is missing, malformed or inconsistent.
        """
        loaded_intents = load_intents(intents)
        knowledge = load_knowledge(path, extra=extra, topic_ids=loaded_intents.topics.keys())
        if cache_dir == "default":
            cache_dir = default_cache_dir()
        return cls(knowledge, loaded_intents, thresholds=thresholds,
                   cache_dir=Path(cache_dir) if cache_dir is not None else None)

    def new_session(self) -> Session:
        """A fresh conversation."""
        return Session()

    def restore_session(self, state) -> Session:
        """A session that remembers *state* (from :meth:`Session.state`).

        Anything malformed — not a dict, unknown fields, wrong types, role ids
        this bot does not know — gives a fresh session, never an exception.
        """
        session = Session()
        if not isinstance(state, dict):
            return session
        roles = frozenset(self.knowledge.roles)
        state = dict(state)
        caveats = state.pop("caveats", [])
        if not (isinstance(caveats, list) and all(isinstance(c, str) and c in roles for c in caveats)):
            return session
        context = from_state(state, Context, known={"roles": roles, "pair": roles, "role": roles})
        if context is not None:
            session._context = context
            if caveats and hasattr(session, "_caveats"):
                session._caveats = frozenset(caveats)
        return session

    def read(self, text: str, context: Context = Context()) -> Reading:
        """What careerbot understands of *text* (no answer written; for debugging and evaluation)."""
        return self._understanding.read(text, context)

    def ask(self, text: str, session: Session | None = None) -> Answer:
        """Answer *text*; with a *session*, follow-ups use and update that conversation's memory.

        Any string gets an :class:`Answer`: unusable input gives ``fallback=True``
        and a message saying why, never an exception.
        """
        if not isinstance(text, str):
            raise TypeError(f"Bot.ask() needs the question as a str, got {type(text).__name__}")
        notice = None
        if len(text) > MAX_QUESTION_CHARS:
            text = text[:MAX_QUESTION_CHARS]
            notice = (f"Votre question dépassait {MAX_QUESTION_CHARS} caractères : "
                      f"seuls les {MAX_QUESTION_CHARS} premiers ont été lus.")
        text = _CONTROL.sub(" ", text)
        if session is None:
            answer = self._composer.compose(self._understanding.read(text))
        else:
            with session._lock:
                reading = self._understanding.read(text, session._context)
                answer = self._composer.compose(reading)
                session._context = _next_context(session._context, reading)
                session.last = answer
        if notice:
            answer = replace(answer, notice=notice, text=f"({notice})\n{answer.text}")
        return answer
