"""Work out what a question asks: which roles, which topic, or that careerbot cannot answer it.

:class:`Understanding` is built once from the knowledge base and the intent
files; :meth:`Understanding.read` turns one question (plus what the
conversation remembers) into a :class:`Reading`. It never looks at files and
never changes state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from .index import PhraseIndex
from .intents import Intents
from .knowledge import Knowledge
from .normalise import fold, normalise
from .roles import RoleFinder

__all__ = ["Context", "Reading", "Understanding", "Thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """Every cut-off the understanding uses, in one place (tuned on tests/data/devset.jsonl)."""

    answer: float = 0.30
    """Below this best similarity, a question with no role is not understood."""
    smalltalk: float = 0.55
    """Small talk must match this well (greetings are short and easy to confuse)."""
    glossary_over_topic: float = 0.08
    """With a role named, a glossary term must beat the best role topic by this much."""
    glossary_alone: float = 0.60
    """A term the question does not name must match one of its phrasings this well."""
    close: float = 0.06
    """Two readings this close are both offered (the other as a suggestion)."""
    extracted: float = 0.55
    """An extracted (ingested) question/answer pair must match this well to be used."""
    keyword_boost: float = 0.20
    """Added to a topic's score when the question contains one of its keywords."""
    alias_fuzz: float = 86.0
    """rapidfuzz ratio for a misspelt role name (only names of 6+ letters are fuzzy)."""
    word_fuzz: float = 84.0
    """rapidfuzz ratio for a misspelt word to count as known vocabulary."""
    unknown_share: float = 0.30
    """Share of unknown content words from which a role-less question is out of scope."""


@dataclass(frozen=True)
class Context:
    """What a conversation remembers between two questions."""

    roles: tuple[str, ...] = ()
    """Roles of the last answered question."""
    topic: str | None = None
    """Role topic of the last answered question (salary, kpi…)."""
    term: str | None = None
    """Glossary entry of the last answered question (for "et pour un quota de 50 k€ ?")."""
    pair: tuple[str, ...] = ()
    """The two roles of the last comparison, while the conversation stays on them ("le premier")."""
    quota: float | None = None
    """The quota of the last pipe calculation (for "et si j'ai 120 000 € de pipe ?")."""
    unit: str = ""
    """How that quota was written ("k", "m" or "")."""


@dataclass(frozen=True)
class Reading:
    """What careerbot understood of one question."""

    kind: str
    """``topic``, ``glossary``, ``compare``, ``compute``, ``smalltalk``, ``clarify``, ``fallback``,
    ``extracted`` or ``empty``."""
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
    focus: tuple[str, ...] = ()
    """The question's own words beyond role, topic and function words ("anglais", "fatigant"),
    for putting the sentence that answers them first."""


_AMOUNT = re.compile(
    r"(\d{1,3}(?:[ .]\d{3})+|\d+(?:[.,]\d+)?)\s*(k|m|millions?|mille)?\b"
)
_COMPUTE_QUOTA = ("quota", "objectif", "objectifs", "target", "cible")
_COMPUTE_PIPE = ("pipe", "pipeline", "couverture", "coverage", "pipes")


_LONG = 15
"""Questions longer than this many words are stories: roles mentioned on the way are not compared."""

_NEAR = 0.12
"""How far below a topic the sources lack a covered one may score and still be preferred."""

_TOP_LABELS = 12
"""How many best labels a query looks at beyond the fixed ones (topics, small talk…)."""

_ELIDED = frozenset({"l", "d", "j", "s", "n", "m", "t", "c", "qu"})


def _content_words(tokens) -> tuple[str, ...]:
    """Tokens without stray elision letters, so "appels d offres" and "appels d'offres" agree."""
    return tuple(t for t in tokens if t not in _ELIDED)


def _amount(match: re.Match) -> tuple[float, str]:
    """(value in euros, "k" / "m" / "") of an _AMOUNT match."""
    raw, unit = match.group(1), (match.group(2) or "")
    number = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", number):
        number = number.replace(".", "")
    value = float(number.replace(",", "."))
    if unit in ("k", "mille"):
        return value * 1000, "k"
    if unit.startswith("m"):
        return value * 1_000_000, "m"
    return value, ""


