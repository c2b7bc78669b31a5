"""One question, read once: its words, the roles it names, its details and figures.

:class:`QueryReader` is built once from the knowledge base, the intent files
and the role finder; :meth:`QueryReader.read` turns a question into a frozen
:class:`Query` that every rule then looks at. Nothing here scores phrasings:
that is :class:`~bot.understand.Scores`' job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, filterfalse, pairwise

from .amounts import Found, find_amounts
from .clauses import ClauseReader, has_phrase, phrases, question_sentences, sentences_of
from .frozen import build
from .intents import Intents
from .knowledge import Knowledge
from .normalise import ELIDED, fold, normalise, tokenize
from .profile import STORY_QUESTIONS, Profile, ProfileReader
from .roles import RoleFinder

__all__ = ["Query", "money", "QueryReader", "PhraseTable", "phrase_table", "grams", "lookup", "digit_runs", "content_words",
           "QUOTA_WORDS", "PIPE_WORDS"]

PhraseTable = Mapping[tuple[str, ...], frozenset[str]]
"""Keyword phrases as token tuples -> the ids (topics, entries, places…) they point at."""

QUOTA_WORDS = ("quota", "objectif", "objectifs", "target", "cible")
"""Words that say a figure is the user's quota (for the pipe-coverage calculation)."""
PIPE_WORDS = ("pipe", "pipeline", "couverture", "coverage", "pipes")
"""Words that say a figure is the user's pipeline."""

_QUOTA_WORDS, _PIPE_WORDS = frozenset(QUOTA_WORDS), frozenset(PIPE_WORDS)  # looked up in every question at once


