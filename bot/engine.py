"""The public entry point: :class:`Bot` answers questions, :class:`Session` remembers one conversation."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .advise import Adviser
from .answer import Answer
from .cache import IndexCache, TextCache
from .clauses import QuestionSplitter
from .compose import Composer
from .compute_intents import ComputeIntents, load_compute_intents
from .dialogue import DialogueState, advance, state_from_dict, state_to_dict
from .facts import FactFinder
from .frozen import evolve
from .intents import DEFINITION, Intents, default_intents_dir, load_intents
from .knowledge import Knowledge, default_knowledge_dir, load_knowledge, say
from .lang import LANGUAGES, LanguageCues, load_language_cues, resolve_lang
from .normalise import tokenize
from .paths import cache_dir as default_cache_dir
from .reading import Reading, ReadingKind
from .requirements import Guidance, load_guidance
from .rules import GUIDANCE_RULES, RULES
from .tomlfile import ParsedCache
from .understand import Thresholds, Understanding

if TYPE_CHECKING:
    from .calc import Computation

__all__ = ["Bot", "Session", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 1000
"""Longer questions are cut to this many characters (and the answer says so)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _offer(answer: Answer) -> str | None:
    """The section a short (fact-level) answer offered in full, for a "oui" that follows it."""
    if not answer.facts or not answer.topic:
        return None
    if answer.intent == "glossary":
        return f"glossary:{answer.topic}"
    return f"{answer.role}:{answer.topic}" if answer.role else None


# Readings about the roles, which say first a subject the question raises that no source speaks of.
_SAYS_SILENCES = frozenset({ReadingKind.TOPIC, ReadingKind.COMPARE, ReadingKind.CLARIFY, ReadingKind.GLOSSARY})

MAX_PARTS = 2
"""Questions of one message answered after the first one ("c'est quoi un KAM ? et ça gagne combien ?")."""

# The readings a further question of a message is answered with: one about the roles, a term or a calculation.
_PART_KINDS = frozenset({ReadingKind.TOPIC, ReadingKind.COMPARE, ReadingKind.GLOSSARY, ReadingKind.COMPUTE})

_CUT_KINDS = frozenset({ReadingKind.TOPIC, ReadingKind.COMPARE, ReadingKind.COMPUTE})
"""The readings whose message is also cut at a joining word that opens another question."""

def _asked(reading: Reading) -> tuple:
    """What a reading answers, to tell a further question of a message from one answered already."""
    return reading.kind, reading.topic, reading.roles, reading.computation.kind if reading.computation else None


def _beyond(line: str, said: set[str]) -> str:
    """What *line* says beyond the longest line of *said* it holds (a paragraph whose first sentence was said), when
    that is a sentence or more; else nothing."""
    held = max((x for x in said if len(x) > 40 and x in line), key=len, default=None)
    if held is None:
        return ""
    rest = " ".join(part.strip() for part in line.split(held)).strip()
    return rest if len(rest) > 40 else ""


def _computed(done: Computation | None) -> set[str]:
    """The kinds of calculation *done* holds, its steps and its further steps included."""
    if done is None:
        return set()
    return {done.kind}.union(*(_computed(c) for c in (*done.steps, *done.then)))


