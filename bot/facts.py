"""Find the facts a question asks for inside a role's knowledge, and the details the sources do not give.

:class:`FactFinder` is built once from the knowledge base and the intent files.
:meth:`FactFinder.select` reads one question about one role (and the topic the
understanding chose) and returns a :class:`Selection`: the one or two facts that
carry the detail asked for, the words of the question no fact of that role
covers (a detail the sources do not give), and whether the question is precise,
asks for a number, or is a yes/no question. Pure: no files, no state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from rapidfuzz import fuzz, process

from .cache import TextCache, text_key
from .clauses import ClauseReader, clauses, has_phrase, phrase_ends, phrases, question_part
from .frozen import evolve
from .intents import DetailCues, Intents
from .knowledge import Fact, Knowledge, SalaryFigure, sentences
from .normalise import ELIDED, fold, has_digit, normalise

__all__ = ["FactFinder", "Selection", "Unit", "stem"]

_COMPOUND = re.compile(r"\b(\w+)-(\w)")

_CODE = (Path(__file__), Path(__file__).with_name("normalise.py"))


def _word_lists(table: object) -> dict[str, list[str]]:
    """*table* if it maps texts to lists of words (as :class:`~bot.cache.TextCache` stores them), else ``{}``."""
    if isinstance(table, dict) and all(type(v) is list and all(type(w) is str for w in v) for v in table.values()):
        return table
    return {}

# French subject-verb inversion ("a-t-il", "garantit-il", "peut-on"): a yes/no question.
# « qu'est-ce que le closing ? » asks what it is: its « est-ce que » opens no yes/no question.
_WHAT_IS = re.compile(r"\bqu['\s]?est[\s-]*ce\b")
_INVERSION = re.compile(r"\b\w+-(?:t-)?(?:il|elle|on|ils|elles)\b")


def stem(word: str) -> str:
    """A crude stem shared by French and English word forms: the first five letters, six for long words.

    Six letters keep long words apart that share a prefix ("intéressement" / "interne",
    "convention" / "conversion") while "négociation" and "négocier" still meet.
    """
    return word[:6] if len(word) >= 8 else word[:5]


@dataclass(frozen=True)
class Unit:
    """A fact or a salary figure of one role, as the finder scores it."""

    topic: str
    fact: Fact | None
    figure: SalaryFigure | None
    stems: frozenset[str]
    cited: tuple[str, ...] = ()
    """The documents to cite when the unit holds no single source (a sentence of a glossary entry)."""

    @property
    def sources(self) -> tuple[str, ...]:
        if self.cited:
            return self.cited
        return (self.fact.source if self.fact else self.figure.source,)  # type: ignore[union-attr]

    @property
    def has_figure(self) -> bool:
        return self.figure is not None or bool(self.fact and self.fact.has_figure)


@dataclass(frozen=True)
class Selection:
    """What a question asks of one role, at the level of facts."""

    units: tuple[Unit, ...] = ()
    """The facts (or salary figures) that carry the detail asked for, best first; empty when none clearly does."""
    missing: tuple[str, ...] = ()
    """Words of the question that no fact of the role covers, as the asker wrote them."""
    precise: bool = False
    """The question asks for one detail (a figure, a yes/no, a named thing), not a whole section."""
    wants_figure: bool = False
    """The question asks for a number."""
    yesno: bool = False
    """The question is a yes/no question."""
    duration: str = ""
    """The words asking for a duration ("combien de temps"), when the question asks for one."""
    explains: bool = False
    """The question asks for an explanation ("pourquoi…"): a fact then comes with the rest of its paragraph."""
    closest: tuple[Unit, ...] = ()
    """The facts nearest to the question when none answers it (by the words the sources do speak of)."""
    words: tuple[str, ...] = field(default=(), repr=False)
    """The question's detail words (folded), for debugging."""
    per: tuple[str, ...] = field(default=(), repr=False)
    """What a figure is asked per ("chaque deal", "par semaine"), as "<per word> <word>"."""
    qualifiers: tuple[str, ...] = field(default=(), repr=False)
    """Detail words that only qualify the question (adjectives, adverbs, verbs) or set its scene ("quand mon boss…"):
    never a missing detail."""
    nouns: tuple[str, ...] = field(default=(), repr=False)
    """Short detail words (three letters) right after a determiner ("a company **car**"): nouns, checked as they are
    (too short to be read as a typo of a known word)."""
    head: tuple[str, ...] = field(default=(), repr=False)
    """The detail words right after the question word ("quel **quota trimestriel**", "what **KPIs**"): what is
    asked, against the words around it that only set the scene."""


_CHATTY = 4
"""As many words unknown to a role as this in one question, none asked by its question word, are chatter."""