@dataclass(frozen=True)
class Query:
    """Everything the rules need from the question's own words, computed once.

    Every field has a default so that tests can build one by hand.
    """

    text: str = ""
    """The question as given."""
    folded: str = ""
    """Lower-cased, accents removed, punctuation kept (see :func:`~bot.normalise.fold`)."""
    tokens: tuple[str, ...] = ()
    """Normalised word tokens (SMS spellings and abbreviations rewritten)."""
    runs: frozenset[tuple[str, ...]] = frozenset()
    """Every run of one to four content words of :attr:`tokens` (:func:`grams`), for phrase look-ups."""
    masked: tuple[str, ...] = ()
    """The tokens without the role names: what is matched against phrasings."""
    roles: tuple[str, ...] = ()
    """Role ids named, in order of first mention."""
    mentions: int = 0
    """Number of distinct role names used (two names of one role count twice)."""
    weak_roles: frozenset[str] = frozenset()
    """Roles named only by an ordinary word ("commercial dans la tech"), not by a job title."""
    content: tuple[str, ...] = ()
    """Masked tokens that are not stop words."""
    substance: tuple[str, ...] = ()
    """Masked tokens that are not filler nor ordinals: none left means "et pour un AE ?"."""
    places: frozenset[str] = frozenset()
    """Countries named."""
    home_place: str = ""
    """The country the sources' figures are for (``lexicon.toml``'s ``home_place``)."""
    levels: frozenset[str] = frozenset()
    """Seniority levels named (``junior``, ``senior``…)."""
    net: bool = False
    """True when the question asks for net pay."""
    amounts: tuple[Found, ...] = ()
    """Sums of money written in the question, in order (a bare number of 1 000 or more counts as one; counts,
    durations and percentages do not): read by :func:`bot.amounts.find_amounts`, as the calculator reads them."""
    terms: frozenset[str] = frozenset()
    """Glossary entries whose name or keywords the question uses."""
    digit_runs: frozenset[str] = frozenset()
    """Numbers of 4+ digits, spaces and dots inside them removed ("57 504" -> "57504")."""
    outsider: str | None = None
    """An out-of-scope profession, job title or subject named, if any."""
    compare_cue: bool = False
    """A word that makes a question a comparison ("différence", "ou", "vs"…)."""
    followup_cue: bool = False
    """The question opens with, or holds, a follow-up word ("et", "lui"…)."""
    ordinals: tuple[int, ...] = ()
    """Positions of earlier roles the question points at ("le premier" = 0, "ce dernier" = -1)."""
    determined: frozenset[str] = frozenset()
    """Masked words right after a determiner ("un sommelier"): nouns, not verbs."""
    quota_cue: bool = False
    """A quota word is used (see :data:`QUOTA_WORDS`)."""
    pipe_cue: bool = False
    """A pipeline word is used (see :data:`PIPE_WORDS`)."""
    only_details: bool = False
    """Every content word names a place, a seniority level or net pay ("et aux USA ?", "and for a junior?")."""
    asked: tuple[str, ...] = ()
    """:attr:`masked` of the clauses that ask something, the asker's own story left out
    ("c'est quoi un AE ? ma fille est en école de commerce" -> "c est quoi")."""
    story_terms: frozenset[str] = frozenset()
    """Of :attr:`terms`, those named only in the asker's story, not in the clauses that ask."""
    asked_last_role: str | None = None
    """The role the asking part names last (the one a pay asked at the end is of)."""
    asked_roles: tuple[str, ...] = ()
    """The roles named in the clauses that ask something ("SDR depuis un an… qu'attend-on d'un AE ?" -> AE)."""
    task: str | None = None
    """A task the question asks careerbot to do (``write``, ``translate``… of ``intents/tasks.toml``)."""
    smalltalk: str | None = None
    """Small talk a short message addressed to careerbot holds a cue of ("vous êtes un bot ?"), by its id."""
    example: str | None = None
    """A worked example the question names ("Alice", "l'agence"), by its id in ``knowledge/examples.toml``."""
    outsider_aimed: bool = False
    """The other profession named is the one aimed at ("devenir community manager"), not the asker's own."""
    outsider_held: bool = False
    """The other profession named is the asker's own ("je suis agent immobilier"): their story, not a question."""
    story_example: bool = False
    """An example's name told as the asker's own ("une agence lui propose…", "my agency"), not the example."""
    example_said: bool = False
    """The worked example is named as one ("dans l'exemple d'Alice", "in the agency example"), not only by a word
    it shares with the asker's story ("directeur d'agence")."""
    guidance: str | None = None
    """A request for guidance (``fit``, ``start``, ``gap`` of ``intents/profile.toml``), if any."""
    questions: str = ""
    """The sentences that end with "?" (:func:`~bot.clauses.question_sentences`), read when the question asks for
    guidance."""
    guidance_asked: bool = False
    """The guidance ask stands in a sentence that asks ("… je peux postuler direct en AE ?"), not only in the story
    ("un ami dit que ça me correspondrait. Combien d'années d'expérience on demande ?")."""
    story_asked: bool = False
    """The guidance is asked by the asker's story and its questions, with no ask word (:attr:`person_asked` or two
    questions or more)."""
    person_asked: bool = False
    """The guidance is asked by a story's one question, about the person, with no ask word ("… Does my background
    fit?", "… could I move to an AE role?")."""
    guidance_followup: str | None = None
    """A follow-up of a guidance answer (``salary``, ``skills``, ``prefer``), if any."""
    profile: Profile | None = None
    """The asker's situation, read when the question asks for guidance or may follow a guidance answer up."""

    @property
    def level(self) -> str | None:
        """The seniority asked for, when exactly one is named."""
        return next(iter(self.levels)) if len(self.levels) == 1 else None

    @property
    def place(self) -> str | None:
        """The country asked for, when exactly one is named, or one beside the sources' own country."""
        places = self.places - {self.home_place} if len(self.places) == 2 else self.places
        return next(iter(places)) if len(places) == 1 else None


def content_words(tokens: Iterable[str]) -> tuple[str, ...]:
    """Tokens without stray elision letters, so "appels d offres" and "appels d'offres" agree."""
    return tuple(filterfalse(ELIDED.__contains__, tokens))


def phrase_table(pairs: Iterable[tuple[str, str]], rewrites: Mapping[str, str]) -> PhraseTable:
    """A :data:`PhraseTable` from ``(phrase, target)`` pairs."""
    table: dict[tuple[str, ...], set[str]] = {}
    for phrase, target in pairs:
        key = content_words(normalise(phrase, rewrites))
        if key:
            table.setdefault(key, set()).add(target)
    return {k: frozenset(v) for k, v in table.items()}