class Session:
    """The memory of one conversation (a :class:`~bot.dialogue.DialogueState`), for follow-up questions.

    Create one per user with :meth:`Bot.new_session` (or :meth:`Bot.restore_session`);
    a session is safe to use from several threads, but its answers then depend on
    the order of questions.
    """

    def __init__(self, state: DialogueState | None = None) -> None:
        self._lock = threading.Lock()
        self._state = state or DialogueState()
        self.last: Answer | None = None
        """The last answer given in this conversation."""

    @property
    def dialogue(self) -> DialogueState:
        """What the conversation remembers now."""
        return self._state

    def state(self) -> dict[str, Any]:
        """What the conversation remembers, as a small JSON-ready dict (for :meth:`Bot.restore_session`)."""
        return state_to_dict(self._state)

    def turn(self, answer_with: Callable[[DialogueState], tuple[Answer, DialogueState]]) -> Answer:
        """Answer one question under the session's lock.

        *answer_with* gets the current state and returns the answer and the next
        state; both are stored before the lock is released, so questions of one
        conversation never interleave.
        """
        with self._lock:
            answer, self._state = answer_with(self._state)
            self.last = answer
            return answer

    def reset(self) -> None:
        """Forget the conversation."""
        with self._lock:
            self._state = DialogueState()
            self.last = None


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
                 cache_dir: Path | None = None, compute: ComputeIntents | None = None,
                 guidance: Guidance | None = None, languages: LanguageCues | None = None):
        self.knowledge = knowledge
        self.intents = intents
        # Role names are said alike in both languages: their words tell nothing ("responsable de compte").
        names = {w for role in knowledge.roles.values() for n in (*role.aliases, role.name) for w in tokenize(n)}
        self.languages = replace(languages or load_language_cues(),
                                 neutral=frozenset(names) - {"de", "du", "des", "la", "le", "of", "the"})
        """Cue words telling French from English (``intents/lang.toml``)."""
        finder = FactFinder(knowledge, intents, memo=TextCache(cache_dir, "stems") if cache_dir is not None else None)
        # Guidance needs both the requirements and the profile cues; without them its rules are left out.
        self._guidance_covers = frozenset(t.id for t in intents.topics.values() if t.guidance_covers)
        self._computation_covers = frozenset(t.id for t in intents.topics.values() if t.computation_covers)
        self._adviser = Adviser(knowledge, intents, guidance, intents.profile) \
            if guidance is not None and intents.profile is not None else None
        rules = RULES if self._adviser else tuple(r for r in RULES if r not in GUIDANCE_RULES)
        self._understanding = Understanding(knowledge, intents, thresholds=thresholds,
                                            build=IndexCache(cache_dir), compute=compute, finder=finder, rules=rules)

        def english(text: str) -> bool:
            return self.languages.detect(text).lang == "en"

        self._composers = {lang: Composer(knowledge, intents, finder=finder, lang=lang, english_question=english)
                           for lang in LANGUAGES}
        cues, lex = intents.details, intents.lexicon
        wh = {*cues.wh_words, *cues.question_words} - set(cues.not_part_openers)
        sms = (word for word, meant in lex.rewrites.items() if meant in wh)
        self._splitter = QuestionSplitter(lex.conjunctions, (*wh, *cues.yesno, *cues.part_openers, *sms), cues.split_words)
        entries = frozenset(knowledge.entries)
        self._known_ids = {"role": frozenset(knowledge.roles), "entry": entries,
                           "topic": frozenset(intents.topics) | entries, "lang": frozenset(LANGUAGES)}

    @classmethod
    def load(cls, path: str | Path | None = None, *, extra=(), intents: str | Path | None = None,
             thresholds: Thresholds | None = None, cache_dir: Path | str | None = "default",
             curated: bool = True) -> Bot:
        """Load the knowledge base in *path* (default: the bundled one) and build the bot.

        *extra* folders (e.g. made by ``careerbot ingest``) are answered from beside
        the curated knowledge: their roles like curated roles (a curated role of the
        same name wins), their question/answer pairs when nothing curated matches as
        well. ``curated=False`` loads the *extra* folders alone.
        Built indexes and a checked copy of each knowledge folder are cached in
        *cache_dir* (default: the user's cache folder; None: no cache), so later
        start-ups skip scikit-learn and the knowledge folders' TOML.

        Raises
        ------
        KnowledgeError
            When a knowledge or intent file is missing, malformed or inconsistent.
        """
        if cache_dir == "default":
            cache_dir = default_cache_dir()
        parsed = ParsedCache(Path(cache_dir)) if cache_dir is not None else None
        loaded_intents = load_intents(intents, cache=parsed)
        compute_file = (Path(intents) if intents is not None else default_intents_dir()) / "compute.toml"
        compute = load_compute_intents(compute_file, cache=parsed) if compute_file.is_file() else None
        knowledge = load_knowledge(path, extra=extra, topic_ids=loaded_intents.topics.keys(), curated=curated,
                                   cache_dir=cache_dir)
        # The guidance file speaks of the curated roles: without them (--no-curated) there is no guidance.
        guidance_file = (Path(path) if path is not None else default_knowledge_dir()) / "guidance.toml"
        guidance = load_guidance(guidance_file, knowledge, cache=parsed) if curated and guidance_file.is_file() else None
        lang_file = (Path(intents) if intents is not None else default_intents_dir()) / "lang.toml"
        languages = load_language_cues(lang_file, cache=parsed) if lang_file.is_file() else None
        return cls(knowledge, loaded_intents, thresholds=thresholds,
                   cache_dir=Path(cache_dir) if cache_dir is not None else None, compute=compute, guidance=guidance,
                   languages=languages)

    def new_session(self) -> Session:
        """A fresh conversation."""
        return Session()

    def restore_session(self, state: Any) -> Session:
        """A conversation resumed from :meth:`Session.state`'s dict.

        Anything that does not describe a state of this bot (not a dict, a slot of
        the wrong type, an unknown slot, role, topic or entry id) gives a fresh
        session: a stale or tampered state never raises.
        """
        try:
            return Session(state_from_dict(state, self._known_ids))
        except ValueError:
            return Session()

    def read(self, text: str, state: DialogueState = DialogueState()) -> Reading:
        """What careerbot understands of *text* (no answer written; for debugging and evaluation)."""
        return self._understanding.read(text, state)

    def _answer(self, reading: Reading, text: str, state: DialogueState, lang: str) -> tuple[Answer, Reading]:
        """The answer to *reading* in *lang*, then to the message's other questions (:meth:`_other_parts`), and the
        reading as answered (a guidance one carries the roles found)."""
        answer, reading = self._answer_one(reading, text, state, lang)
        more = self._other_parts(answer, reading, text, state, lang)
        if more:
            answer = self._composers[lang].joined(answer, *more)
        return answer, reading

    def _other_parts(self, first: Answer, reading: Reading, text: str, state: DialogueState,
                     lang: str) -> list[Answer]:
        """The answers to the other question sentences of a message ("c'est quoi un KAM exactement ? et ça gagne
        combien ?"), each read as a follow-up of the first answer: up to :data:`MAX_PARTS` that ask something the
        answer did not (another topic, role, term or calculation)."""
        if reading.kind in (ReadingKind.FALLBACK, ReadingKind.SMALLTALK):
            return []
        # A role answer's sentences are cut again at a joining word that opens a question (« quelles études, et
        # combien d'années ? »), and so are a comparison's and a calculation's; a guidance or a term answer says
        # what it covers itself.
        pieces = self._splitter.split(text, cut=reading.kind in _CUT_KINDS,
                                      between=reading.kind in (ReadingKind.TOPIC, ReadingKind.GLOSSARY))
        # A piece standing alone, or opened by a joining word and a question word (« …, et combien d'années ? »).
        # (One such is enough: « … combien de comptes stratégiques ? et en mid-market ? » read whole answers the
        # second, the first is its own question.)
        sentences = [p for p in pieces if p.opened or self._understanding.stands_alone(p.text)] \
            if len(pieces) >= 2 else []
        if not sentences or (len(sentences) < 2 and reading.kind != ReadingKind.TOPIC):
            return []
        after = advance(state, reading)
        done = {_asked(reading)}
        # A guidance answer states the entry requirements and the way there itself, and the topics it answered beside.
        covered = {*self._guidance_covers, *reading.also} if reading.kind == ReadingKind.GUIDANCE else set()
        if reading.kind == ReadingKind.TOPIC:
            done.update(_asked(replace(reading, topic=t)) for t in reading.also)
        computed = _computed(reading.computation)
        lines_done = set(reading.computation.lines) if reading.computation is not None else set()
        offer = self.intents.messages.say("offer_section", lang)
        no_data = self.intents.messages.say("no_data", lang)
        verdicts = {self.intents.messages.say(key, lang) for key in ("yes", "no")}
        more: list[Answer] = []
        for piece in sentences:
            sentence = piece.text
            part = self._understanding.read(sentence, after)
            if piece.asks_both and reading.kind in (ReadingKind.TOPIC, ReadingKind.GLOSSARY) \
                    and not self._understanding.names_anything(sentence):
                # "… c'est laquelle, et elle interdit quoi exactement ?": another detail of what the first part named.
                part = replace(reading, also=(), level=None)
            elif (piece.asks_both or piece.opened) and part.kind == ReadingKind.TOPIC and part.roles == reading.roles \
                    and part.level is None:
                # "AE junior c'est combien de fixe et combien de variable ?": the level named once holds for both.
                part = replace(part, level=reading.level)
            # (A question of its own naming its topic is one even when a long story around it lowers the reading's
            # confidence: « J'adore mon job mais je me pose des questions : on évolue vers quoi après AE ? ».)
            sure = part.confidence >= self._understanding.t.part or (
                part.kind == ReadingKind.TOPIC and part.confidence >= self._understanding.t.named_part
                and sentence.rstrip().endswith("?") and self._understanding.names_topic(sentence, part.topic))
            if part.kind not in _PART_KINDS or not sure or part.topic in covered:
                continue
            if reading.kind == ReadingKind.GUIDANCE and part.kind == ReadingKind.TOPIC \
                    and self._understanding.asks_about_person(sentence):
                continue  # "… Could I move to an AE role?": the guidance asked, which the answer gives, not a role topic
            # A piece cut from a sentence asks what it names (a topic, a term, a calculation), or nothing new.
            named = part.kind != ReadingKind.TOPIC or self._understanding.names_topic(sentence, part.topic)
            # (After a calculation, the pay it computed is no topic to add: « … qui paye le plus, et faut quel
            # diplôme ? » adds the studies, « … quel fixe et quel variable ? » no salary section.)
            if piece.cut and (not named or (_asked(part) in done and not (piece.asks_both or piece.opened))
                              or (reading.kind == ReadingKind.COMPUTE and part.kind != ReadingKind.COMPUTE
                                  and part.topic in self._computation_covers)):
                continue
            if part.kind == ReadingKind.COMPUTE and (part.computation is None or (
                    part.computation.kind in computed
                    # (The same operation on other figures is another calculation: « ça fait combien par mois ? Et au
                    # salaire moyen, ce serait combien par mois ? ».)
                    and (not part.computation.ok or set(part.computation.lines) <= lines_done))):
                continue  # a calculation the answer made already (as a step of its own), or none
            answer = self._answer_one(part, sentence, after, lang)[0]
            said = {line for other in (first, *more) for line in other.text.split("\n")}
            lines = answer.text.split("\n")[:-1]  # its sources' line aside
            if not lines:
                continue  # a one-line answer (a refusal, a line of sources alone) adds nothing to the first
            same = _asked(part) in done
            # (Of a detail asked beside another in one sentence, a paragraph holding a sentence said already brings the
            # rest of it: "… c'est laquelle, et elle interdit quoi ?" adds the rule's sentences after the one on ethics.)
            beyond = same and piece.asks_both
            known = [x for x in lines[1:] if x == offer or (self._said(x, said, lang)
                     and not (beyond and _beyond(x, said)))]
            # An answer saying the sources lack the topic (one line, and caveats said already) is kept for a piece cut
            # from a sentence that names its topic ("quelles études pour ce poste, et combien d'années ?"), not for a
            # sentence read into it.
            lacking = lines[0].startswith(no_data) and len(known) == len(lines) - 1
            # (... and for a question of its own that names its topic: « on évolue vers quoi après AE ? et un AE
            # confirmé, ça gagne combien ? » is told the sources give no career path for the AE.)
            asked_alone = lacking and named and sentence.rstrip().endswith("?")
            alone = (len(lines) == 1 or lacking) and not piece.cut and not asked_alone
            if (lines[0] in said and not same) or alone or (len(lines) > 1 and len(known) == len(lines) - 1
                                                            and not lacking):
                continue  # the same answer reached another way ("c'est quoi un AE ? il fait quoi ?")
            if same:
                # A part asking the same topic of another fact ("… stratégiques, combien ? et en mid-market ?"): that
                # fact alone, under the first answer's head (no yes or no of its own).
                # (A calculation has no head: its first line gives its data.)
                body = lines if part.kind == ReadingKind.COMPUTE else lines[1:]
                new = [(_beyond(x, said) if beyond else "") or x for x in body
                       if x not in known and x not in verdicts and x not in said]
                while new and new[-1].rstrip().endswith(":"):
                    new.pop()  # a heading whose lines were all said already (« Ce qu'elles disent de plus proche : »)
                if not new:
                    continue
                answer = replace(answer, text="\n".join([*new, answer.text.rsplit("\n", 1)[-1]]))
            done.add(_asked(part))
            computed |= _computed(part.computation)
            lines_done |= set(part.computation.lines) if part.computation is not None else set()
            more.append(answer)
            if len(more) == MAX_PARTS:
                break
        return more

    def _said(self, line: str, said: set[str], lang: str) -> bool:
        """Whether *line* says nothing new after the lines *said*: one of them, within a longer one of them or holding
        one (a paragraph and its sentence), or a calculation's frame."""
        return line in said or self._frames(line, lang) or any(
            len(x) > 40 and (x in line or line.lstrip("• ") in x) for x in said)

    def _frames(self, line: str, lang: str) -> bool:
        """Whether *line* only says a calculation used the question's own figures, saying nothing new (its data line
        says which figures, and is new when they are)."""
        say = self.intents.messages.say
        return line == say("computed_from_question", lang)

    def _answer_one(self, reading: Reading, text: str, state: DialogueState, lang: str) -> tuple[Answer, Reading]:
        """The answer to *reading* alone."""
        if reading.kind == ReadingKind.GUIDANCE and self._adviser is not None:
            reading = self._adviser.resolve(reading, text, state.profile)
            answer = self._adviser.compose(reading, text, lang)
            about = reading.about or ""
            topics = self.knowledge.roles[about].topics if about else {}
            asked = [t for t in reading.also if t != "salary" and t in topics]
            for topic_id in reversed(asked):
                # The role topics asked beside the guidance ("… l'AE, il fait quoi au quotidien ?"): their sections,
                # first, in the order asked.
                # (What the job is, in its head and first lines: the guidance stays short; the rest is a question away.)
                beside = Reading(ReadingKind.TOPIC, topic_id, (about,), reading.confidence)
                compose = self._composers[lang].lead if topic_id == DEFINITION else self._composers[lang].compose
                topic = compose(beside, seen=state.caveats_shown)
                both = self._composers[lang].joined(topic, answer)
                answer = replace(answer, text=both.text, sources=both.sources, citations=both.citations,
                                 facts=both.facts)
            return answer, reading
        answer = self._composers[lang].compose(reading, text, seen=state.caveats_shown)
        if self._adviser is not None and reading.kind in _SAYS_SILENCES:
            # "faut-il être fort en maths pour être commercial ?": a subject no source speaks of, said first.
            said = self._adviser.silent_on(text, lang)
            # An answer that already opens on what the sources lack says it once, naming the subject raised
            # (« télétravail », not the topic the question was routed to).
            leads = tuple(self.intents.messages.say(key, lang) for key in ("no_data", "no_data_yesno"))
            if said and reading.kind == ReadingKind.GLOSSARY and reading.topic not in self._understanding.query(text).terms:
                # « au bout de combien de temps un SDR devient AE ? » comes close to no term it does not name (the
                # sales cycle's phrasings): what the sources lack is the whole answer.
                return replace(answer, text=said, sources=(), citations=(), facts=()), reading
            if said:
                first, _, rest = answer.text.partition("\n")
                # ... unless the message asks that topic in a question of its own ("Can I work in Paris without
                # fluent French? And do I need a master's?"): what the sources lack of it is said too.
                # (A detail said missing is the silent subject again: « Télétravail possible ? combien de jours ? ».)
                routed = self.intents.topics.get(reading.topic or "")
                alone = routed is None or say(routed, "label", lang) not in first \
                    or len(self._splitter.split(text, cut=False)) < 2
                answer = replace(answer, text=f"{said}\n{rest if first.startswith(leads) and alone else answer.text}")
        return answer, reading

    def ask(self, text: str, session: Session | None = None, *, lang: str | None = None) -> Answer:
        """Answer *text*; with a *session*, follow-ups use and update that conversation's memory.

        The answer is in the question's language (French or English, see :mod:`bot.lang`),
        or in *lang* (``"fr"``, ``"en"``; None or ``"auto"``: detected); a message that does
        not show its language ("ok", a role name) keeps the conversation's. ``Answer.lang``
        says which. Any string gets an :class:`Answer`: unusable input gives ``fallback=True``
        and a message saying why, never an exception.
        """
        if not isinstance(text, str):
            raise TypeError(f"Bot.ask() needs the question as a str, got {type(text).__name__}")
        if lang not in (None, "auto", *LANGUAGES):
            raise ValueError(f"Bot.ask(): lang must be one of {', '.join(LANGUAGES)} or 'auto', got {lang!r}")
        too_long = len(text) > MAX_QUESTION_CHARS
        text = _CONTROL.sub(" ", text[:MAX_QUESTION_CHARS])
        detected = self.languages.detect(text)
        if session is None:
            answer = self._answer(self._understanding.read(text), text, DialogueState(),
                                  resolve_lang(lang, detected, None))[0]
        else:
            def answer_with(state: DialogueState) -> tuple[Answer, DialogueState]:
                chosen = resolve_lang(lang, detected, state.lang)
                answer, reading = self._answer(self._understanding.read(text, state), text, state, chosen)
                after = evolve(advance(state, reading), pending=_offer(answer), lang=chosen)
                if answer.notice and answer.role:
                    # The caveat went into the text (or had already): not again in this conversation.
                    after = replace(after, caveats_shown=after.caveats_shown | {answer.role})
                return answer, after

            answer = session.turn(answer_with)
        if too_long:
            notice = self.intents.messages.say("too_long", answer.lang, limit=MAX_QUESTION_CHARS)
            answer = replace(answer, notice=" ".join(filter(None, (notice, answer.notice))),
                             text=f"({notice})\n{answer.text}")
        return answer