def _digit_runs(folded: str) -> set[str]:
    """Numbers of 4+ digits in *folded*, spaces and dots inside them removed ("57 504" -> "57504")."""
    return {re.sub(r"[ .]", "", m) for m in re.findall(r"\d{1,3}(?:[ .]\d{3})+|\d{4,}", folded)}


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
    """

    def __init__(self, knowledge: Knowledge, intents: Intents, *, thresholds: Thresholds | None = None,
                 build=None):
        self.knowledge = knowledge
        self.intents = intents
        self.t = thresholds or Thresholds()
        lex = intents.lexicon
        self._rewrites = lex.rewrites
        self.roles = RoleFinder(knowledge.roles.values(), lex, intents.compare_cues,
                                alias_fuzz=self.t.alias_fuzz, word_fuzz=self.t.word_fuzz,
                                topic_words=(w for t in intents.topics.values() for kw in t.keywords
                                             for w in kw.split()))
        # Other professions and off-topic subjects, as token tuples looked up by n-gram.
        self._professions = frozenset(tuple(normalise(p, self._rewrites))
                                      for p in (*intents.professions, *intents.off_topic_words)) - {()}
        self._max_profession = max((len(p) for p in self._professions), default=0)
        self._topic_keywords = {tid: t.keywords for tid, t in intents.topics.items()}
        # Keyword phrases as token tuples -> the topics / entries they point at; a question's
        # n-grams are looked up in these tables, so the cost does not grow with the base.
        self._topic_phrases = self._phrase_table(
            (kw, tid) for tid, kws in self._topic_keywords.items() for kw in kws)
        self._fuzzy_topic_words = {
            phrase[0]: tids for phrase, tids in self._topic_phrases.items() if len(phrase) == 1 and len(phrase[0]) >= 5}
        self._words_of_topic = {tid: frozenset(w for kw in kws for w in normalise(kw, self._rewrites))
                                 for tid, kws in self._topic_keywords.items()}
        self._detail_words = frozenset(w for phrase in (*lex.places, *lex.net_words, *(
            x for xs in lex.seniority.values() for x in xs)) for w in phrase.split())
        self._place_table = self._phrase_table((word, place) for word, place in lex.places.items())
        self._net_table = self._phrase_table((word, "net") for word in lex.net_words)
        self._level_table = self._phrase_table(
            (word, level) for level, words in lex.seniority.items() for word in words)
        self._entry_phrase_table = self._phrase_table(
            (kw, eid) for eid, e in knowledge.entries.items() if e.kind != "extracted"
            for kw in (*e.keywords, eid.replace("-", " ")))
        # Figures of 4+ digits that only one role has: naming one names the role.
        owners: dict[str, set[str]] = {}
        for role in knowledge.roles.values():
            for topic in role.topics.values():
                texts = [topic.answer, *(f"{f.fixed} {f.variable} {f.ote} {f.total}" for f in topic.figures)]
                for number in _digit_runs(fold(" ".join(texts))):
                    owners.setdefault(number, set()).add(role.id)
        self._figure_owner = {n: next(iter(r)) for n, r in owners.items() if len(r) == 1}
        # The entry whose rule careerbot can apply to a user's figure (pipe coverage, source 003).
        self._computable = next((e.id for e in knowledge.entries.values() if e.factor), None)
        self._build = build or (lambda texts, labels, fit: fit())
        self.index = self.build_index()
        self.extracted_index = self.build_extracted_index()
        self._fixed_labels = [i for i, name in enumerate(self.index.label_names) if not name.startswith("glossary:")]
        self._vocab = self._vocabulary()
        self._vocab_list = sorted(self._vocab)

    # ------------------------------------------------------------------ building
    def phrases(self) -> tuple[list[str], list[str]]:
        """Every phrasing careerbot matches against, normalised and role-masked, with its label."""
        texts, labels = [], []

        def add(text: str, label: str) -> None:
            masked = " ".join(self.roles.mask(normalise(text.replace("{role}", " "), self._rewrites))[0])
            if masked:
                texts.append(masked)
                labels.append(label)

        for topic in self.intents.topics.values():
            for ex in topic.examples:
                add(ex, _label("topic", topic.id))
        for role in self.knowledge.roles.values():
            for topic in role.topics.values():
                for q in topic.questions:
                    add(q, f"role:{role.id}:{topic.id}")
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

    def _phrase_table(self, pairs) -> dict[tuple[str, ...], frozenset[str]]:
        table: dict[tuple[str, ...], set[str]] = {}
        for phrase, target in pairs:
            key = _content_words(normalise(phrase, self._rewrites))
            if key:
                table.setdefault(key, set()).add(target)
        return {k: frozenset(v) for k, v in table.items()}

    @staticmethod
    def _lookup(table, tokens: list[str]) -> set[str]:
        """Targets of every phrase of *table* found in *tokens*."""
        words = _content_words(tokens)
        found: set[str] = set()
        for size in range(1, 5):
            for i in range(len(words) - size + 1):
                hit = table.get(words[i:i + size])
                if hit:
                    found |= hit
        return found

    def _vocabulary(self) -> frozenset[str]:
        words: set[str] = set()
        lex = self.intents.lexicon
        for text in self.index.vocabulary:
            if text.startswith("w:"):
                words.add(text[2:])
        words.update(*self._words_of_topic.values())
        for phrase in self._entry_phrase_table:
            words.update(phrase)
        words.update(self.roles.words(), self._detail_words)
        words.update(lex.stopwords, lex.followup_cues, lex.determiners, self.intents.compare_cues, lex.ordinal_refs)
        for value in lex.rewrites.values():
            words.update(value.split())
        return frozenset(w for w in words if w)

    # ------------------------------------------------------------------ pieces
    def _known(self, token: str) -> bool:
        if token in self._vocab or token.isdigit():
            return True
        if len(token) < 4:
            return False
        return process.extractOne(token, self._vocab_list, scorer=fuzz.ratio,
                                  score_cutoff=self.t.word_fuzz) is not None

    def _outsider(self, tokens: list[str]) -> str | None:
        """An out-of-scope profession, job title or subject named in *tokens* (role names already removed)."""
        for size in range(self._max_profession, 0, -1):
            for i in range(len(tokens) - size + 1):
                if tuple(tokens[i:i + size]) in self._professions:
                    return " ".join(tokens[i:i + size])
        stop = self.intents.lexicon.stopwords
        for i, tok in enumerate(tokens[:-1]):
            if tok in self.intents.title_heads:
                tail = [t for t in tokens[i + 1:i + 4] if t not in stop]
                if tail:
                    return " ".join([tok, *tail[:2]])
        return None

    def _keyword_hits(self, tokens: list[str]) -> set[str]:
        """Topic ids whose keywords appear in *tokens* (misspelt words of 5+ letters count)."""
        hits = self._lookup(self._topic_phrases, tokens)
        for tok in tokens:
            if len(tok) >= 5 and tok not in self._fuzzy_topic_words:
                for word, _, _ in process.extract(tok, self._fuzzy_topic_words.keys(), scorer=fuzz.ratio,
                                                  score_cutoff=self.t.word_fuzz, limit=None):
                    hits |= self._fuzzy_topic_words[word]
        return hits

    def _compute(self, folded: str, tokens: list[str], context: Context) -> Reading | None:
        """A pipe-coverage calculation on the user's quota (and pipeline, when given)."""
        if not self._computable:
            return None
        quota_cue = any(t in tokens for t in _COMPUTE_QUOTA)
        pipe_cue = any(t in tokens for t in _COMPUTE_PIPE)
        # "et pour un quota de 50 000 € ?" right after the pipe-coverage entry is a calculation too.
        if not ((quota_cue and pipe_cue) or (context.term == self._computable and (quota_cue or pipe_cue))):
            return None
        amounts = [(m.start(), *_amount(m)) for m in _AMOUNT.finditer(folded)]
        if not amounts:
            return None
        quota, unit, pipe = amounts[0][1], amounts[0][2], None
        if len(amounts) == 1 and pipe_cue and not quota_cue and context.quota:
            # "et si j'ai 120 000 € de pipe ?" after a calculation: judge it against that quota.
            quota, unit, pipe = context.quota, context.unit, amounts[0][1]
        elif len(amounts) >= 2:
            # Two amounts: each belongs to the nearest quota or pipe word.
            cues = [(m.start(), "pipe") for w in _COMPUTE_PIPE for m in re.finditer(rf"\b{w}\b", folded)]
            cues += [(m.start(), "quota") for w in _COMPUTE_QUOTA for m in re.finditer(rf"\b{w}\b", folded)]

            def after_pipe(position: int) -> bool:
                return min(cues, key=lambda c: abs(c[0] - position))[1] == "pipe"
            pipes = [a for a in amounts[:2] if after_pipe(a[0])]
            quotas = [a for a in amounts[:2] if not after_pipe(a[0])]
            if len(pipes) == 1 and len(quotas) == 1:
                quota, unit, pipe = quotas[0][1], quotas[0][2], pipes[0][1]
        entry = self.knowledge.entries[self._computable]
        return Reading("compute", entry.id, entry.roles[:1], 0.9, amount=quota, unit=unit, pipe=pipe)

    # ------------------------------------------------------------------ reading
    def read(self, text: str, context: Context = Context()) -> Reading:
        """Understand *text*, given what the conversation remembers.

        Examples
        --------
        >>> u.read("cmb gagne un kam").topic          # doctest: +SKIP
        'salary'
        """
        tokens = normalise(text, self._rewrites)
        if not tokens:
            return Reading("empty")
        masked = self.roles.mask(tokens)
        reading = self._read(text, tokens, masked, context)
        if reading.kind in ("topic", "compare"):
            # Details that order or qualify salary figures: a level, a country, net pay.
            levels = self._lookup(self._level_table, tokens)
            places = self._lookup(self._place_table, tokens)
            reading = replace(reading, level=levels.pop() if len(levels) == 1 else None,
                              place=places.pop() if len(places) == 1 else None,
                              net=bool(self._lookup(self._net_table, tokens)),
                              focus=self._focus_words(masked[0], reading.topic))
        if self.extracted_index is None:
            return reading
        # Pairs extracted by `careerbot ingest` answer what the curated base does not;
        # when both match, the curated answer wins unless the extracted one is clearly closer.
        # Words the extracted pairs never use count against a match, or "quel salaire pour
        # un plombier ?" would pass for "quel salaire pour un Sales Ops ?".
        scores = self.extracted_index.scores(" ".join(tokens), top=1, count_unknown=True)
        if not scores:
            return reading
        entry, score = max(scores.items(), key=lambda kv: kv[1])
        if score < self.t.extracted:
            return reading
        if reading.kind == "fallback":
            if reading.outsider:
                # Refused for naming another job: only a pair about that very job may answer.
                said = {w for q in self.knowledge.entries[entry].questions for w in normalise(q, self._rewrites)}
                if not set(reading.outsider.split()) <= said:
                    return reading
        elif reading.kind == "clarify":
            # "Quel est le salaire ?" still asks which role, unless the question names
            # something the curated base does not know (a role only an ingested sheet has).
            if self.knowledge.roles and all(
                    self._known(t) for t in tokens if t not in self.intents.lexicon.stopwords):
                return reading
        elif score <= reading.confidence + self.t.close:
            return reading
        return Reading("extracted", entry, (), min(score, 1.0))

    def _read(self, text: str, tokens: list[str], masked, context: Context) -> Reading:
        lex = self.intents.lexicon
        rest, roles, mentions = masked
        content = [t for t in rest if t not in lex.stopwords]
        # What is left once filler words are gone: nothing means "et pour un AE ?".
        substance = [t for t in rest if t not in lex.filler and t not in lex.ordinal_refs]
        folded = fold(text)

        computed = self._compute(folded, tokens, context)
        if computed is not None:
            return computed

        outsider = self._outsider(rest)
        # On all tokens: a term may contain words that look like a role ("global account manager").
        named_terms = self._named_entries(tokens)
        # Only the best few glossary labels matter, plus the named ones and every
        # non-glossary label: this keeps a query's cost flat as the glossary grows.
        always = self._fixed_labels + self.index.label_ids(_label("glossary", e) for e in named_terms)
        scores = self.index.scores(" ".join(rest), top=_TOP_LABELS, always=always) if rest else {}
        kw_hits = self._keyword_hits(rest)
        for tid in kw_hits:
            key = _label("topic", tid)
            scores[key] = scores.get(key, 0.0) + self.t.keyword_boost
        for eid in named_terms:
            key = _label("glossary", eid)
            scores[key] = scores.get(key, 0.0) + self.t.keyword_boost

        # A role the question points at without naming it: "le premier" of the last
        # comparison, or a figure only one role has ("le salaire de 57 504 $").
        if not roles and outsider is None:
            roles = self._implied_roles(tokens, folded, context)
        # Phrasings a role's own topic carries ("le panier moyen d'Alice") name that role
        # when they match closely.
        own_role, own_topic, own_score = self._best_role_phrasing(scores, roles)
        if (own_role and not roles and outsider is None and own_score >= self.t.glossary_alone
                and all(self._known(t) for t in content)):
            roles = [own_role]
        if own_topic and own_role in roles:
            key = _label("topic", own_topic)
            scores[key] = max(scores.get(key, 0.0), own_score)

        ranked = sorted(((k, v) for k, v in scores.items() if not k.startswith("role:")),
                        key=lambda kv: kv[1], reverse=True)
        best_label, best = ranked[0] if ranked else ("", 0.0)
        topic, topic_score = self._best(ranked, "topic:")
        # A term must be named (or the phrasing match very closely): questions about a
        # role's work share many words with the glossary's phrasings.
        term, term_score = self._best(ranked, "glossary:", lambda eid, score: eid in named_terms)
        if term is None:
            term, term_score = self._best(ranked, "glossary:", lambda eid, score: score >= self.t.glossary_alone)
        named = term in named_terms
        compare_score = scores.get("compare", 0.0)
        oos_score = scores.get("oos", 0.0)
        confidence = max(0.0, min(1.0, best))
        in_domain = max(topic_score, term_score)
        compare_cue = self._has_compare_cue(tokens)

        if len(roles) >= 3 and term and term_score >= self.t.answer:
            # Three roles are no pairwise comparison: a hand-off chain or the like.
            return Reading("glossary", term, (), confidence)
        if len(roles) >= 2 and not compare_cue and len(tokens) > _LONG:
            # "Je suis SDR et je vise un poste de KAM, quelles études ?": a story that
            # mentions roles on the way asks about the last one.
            roles = roles[-1:]
        if len(roles) >= 2:
            focus = topic if (topic in kw_hits and topic != "definition" and topic_score >= self.t.answer) else None
            return Reading("compare", focus, tuple(roles[:2]), max(confidence, 0.6))

        if roles:
            role = roles[0]
            if outsider is not None and compare_cue and len(tokens) <= _LONG:
                # "différence entre un AE et un data scientist"
                return Reading("fallback", outsider=outsider, confidence=0.8)
            if mentions >= 2 and compare_cue:
                # "chargé de compte ou responsable de compte ?": two names of one role.
                return Reading("topic", "definition", (role,), 0.8, same_role=True)
            if not substance:
                if context.topic:
                    return Reading("topic", context.topic, (role,), 0.8, from_context=True)
                return Reading("topic", "definition", (role,), 0.7)
            if compare_score > in_domain and context.roles and context.roles[0] != role:
                return Reading("compare", None, (context.roles[0], role), 0.6, from_context=True)
            # With a role named, a term is usually the subject of a question about the role's
            # work ("un AE a-t-il un quota ?" is about objectives); the term's own entry answers
            # when the question asks what it is, or names no topic of the role.
            definitional = topic == "definition" or topic_score < self.t.answer
            if term and term_score >= self.t.answer and (
                    (named and (definitional or topic not in kw_hits))
                    or (not named and term_score >= topic_score + self.t.glossary_over_topic)):
                return Reading("glossary", term, (role,), confidence,
                               self._alternatives(ranked, term, term_score, roles))
            if topic and topic_score >= self.t.answer:
                covered = self.knowledge.roles[role].topics
                if topic not in covered:
                    # A topic the sources lack for this role: a close runner-up they do cover is
                    # the likelier reading (one the question names, if the first was named too),
                    # or else a close glossary term ("quand l'AE a signé" -> the hand-offs).
                    near = next(((k[6:], v) for k, v in ranked if k.startswith("topic:") and k[6:] in covered
                                 and (k[6:] in kw_hits or topic not in kw_hits)
                                 and v >= max(self.t.answer, topic_score - _NEAR)), None)
                    loose = self._best(ranked, "glossary:", lambda e, v: v >= max(self.t.answer, topic_score - _NEAR))
                    if near is not None:
                        topic, topic_score = near
                    elif topic not in kw_hits and loose[0]:
                        return Reading("glossary", loose[0], (role,), loose[1])
                return Reading("topic", topic, (role,), max(confidence, 0.5),
                               self._alternatives(ranked, topic, topic_score, roles))
            return Reading("topic", "definition", (role,), 0.5)

        # No role named. A refused question still tells which topic it was about, so that
        # "et pour un AM ?" after "combien gagne une infirmière ?" asks for the AM's salary.
        asked = topic if topic_score >= self.t.answer else None
        if outsider is not None:
            return Reading("fallback", asked, outsider=outsider, confidence=0.9)
        if named and not (topic != "definition" and topic_score > term_score + self.t.close):
            return Reading("glossary", term, (), confidence,
                           self._alternatives(ranked, term, term_score, list(context.roles)))
        unknown = [t for t in content if not self._known(t)]
        if content and len(unknown) / len(content) >= self.t.unknown_share and not (
                context.roles and asked and not self._new_subject(rest, unknown)):
            # Mostly unknown words: another subject. In a conversation, a topic question with
            # a few unknown verbs ("quels KPI je devrais suivre ?") stays on the conversation's role.
            return Reading("fallback", asked, confidence=0.8)
        if best_label.startswith("smalltalk:") and best >= self.t.smalltalk:
            return Reading("smalltalk", best_label.split(":", 1)[1], (), confidence)
        if oos_score > in_domain or max(in_domain, compare_score) < self.t.answer:
            return Reading("fallback", asked, confidence=round(1.0 - min(in_domain, 1.0), 3))
        followup = bool(context.roles) and (tokens[0] in lex.followup_cues or any(
            t in lex.followup_cues for t in content))
        if term and term_score >= topic_score and not followup:
            return Reading("glossary", term, (), confidence,
                           self._alternatives(ranked, term, term_score, list(context.roles)))
        if topic and topic_score >= self.t.answer:
            if len(context.roles) >= 2:
                # After a comparison, "et leur salaire ?" is about both roles.
                return Reading("compare", topic if topic != "definition" else None, context.roles[:2],
                               confidence, from_context=True)
            if context.roles:
                return Reading("topic", topic, context.roles[:1], confidence, from_context=True)
            return Reading("clarify", topic, (), confidence)
        return Reading("clarify", None, (), confidence)

    def _focus_words(self, rest: list[str], topic: str | None) -> tuple[str, ...]:
        """Words of the question (role names removed) that name a detail, not the topic or a salary scope."""
        lex = self.intents.lexicon
        ignore = self._detail_words | self._words_of_topic.get(topic, frozenset())
        return tuple(dict.fromkeys(
            t for t in rest if len(t) >= 4 and not t.isdigit() and t not in lex.stopwords
            and t not in lex.filler and t not in self.intents.compare_cues and t not in ignore))

    def _new_subject(self, tokens: list[str], unknown: list[str]) -> bool:
        """Whether an unknown word follows a determiner ("un sommelier"): a new subject, not a verb."""
        dets = self.intents.lexicon.determiners
        return any(tok in unknown and i and tokens[i - 1] in dets for i, tok in enumerate(tokens))

    def _implied_roles(self, tokens: list[str], folded: str, context: Context) -> list[str]:
        """Roles a question refers to without naming them (see :meth:`_read`)."""
        remembered = context.pair or context.roles
        if remembered:
            for tok in tokens:
                index = self.intents.lexicon.ordinal_refs.get(tok)
                if index is not None and -len(remembered) <= index < len(remembered):
                    return [remembered[index]]
        owners = {self._figure_owner[n] for n in _digit_runs(folded) if n in self._figure_owner}
        return list(owners) if len(owners) == 1 else []

    def _best_role_phrasing(self, scores, roles) -> tuple[str | None, str | None, float]:
        """Best of the phrasings that belong to one role's topic: (role, topic, score)."""
        best = (None, None, 0.0)
        for label, score in scores.items():
            if label.startswith("role:") and score >= self.t.answer and score > best[2]:
                _, rid, tid = label.split(":", 2)
                if not roles or rid == roles[0]:
                    best = (rid, tid, score)
        return best

    @staticmethod
    def _best(ranked, prefix: str, keep=lambda key, score: True) -> tuple[str | None, float]:
        for label, score in ranked:
            if label.startswith(prefix):
                key = label[len(prefix):]
                if keep(key, score):
                    return key, score
        return None, 0.0

    def _named_entries(self, tokens: list[str]) -> set[str]:
        """Glossary entries whose name or keywords appear in *tokens*."""
        return self._lookup(self._entry_phrase_table, tokens)

    def _has_compare_cue(self, tokens: list[str]) -> bool:
        return any(t in self.intents.compare_cues for t in tokens)

    def _alternatives(self, ranked, chosen: str, chosen_score: float, roles) -> tuple:
        """Runner-up readings close enough to the chosen one to offer as suggestions."""
        out = []
        for label, score in ranked[:4]:
            kind, _, key = label.partition(":")
            if key == chosen or kind not in ("topic", "glossary") or chosen_score - score > self.t.close:
                continue
            out.append((kind, key, tuple(roles[:1]) if kind == "topic" else ()))
        return tuple(out[:2])