def grams(tokens: Iterable[str]) -> frozenset[tuple[str, ...]]:
    """Every run of one to four content words of *tokens*: what :func:`lookup` matches phrases against."""
    words = content_words(tokens)
    # The runs of each size as zips of the words shifted (the same tuples as slicing, made at C speed).
    return frozenset(chain(zip(words), pairwise(words), zip(words, words[1:], words[2:]),
                           zip(words, words[1:], words[2:], words[3:])))


def lookup(table: PhraseTable, tokens: Iterable[str] | frozenset[tuple[str, ...]]) -> set[str]:
    """Targets of every phrase of *table* (up to four words) found in *tokens*.

    *tokens* may be the :func:`grams` of the tokens already, so that a question
    looked up in several tables is cut into runs once.
    """
    runs = tokens if isinstance(tokens, frozenset) else grams(tokens)
    found: set[str] = set()
    if len(table) < len(runs):
        # A small table (the net-pay words, the examples' names) is quicker to walk than a long question's runs.
        for phrase, targets in table.items():
            if phrase in runs:
                found |= targets
        return found
    for run in runs:
        hit = table.get(run)
        if hit:
            found |= hit
    return found


def digit_runs(folded: str) -> frozenset[str]:
    """Numbers of 4+ digits in *folded*, spaces and dots inside them removed ("57 504" -> "57504")."""
    return frozenset(re.sub(r"[ .]", "", m) for m in re.findall(r"\d{1,3}(?:[ .]\d{3})+|\d{4,}", folded))


def money(text: str) -> tuple[Found, ...]:
    """The sums of money of *text*, in order ("200 k€", "120000"; not "4 AE", "3 ans", "25 %")."""
    return tuple(f for f in find_amounts(text) if f.amount.is_money or (f.amount.unit == "" and f.amount.low >= 1000))