class FactFinder:
    """Fact-level reader of questions about a role.

    Parameters
    ----------
    knowledge : Knowledge
    intents : Intents
    min_share : float, keyword-only
        Share of the question's detail weight a fact must cover to be "the" answer.
    fuzz_cutoff : float, keyword-only
        rapidfuzz ratio from which a misspelt word counts as a known one.
    memo : TextCache, keyword-only, optional
        The stems of each text found at an earlier start-up (keyed by this code and the
        lexicon): the texts found there are not normalised again.
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, *, min_share: float = 0.5,
                 fuzz_cutoff: float = 84.0, memo: TextCache | None = None):
        self.kb = knowledge
        self.min_share = min_share
        self.fuzz_cutoff = fuzz_cutoff
        lex = intents.lexicon
        self._rewrites = lex.rewrites
        cues: DetailCues = intents.details
        self._precise = phrases(cues.precise, lex.rewrites)
        self._yesno = phrases(cues.yesno, lex.rewrites)
        self._figure = phrases(cues.figure, lex.rewrites)
        self._duration = phrases(cues.duration, lex.rewrites)
        spans = "|".join(sorted((re.escape(u) for u in cues.duration_units), key=len, reverse=True))
        self._duration_said = re.compile(rf"\d\s*(?:(?:a|à|-|–|to|et|and)\s*\d+\s*)?(?:{spans})\b") if spans else None
        self._question = phrases(cues.question_words, lex.rewrites)
        self._explain = phrases(cues.explain, lex.rewrites)
        self._wh = phrases(cues.wh_words, lex.rewrites)
        self._head_words = frozenset(cues.head_words)
        self._head_links = frozenset(cues.head_links)
        self._noun_before = frozenset(cues.noun_before)
        self._generic = frozenset(cues.generic)
        self._determiners = frozenset(lex.determiners)
        self._verbs = frozenset(cues.yesno_verbs)
        self._openers = frozenset(cues.statement_openers)
        self._negations = frozenset(cues.negations)
        self._restrictive = phrases(cues.restrictive, lex.rewrites)
        self._truth_checks = phrases(cues.truth_checks, lex.rewrites)
        self._additive = phrases(cues.additive, lex.rewrites)
        self._story = frozenset(cues.story)
        # The query reader is given this one (see Understanding): a question is cut into clauses once for both.
        self.clause_reader = ClauseReader(lex.rewrites, self._wh, self._story, self._question | self._yesno)
        # Words that never name a detail: function words, ways of asking, role names, levels, places.
        # Role names are taken out of a question as whole phrases ("account manager"), so that
        # their words stay details elsewhere ("combien de comptes…").
        # Names of worked examples ("Alice", "l'agence") name the subject too, not a detail of it.
        names = [*(n for role in knowledge.roles.values() for n in (*role.aliases, role.name, role.short)),
                 *(alias for ex in knowledge.examples.values() for alias in ex.aliases)]
        self._role_names = sorted({tuple(normalise(name, lex.rewrites)) for name in names if normalise(name, lex.rewrites)},
                                  key=len, reverse=True)
        # The jobs people come from ("prof des écoles", "infirmière") are their story, never a detail asked.
        jobs = (w for words in intents.profile.jobs.values() for p in words for w in p.split()) if intents.profile else ()
        self._ignore = frozenset({*lex.stopwords, *lex.filler, *cues.generic, *ELIDED, *cues.story, *jobs,
                                  *(w for p in cues.question_words for w in p.split()),
                                  *(w for words in lex.seniority.values() for p in words for w in p.split()),
                                  *(w for p in lex.places for w in p.split()), *(w for p in lex.net_words for w in p.split())})
        # How people ask (topic phrasings and keywords, glossary phrasings): never a missing detail.
        asking: set[str] = set()
        for topic in intents.topics.values():
            for text in (*topic.keywords, *topic.examples):
                asking.update(normalise(text.replace("{role}", " "), lex.rewrites))
        for st in intents.smalltalk.values():
            for text in st.examples:
                asking.update(normalise(text, lex.rewrites))
        for text in intents.compare_examples:
            asking.update(normalise(text.replace("{role}", " "), lex.rewrites))
        asking.update(intents.compare_cues, lex.followup_cues, lex.ordinal_refs)
        self._asking = frozenset(stem(w) for w in asking if len(w) >= 3)
        self._per_words = frozenset(cues.per_words)
        self._per_anyone = frozenset(cues.per_anyone)
        self._origin = phrases(cues.origin_cues, self._rewrites)
        self._referring, self._scene_openers = frozenset(cues.referring), frozenset(cues.scene_openers)
        self._own = lex.own_possessives
        # The stems of one text, and what it counts per, depend on the text, the lexicon and this code only.
        key = text_key(*(path.read_bytes() for path in _CODE), sorted(self._rewrites.items()), sorted(self._ignore),
                       sorted(self._per_words)) if memo is not None else ""
        stored = memo.load(key) if memo is not None else {}
        known_stems = _word_lists(stored.get("stems"))
        known_per = _word_lists(stored.get("per"))
        used_stems: dict[str, list[str]] = {}
        used_per: dict[str, list[str]] = {}

        def stems_of(*texts: str) -> frozenset[str]:
            out: set[str] = set()
            for text in texts:
                if text:
                    found = known_stems.get(text)
                    if found is None:
                        found = sorted(self._stems(text))
                    used_stems[text] = found
                    out.update(found)
            return frozenset(out)

        def per_of(text: str) -> list[str]:
            found = known_per.get(text)
            if found is None:
                toks = normalise(text, lex.rewrites)
                found = sorted({stem(n) for w, n in pairwise(toks) if w in self._per_words})
            used_per[text] = found
            return found

        self._asking_long = sorted(w for w in self._asking if len(w) >= 5)
        self._topic_stems = {tid: frozenset(stem(w) for kw in t.keywords for w in normalise(kw, lex.rewrites))
                             for tid, t in intents.topics.items()}
        self._any_topic_stems = frozenset().union(*self._topic_stems.values())
        # The words that name a topic itself ("un exemple concret", "a worked example"), in both languages.
        self._label_stems = {tid: frozenset(stem(w) for w in normalise(f"{t.label} {t.label_en}", lex.rewrites)
                                            if len(w) >= 3) for tid, t in intents.topics.items()}
        # Words of role names ("executive", "manager") never pick a fact, even misspelt, unless a
        # topic is named by them too ("comptes").
        self._name_stems = frozenset(stem(w) for name in self._role_names for w in name) - self._any_topic_stems
        self._name_set = frozenset(self._role_names)
        self._longest_name = max((len(n) for n in self._role_names), default=0)
        self._name_starts = frozenset(n[0] for n in self._role_names if n)
        self._name_words = sorted({w for name in self._role_names for w in name if len(w) >= 4})
        # Whether a word is known to a role depends on the word, the role and the topic alone: worked out once
        # for each (the same words come back in every question), at most 8,192 kept.
        self._known_to = lru_cache(maxsize=8192)(self._known_to_role)
        # Every role's facts and figures, with their stems; document frequencies over all of them.
        self._units: dict[str, tuple[Unit, ...]] = {}
        for role in knowledge.roles.values():
            units: list[Unit] = []
            for role_topic in role.topics.values():
                for fact in role_topic.facts:
                    # Both languages' words: an English question names the facts in English ("speak English").
                    units.append(Unit(role_topic.id, fact, None, stems_of(fact.text, fact.text_en, *fact.keywords)))
                for fig in role_topic.figures:
                    if fig.on_request:
                        continue  # another country's figure: only a question naming that country gets it
                    units.append(Unit(role_topic.id, None, fig, stems_of(*_figure_words(fig))))
            self._units[role.id] = tuple(units)
        # Glossary and practice entries, cut into their sentences ("entry:<id>").
        for entry in knowledge.entries.values():
            if entry.kind == "extracted":
                continue
            entry_units: list[Unit] = []
            english = sentences(entry.answer_en)
            for i, sentence in enumerate(sentences(entry.answer)):
                fact = Fact(text=sentence, source=entry.sources[0], bullet=sentence.startswith("•"),
                            id=f"{entry.id}#{i + 1}", text_en=english[i] if i < len(english) else "")
                entry_units.append(Unit(entry.id, fact, None, stems_of(sentence, fact.text_en), cited=entry.sources))
            self._units[f"entry:{entry.id}"] = tuple(entry_units)
        self._entry_stems = {e.id: stems_of(e.title, e.title_en, e.answer, e.answer_en, *e.keywords, *e.questions)
                             for e in knowledge.entries.values()}
        # The stems of what names each entry (its title, id and keywords): words of a question about it that only
        # name it again.
        self._title_stems = {e.id: frozenset(stem(w) for w in normalise(
            f"{e.title} {e.id.replace('-', ' ')} {' '.join(e.keywords)}", self._rewrites)) for e in knowledge.entries.values()}
        df: dict[str, int] = {}
        for role_units in self._units.values():
            for unit in role_units:
                for s in unit.stems:
                    df[s] = df.get(s, 0) + 1
        n = sum(len(u) for u in self._units.values()) or 1
        self._idf = {s: math.log((n + 1) / (c + 1)) + 1.0 for s, c in df.items()}
        self._default_idf = math.log(n + 1) + 1.0
        # What each role's knowledge speaks of, including the terms attached to it.
        self._role_stems: dict[str, frozenset[str]] = {}
        for role in knowledge.roles.values():
            stems = set().union(*(u.stems for u in self._units[role.id])) if self._units[role.id] else set()
            stems |= stems_of(role.summary, role.summary_en, role.note, role.note_en, role.caveat, role.caveat_en,
                                  *role.aliases)
            for role_topic in role.topics.values():
                stems |= stems_of(*role_topic.questions, role_topic.intro, role_topic.intro_en)
            for entry in knowledge.entries.values():
                if role.id in entry.roles:
                    stems |= stems_of(entry.title, entry.title_en, entry.answer, entry.answer_en, *entry.keywords)
            self._role_stems[role.id] = frozenset(stems)
        self._role_stem_lists = {rid: sorted(s for s in stems if len(s) >= 5) for rid, stems in self._role_stems.items()}
        self._verb_endings = tuple(cues.verb_endings)
        self._infinitive_endings = tuple(cues.infinitive_endings)
        self._before_infinitive = frozenset(cues.before_infinitive)
        self._form_endings = tuple(cues.form_endings)
        self._pronouns = frozenset(cues.subject_pronouns)
        self._stopwords = lex.stopwords
        # What each role's facts count per ("12 démos par semaine", "10 à 20 comptes par AM"): stems after a per word.
        self._per_stems: dict[str, frozenset[str]] = {}
        for rid, role_units in self._units.items():
            per_stems: set[str] = set()
            for unit in role_units:
                texts = (unit.fact.text, unit.fact.text_en) if unit.fact else _figure_words(unit.figure)  # type: ignore[arg-type]
                for text in texts:
                    if any(map(str.isdigit, text)):  # a rate has a number; "chaque deal" alone counts nothing
                        per_stems.update(per_of(text))
            self._per_stems[rid] = frozenset(per_stems)
        self._known_stems = frozenset().union(*self._role_stems.values()) if self._role_stems else frozenset()
        if memo is not None and (used_stems.keys() - known_stems.keys() or used_per.keys() - known_per.keys()):
            memo.store(key, {"stems": used_stems, "per": used_per})

    def _stems(self, *texts: str) -> frozenset[str]:
        return frozenset(stem(t) for text in texts if text for t in normalise(text, self._rewrites)
                         if (len(t) >= 3 and t not in self._ignore) or t.isdigit())

    # ------------------------------------------------------------------ reading
    def question_part(self, tokens_by_clause: list[list[str]]) -> list[str]:
        """The clauses that ask something; a clause of the asker's own story is left out."""
        return question_part(tokens_by_clause, story=self._story, asking=self.clause_reader.asking)

    def clauses(self, text: str) -> list[list[str]]:
        """The message cut into clauses, each normalised."""
        return clauses(text, self._rewrites, self._wh)

    def _known_to_role(self, word: str, role_id: str, topic_id: str | None) -> bool:
        if self._known_exactly(word, role_id, topic_id):
            return True
        s = stem(word)
        if len(word) < 5:
            return len(word) < 4  # short words are too easily someone's typo to call a missing detail
        if process.extractOne(word, self._name_words, scorer=fuzz.ratio, score_cutoff=self.fuzz_cutoff):
            return True  # a misspelt role name ("acount executive") names the role, not a detail
        # A misspelt word ("comissions", "negotiation") counts as the known word it is close to.
        return process.extractOne(s, self._role_stem_lists.get(role_id, ()), scorer=fuzz.ratio,
                                  score_cutoff=self.fuzz_cutoff + 6) is not None or process.extractOne(
            word, self._asking_long, scorer=fuzz.ratio, score_cutoff=self.fuzz_cutoff) is not None

    @staticmethod
    def _aside(missing: tuple[str, ...], read: Selection, known: Callable[[str], bool]) -> bool:
        """Whether the few words of *missing* are said in passing: one or two unknown words among three times as
        many the knowledge uses ("Which FINRA rule **caps** the gifts account reps can give clients?", "est-ce normal
        qu'un account manager **ait** des objectifs de vente ?"), none of them what the question word asks for
        first (« quel est le **préavis** … »)."""
        if len(missing) > 2 or (read.head and read.head[0] in missing) or not set(missing) <= set(read.words):
            return False  # (a rate, « par deal », or a duration asked is a detail, never a word in passing)
        said = sum(1 for w in read.words if w not in missing and known(w))
        return said >= 3 * len(missing)

    def _known_exactly(self, word: str, role_id: str, topic_id: str | None) -> bool:
        """Whether the role's facts, the topic's words or the ways of asking use *word* itself, no typo allowed."""
        s = stem(word)
        return s in self._role_stems.get(role_id, ()) or s in self._asking or bool(
            topic_id and s in self._topic_stems.get(topic_id, ()))

    def _verb_form(self, word: str, before: str) -> bool:
        """A verb form no fact uses ("pourra", "faire grimper"): how the question asks, not a detail it names."""
        if len(word) < 5 or stem(word) in self._known_stems:
            return False
        return self._qualifies(word, before) or word.endswith(self._verb_endings) or (
            before in self._before_infinitive and word.endswith(self._infinitive_endings))

    def _qualifies(self, word: str, before: str) -> bool:
        """An adjective, adverb, participle or verb after its pronoun ("principales", "expected", "ils sortent"):
        it may pick a fact that uses it, but a role lacking it lacks no detail."""
        return (len(word) >= 5 and word.endswith(self._form_endings)) or (len(word) >= 3 and before in self._pronouns)

    def _with_name_marks(self, tokens: Sequence[str]) -> list[str]:
        """*tokens* with each role or example name they hold (longest name first at each position) as one mark word,
        "" (never a detail)."""
        out: list[str] = []
        i = 0
        starts = self._name_starts
        while i < len(tokens):
            if tokens[i] not in starts:  # no name starts with this word (most words): no run to look up
                out.append(tokens[i])
                i += 1
                continue
            size = next((n for n in range(min(self._longest_name, len(tokens) - i), 0, -1)
                         if tuple(tokens[i:i + n]) in self._name_set), 0)
            out.append("" if size else tokens[i])
            i += size or 1
        return out

    def asks_what(self, text: str) -> bool:
        """Whether *text* holds a question word ("which", "combien"…)."""
        return has_phrase(normalise(fold(text), self._rewrites), self._wh)

    def _read(self, text: str) -> Selection:
        """What any question asks, before facts are chosen: its detail words and whether it is precise,
        asks for a number or is a yes/no question (the asker's story and role names left out)."""
        folded = fold(text)
        clauses, asked = self.clause_reader.read(folded)
        # The words asked without the role and example names they hold (marked in place, for counting rates below).
        marked = self._with_name_marks(asked)
        tokens = [t for t in marked if t]
        yesno = self._yesno_question(text, clauses, tokens)
        # The verb of a question by inversion that asks something else ("de quoi s'agit-il ?", "où trouve-t-on ce
        # poste ?") names no missing detail; in a yes/no question ("l'upsell suffit-il à payer leur coût ?") it is
        # what is asked.
        inverted = {m.group(0).split("-")[0] for m in _INVERSION.finditer(folded)} \
            if "-" in folded and not yesno else set()
        wants_figure = has_phrase(tokens, self._figure)
        # A three-letter word after a determiner is a noun, even one that is elsewhere a function word ("a company
        # car"; the French "car" is "because").
        nounish = {t for i, t in enumerate(tokens) if len(t) == 3 and t.isalpha() and i and tokens[i - 1] in self._noun_before
                   and t in self._stopwords and t not in self._generic and t not in self._determiners}
        # "I am a student from Brazil": where the asker comes from is their story.
        origin = phrase_ends(tokens, self._origin)
        scene = self._scene(tokens)
        words = tuple(dict.fromkeys(t for i, t in enumerate(tokens) if (t not in self._ignore or t in nounish)
                                    and i not in origin and not t[:1].isdigit()
                                    and len(t) >= 3 and stem(t) not in self._name_stems
                                    and not self._verb_form(t, tokens[i - 1] if i else "")))
        qualifiers = tuple(t for i, t in enumerate(tokens) if t in words and (
            i in scene or t in inverted or self._qualifies(t, tokens[i - 1] if i else "")))
        nouns = tuple(t for t in nounish if t in words)
        # "commission sur chaque deal", "jours par semaine": what the figure is counted per.
        # A rate follows the figure asked ("combien de clients par an", "% de commission sur chaque deal");
        # "chaque personne gère combien de clients ?" is no rate.
        per: tuple[str, ...] = ()
        if wants_figure:  # a rate only matters to a question asking for a number
            # (Counted on the words as asked: « à chaque AM sans que… » counts per AM, not « chaque sans ».)
            start = next((i for i in range(len(marked)) if has_phrase(marked[i:i + 3], self._figure)), len(marked))
            per = tuple(f"{w} {n}" for w, n in pairwise(marked[start:]) if w in self._per_words
                        and n not in self._stopwords and n not in self._per_anyone and n not in self._scene_openers
                        and len(n) >= 3 and not n[:1].isdigit())
        # (Most questions ask no duration: the runs are made one by one only for one that does.)
        asks_time = next((" ".join(p) for n in (4, 3, 2, 1) for i in range(len(tokens) - n + 1)
                          if (p := tuple(tokens[i:i + n])) in self._duration), "") \
            if has_phrase(tokens, self._duration) else ""
        return Selection(precise=yesno or wants_figure or has_phrase(tokens, self._precise), duration=asks_time,
                         wants_figure=wants_figure, yesno=yesno, words=words, qualifiers=qualifiers, per=per,
                         explains=has_phrase(tokens, self._explain), head=self._head(tokens, words), nouns=nouns)

    def _scene(self, tokens: Sequence[str]) -> set[int]:
        """The positions of words that set the question's scene rather than name a detail: the word after one that
        points back ("c'est quoi **ce jargon** ?"), after a question word a clause opened by "quand", "when"…
        ("la diff entre best case et commit **quand mon boss me demande mon forecast** ?"), and before it the word
        after a possessive of the asker's ("**mon boss** veut me filer 70 comptes")."""
        # Not the "ce" of an inversion ("est-ce compatible ?").
        scene = {i + 1 for i, t in enumerate(tokens[:-1]) if t in self._referring and not (i and tokens[i - 1] in self._verbs)}
        asked = min(phrase_ends(tokens, self._wh), default=None)
        if asked is not None:
            start = next((i for i in range(asked, len(tokens)) if tokens[i] in self._scene_openers), None)
            if start is not None:
                scene.update(range(start, len(tokens)))
        # "**mon boss** veut me filer 70 comptes, c normal ?": the asker's own, told before any question word, is
        # their story.
        scene.update(i + 1 for i, t in enumerate(tokens[:-1 if asked is None else asked - 1]) if t in self._own)
        return scene

    def _head(self, tokens: list[str], words: tuple[str, ...], limit: int = 4) -> tuple[str, ...]:
        """The detail words right after the first question word, up to the first word that neither is one nor
        links them ("la nana qui fait 12 démos… elle a quel **quota trimestriel** ?", "quelle est la **durée** de
        la **période** d'**essai** pour…"); none when the question holds no question word."""
        start = next((i for i, t in enumerate(tokens) if t in self._head_words), None)
        if start is None:
            return ()
        detail = set(words)
        head: list[str] = []
        for tok in tokens[start + 1:]:
            if tok in detail:
                head.append(tok)
            elif stem(tok) in self._name_stems and len(tok) >= 3:
                continue  # a word of a role's name inside what is asked ("the **sales** cycle")
            elif not (tok in self._head_links or (tok in self._ignore and len(tok) >= 5)) or len(head) >= limit:
                break  # a generic noun ("customer") may sit inside what is asked, a verb or "pour un" ends it
        return tuple(dict.fromkeys(head))[:limit]

    def select(self, role_id: str, topic_id: str | None, text: str) -> Selection:
        """The facts of role *role_id* that answer *text* (a question the understanding gave *topic_id*)."""
        sel = self._select(role_id, topic_id, text)
        if not (sel.missing and sel.units):
            return sel  # (most questions: nothing said missing, or no fact to answer with)
        covered = frozenset().union(*(u.stems for u in sel.units))
        if self._aside(sel.missing, sel, lambda w: stem(w) in covered):
            # A word said in passing is no detail the sources lack: the fact found answers. Only a fact the question's
            # words chose, holding three times as many of them: the nearest one of a section is no answer.
            return evolve(sel, missing=(), precise=True, closest=())
        return sel

    def _select(self, role_id: str, topic_id: str | None, text: str) -> Selection:
        read = self._read(text)
        words, precise = read.words, read.precise
        missing = tuple(w for w in words if w not in read.qualifiers and (
            not self._known_to(w, role_id, topic_id) or (w in read.nouns and not self._known_exactly(w, role_id, topic_id))))
        units = self._units.get(role_id, ())
        if missing and read.head and not set(missing) & set(read.head) and all(
                stem(w) in self._topic_stems.get(topic_id or "", ()) or
                any(stem(w) in u.stems for u in units if u.topic == topic_id) for w in read.head):
            # What the question word asks for is in the topic's facts: a word outside it that the role's facts
            # lack ("quick", "nana", "dashboard", "avant que ça se dégrade") sets the scene, it is not what is asked.
            words = tuple(w for w in words if w not in missing)
            read = evolve(read, words=words)
            missing = ()
        if len(missing) >= _CHATTY and not set(missing) & set(read.head):
            # Four words or more unknown to the role, none of them what a question word asks for ("wesh, jsuis serveur
            # en saison (bac pro cuisine)… c'est grave ?"): the asker's way of talking, not details asked.
            words = tuple(w for w in words if w not in missing)
            read = evolve(read, words=words)
            missing = ()
        if read.wants_figure and not missing:
            # A rate the role's facts never give ("quel pourcentage de commission sur chaque deal ?").
            counted = self._per_stems.get(role_id, frozenset())
            missing = tuple(p for p in read.per if stem(p.split()[1]) not in counted)
        # Only words the role's knowledge speaks of, or that it lacks, weigh in choosing a fact:
        # a verb of asking ("parler", "avoir") is neither.
        role_stems = self._role_stems.get(role_id, frozenset())
        asked = tuple(w for w in words if stem(w) in role_stems or w in missing)
        # The topic the understanding chose comes first; another topic's fact must cover more of the question.
        own = tuple(u for u in units if u.topic == topic_id)
        scored = self._rank(own, asked, topic_id)
        if (not scored or scored[0][0] < self.min_share) and read.head and not missing:
            # The scene may hold words of the role's other facts ("dans l'exemple… la nana qui fait 12 démos…
            # elle a quel quota ?"): what the question word asks for picks the fact.
            scored = self._rank(own, read.head, topic_id)
        if not scored or scored[0][0] < self.min_share:
            # Another topic's fact must cover most of the question, with a word that names no topic
            # ("démos", "anglais", "feedbacks"; not "comptes" or "gère", which name topics).
            def strong(unit: Unit) -> bool:
                return bool(({stem(w) for w in asked} & unit.stems) - self._any_topic_stems)

            scored = [(s, u) for s, u in self._rank(units, asked, None) if s >= self.min_share + 0.25 and strong(u)]
        chosen: tuple[Unit, ...] = ()
        if scored:
            best_score, best = scored[0]
            if best_score >= self.min_share:
                chosen = tuple(u for s, u in scored[:2]
                               if u is best or (u.topic == best.topic and s >= max(self.min_share, best_score - 0.05)))
                if read.wants_figure:
                    # « de combien en % ? »: of two facts found, the one that holds a number first.
                    chosen = tuple(sorted(chosen, key=lambda u: not u.has_figure))
        topic_stems = self._topic_stems.get(topic_id or "", frozenset())
        label = self._label_stems.get(topic_id or "", frozenset())
        if read.yesno and not missing:
            # "un KAM a-t-il un bonus de signature ?": a word neither the role's facts nor the topic know (another
            # role's or the glossary's, so not missing at large) is what the yes/no question asks about.
            missing = tuple(w for w in read.words if w not in read.qualifiers and stem(w) not in role_stems
                            and stem(w) not in topic_stems)
        if (read.yesno and not read.wants_figure and not has_digit(text)
                and not any(stem(w) not in topic_stems for w in asked)
                and all(({stem(w) for w in asked} & u.stems) <= label for u in chosen)):
            # "is there a concrete example?", "a-t-il des objectifs ?": whether the topic itself exists, which
            # its section answers; no one fact of it (a number asked about, "100 comptes ?", or a word a fact
            # holds beyond the topic's name, "répond-il aux appels d'offres ?", is a detail).
            return evolve(read, missing=missing, precise=False)
        label_stems = self._label_stems.get(topic_id or "", frozenset())
        if chosen and not precise and (chosen[0].topic != topic_id or any(
                stem(w) in chosen[0].stems and stem(w) not in topic_stems for w in read.head)
                or (read.head and chosen[0].has_figure
                    and all(stem(w) in chosen[0].stems and stem(w) not in label_stems for w in read.head))):
            # No precise cue, but the question's own words point at a fact of another topic than the
            # one read ("un KAM peut-il n'avoir qu'un seul client ?"), or what its question word asks for is
            # a detail of one fact, not the topic's name ("elle a quel quota trimestriel ?"), or a figure one fact
            # states ("quel est le panier moyen d'Alice ?"): that fact answers it.
            precise = True
        if read.duration and not missing and self._duration_said is not None and not any(
                u.fact is not None and self._duration_said.search(fold(u.fact.text)) for u in (chosen or own)):
            # "combien de temps met un nouvel AE pour faire son quota ?": no fact found states a time.
            missing, chosen, precise = (read.duration,), (), True
        closest: tuple[Unit, ...] = ()
        if not chosen:
            known = tuple(w for w in asked if w not in missing)
            ranked = self._rank(tuple(u for u in units if u.topic == topic_id), known, topic_id)
            closest = (ranked[0][1],) if ranked else ()
        return evolve(read, units=chosen, missing=missing, precise=precise, closest=closest)

    def _rank(self, units: tuple[Unit, ...], words: tuple[str, ...], topic_id: str | None) -> list[tuple[float, Unit]]:
        """Units scored by the share of the question's detail weight they cover, best first."""
        stems = {stem(w) for w in words}
        topic_stems = self._topic_stems.get(topic_id or "", frozenset())
        # Words that only name the topic do not pick a fact inside it; they still rank the topic's own facts first.
        detail = {s for s in stems if s not in topic_stems} or stems
        weight = {s: self._idf.get(s, self._default_idf) for s in detail}
        total = sum(weight.values())
        if not total:
            return []
        out = []
        for unit in units:
            covered = sum(w for s, w in weight.items() if s in unit.stems)
            if covered:
                # The topic asked for first; between equals, a figure over a sentence about figures.
                share = covered / total + (0.1 if unit.topic == topic_id else 0.0) + (0.02 if unit.figure else 0.0)
                out.append((share, unit))
        out.sort(key=lambda su: su[0], reverse=True)
        return out

    def select_entry(self, entry_id: str, text: str, role_id: str | None = None) -> Selection:
        """The sentences of a glossary entry that answer a precise question about it, and the question's
        words that neither the entry, its roles (or *role_id*) nor the ways of asking use."""
        read = self._read(text)
        entry = self.kb.entries[entry_id]
        title = self._title_stems[entry_id]
        units = self._units.get(f"entry:{entry_id}", ())
        # The entry's name picks none of its sentences, unless the title lists the things the entry sets apart
        # (« pipeline, best case, commit »): such a word, in some of its sentences only, is the one asked about.
        listing = "," in entry.title
        words = tuple(w for w in read.words if stem(w) not in title
                      or (listing and 0 < sum(stem(w) in u.stems for u in units) < len(units)))
        known = set(self._entry_stems[entry_id])
        for rid in (role_id, *entry.roles):
            if rid:
                known |= self._role_stems.get(rid, frozenset())
        missing = tuple(w for w in read.words if stem(w) not in known and stem(w) not in self._asking
                        and w not in read.qualifiers
                        and not self._known_to(w, "", None))
        if missing and read.head and not set(missing) & set(read.head) and all(
                stem(w) in self._entry_stems[entry_id] for w in read.head):
            missing = ()  # what the question word asks for is in the entry: a word around it only sets the scene
        if missing and self._aside(missing, read, lambda w: stem(w) in known):
            missing = ()
        scored = self._rank(units, words, None)
        chosen: tuple[Unit, ...] = ()
        if read.precise and scored and scored[0][0] >= self.min_share + 0.15:
            best_score = scored[0][0]
            chosen = tuple(u for sc, u in scored[:2] if sc >= best_score - 0.05)
        return evolve(read, units=chosen, missing=missing, words=words)

    def _yesno_question(self, text: str, clauses: Sequence[Sequence[str]], asked: list[str]) -> bool:
        """A yes/no question: opened by "est-ce que"…, an inversion ("a-t-il"), or a "?" with no question word."""
        if has_phrase(asked, self._wh):
            return False  # "quelles qualités faut-il ?", "how many accounts can…": a question word asks for more
        folded = fold(text)
        if _WHAT_IS.search(folded):
            return False
        if any(has_phrase(c[:4], self._yesno) for c in clauses) or bool(_INVERSION.search(folded)):
            return True
        # "Un AE bosse uniquement sur du new business ?" is one (opened by a determiner, or holding a verb);
        # "taux de conversion d'Alice ?", a noun phrase, is not.
        # "le fixe d'un AE ?" names one thing and says nothing of it: a noun alone after a determiner asks for it.
        said = [t for t in asked if t not in self._stopwords and t not in self._openers and t not in self._head_links]
        return folded.rstrip().endswith("?") and " ou " not in f" {folded} " and bool(asked) and (
            (asked[0] in self._openers and len(said) > 1) or bool(self._verbs & set(asked)))

    def units(self, role_id: str) -> tuple[Unit, ...]:
        """Every fact and salary figure of a role, in the knowledge base's order."""
        return self._units.get(role_id, ())

    def negative(self, unit: Unit, question: str = "") -> bool:
        """Whether a fact says no to a yes/no question: it holds a negation word, or it widens what an "only…?"
        question restricts ("ça travaille que dans les grands groupes ?" / "… s'y intéressent aussi")."""
        if unit.fact is None:
            return False
        # A hyphenated compound is one word: "non-discrimination" holds no "non".
        words = normalise(_COMPOUND.sub(r"\1\2", unit.fact.text), self._rewrites)
        # The asking part only: "je ne vois que des offres de start-up" is the asker's story.
        asked = self.clause_reader.read(fold(question))[1] if question else ()
        says_no = bool(self._negations & set(words)) or (has_phrase(asked, self._restrictive)
                                                         and has_phrase(words, self._additive))
        if question and has_phrase(asked, self._truth_checks):
            # « On m'a dit que les AM n'ont pas d'objectifs chiffrés. C'est vrai ? »: the claim checked is negative,
            # so a fact that says yes to the thing says no to the claim.
            claim = normalise(question, self._rewrites)
            return says_no != bool(self._negations & set(claim))
        return says_no


def _figure_words(fig: SalaryFigure) -> tuple[str, ...]:
    """What people call the parts of a salary figure, for matching a question to it."""
    words = [fig.scope, fig.seniority, fig.country, fig.period, fig.year]
    if fig.fixed:
        words.append("fixe salaire fixe base fixed")
    if fig.variable:
        words.append("variable")
    if fig.variable_share:
        words.append("part variable pourcentage share variable")
    if fig.ote:
        words.append("ote on target earnings total package")
    if fig.total:
        words.append("total brut annuel")
    return tuple(words)
