"""Work out what a question asks: which roles, which topic, or that careerbot cannot answer it.

:class:`Understanding` is built once from the knowledge base and the intent
files. :meth:`Understanding.read` reads a question into a
:class:`~bot.query.Query`, scores it once into :class:`~bot.rules.Scores`,
walks the ordered :data:`~bot.rules.RULES`, lets the conversation fill what a
follow-up leaves open (:func:`~bot.dialogue.complete`), and lets pairs made
by ``careerbot ingest`` answer what the curated base does not. It never looks
at files and never changes state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from functools import lru_cache
from operator import itemgetter

from rapidfuzz import fuzz, process

from .amounts import currency_named
from .calc import Computation, RuleQuestion
from .clauses import CLAUSE_CUT, asking_sentences, asks_something, phrases
from .compute_intents import ComputeIntents
from .dialogue import DialogueState, changed_figures, complete, given_amounts, last_result, referred_role
from .facts import FactFinder
from .frozen import build
from .index import PhraseIndex
from .intents import DEFINITION, Intents
from .knowledge import Knowledge, SalaryFigure, say
from .normalise import fold, has_digit, may_fold_to_digit, normalise
from .query import Query, QueryReader, content_words, digit_runs, grams, lookup, phrase_table
from .reading import Reading, ReadingKind
from .roles import RoleFinder
from .rules import RULES, Rule, Scores, Thresholds, best, decide
from .said import Twin

__all__ = ["Understanding", "Thresholds", "Reading", "ReadingKind", "Scores"]

_FIGURE_FIELDS = tuple(f.name for f in fields(SalaryFigure))
_SALARY = "salary"
"""The pay topic (``intents/topics.toml``): a short question right after it may ask a calculation on that pay."""
_SHORT_FOLLOWUP = 5
"""Words at most of a follow-up that asks about the pay just given ("and per month?", "et en euros ?")."""

IndexBuilder = Callable[[Sequence[str], Sequence[str], Callable[[], PhraseIndex]], PhraseIndex]
"""``build(texts, labels, fit)`` returns the phrase index for those phrases (see :class:`~bot.cache.IndexCache`)."""


def _label(kind: str, topic: str | None = None) -> str:
    return f"{kind}:{topic}" if topic else kind


class Understanding:
    """Question reader built from a knowledge base and intent definitions.

    Parameters
    ----------
    knowledge : Knowledge
    intents : Intents
    thresholds : Thresholds, keyword-only, optional
    build : callable, keyword-only, optional
        ``build(texts, labels, fit)`` returns the phrase index for those phrases; the
        default calls ``fit()`` (scikit-learn). :class:`~bot.cache.IndexCache` serves
        them from disk instead.
    rules : tuple of rules, keyword-only, optional
        The decision table (default :data:`~bot.rules.RULES`).
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, *, thresholds: Thresholds | None = None,
                 build: IndexBuilder | None = None, rules: tuple[Rule, ...] = RULES,
                 compute: ComputeIntents | None = None, finder: FactFinder | None = None):
        self.knowledge = knowledge
        self.intents = intents
        self.compute = compute
        self.finder = finder or FactFinder(knowledge, intents)
        self.t = thresholds or Thresholds()
        self.rules = rules
        lex = intents.lexicon
        self._rewrites = lex.rewrites
        self.roles = RoleFinder(knowledge.roles.values(), lex, intents.compare_cues,
                                alias_fuzz=self.t.alias_fuzz, word_fuzz=self.t.word_fuzz,
                                topic_words=(w for t in intents.topics.values() for kw in t.keywords
                                             for w in kw.split()))
        self.queries = QueryReader(knowledge, intents, self.roles, self.finder.clause_reader)
        self._topic_keywords = {tid: t.keywords for tid, t in intents.topics.items()}
        # Parts of a question asking for several topics: cut at the joining words only (a comma also sets off
        # a qualifier: "un KAM senior qui manage une équipe, il peut monter à quel % de variable ?").
        self._conjunctions = re.compile("|".join(
            rf"\b{re.escape(c)}\b" if c[:1].isalnum() else re.escape(c) for c in self.intents.lexicon.conjunctions))
        self._story = frozenset(self.intents.details.story)
        self._question_words = phrases(self.intents.details.question_words, self._rewrites)
        self._wh = phrases(self.intents.details.wh_words, self._rewrites)
        # Topics whose phrasings are mostly a way of asking ("c'est quoi un AE ?", "que fait un AE ?").
        self._question_form_topics = frozenset(_label("topic", t) for t in (DEFINITION, "missions"))
        # Keyword phrases as token tuples -> the topics they point at; a question's n-grams
        # are looked up in this table, so the cost does not grow with the base.
        self._topic_phrases = phrase_table(
            ((kw, tid) for tid, kws in self._topic_keywords.items() for kw in kws), self._rewrites)
        self._fuzzy_topic_words = {
            phrase[0]: tids for phrase, tids in self._topic_phrases.items() if len(phrase) == 1 and len(phrase[0]) >= 5}
        # What a misspelt word is close to depends on the word alone: found once per distinct word
        # (the same words come back in every question), at most 4,096 words kept.
        self._topic_typos = lru_cache(maxsize=4096)(self._misspelt_topic_words)
        self._real_words = lex.real_words
        self._duration_units = frozenset(intents.details.duration_units)
        self._tenure_before = frozenset(intents.details.tenure_before)
        self._near_vocabulary = lru_cache(maxsize=4096)(self._misspells_vocabulary)
        self._words_of_topic = {tid: frozenset(w for kw in kws for w in normalise(kw, self._rewrites))
                                for tid, kws in self._topic_keywords.items()}
        self._detail_words = frozenset(w for phrase in (*lex.places, *lex.net_words, *(
            x for xs in lex.seniority.values() for x in xs)) for w in phrase.split())
        # Figures of 4+ digits that only one role has: naming one names the role.
        owners: dict[str, set[str]] = {}
        for role in knowledge.roles.values():
            for topic in role.topics.values():
                texts = " ".join([topic.answer, *(f"{f.fixed} {f.variable} {f.ote} {f.total}" for f in topic.figures
                                                  if not f.on_request)])
                if not may_fold_to_digit(texts):
                    continue
                for number in digit_runs(fold(texts)):
                    owners.setdefault(number, set()).add(role.id)
        self._figure_owner = {n: next(iter(r)) for n, r in owners.items() if len(r) == 1}
        # The entry whose rule careerbot can apply to a user's figure (pipe coverage, source 003).
        self._computable = next((e.id for e in knowledge.entries.values() if e.factor), None)
        self._computable_roles = knowledge.entries[self._computable].roles if self._computable else ()
        self._beside_guidance = frozenset(tid for tid, topic in intents.topics.items() if topic.beside_guidance)
        # What computations work on: every salary figure with its role, every worked example's figures.
        # (A figure's fields are all strings and flags: a shallow copy is what asdict would give.)
        self._pay_figures = tuple({**{f: getattr(fig, f) for f in _FIGURE_FIELDS}, "role": role.id}
                                  for role in knowledge.roles.values() for rtopic in role.topics.values()
                                  for fig in rtopic.figures)
        # (By id, as the planner looks them up: made once here, not for every question it reads.)
        self._example_figures = {fid: {"id": fid, "label": label, "label_en": label_en, "value": value,
                                       "source": ex.source, "example": ex.id}
                                 for ex in knowledge.examples.values()
                                 for (fid, label, value), label_en in zip(ex.figures, ex.labels_en)}
        self._role_names = {role.id: Twin(role.short or role.name, role.short or say(role, "name", "en"))
                            for role in knowledge.roles.values()}
        self._factor = knowledge.entries[self._computable].factor if self._computable else None
        self._example_of = {ex.id: ex.role for ex in knowledge.examples.values()}
        self._entry_topics = {e.id: e.topic for e in knowledge.entries.values() if e.topic}
        self._example_name = {ex.role: ex.aliases[0] for ex in knowledge.examples.values()}
        self._role_aliases = {rid: (r.short, r.name, *r.aliases) for rid, r in knowledge.roles.items()}
        self._accept = frozenset(w for p in intents.details.accept for w in p.split())
        self._focus_words = frozenset(intents.details.focus_words)
        # Words that can make a question without figures a computation ("lequel gagne le plus", "x3"…):
        # the computations' cue words, less role names and the words that name a role topic.
        ordinary = {*intents.lexicon.stopwords, *self.roles.words(), *(w for ws in self._words_of_topic.values() for w in ws)}
        self._compute_gate = frozenset(w for w in (compute.words if compute else ()) if len(w) >= 4
                                       and w not in ordinary) | {"x3"}
        # The words that put a pay in a period (``per_month``'s cues: "et par mois ?") and the word naming a whole pay
        # (``[slots] total`` of compute.toml), for a follow-up of a pay answer.
        self._per_period = frozenset(p.tokens for op in (compute.operations if compute else ()) if op.id == "per_month"
                                     for p in op.cues)
        totals = compute.slots.get("total", ()) if compute else ()
        self._pay_word = totals[0].text if totals else ""
        # Cue phrases of ordinary words ("fixe plus variable", "par mois") open the gate as whole phrases.
        # So do the words that put a pay at one end of its range ("au max, fixe + variable ?").
        self._compute_phrases = frozenset(p.tokens for op in (compute.operations if compute else ()) for p in op.cues
                                          if 2 <= len(p.tokens) <= 4) | frozenset(
            p.tokens for phrases in (compute.bounds.values() if compute else ()) for p in phrases if 2 <= len(p.tokens) <= 4)
        self._build: IndexBuilder = build or (lambda texts, labels, fit: fit())
        self.index = self.build_index()
        self.extracted_index = self.build_extracted_index()
        self._fixed_labels = [i for i, name in enumerate(self.index.label_names) if not name.startswith("glossary:")]
        # The phrasings of a role's own topic, by label, in the index's order (the order a query's scores come in).
        self._role_labels = tuple((name, *name.split(":", 2)[1:]) for name in self.index.label_names
                                  if name.startswith("role:"))
        self._vocab_list = sorted(self._vocabulary())
        # Ways of asking and telling one's story are known words too, not another subject; as written
        # only (matched fuzzily, "boss" would pass for "bosse").
        cues = intents.details
        self._vocab = frozenset(self._vocab_list) | {w for phrase in (
            *cues.generic, *cues.story, *cues.question_words, *cues.wh_words, *cues.yesno_verbs,
            *cues.statement_openers, *cues.yesno, *cues.precise) for w in phrase.split()}

    # ------------------------------------------------------------------ building
    def phrases(self) -> tuple[list[str], list[str]]:
        """Every phrasing careerbot matches against, normalised and role-masked, with its label."""
        texts: list[str] = []
        labels: list[str] = []

        def add(text: str, label: str) -> None:
            masked = " ".join(self.roles.mask(normalise(text.replace("{role}", " "), self._rewrites)).rest)
            if masked:
                texts.append(masked)
                labels.append(label)

        for topic in self.intents.topics.values():
            for ex in topic.examples:
                add(ex, _label("topic", topic.id))
        for role in self.knowledge.roles.values():
            for rtopic in role.topics.values():
                for q in rtopic.questions:
                    add(q, f"role:{role.id}:{rtopic.id}")
        for entry in self.knowledge.entries.values():
            if entry.kind == "extracted":
                continue
            for q in (*entry.questions, entry.title, *entry.keywords):
                add(q, _label("glossary", entry.id))
        for st in self.intents.smalltalk.values():
            for ex in st.examples:
                add(ex, _label("smalltalk", st.id))
        for ex in self.intents.compare_examples:
            add(ex, "compare")
        for ex in self.intents.out_of_scope_examples:
            add(ex, "oos")
        return texts, labels

    def build_index(self) -> PhraseIndex:
        """Fit the phrase index (needs scikit-learn)."""
        texts, labels = self.phrases()
        return self._build(texts, labels, lambda: PhraseIndex.fit(texts, labels))

    def build_extracted_index(self) -> PhraseIndex | None:
        """Index the questions of extracted entries as they are (no role masking), or None if there are none."""
        texts, labels = [], []
        for entry in self.knowledge.entries.values():
            if entry.kind == "extracted":
                for q in (*entry.questions, entry.title):
                    words = " ".join(normalise(q, self._rewrites))
                    if words:
                        texts.append(words)
                        labels.append(entry.id)
        if not texts:
            return None
        return self._build(texts, labels, lambda: PhraseIndex.fit(texts, labels))

    def _vocabulary(self) -> frozenset[str]:
        words: set[str] = set()
        lex = self.intents.lexicon
        for text in self.index.vocabulary:
            if text.startswith("w:"):
                words.add(text[2:])
        words.update(*self._words_of_topic.values())
        for phrase in self.queries.entry_table:
            words.update(phrase)
        words.update(self.roles.words(), self._detail_words)
        words.update(lex.stopwords, lex.followup_cues, lex.determiners, self.intents.compare_cues, lex.ordinal_refs)
        for value in lex.rewrites.values():
            words.update(value.split())
        return frozenset(w for w in words if w)

    # ------------------------------------------------------------------ pieces
    def known(self, token: str) -> bool:
        """Whether *token* is careerbot's vocabulary (a misspelling of 4+ letters counts)."""
        if token in self._vocab or token.isdigit():
            return True
        if len(token) < 4:
            return False
        return self._near_vocabulary(token)

    def _misspells_vocabulary(self, token: str) -> bool:
        """Whether *token* is a misspelling of a word of the vocabulary (cached per token: see ``__init__``)."""
        return process.extractOne(token, self._vocab_list, scorer=fuzz.ratio,
                                  score_cutoff=self.t.word_fuzz) is not None

    def _misspelt_topic_words(self, token: str) -> frozenset[str]:
        """The topics of the keywords of 5+ letters *token* misspells (cached per token: see ``__init__``)."""
        hits: set[str] = set()
        for word, _, _ in process.extract(token, self._fuzzy_topic_words.keys(), scorer=fuzz.ratio,
                                          score_cutoff=self.t.word_fuzz, limit=None):
            # A typo keeps the word's first letter: "cherche" is a word of its own, not "recherche" misspelt.
            if word[0] == token[0]:
                hits |= self._fuzzy_topic_words[word]
        return frozenset(hits)

    def _keyword_hits(self, tokens: Iterable[str]) -> set[str]:
        """Topic ids whose keywords appear in *tokens* (misspelt words of 5+ letters count).

        A keyword inside a longer one of another topic does not count: "in the next few years" is the
        outlook's, not the experience's "years".
        """
        # « KAM depuis 9 ans, c quoi la suite ? »: a time in a job told (« depuis », a number, its unit) asks no topic
        # of its own; « faut 2 ans minimum ? » asks the experience.
        told = tuple(tokens)
        tokens = told if self._tenure_before.isdisjoint(told) else tuple(
            t for i, t in enumerate(told) if not (i > 1 and t in self._duration_units and told[i - 1].isdigit()
                                                  and told[i - 2] in self._tenure_before))
        words = content_words(tokens)
        table = self._topic_phrases
        spans = [(i, i + n, tids) for n in range(1, 5) for i in range(len(words) - n + 1)
                 if (tids := table.get(words[i:i + n]))]
        hits = {t for i, j, tids in spans
                if not any(a <= i and j <= b and (b - a) > (j - i) and not tids <= others for a, b, others in spans)
                for t in tids}
        for tok in tokens:
            if len(tok) >= 5 and tok not in self._fuzzy_topic_words and tok not in self._real_words:
                hits |= self._topic_typos(tok)
        return hits

    def _beside(self, query: Query, asked: frozenset[str]) -> frozenset[str]:
        """The topics asked beside a guidance request, in a sentence that asks ("…il fait quoi au quotidien ?"); the
        asker's story ("je veux manager une équipe") asks none."""
        topics = self._beside_guidance & asked
        if not topics or self.queries.profiles is None:
            return frozenset()
        words = self.queries.roles.mask(normalise(query.questions, self._rewrites)).rest
        topics &= self._keyword_hits(self.queries.profiles.without_asks(tuple(words)))
        if DEFINITION in topics and not any(
                self._keyword_hits(self.queries.roles.mask(normalise(clause, self._rewrites)).rest) == {DEFINITION}
                for clause in CLAUSE_CUT.split(query.questions)):
            # « c'est quoi le niveau d'études qu'il faut ? » asks the studies: "c'est quoi" asks what the role is only in
            # a clause that asks nothing else (« c'est quoi exactement, et ça paye combien ? »).
            topics -= {DEFINITION}
        return topics

    def _without_levels(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """*tokens* without the seniority phrases they hold ("en sortie d'école" -> "en")."""
        # Longest phrases first, wherever they start: "en début de carrière" drops "début de carrière", not "en début".
        table, taken = self.queries.level_table, [False] * len(tokens)
        for n in range(min(4, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                if not any(taken[i:i + n]) and content_words(tokens[i:i + n]) in table:
                    taken[i:i + n] = [True] * n
        return tuple(t for t, gone in zip(tokens, taken) if not gone)

    def _focus(self, tokens: Sequence[str]) -> tuple[str, ...]:
        """The words after the last focus word ("… il peut monter à quel % de variable" -> "% de variable");
        none when the question word opens the question (then the whole question is its focus)."""
        last = max((i for i, tok in enumerate(tokens) if tok in self._focus_words), default=0)
        return tuple(tokens[last + 1:]) if last else ()

    def _figure_role(self, query: Query) -> str | None:
        """The one role owning every 4+-digit figure the question quotes ("le salaire de 57 504 $")."""
        owners = {self._figure_owner[n] for n in query.digit_runs if n in self._figure_owner}
        return next(iter(owners)) if len(owners) == 1 else None

    def _best_role_phrasing(self, labels: dict[str, float], roles: Sequence[str]) -> tuple[str | None, str | None, float]:
        """Best of the phrasings that belong to one role's topic: (role, topic, score)."""
        found: tuple[str | None, str | None, float] = (None, None, 0.0)
        # The few role labels looked up, not every label scanned.
        for label, rid, tid in self._role_labels:
            score = labels.get(label)
            if score is not None and score >= self.t.answer and score > found[2]:
                if not roles or rid == roles[0]:
                    found = (rid, tid, score)
        return found

    # ------------------------------------------------------------------ reading
    def query(self, text: str) -> Query:
        """The :class:`~bot.query.Query` of *text*."""
        return self.queries.read(text)

    def scores(self, query: Query, state: DialogueState = DialogueState()) -> Scores:
        """What the phrase index and the knowledge base say about *query*, for every rule to share."""
        t = self.t
        # The asker's own story ("ma fille est en école de commerce") does not choose the topic.
        rest = query.asked or query.masked
        # Only the best few glossary labels matter, plus the named ones and every
        # non-glossary label: this keeps a query's cost flat as the glossary grows.
        # A term of the story is no term asked when the question names a topic of its own (« j'ai fait 110 % de mon
        # quota… c'est quoi l'étape d'après ? »); asking none, it asks of the story's term (« … classer chaque deal
        # dans le forecast. C'est quoi les catégories ? »).
        terms = query.terms - query.story_terms \
            if query.story_terms and self._keyword_hits(rest) - {DEFINITION} else query.terms
        always = self._fixed_labels + self.index.label_ids(_label("glossary", e) for e in terms)
        labels = self.index.scores(" ".join(rest), top=t.top_labels, always=always) if rest else {}
        # A level ("at the start of his career", "en fin de carrière") says for whom, not what is asked: its words
        # name no topic, unless nothing else does.
        # (Nor then, when it only names a level after an answer: "et en début de carrière ?" asks that answer again
        # for the level, not the career.)
        follows = query.only_details and bool(state.found or state.computed or state.topic)
        kw_hits = self._keyword_hits(self._without_levels(rest)) or (
            frozenset() if follows else self._keyword_hits(rest)) if query.levels else self._keyword_hits(rest)
        for tid in kw_hits:
            key = _label("topic", tid)
            labels[key] = labels.get(key, 0.0) + t.keyword_boost
        # A level in the focus ("payés combien en sortie d'école ?") says for whom, not what is asked.
        focus = self._without_levels(self._focus(rest))
        if len(kw_hits) > 1 and focus:
            for tid in self._keyword_hits(focus) & kw_hits:
                key = _label("topic", tid)
                labels[key] = labels.get(key, 0.0) + t.focus_boost
        for eid in terms:
            key = _label("glossary", eid)
            labels[key] = labels.get(key, 0.0) + t.keyword_boost
        if len(kw_hits) == 1:
            # "est-ce qu'un AM a des primes ?", "do they get a bonus?": the one topic the question's words name
            # outranks the definition or the missions, which only its way of asking resembles ("est-ce qu'un
            # AM…" / "qu'est-ce qu'un AM ?", "do they…" / "what do they do?").
            named = _label("topic", next(iter(kw_hits)))
            top_key, top = max(((k, v) for k, v in labels.items() if k.startswith("topic:")),
                               key=lambda kv: kv[1], default=("", 0.0))
            if top_key in self._question_form_topics and labels.get(named, 0.0) < top:
                labels[named] = top + 0.01

        roles = list(query.roles)
        # A role the question points at without naming it: "le premier" of the last
        # comparison, or a figure only one role has ("le salaire de 57 504 $").
        if not roles and query.outsider is None:
            implied = referred_role(state, query.ordinals) or self._figure_role(query)
            roles = [implied] if implied else []
        # Phrasings a role's own topic carries ("le panier moyen d'Alice") name that role
        # when they match closely.
        own_role, own_topic, own_score = self._best_role_phrasing(labels, roles)
        if (own_role and not roles and query.outsider is None and own_score >= t.glossary_alone
                and all(self.known(w) for w in query.content)):
            roles = [own_role]
        if own_topic and own_role in roles:
            key = _label("topic", own_topic)
            labels[key] = max(labels.get(key, 0.0), own_score)

        # The role phrasings have spoken (above): the few of them are taken out rather than every label tested.
        for label, _, _ in self._role_labels:
            labels.pop(label, None)
        ranked = tuple(sorted(labels.items(), key=itemgetter(1), reverse=True))
        topic, topic_score = best(ranked, "topic:")
        # A term must be named (or the phrasing match very closely): questions about a
        # role's work share many words with the glossary's phrasings.
        term, term_score = best(ranked, "glossary:", lambda eid, score: eid in terms) if terms else (None, 0.0)
        if term is None:
            # Best first: the first term is the closest; if it is not close enough, none is.
            term, term_score = best(ranked, "glossary:")
            if term_score < t.glossary_alone:
                term, term_score = None, 0.0
        mentioned = tuple(roles)
        if len(mentioned) >= 2 and not query.compare_cue and len(query.tokens) > t.long_question:
            # "Je suis SDR et je vise un poste de KAM, quelles études ?": a story that
            # mentions roles on the way asks about the last one.
            roles = roles[-1:]
        lex = self.intents.lexicon
        asked = frozenset(self._keyword_hits(self.queries.profiles.without_asks(query.asked or rest))) \
            if query.guidance and self.queries.profiles is not None else frozenset(kw_hits)
        return build(
            Scores,
            computation=self._computation(query, state),
            example_role=self._example_role(query, state, tuple(roles)),
            accepts_offer=bool(state.pending) and set(query.tokens) <= (self._accept | lex.filler | lex.stopwords),
            ranked=ranked, topic=topic, topic_score=topic_score, term=term, term_score=term_score,
            named=term in terms, compare_score=labels.get("compare", 0.0), oos_score=labels.get("oos", 0.0),
            kw_hits=frozenset(kw_hits), mentioned=mentioned, roles=tuple(roles),
            asked_hits=asked,
            covered=frozenset(self.knowledge.roles[roles[0]].topics) if roles else frozenset(),
            beside_guidance=self._beside(query, asked) if query.guidance else frozenset(),
            computable=self._computable, computable_roles=self._computable_roles, known=self.known,
        )

    def _computation(self, query: Query, state: DialogueState) -> Computation | RuleQuestion | None:
        """The computation the question asks for (or that it asks about the ×3 rule), if any."""
        if self.compute is None:
            return None
        runs = query.runs or grams(query.tokens)  # (a query built by hand may leave its runs out)
        if not has_digit(query.text) and not (self._compute_gate & set(query.tokens)) \
                and not state.example and query.example is None and not (self._compute_phrases & runs) \
                and not (state.computed and len(query.tokens) <= 4):  # « et de combien ? » after a calculation
            return None  # no figure and no word of any computation: not worth the calculator's reading
        # Imported at the first question that may be a computation: the planner is the largest module, and a start-up
        # (the REPL's prompt, « careerbot ask » about anything else) need not compile it.
        from .calc_plan import plan

        text = query.text
        # "mon équipe de 3 AE a chacun 90k de quota" after Alice's example: the asker's own figures.
        own = bool(self.intents.lexicon.own_possessives & set(query.tokens)) and has_digit(query.text)
        if state.example and query.example is None and set(query.roles) <= {state.example} and not own:
            # "combien coûte chaque AM dans cet exemple ?" once the agency was shown: the example is the subject.
            text = f"{text} ({self._example_name.get(state.example, '')})"
        if len(state.levels) == 2 and query.compare_cue and not query.levels and set(query.roles) <= set(state.roles):
            # "combien de plus entre les deux ?" after "un AE junior ?" and "et un confirmé ?": those two levels.
            text = f"{text} ({state.levels[0]}) ({state.levels[1]})"
        elif state.level and state.level not in query.levels and (
                # "combien de plus qu'un junior ?" compares the level of the conversation with the one named; "et en
                # confirmé ?" asks that level alone.
                (not query.roles and (bool(query.levels) == bool(query.compare_cue)))
                # "lequel gagne le plus, lui ou un KAM ?" after "et en confirmé ?" about an AE: the AE at that level.
                or (query.compare_cue and not query.levels and bool(query.roles)
                    and not set(state.roles) & set(query.roles))):
            # "au max ça fait combien tout compris ?" after "le salaire d'un AE confirmé": that level still;
            # "combien de plus qu'un junior ?" compares it with the level named.
            text = f"{text} ({state.level})"
        if self._pay_word and state.topic == _SALARY and not query.amounts and len(query.tokens) <= _SHORT_FOLLOWUP \
                and not set(query.roles) - set(state.roles) \
                and (self._per_period & runs or currency_named(" ".join(query.tokens)) is not None):
            # "and per month?", "et en euros ?" right after a role's pay: that pay is what is asked about.
            text = f"{text} ({self._pay_word})"
        return plan(text, self.compute, figures=self._pay_figures, examples=self._example_figures,
                    # "si mon fixe c'est 38k, combien de variable ?" after an AM answer: the AM's share.
                    roles=query.roles or state.roles or (), names=self._role_names, aliases=self._role_aliases,
                    levels=self.intents.lexicon.seniority,
                    rewrites=self._rewrites, factor=self._factor or 3,
                    earlier_roles=state.pair or state.recent,
                    # "for my agency": the asker's agency, not the worked example's.
                    worked_examples=query.example is not None or (bool(state.example) and not own)
                    or not (query.story_example or own),
                    changed=changed_figures(state) if state.example else (),
                    given=given_amounts(state), previous_kind=state.computed, previous_result=last_result(state),
                    said_levels=query.levels)

    def _example_role(self, query: Query, state: DialogueState, roles: tuple[str, ...]) -> str | None:
        """The role whose worked example the question names, or asks about again once it was shown."""
        if query.example is not None:
            return self._example_of.get(query.example)
        if state.example and not roles and not query.outsider and (not query.terms or query.followup_cue):
            # "et son quota c'était combien ?", "et son taux de conversion ?" after Alice's quarter: the
            # example's facts answer it; a term asked for itself ("c'est quoi l'ARR ?") stays a glossary question.
            found = self.finder.select(state.example, "example", query.text)
            if any(u.topic == "example" for u in found.units):
                return state.example
        return None

    def names_topic(self, text: str, topic: str | None) -> bool:
        """Whether *text* names *topic*: one of its keywords, or a word of one ("des objectifs chiffrés" names the
        objectives, though "objectifs chiffrés" is a KPI phrase)."""
        if topic is None:
            return False
        query = self.queries.read(text)
        return topic in self._keyword_hits(query.masked) or not self._words_of_topic.get(topic, frozenset()).isdisjoint(
            query.content)

    def asks_about_person(self, text: str) -> bool:
        """Whether a question of *text* is about the asker or the person they ask for
        (:meth:`~bot.profile.ProfileReader.asks_about_person`)."""
        return self.queries.profiles is not None and self.queries.profiles.asks_about_person(fold(text))

    def names_anything(self, text: str) -> bool:
        """Whether *text* names a role, a term, a worked example or a topic ("et elle interdit quoi exactement ?"
        names none: it asks another detail of what the sentence before it named; "quoi" alone asks no definition)."""
        query = self.queries.read(text)
        return bool(query.roles or query.terms or query.example or self._keyword_hits(query.masked) - {DEFINITION})

    def stands_alone(self, text: str) -> bool:
        """Whether a question sentence of a message asks something by itself (:meth:`QueryReader.stands_alone`)."""
        return self.queries.stands_alone(self.queries.read(text))

    def read(self, text: str, state: DialogueState = DialogueState()) -> Reading:
        """Understand *text*, given what the conversation remembers.

        Examples
        --------
        >>> u.read("cmb gagne un kam").topic          # doctest: +SKIP
        'salary'
        """
        query = self.queries.read(text, followups=bool(state.found))
        if not query.tokens:
            return Reading(ReadingKind.EMPTY)
        scores = self.scores(query, state)
        reading = decide(query, scores, state, self.t, self.rules)
        if reading.kind == ReadingKind.TOPIC and reading.topic is None and not state.topic \
                and state.term in self._entry_topics:
            # "et pour un AE ?" after "c'est quoi le NRR ?": the topic the term belongs to (the KPIs), for that role.
            reading = replace(reading, topic=self._entry_topics[state.term], confidence=self.t.carried_topic,
                              from_context=True)
        reading = complete(state, reading, carried=self.t.carried_topic)
        if reading.kind in (ReadingKind.TOPIC, ReadingKind.COMPARE):
            # Details that order or qualify salary figures: a level, a country, net pay (most questions name none,
            # and the reading has them already: no copy then).
            level, place = query.level, query.place
            if (reading.level, reading.place, reading.net) != (level, place, query.net):
                reading = replace(reading, level=level, place=place, net=query.net)
        elif reading.kind == ReadingKind.COMPUTE and query.net:
            reading = replace(reading, net=True)  # "ça fait combien par mois ? et en net ?": gross figures only
        if reading.kind == ReadingKind.TOPIC and reading.roles and reading.topic and not reading.whole:
            asked = self._topics_asked(query, reading.topic, self.knowledge.roles[reading.roles[0]].topics,
                                       several=len(scores.kw_hits) > 1)
            if len(asked) > 1:
                reading = replace(reading, topic=asked[0], also=asked[1:])
        return self._prefer_extracted(query, reading)

    def _topics_asked(self, query: Query, topic: str, covered: Iterable[str], *, several: bool = True) -> tuple[str, ...]:
        """Every topic a question asks for, in the order asked, when it asks for several and *topic* (the one
        read) is among them: the topics of its parts ("salaire + niveau d'études", "pay and KPIs"), or a
        bundle word's ("quel profil ?") that the role's knowledge *covers*. Three at most; one (*topic*) otherwise.
        *several*: whether the question names two topics or more at all (else there are no parts to look for)."""
        asked = query.asked or query.masked
        bundled: tuple[str, ...] = ()
        for i, word in enumerate(asked):
            bundle = self.intents.lexicon.bundles.get(word)
            # "quel profil recruter ?" asks for the role's; "mon profil d'ingé, ça colle ?" tells the asker's own.
            if bundle and topic in bundle and not (i and asked[i - 1] in self._story):
                bundled = (topic, *(t for t in bundle if t != topic and t in covered))
                break
        if not several:
            return bundled or (topic,)  # fewer than two topics named: nothing to cut into parts
        if bundled:
            # "Quel profil chercher ? Et combien de comptes lui confier ?": the bundle, then the other parts.
            rest = [t for t in self._parts_asked(query) if t not in bundled and t in covered]
            return (*bundled, *rest[:1])
        found = self._parts_asked(query)
        ordered = tuple(dict.fromkeys(found))
        return ordered[:3] if topic in ordered else (topic,)

    def _parts_asked(self, query: Query) -> list[str]:
        """The topic each asking part of the question names, when it names exactly one."""
        parts = self._conjunctions.split(asking_sentences(query.folded, self._wh))
        found: list[str] = []
        for part in parts:
            words = normalise(part, self._rewrites) if part else []
            if not asks_something(words, story=self._story, asking=self._question_words):
                continue  # "je suis SDR depuis deux ans et …": the asker's story asks for nothing
            hits = lookup(self._topic_phrases, words)
            # A part naming one topic asks for it; a part naming several is too loose to split on.
            if len(hits) == 1:
                found.extend(hits)
        return found

    def _prefer_extracted(self, query: Query, reading: Reading) -> Reading:
        """The extracted pair that answers *query* better than *reading*, if any.

        Pairs extracted by `careerbot ingest` answer what the curated base does not;
        when both match, the curated answer wins unless the extracted one is clearly closer.
        Words the extracted pairs never use count against a match, or "quel salaire pour
        un plombier ?" would pass for "quel salaire pour un Sales Ops ?".
        """
        if self.extracted_index is None:
            return reading
        scores = self.extracted_index.scores(" ".join(query.tokens), top=1, count_unknown=True)
        if not scores:
            return reading
        entry, score = max(scores.items(), key=lambda kv: kv[1])
        if score < self.t.extracted:
            return reading
        if reading.kind == ReadingKind.FALLBACK:
            if reading.outsider:
                # Refused for naming another job: only a pair about that very job may answer.
                said = {w for q in self.knowledge.entries[entry].questions for w in normalise(q, self._rewrites)}
                if not set(reading.outsider.split()) <= said:
                    return reading
        elif reading.kind == ReadingKind.CLARIFY:
            # "Quel est le salaire ?" still asks which role, unless the question names
            # something the curated base does not know (a role only an ingested sheet has).
            if self.knowledge.roles and all(
                    self.known(t) for t in query.tokens if t not in self.intents.lexicon.stopwords):
                return reading
        elif score <= reading.confidence + self.t.close:
            return reading
        return Reading(ReadingKind.EXTRACTED, entry, (), min(score, 1.0))