class QueryReader:
    """Builds the :class:`Query` of a question.

    Parameters
    ----------
    knowledge : Knowledge
        For the names and keywords of glossary entries.
    intents : Intents
        Lexicon, comparison cues and out-of-scope professions.
    roles : RoleFinder
        Finds and removes role names.
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, roles: RoleFinder, clause_reader: ClauseReader | None = None):
        self.intents = intents
        self.roles = roles
        lex = intents.lexicon
        self.rewrites = lex.rewrites
        # Other professions and off-topic subjects, as token tuples looked up by n-gram.
        # A name a loaded role carries (curated or ingested: "bizdev" once a Business Developer sheet
        # is ingested) is never another job.
        role_names = {tuple(normalise(name, self.rewrites)) for role in knowledge.roles.values()
                      for name in (role.name, role.short, *role.aliases) if name}
        self._professions = frozenset(tuple(normalise(p, self.rewrites))
                                      for p in (*intents.professions, *intents.off_topic_words)) - {()} - role_names
        self._max_profession = max((len(p) for p in self._professions), default=0)
        self._profession_starts = frozenset(p[0] for p in self._professions)
        self.place_table = phrase_table(lex.places.items(), self.rewrites)
        self.lexicon_home = lex.home_place
        self.net_table = phrase_table(((word, "net") for word in lex.net_words), self.rewrites)
        self.level_table = phrase_table(
            ((word, level) for level, words in lex.seniority.items() for word in words), self.rewrites)
        self.entry_table = phrase_table(
            ((kw, eid) for eid, e in knowledge.entries.items() if e.kind != "extracted"
             for kw in (*e.keywords, eid.replace("-", " "))), self.rewrites)
        self._detail_phrases = frozenset(phrase for table in (self.place_table, self.net_table, self.level_table)
                                         for phrase in table)
        self.example_table = phrase_table(
            ((alias, ex.id) for ex in knowledge.examples.values() for alias in ex.aliases), self.rewrites)
        cues = intents.details
        self._story = frozenset(cues.story)
        self._asking = phrases((*cues.question_words, *cues.yesno), self.rewrites)
        self._wh = phrases(cues.wh_words, self.rewrites)
        # The fact finder's, when given: it reads the same clauses of the same question.
        self.clause_reader = clause_reader or ClauseReader(self.rewrites, self._wh, self._story, self._asking)
        # One table each for the phrases, verbs and objects of every task: three look-ups a question.
        self._task_order = tuple(intents.tasks)
        self._task_phrases = phrase_table(((p, t.id) for t in intents.tasks.values() for p in t.phrases), self.rewrites)
        self._task_verbs = phrase_table(((v, t.id) for t in intents.tasks.values() for v in t.verbs), self.rewrites)
        self._task_objects = phrase_table(((o, t.id) for t in intents.tasks.values() for o in t.objects), self.rewrites)
        self._smalltalk_cues = phrase_table(((c, st.id) for st in intents.smalltalk.values() for c in st.cues),
                                            self.rewrites)
        # Every table above, merged: a question's word runs are looked up once for all of them (see _look).
        merged: dict[tuple[str, ...], list[tuple[str, frozenset[str]]]] = {}
        for kind, table in (("place", self.place_table), ("level", self.level_table), ("net", self.net_table),
                            ("entry", self.entry_table), ("example", self.example_table),
                            ("task_phrase", self._task_phrases), ("task_verb", self._task_verbs),
                            ("task_object", self._task_objects), ("smalltalk", self._smalltalk_cues)):
            for phrase, targets in table.items():
                merged.setdefault(phrase, []).append((kind, targets))
        self._merged = {phrase: tuple(hits) for phrase, hits in merged.items()}
        self.profiles = ProfileReader(intents.profile, {r.id: r.aliases for r in knowledge.roles.values()},
                                      self.rewrites, weak=lex.weak_aliases) if intents.profile is not None else None
        # A message's pieces are read by several checks in turn (whether one stands alone, names its topic, names
        # anything, then read in earnest): the last few queries are kept, so each is read once. Queries are frozen.
        self.read = lru_cache(maxsize=16)(self._read)

    def stands_alone(self, query: Query) -> bool:
        """Whether a question sentence asks something by itself: it holds a question word ("combien", "what") or
        names a role, a term or an example; "110 % c'est bien ?" or "and for an experienced one?" lean on the
        sentence before it."""
        return bool(query.roles or query.terms or query.example or has_phrase(query.tokens, self._wh))

    def _read(self, text: str, *, followups: bool = True) -> Query:
        """The :class:`Query` of *text* (an empty one, but for the text, when it has no words).

        *followups*: whether a guidance follow-up is possible (the conversation has just had a guidance
        answer); when not, its cues are not looked for, nor the profile read for them.
        """
        tokens = tuple(normalise(text, self.rewrites))
        if not tokens:
            return build(Query, text=text, folded=fold(text))
        lex = self.intents.lexicon
        masked = self.roles.mask(list(tokens))
        rest = tuple(masked.rest)
        runs = grams(tokens)
        content = tuple(filterfalse(lex.stopwords.__contains__, rest))  # (the test run from C, as in content_words)
        folded = fold(text)
        parts, asked_part = self.clause_reader.read(folded)
        asked = asked_part if parts else tokens
        found = self._look(runs)
        found_asked = found if asked == tokens else self._look(grams(asked))
        # "une agence lui propose un poste" tells of an agency; "l'agence", "l'exemple de l'agence" name the example.
        named: set[str] | frozenset[str] = found.get("example", frozenset())
        examples = named
        if examples and lex.story_determiners & set(tokens) and not lex.example_words & set(tokens):
            examples = {ex for i in range(len(tokens)) if not (i and tokens[i - 1] in lex.story_determiners)
                        for size in range(1, 5) for ex in self.example_table.get(content_words(tokens[i:i + size]), ())}
        ask = follow = None
        asked_here = person_asked = False
        story: str | None = None
        questions = ""
        profile = None
        if self.profiles is not None:
            # Exact look-ups first: a profile is read only for a question that may need one.
            words = self.profiles.tokens(text)
            ask = self.profiles.asks(words)
            story = None if ask or money(text) else self.profiles.story_asks(folded, words, masked.roles)
            if not ask and not story and len(masked.roles) >= 2 and self._bare_choice(folded):
                # « jfais du telemarketing B2C depuis 3 ans… SDR ou AE direct ? »: a situation told, then only a
                # choice between roles asks which fits (if the situation is one: checked below).
                story = "fit"
            ask = ask or story
            # (A story's one question about the person asks guidance itself: "… Does my background fit?")
            person_asked = story is not None and self.profiles.questions_asked(folded) < STORY_QUESTIONS
            follow = self.profiles.followup(words)
            if not followups and follow != "prefer":
                follow = None  # only a preference ("et si je préfère chasser ?") stands without a guidance answer
            if ask or follow:
                profile = self.profiles.read(text, masked.roles)
                # (A role held, or selling done, is a situation told when the question is about the person: "I'm a
                # CSM… Could I move to an AE role?", "… did all the selling myself. Would my background help?")
                if story and not (profile.tells_story or (person_asked and (profile.current or profile.experience))):
                    # A story with no situation told asks no guidance (its profile serves a follow-up only).
                    ask = None
                    profile = profile if follow else None
            person_asked = person_asked and ask is not None
            questions = question_sentences(folded) if ask else ""
            asked_here = ask is not None and (not questions or person_asked
                                              or self.profiles.asks(self.profiles.tokens(questions)) is not None)
        asked_mask = masked if asked == tokens else self.roles.mask(list(asked))
        named_jobs, profiles = self._professions_named(rest), self.profiles
        return build(
            Query,
            guidance=ask,
            guidance_asked=asked_here,
            person_asked=person_asked,
            story_asked=story is not None and ask is not None,
            questions=questions,
            guidance_followup=follow,
            profile=profile,
            asked=tuple(asked_mask.rest),
            asked_roles=tuple(asked_mask.roles),
            asked_last_role=asked_mask.last,
            # A request in the question, not one the asker's story tells of ("j'ai rédigé mon CV, mais combien
            # gagne un AE ?"); a message with no "?" ("write a poem about my cat.") is all request.
            task=self._task(found, found_asked if "?" in text else found),
            smalltalk=self._smalltalk(folded, found, content),
            example=next(iter(examples)) if len(examples) == 1 else None,
            story_example=bool(named) and not examples,
            example_said=len(examples) == 1 and not lex.example_words.isdisjoint(tokens),
            text=text,
            folded=folded,
            tokens=tokens,
            runs=runs,
            masked=rest,
            roles=tuple(masked.roles),
            mentions=masked.mentions,
            weak_roles=masked.weak,
            content=content,
            substance=tuple(filterfalse(lex.ordinal_refs.__contains__, filterfalse(lex.filler.__contains__, rest))),
            # A country of the asker's story ("conseiller France Travail") is no country asked about.
            places=frozenset(found_asked.get("place", ())),
            home_place=self.lexicon_home,
            levels=frozenset(found.get("level", ())),
            net="net" in found,
            amounts=money(text),
            # On all tokens: a term may contain words that look like a role ("global account manager").
            terms=frozenset(found.get("entry", ())),
            # « j'ai fait 110 % de mon quota… c'est quoi l'étape d'après ? »: a term the story names, not the question.
            story_terms=frozenset() if asked == tokens else
            frozenset(found.get("entry", ())) - frozenset(found_asked.get("entry", ())),
            digit_runs=digit_runs(folded),
            # A profession the person aims at is the one named (« prof de maths… une formation de développeur web ? »).
            outsider=(outsider := " ".join(aimed[0]) if (aimed := [run for _, run in named_jobs
                                                                  if profiles and profiles.aims_at(rest, run)])
                      else self._outsider(rest, named_jobs)),
            outsider_aimed=bool(aimed),
            outsider_held=outsider is not None and self.profiles is not None
            and self.profiles.holds(rest, tuple(outsider.split())),
            compare_cue=not self.intents.compare_cues.isdisjoint(tokens),
            followup_cue=tokens[0] in lex.followup_cues or not lex.followup_cues.isdisjoint(content),
            ordinals=tuple(lex.ordinal_refs[t] for t in tokens if t in lex.ordinal_refs),
            determined=frozenset(tok for before, tok in pairwise(rest) if before in lex.determiners),
            quota_cue=not _QUOTA_WORDS.isdisjoint(tokens),
            pipe_cue=not _PIPE_WORDS.isdisjoint(tokens),
            only_details=bool(content) and set(content) <= {w for p in self._detail_phrases & runs for w in p},
        )

    def _look(self, runs: frozenset[tuple[str, ...]]) -> dict[str, set[str]]:
        """What each of the query's phrase tables (place, level, net, entry, example, task_phrase, task_verb,
        task_object, smalltalk) finds in *runs* (:func:`grams`), as :func:`lookup` would: one look-up a run."""
        found: dict[str, set[str]] = {}
        get = self._merged.get
        for run in runs:
            hits = get(run)
            if hits:
                for kind, targets in hits:
                    if kind in found:
                        found[kind] |= targets
                    else:
                        found[kind] = set(targets)
        return found

    def _smalltalk(self, fold_text: str, found: Mapping[str, set[str]], content: tuple[str, ...],
                   longest: int = 8) -> str | None:
        """The small talk whose cue a short message addressed to careerbot holds ("t'es une IA ?", "what kind of
        questions can you help me with?"); none for a longer message or one not addressed to careerbot ("l'IA
        va-t-elle remplacer les commerciaux ?")."""
        # Addressed in the words as written: "va-t-elle" holds no "tu", whatever the SMS rewrites make of "t".
        if len(content) > longest or not self.intents.addressed & set(tokenize(fold_text)):
            return None
        cues = found.get("smalltalk", ())
        return next((sid for sid in self.intents.smalltalk if sid in cues), None)

    def _task(self, runs: Mapping[str, set[str]], asked: Mapping[str, set[str]]) -> str | None:
        """The first task of ``intents/tasks.toml`` whose phrase, or verb and object, the question's *asked* runs
        hold (what :meth:`_look` found in them; a task the asker's story tells of, "j'ai écrit mon CV…", is none),
        or, for a task recognised anywhere (an injection), all its *runs*."""
        def found(within: Mapping[str, set[str]]) -> set[str]:
            return set(within.get("task_phrase", ())) | (within.get("task_verb", set()) & within.get("task_object", set()))
        anywhere = found(runs)
        in_question = anywhere if asked is runs else found(asked)
        return next((task_id for task_id in self._task_order if task_id in in_question
                     or (task_id in anywhere and self.intents.tasks[task_id].anywhere)), None)

    def _bare_choice(self, folded: str) -> bool:
        """Whether the one question sentence of *folded* only names two roles or more and words of choosing
        (« pour commencer AE ou AM ? », « SDR ou AE direct ? »), beside another sentence."""
        sentences = sentences_of(folded)
        questions = [s for s in sentences if s.rstrip().endswith("?")]
        if len(questions) != 1 or len(sentences) < 2 or self.profiles is None:
            return False
        asked = self.roles.mask(normalise(questions[0], self.intents.lexicon.rewrites))
        lex = self.intents.lexicon
        return len(asked.roles) >= 2 and all(t in lex.stopwords or t in self.profiles.cues.choice_words
                                             for t in asked.rest)

    def _professions_named(self, tokens: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
        """Every out-of-scope profession named in *tokens*: ``(start, words)``, each start's longest first."""
        # Only the places where a profession's first word stands are looked up (most questions have none).
        starts = [i for i, tok in enumerate(tokens) if tok in self._profession_starts]
        return [(i, run) for i in starts for size in range(self._max_profession, 0, -1)
                if len(run := tuple(tokens[i:i + size])) == size and run in self._professions]

    def _outsider(self, tokens: tuple[str, ...], named: list[tuple[int, tuple[str, ...]]]) -> str | None:
        """An out-of-scope profession (the longest of *named*, :meth:`_professions_named`, then the first), job title
        or subject named in *tokens* (role names already removed)."""
        if named:
            return " ".join(min(named, key=lambda hit: (-len(hit[1]), hit[0]))[1])
        if self.intents.title_heads.isdisjoint(tokens[:-1]):
            return None
        stop = self.intents.lexicon.stopwords
        for i, tok in enumerate(tokens[:-1]):
            if tok in self.intents.title_heads:
                tail = [t for t in tokens[i + 1:i + 4] if t not in stop]
                if tail:
                    return " ".join([tok, *tail[:2]])
        return None
