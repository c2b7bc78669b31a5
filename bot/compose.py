"""Write the answer for a :class:`~bot.reading.Reading` from the knowledge base: the fact asked for, cited, honest."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from .amounts import Amount, find_amounts, format_amount, parse_amount
from .answer import Answer
from .calc import PIPELINE, QUESTION, QUOTA, Computation, Operand, add, coverage, pipeline_needed
from .clauses import CLAUSE_CUT as _PART_CUT
from .clauses import has_phrase, phrases
from .facts import FactFinder, Selection, Unit, stem
from .frozen import evolve
from .intents import Intents
from .knowledge import Knowledge, Role, SalaryFigure, say
from .normalise import fold, has_digit, normalise, tokenize
from .reading import Reading

__all__ = ["Composer", "NO_DATA"]

NO_DATA = "Les sources ne donnent pas"
"""How every French answer starts when the sources are silent on what was asked (``no_data`` in messages.toml)."""

# Message keys of a computation's verdict (codes of bot.calc).
_VERDICTS = frozenset({("coverage", "enough"), ("coverage", "short"), ("coverage", "partly"),
                       ("compare_pay", "higher"), ("compare_pay", "lower"), ("compare_pay", "equal"),
                       ("compare_pay", "overlap"), ("compare_pay", "not_comparable"),
                       ("check_pay", "within"), ("check_pay", "below"), ("check_pay", "below_point"),
                       ("check_pay", "parts_outside"), ("check_pay", "above"), ("check_pay", "partly"),
                       ("expression", "match"), ("expression", "differs"),
                       ("coverage_ratio", "enough"), ("coverage_ratio", "short"), ("coverage_ratio", "partly"),
                       ("coverage", "not_guaranteed"), ("coverage_ratio", "not_guaranteed"),
                       ("pipeline_needed", "not_guaranteed"), ("quota_supported", "not_guaranteed")})
_EXAMPLE_VERDICTS = frozenset({"return_above", "return_below", "quota_reached", "quota_missed"})
"""Verdicts of a worked example's computation (``verdict = "return"`` or ``"quota"`` in compute.toml), whatever its id."""
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_GENERIC_SUGGESTIONS = ("suggest_1", "suggest_2", "suggest_3")
# English "a" before a vowel sound: a word starting with a vowel, or an acronym whose first letter is
# read with one ("an AE", "an SDR", "an MBA").
_AN = re.compile(r"\b([Aa]) ((?:[AEIOUaeiou]\w*)|(?:[AEFHILMNORSX][A-Z]+)\b)")
_REQUIRED_MESSAGES = (
    "no_data", "no_data_yesno", "source_one", "source_many", "source_title", "list_sep", "of_role", "of_role_vowel",
    "no_data_topic", "covered", "given_for", "no_data_country",
    "country_other_role", "figure_sum", "no_data_country_none", "no_data_net",
    "figure", "amount_fixed",
    "amount_variable", "amount_share", "amount_ote", "section_head", "same_role", "missing_detail",
    "missing_detail_yesno", "quoted", "closest", "no_figure_here", "yes", "no", "offer_section", "offer_entry",
    "entry_head", "missing_detail_entry", "missing_detail_entry_role", "entry_other_roles", "extracted_head",
    "compare_same_no", "compare_same_partly",
    "compare_head", "compare_topic_head", "compare_side", "compare_side_block", "compare_other_sheets", "compare_none",
    "share_within", "share_above", "share_below", "no_data_net_computed",
    "compare_summary", "profile_line", "profile_lacking", "given", "from_question", "also_stated", "no_data_list",
    "computed_from_question", "entry_question", "clarify_role", "clarify_compare", "clarify_compare_suggest_1",
    "clarify_compare_suggest_2", "fallback", "fallback_outsider", "task_facts", "task_facts_any", "empty",
    *(f"verdict_{kind}_{code}" for kind, code in _VERDICTS), *(f"verdict_{code}" for code in _EXAMPLE_VERDICTS),
    *_GENERIC_SUGGESTIONS,
)


_PROFILE_TOPICS = ("salary", "experience", "studies")


def _first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of *text* (cut at *limit* characters on a word boundary)."""
    line = text.strip().splitlines()[0]
    end = line.find(". ")
    if 0 < end < limit:
        return line[:end + 1]
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def _short_files(text: str) -> str:
    """Source file names in a sentence shortened to their number ("001_6c24….txt" -> "001")."""
    return re.sub(r"(\d{3})_[0-9a-f]{16}\.txt", r"\1", text)


def _as_written(question: str, folded_words) -> list[str]:
    """The words of *question* whose folded form is in *folded_words*, as the asker wrote them."""
    wanted = set(folded_words)
    seen: dict[str, str] = {}
    for word in re.findall(r"[\w'’-]+", question):
        for part in tokenize(word):
            if part in wanted and part not in seen:
                seen[part] = word.strip("'’-")
    return [seen.get(w, w) for w in folded_words]


def _names_level(fig: SalaryFigure, words) -> bool:
    """Whether *fig*'s seniority or scope names one of the level *words*."""
    text = f" {' '.join(tokenize(fig.seniority + ' ' + fig.scope))} "
    return any(f" {w} " in text for w in words)


def _with_notice(answer: Answer, notice: str | None) -> Answer:
    """*answer* with *notice* (a role's caveat); the same answer when it has that notice already (most roles have
    no caveat): no copy made."""
    return answer if answer.notice == notice else replace(answer, notice=notice)


class Composer:
    """Turns readings into answers; holds no per-question state."""

    def __init__(self, knowledge: Knowledge, intents: Intents, *, finder: FactFinder | None = None,
                 lang: str = "fr", english_question=None):
        self.kb = knowledge
        self.intents = intents
        self.lang = lang
        self._french = lang == "fr"
        """The language this composer writes in (``fr`` or ``en``); a bot holds one composer per language."""
        self._messages = intents.messages
        self._messages.require(_REQUIRED_MESSAGES)
        # This language's templates, looked up once: answers are composed from a dozen of them.
        self._templates = {key: versions.get(lang) or versions["fr"] for key, versions in intents.messages.texts.items()}
        self._no_data_text = self._templates["no_data"]
        # Tells an English phrasing among a glossary entry's questions (for English suggestions).
        self._is_english = english_question or (lambda text: False)
        self._entry_questions: dict[str, str] = {}
        self._same = phrases(intents.same_cues, intents.lexicon.rewrites)
        self.finder = finder or FactFinder(knowledge, intents)
        # The entry whose rule careerbot applies to figures (pipe coverage ×3, source 003).
        self._pipe_entry = next((e.id for e in knowledge.entries.values() if e.factor), None)
        pipe = knowledge.entries[self._pipe_entry] if self._pipe_entry else None
        self._factor = pipe.factor if pipe and pipe.factor else 3.0
        self._pipe_source = pipe.sources[0] if pipe else ""
        # What answers list about every role, written once (hundreds of ingested roles make these long):
        # the short names a refusal lists, the labels a "which role?" lists, per topic asked.
        self._all_names = ", ".join(self._name(role) for role in knowledge.roles.values())
        self._all_labels = ", ".join(r.label_in(lang) for r in knowledge.roles.values())
        self._roles_with: dict[str, tuple[Role, ...]] = {}
        for role in knowledge.roles.values():
            for topic_id in role.topics:
                self._roles_with.setdefault(topic_id, ())
                self._roles_with[topic_id] += (role,)
        self._labels_with = {t: ", ".join(r.label_in(lang) for r in roles) for t, roles in self._roles_with.items()}
        # The roles with a figure of a given country (folded) in a given topic, in the knowledge base's order.
        self._with_country: dict[tuple[str, str], tuple[Role, ...]] = {}
        for role in knowledge.roles.values():
            for topic_id, topic in role.topics.items():
                for country in dict.fromkeys(fold(f.country) for f in topic.figures):
                    self._with_country[topic_id, country] = (*self._with_country.get((topic_id, country), ()), role)

    # ---------------------------------------------------------------- helpers
    def _m(self, key: str, **values) -> str:
        """Message *key* of messages.toml in this composer's language (``{no_data}`` filled in)."""
        text = self._templates[key]
        if "{" not in text:
            return text
        return text.format(no_data=self._no_data_text, **values)

    def _t(self, obj, name: str) -> str:
        """Text field *name* of a knowledge or intent object in this composer's language."""
        return getattr(obj, name) if self._french else say(obj, name, self.lang)

    def _name(self, role: Role) -> str:
        """The role's short name (``KAM``), else its name in this language."""
        return role.short or self._t(role, "name")

    def _of(self, name: str) -> str:
        """*name* after "pour le rôle": French elides "de" before a vowel ("d'Account Manager")."""
        return self._m("of_role_vowel" if fold(name[:1]) in "aeiouyh" else "of_role", name=name)

    def _amounts(self, fig: SalaryFigure) -> str:
        """A figure's amounts as written in the sources: total, fixed, variable, its share, OTE."""
        t = self._t
        return self._m("list_sep").join(x for x in (
            t(fig, "total"), fig.fixed and self._m("amount_fixed", amount=t(fig, "fixed")),
            fig.variable and self._m("amount_variable", amount=t(fig, "variable")),
            fig.variable_share and self._m("amount_share", amount=t(fig, "variable_share")),
            fig.ote and self._m("amount_ote", amount=t(fig, "ote"))) if x)

    def _entry_question(self, entry) -> str:
        """A question about a glossary entry, for a suggestion: one of its phrasings in this language."""
        if self.lang == "fr":
            return entry.questions[0]
        asked = self._entry_questions.get(entry.id)
        if asked is None:  # found once per entry: the phrasings never change
            asked = next((q for q in entry.questions if self._is_english(q)), None) \
                or self._m("entry_question", title=self._t(entry, "title"))
            self._entry_questions[entry.id] = asked
        return asked

    def citations(self, sources) -> tuple[tuple[str, str], ...]:
        """(file, title) of each source, once each, in order."""
        return tuple((f, self.kb.sources[f].title if f in self.kb.sources else f) for f in dict.fromkeys(sources))

    def _cite(self, sources) -> str:
        cited = self.citations(sources)
        if not cited:
            return ""
        titles = self._m("list_sep").join(self._m("source_title", title=title, number=file.split("_")[0])
                                          for file, title in cited)
        return self._m("source_one" if len(cited) == 1 else "source_many", titles=titles)

    def _role_list(self) -> str:
        return self._all_labels

    def _label(self, topic_id: str) -> str:
        """How answers name a topic ("le salaire"); the id itself for an unknown topic."""
        topic = self.intents.topics.get(topic_id)
        return self._t(topic, "label") if topic else topic_id

    def _figure(self, fig: SalaryFigure) -> str:
        when = ", ".join(x for x in (self._t(fig, "period"), self._t(fig, "year")) if x)
        line = "• " + self._m("figure", scope=self._t(fig, "scope"), amounts=self._amounts(fig))
        if when:
            line += f" ({when})"
        line += f" [{fig.source.split('_')[0]}]"
        if fig.note:
            line += f"\n  ⚠ {self._t(fig, 'note')}"
        fixed, variable = parse_amount(fig.fixed), parse_amount(fig.variable)
        if fixed is not None and variable is not None and not fig.ote:
            # No OTE printed for this level: the sum of the two parts, with its operation (« 50–60 + 30–50 »).
            done = add(Operand("fixed", fixed), Operand("variable", variable))
            if done.ok:
                line += "\n  " + self._m("figure_sum", operation=done.operation if self._french
                                          else _DECIMAL_COMMA.sub(".", done.operation))
        return line

    def _topic_body(self, role: Role, topic_id: str, r: Reading | None = None) -> tuple[str, tuple[str, ...]] | None:
        topic = role.topics.get(topic_id)
        if topic is None:
            return None
        place = r.place if r is not None else None
        # A figure of another document kept for one country shows only when that country is asked for.
        figures = tuple(f for f in topic.figures if not f.on_request or (place and fold(f.country) == fold(place)))
        lines = []
        elsewhere: list[str] = []  # the sources of another role's figures for the country asked
        # The intros of figure sections speak of France; a section without figures holds for any country.
        home = fold(self.intents.lexicon.home_place)
        intro = bool(topic.answer) and not (place and fold(place) != home and topic.figures)
        if figures and r is not None:
            if r.level:
                # Only the level asked for ("salaire d'un AE junior"), when the sources give it.
                words = self.intents.lexicon.seniority.get(r.level, ())
                figures = tuple(f for f in figures if _names_level(f, words)) or figures
            if place:
                here = tuple(f for f in figures if fold(f.country) == fold(place))
                if here:
                    figures = here
                elif fold(place) == home and not any(f.country for f in figures):
                    pass  # the sources' own country asked, figures that name none: they are the ones
                else:
                    countries = sorted({self._t(f, "country") for f in figures if f.country})
                    lines.append(self._m("no_data_country", place=place, countries=", ".join(countries))
                                 if countries else self._m("no_data_country_none", place=place))
                    # "account managers in the US?": the role whose own sheet gives that country's figure, shown
                    # (a figure another role only borrows for that country, on request, is the same one).
                    found = [(other, [f for f in other.topics[topic_id].figures if fold(f.country) == fold(place)])
                             for other in self._with_country.get((topic_id, fold(place)), ())
                             if other.id != role.id and fold(place) != home]
                    found.sort(key=lambda pair: any(f.on_request for f in pair[1]))
                    if found and found[0][1]:
                        other, theirs = found[0]
                        lines.append(self._m("country_other_role", role=other.label_in(self.lang)))
                        lines.extend(self._figure(f) for f in theirs)
                        elsewhere.extend(f.source for f in theirs)
            if r.net:
                lines.append(self._m("no_data_net"))
        if intro:
            lines.append(topic.answer_in(self.lang))
        lines.extend(self._figure(f) for f in figures)
        sources = (*(topic.sources if intro or not figures else ()), *(f.source for f in figures), *elsewhere)
        return "\n".join(lines), sources

    def _remarks(self, role: Role, topic_id: str) -> list[str]:
        """The role's caveat always; its note with the definition (and no-data answers)."""
        remarks = [self._t(role, "note")] if role.note and topic_id == "definition" else []
        return remarks + ([self._t(role, "caveat")] if role.caveat else [])

    def _no_data(self, role: Role, topic_id: str) -> str:
        label = self._label(topic_id)
        return self._m("no_data_topic", label=label, of_role=self._of(role.label_in(self.lang)))

    def _profile(self, role: Role):
        """Short side-by-side facts of *role* for a comparison the sources do not make (what they lack, in one line)."""
        lacking = [self._label(t) for t in _PROFILE_TOPICS if t not in role.topics]
        for topic_id in _PROFILE_TOPICS:
            topic = role.topics.get(topic_id)
            label = self._label(topic_id)
            if topic is None:
                continue
            if topic.figures:
                fig = next((f for f in topic.figures if not f.note), topic.figures[0])
                figure = self._m("figure", scope=self._t(fig, "scope"), amounts=self._amounts(fig))
                yield self._m("profile_line", label=label, text=figure), (fig.source,)
            else:
                yield self._m("profile_line", label=label, text=_first_sentence(topic.answer_in(self.lang))), \
                    topic.sources
        if lacking:
            yield self._m("profile_lacking", topics=", ".join(lacking), role=self._name(role)), ()

    def _covered(self, role: Role) -> list[str]:
        """How answers name the topics the sources cover for *role*."""
        return [self._t(self.intents.topics[t], "label") for t in role.topics if t in self.intents.topics]

    def _alternative_questions(self, r: Reading, role: Role) -> tuple[str, ...]:
        """The questions of the close runner-up readings (a glossary term, another topic of the role)."""
        return tuple(self._suggest(t, role) if kind == "topic" else self._entry_question(self.kb.entries[t])
                     for kind, t, _ in r.alternatives if t and (kind == "glossary" or t in role.topics))

    def _suggest(self, topic_id: str, role: Role) -> str:
        return self._article(self._t(self.intents.topics[topic_id], "suggest").format(role=self._name(role)))

    def _article(self, text: str) -> str:
        """English "a" before a role name becomes "an" when the name is said with a vowel sound ("an SDR")."""
        return _AN.sub(r"\1n \2", text) if self.lang == "en" else text

    # ---------------------------------------------------------------- answers
    def compose(self, r: Reading, question: str = "", *, seen: frozenset[str] = frozenset()) -> Answer:
        """The answer for reading *r* of *question*; roles in *seen* already had their caveat said."""
        if r.kind == "topic":
            if r.also:
                # Each further part gets the clause that names it, or its section: one part's "combien" asks no
                # figure of the other ("il bosse où et il gagne combien ?"); "…, and which languages are expected?"
                # asks the languages of the skills.
                # (The first part keeps its whole section: the message's opening clause often tells the scene.)
                clauses = self._clauses_of((r.topic, *r.also), question)
                answer = self._with_parts(self._compose_topic(r, "", seen), r, clauses, seen)
            else:
                answer = self._compose_topic(r, question, seen)
        elif r.kind == "glossary":
            answer = self._compose_glossary(r, question)
        elif r.kind == "fallback":
            answer = self._compose_fallback(r, question)
        elif r.kind == "compare":
            answer = self._compose_compare(r, question)
        else:
            answer = getattr(self, f"_compose_{r.kind}")(r)
        if answer.suggestions:
            # Suggestions come from several files; show them alike, capitalised, once each.
            tidy = tuple(dict.fromkeys(s[:1].upper() + s[1:] for s in answer.suggestions))
            return evolve(answer, citations=self.citations(answer.sources), lang=self.lang, suggestions=tidy)
        return evolve(answer, citations=self.citations(answer.sources), lang=self.lang)

    def _compose_topic(self, r: Reading, question: str, seen: frozenset[str], *, read_as: bool = True) -> Answer:
        """A role topic: the fact asked for when the question is precise, a missing detail said, else the section.
        *read_as*: whether a topic the role lacks may be read on the sheet that counts the role's name as its own."""
        role = self.kb.roles[r.roles[0]]
        caveat = self._t(role, "caveat") or None
        other = self.kb.roles.get(role.read_as) if read_as else None
        if r.topic is not None and r.topic not in role.topics and other is not None and r.topic in other.topics:
            # "What skills does a CSM need?": the CSM has no such section, but the AM sheet (002) gives "Customer
            # Success Manager" as one of the AM's names: its section, said to be the AM's.
            said = self._m("read_as", role=role.label_in(self.lang), topic=self._label(r.topic), name=role.name,
                           other=other.label_in(self.lang), source=self.kb.sources[role.read_as_source].title
                           if role.read_as_source in self.kb.sources else role.read_as_source)
            theirs = self._compose_topic(replace(r, roles=(other.id, *r.roles[1:])), question, seen)
            if theirs.text.startswith(self._m("no_data")):
                # A detail the other role's sheet lacks too ("combien de jours de congés ?"): this role's own answer.
                return self._compose_topic(r, question, seen, read_as=False)
            sources = tuple(dict.fromkeys((*theirs.sources, role.read_as_source)))
            cite = self._cite(theirs.sources)
            body = [x for x in theirs.text.split("\n") if x != cite]
            return replace(theirs, text="\n".join([said, *body, self._cite(sources)]), role=role.id,
                           roles=(role.id, *theirs.roles[1:]), sources=sources, notice=caveat)
        if r.topic in role.topics and question and not r.same_role and not r.whole:
            sel = self.finder.select(role.id, r.topic, question)
            answer = self._precise(role, r, sel, seen, question)
            if answer is not None:
                return _with_notice(answer, caveat)
        return _with_notice(self._section(r, seen), caveat)

    def lead(self, r: Reading, seen: frozenset[str] = frozenset(), limit: int = 600) -> Answer:
        """A role topic's section cut to its head and its first lines, up to *limit* characters (at least one): what a
        guidance answer gives first of a topic asked beside it ("c'est quoi exactement ?"), the guidance staying
        short. The section's offer of the whole text comes last when lines were left out."""
        whole = self.compose(r, seen=seen)
        head, *body = whole.text.split("\n")[:-1]
        kept: list[str] = []
        for line in body:
            if kept and sum(map(len, kept)) + len(line) > limit:
                break
            kept.append(line)
        offer = [self._m("offer_section")] if len(kept) < len(body) else []
        return replace(whole, text="\n".join([head, *kept, *offer, whole.text.rsplit("\n", 1)[-1]]))

    def _with_parts(self, first: Answer, r: Reading, clauses: dict[str, str], seen: frozenset[str]) -> Answer:
        """*first* followed by the answer to each other topic the question asks for (:attr:`Reading.also`), each
        for its own clause (*clauses*, :meth:`_clauses_of`), with one offer of the whole sections and one line of
        sources at the end."""
        assert r.roles  # a topic reading names its role
        return self.joined(first, *(self._compose_topic(replace(r, topic=t, also=()), clauses.get(t, ""),
                                                        seen | {r.roles[0]})
                                    for t in r.also))

    def _clauses_of(self, topic_ids: tuple[str | None, ...], question: str) -> dict[str, str]:
        """Each topic's own clause of *question*, the one naming it by a keyword, when every topic has one and no
        two share one ("What level of experience should I screen for, and which languages are expected?"); none
        otherwise (« what profile should I look for? » asks each part's whole section)."""
        parts = [c for c in _PART_CUT.split(question) if c.strip()] if question else []
        words = [f" {' '.join(normalise(c))} " for c in parts]
        found: dict[str, str] = {}
        for topic_id in topic_ids:
            topic = self.intents.topics.get(topic_id or "")
            named = [parts[i] for i, w in enumerate(words) if topic and any(f" {k} " in w for k in topic.keywords)]
            if topic_id is None or len(named) != 1 or named[0] in found.values():
                return {}
            found[topic_id] = named[0]
        # (A clause with no question word, « c'est un portefeuille normal ? », asks its whole section.)
        return {t: c for t, c in found.items() if self.finder.asks_what(c)}

    def joined(self, first: Answer, *more: Answer) -> Answer:
        """*first*'s text followed by each of *more*'s (no line twice, no offer of a whole section), with one line
        of sources at the end; *first* says what the answer is about."""
        drop = {self._m("offer_section"), self._m("offer_entry")}
        lines: list[str] = []
        sources: list[str] = []
        parts = (first, *more)
        for part in parts:
            cite = self._cite(part.sources)
            lines.extend(x for x in part.text.split("\n") if x not in drop and x != cite and x not in lines)
            sources.extend(part.sources)
        cited = tuple(dict.fromkeys(sources))
        lines.append(self._cite(cited))
        return replace(first, text="\n".join(lines), sources=cited, citations=self.citations(cited),
                       facts=tuple(f for part in parts for f in part.facts))

    def _remark_lines(self, role: Role, topic_id: str, seen: frozenset[str]) -> list[str]:
        """The role's note (with its definition) and its caveat, the caveat once per conversation."""
        return [f"⚠ {x}" for x in self._remarks(role, topic_id)
                if x != self._t(role, "caveat") or role.id not in seen]

    def _unit_text(self, unit: Unit, sel: Selection | None = None) -> str:
        """A fact (or figure) as a sentence; of a long list, only the items the question names."""
        if unit.figure is not None:
            return self._figure(unit.figure).lstrip("• ")
        text = self._t(unit.fact, "text").strip().rstrip(" ;,")
        if sel is not None and sel.words:
            text = self._items_asked(text, sel)
        if not text.endswith((".", "!", "?", ")", "»", ":")):
            text += "."
        return text[:1].upper() + text[1:]

    def _items_asked(self, text: str, sel: Selection) -> str:
        """``Lead : a ; b ; c`` cut to the items holding a word of the question (all of it when none or all do)."""
        lead, sep, rest = text.partition(" : ")
        if not sep:
            lead, rest = "", text
        items = [i.strip() for i in re.split(r"\s*;\s*", rest) if i.strip()]
        if len(items) < 3:
            return text
        stems = {stem(w) for w in sel.words}
        kept = [i for i in items if stems & {stem(t) for t in tokenize(i)}]
        if not kept or len(kept) == len(items):
            return text
        return f"{lead} : {' ; '.join(kept)}" if lead else " ; ".join(kept)

    def _precise(self, role: Role, r: Reading, sel: Selection, seen: frozenset[str], question: str) -> Answer | None:
        """The short answer to a precise question, or None when the whole section should be shown."""
        assert r.topic is not None  # every reading of this kind names its topic
        label = self._label(r.topic)
        name = self._name(role)
        topic_units = [u for u in self.finder.units(role.id) if u.topic == r.topic]
        used: list[Unit] = list(sel.units)
        if r.level:
            # A level named ("AE confirmé") picks that level's salary figures among the facts found.
            words = self.intents.lexicon.seniority.get(r.level, ())
            level = [u for u in topic_units if u.figure is not None and _names_level(u.figure, words)]
            if level:
                used = [u for u in used if u in level] or level
        # A place other than the sources' own, or net pay, is answered by the figures' own notes, not as a detail.
        away = r.place is not None and fold(r.place) != fold(self.intents.lexicon.home_place)
        if away and any(u.figure is not None for u in used) and not any(
                u.figure is not None and fold(u.figure.country) == fold(r.place or "") for u in used):
            return None  # « un AE junior en Suisse ? »: the section says first that no figure is for that country
        if sel.missing and not (away or r.net):
            asked = ", ".join(self._m("quoted", word=w) for w in _as_written(question, sel.missing))
            of_role = self._of(role.label_in(self.lang))
            lines = [self._m("missing_detail_yesno", lead=self._m("no_data_yesno"), asked=asked, of_role=of_role)
                     if sel.yesno else self._m("missing_detail", lead=self._m("no_data"), asked=asked, of_role=of_role)]
            # With no fact closer than another, the topic's first fact, and its first figure when that fact holds none
            # (« combien gagne un AE à Lyon ? »: the France figures too, not only the sentence that pay has two parts).
            first = topic_units[:1]
            figured = [u for u in topic_units[1:] if u.figure is not None and not u.figure.on_request
                       and (u.figure.fixed or u.figure.total or u.figure.ote)][:1] \
                if first and first[0].fact is not None and not has_digit(first[0].fact.text) else []
            used = used[:1] or list(sel.closest) or [*first, *figured]
            if used:
                lines.append(self._m("closest", label=self._label(used[0].topic)))
        elif used and sel.precise:
            lines = [self._m("section_head", role=name, topic=self._label(used[0].topic))]
            if sel.wants_figure and not any(u.has_figure for u in used) and any(u.figure for u in topic_units):
                return None  # a pay question whose words matched no figure: the figures themselves answer it
            if sel.wants_figure and not any(u.has_figure for u in used):
                lines.append(self._m("no_figure_here"))
            elif sel.yesno and any(u.topic == r.topic for u in used):
                # Oui / Non only from a fact of the topic asked: a fact found elsewhere ("recrute" in the
                # skills of "recrute-t-il beaucoup ?") is shown as what the sources say, with no verdict.
                # A number asked about is checked against the facts' numbers ("100 comptes ?" against 50-80).
                verdict = _numeric_verdict(question, [self._unit_text(u) for u in used])
                if verdict is None:
                    verdict = "no" if all(self.finder.negative(u, question) for u in used) else "yes"
                lines.append(self._m(verdict))
        elif sel.precise and sel.wants_figure and topic_units and not any(u.has_figure for u in topic_units):
            used = topic_units[:2]
            lines = [self._m("section_head", role=name, topic=label), self._m("no_figure_here")]
        else:
            return None
        if len(used) == 1 and used[0].fact is not None and used[0].fact.paragraph and sel.explains:
            used = self._paragraph(role.id, used[0])
        items = self._items_after(role.id, used)
        lines.extend(self._unit_text(u, sel) for u in used)
        lines.extend(self._item_text(u) for u in items)
        used = [*used, *items]
        if not used:
            lines.append(self._m("covered", topics=", ".join(self._covered(role))))
        sources = [src for u in used for src in u.sources] or list(role.sources)
        remarks = self._remark_lines(role, "precise", seen)
        lines.extend(remarks)
        if remarks:
            sources.extend(role.sources)
        suggestions: tuple[str, ...] = (self._suggest(r.topic, role),) if r.topic in self.intents.topics else ()
        suggestions += self._alternative_questions(r, role)
        if suggestions and len(topic_units) > len(used):
            lines.append(self._m("offer_section"))
        lines.append(self._cite(sources))
        return Answer(text="\n".join(lines), intent=r.topic, confidence=round(r.confidence, 3),
                      role=role.id, roles=(role.id,), topic=r.topic, sources=tuple(dict.fromkeys(sources)),
                      suggestions=suggestions, facts=tuple(u.fact.id if u.fact else u.figure.scope  # type: ignore[union-attr]
                                                           for u in used))

    def _item_text(self, unit: Unit, sel: Selection | None = None) -> str:
        """:meth:`_unit_text`, as a list item when the fact is one."""
        text = self._unit_text(unit, sel)
        return f"• {text}" if unit.fact is not None and unit.fact.bullet and not text.startswith("•") else text

    def _items_after(self, key: str, used: list[Unit]) -> list[Unit]:
        """The list items that follow the last of *used* when it announces them ("… en intégrant à ses
        propositions :"): a sentence cut before its list says nothing. *key* is a role id or ``entry:<id>``."""
        if not used or used[-1].fact is None or not used[-1].fact.text.rstrip().endswith(":"):
            return []
        units = self.finder.units(key)
        items = []
        for unit in units[units.index(used[-1]) + 1:]:
            if unit.fact is None or not unit.fact.bullet or unit.topic != used[-1].topic:
                break
            items.append(unit)
        return items

    def _paragraph(self, role_id: str, first: Unit, limit: int = 450) -> list[Unit]:
        """A fact that opens a paragraph, with the facts that continue it (an explanation reads whole)."""
        units = self.finder.units(role_id)
        out = [first]
        size = len(first.fact.text)  # type: ignore[union-attr]
        for unit in units[units.index(first) + 1:]:
            if unit.fact is None or unit.fact.paragraph or unit.fact.bullet or unit.topic != first.topic:
                break
            size += len(unit.fact.text)
            if size > limit:
                break
            out.append(unit)
        return out

    def _section(self, r: Reading, seen: frozenset[str] = frozenset()) -> Answer:
        assert r.topic is not None  # every reading of this kind names its topic
        role = self.kb.roles[r.roles[0]]
        body = self._topic_body(role, r.topic, r)
        suggestions = self._alternative_questions(r, role)
        if r.place and r.topic in role.topics:
            # Another role may have figures for the country asked about (000: the United States).
            suggestions += tuple(self._suggest(r.topic, other) for other in self._with_country.get((r.topic, fold(r.place)), ())
                                 if other.id != role.id)
        topic_label = self._label(r.topic)
        if body is None:
            covered = self._covered(role)
            text = self._no_data(role, r.topic)
            # "un bac+5 est-il obligatoire pour un AE ?": the roles the sources do give it for, said beside.
            others = [o for o in self._roles_with.get(r.topic, ()) if o.id != role.id]
            if others and len(others) <= 3:
                text += " " + self._m("given_for", roles=", ".join(self._name(o) for o in others))
            elif covered:
                text += " " + self._m("covered", topics=", ".join(covered))
            for remark in self._remark_lines(role, "nodata", seen):
                text += f"\n{remark}"
            sources = role.sources
            text += "\n" + self._cite(sources)
            suggestions = tuple(self._suggest(t, role) for t in list(role.topics)[:3])
            return Answer(text=text, intent=r.topic, confidence=round(r.confidence, 3), role=role.id,
                          roles=(role.id,), topic=r.topic, sources=tuple(sources), suggestions=suggestions)
        text, sources = body
        head = self._m("section_head", role=role.label_in(self.lang), topic=topic_label)
        parts = [head]
        if r.same_role:
            parts.append(self._m("same_role", role=role.label_in(self.lang)))
        parts.append(text)
        remarks = self._remark_lines(role, r.topic, seen)
        parts.extend(remarks)
        if remarks:
            sources = (*sources, *role.sources)  # the remarks draw on every document about the role
        parts.append(self._cite(sources))
        return Answer(text="\n".join(parts), intent=r.topic, confidence=round(r.confidence, 3), role=role.id,
                      roles=(role.id,), topic=r.topic, sources=tuple(dict.fromkeys(sources)),
                      suggestions=suggestions)

    def _compose_glossary(self, r: Reading, question: str = "") -> Answer:
        assert r.topic is not None  # every reading of this kind names its topic
        entry = self.kb.entries[r.topic]
        roles = r.roles
        sel = self.finder.select_entry(entry.id, question, roles[0] if roles else None) \
            if question and not r.whole else None
        missing = sel.missing if sel else ()
        if missing:
            # "la durée de l'onboarding d'un AE": the entry matched, the detail asked is not in it.
            asked = ", ".join(self._m("quoted", word=w) for w in _as_written(question, missing))
            units = (sel.units if sel else ()) or self.finder.units(f"entry:{entry.id}")[:1]
            units = (*units, *self._items_after(f"entry:{entry.id}", list(units)))
            head = (self._m("missing_detail_entry_role", asked=asked,
                            of_role=self._of(self.kb.roles[roles[0]].label_in(self.lang)))
                    if roles and roles[0] in self.kb.roles else self._m("missing_detail_entry", asked=asked))
            lines = [head, self._m("closest", label=self._t(entry, "title")),
                     *(self._item_text(u) for u in units)]
            return self._entry_facts(r, lines, units)
        entry_units = self.finder.units(f"entry:{entry.id}")
        if sel is not None and sel.wants_figure and not sel.units and not any(u.has_figure for u in entry_units):
            sel = replace(sel, units=entry_units[:1])  # "quelle durée…" of an entry with no figure: say so
        if sel is not None and sel.units and not (roles and entry.roles and roles[0] not in entry.roles):
            lines = [self._m("entry_head", title=self._t(entry, "title"))]
            if sel.wants_figure and not any(u.has_figure for u in sel.units):
                lines.append(self._m("no_figure_here"))
            elif sel.yesno:
                lines.append(self._m("no" if all(self.finder.negative(u) for u in sel.units) else "yes"))
            units = (*sel.units, *self._items_after(f"entry:{entry.id}", list(sel.units)))
            lines.extend(self._item_text(u, sel) for u in units)
            return self._entry_facts(r, lines, units)
        suggestions = []
        for kind, t, alt_roles in r.alternatives:
            if t is None:
                continue
            if kind == "glossary":
                suggestions.append(self._entry_question(self.kb.entries[t]))
            elif alt_roles and t in self.kb.roles[alt_roles[0]].topics:
                suggestions.append(self._suggest(t, self.kb.roles[alt_roles[0]]))
        text = f"{self._m('entry_head', title=self._t(entry, 'title'))}\n{self._t(entry, 'answer')}\n{self._cite(entry.sources)}"
        if roles and entry.roles and roles[0] not in entry.roles:
            # "la durée du cycle de vente d'un KAM": the sources speak of it for the AE only.
            role = self.kb.roles[roles[0]]
            others = ", ".join(self._name(self.kb.roles[x]) for x in entry.roles if x in self.kb.roles)
            text = f"{self._m('entry_other_roles', of_role=self._of(self._name(role)), others=others)}\n{text}"
        return Answer(text=text, intent="glossary", confidence=round(r.confidence, 3),
                      role=roles[0] if roles else None, roles=tuple(roles), topic=entry.id,
                      sources=entry.sources, suggestions=tuple(suggestions))

    def _entry_facts(self, r: Reading, lines: list[str], units) -> Answer:
        """A short glossary answer: *lines* (the sentences given), the offer of the whole entry, the source."""
        assert r.topic is not None  # every reading of this kind names its topic
        entry = self.kb.entries[r.topic]
        text = "\n".join([*lines, self._m("offer_entry"), self._cite(entry.sources)])
        return Answer(text=text, intent="glossary", confidence=round(r.confidence, 3),
                      role=r.roles[0] if r.roles else None, roles=tuple(r.roles), topic=entry.id,
                      sources=entry.sources, suggestions=(self._entry_question(entry),),
                      facts=tuple(u.fact.id for u in units if u.fact))

    def _compose_extracted(self, r: Reading) -> Answer:
        assert r.topic is not None  # every reading of this kind names its topic
        entry = self.kb.entries[r.topic]
        source = self.kb.sources.get(entry.sources[0])
        origin = source.title if source else entry.sources[0]
        text = (f"{self._m('extracted_head', title=entry.title, origin=origin)}\n{entry.answer}\n"
                f"{self._cite(entry.sources)}")
        return Answer(text=text, intent="extracted", confidence=round(r.confidence, 3), topic=entry.id,
                      sources=entry.sources)

    def _compose_compare(self, r: Reading, question: str = "") -> Answer:
        a, b = (self.kb.roles[x] for x in r.roles)
        if r.topic == "example" and r.example is None and self.kb.comparison(a.id, b.id) is not None:
            # "AE vs SDR: who does the demos?": a word of a worked example, but the sources' comparison answers it.
            r = replace(r, topic=None)
        parts = [self._m("compare_head", a=a.label_in(self.lang), b=b.label_in(self.lang))]
        sources: list[str] = []
        if r.topic:
            label = self._label(r.topic)
            parts[0] = self._m("compare_topic_head", a=a.label_in(self.lang), b=b.label_in(self.lang), topic=label)
            for role in (a, b):
                body = self._topic_body(role, r.topic, r)
                if body is None:
                    parts.append(self._m("compare_side", role=self._name(role), text=self._no_data(role, r.topic)))
                    sources.extend(role.sources)
                else:
                    parts.append(self._m("compare_side_block", role=self._name(role), text=body[0]))
                    sources.extend(body[1])
            own = [set(role.topics[r.topic].sources) for role in (a, b) if r.topic in role.topics]
            # Figures from two sheets are not alike (missions or skills carry no figure to warn about).
            figured = any(role.topics[r.topic].figures or any(c.isdigit() for f in role.topics[r.topic].facts for c in f.text)
                          for role in (a, b) if r.topic in role.topics)
            if len(own) == 2 and not own[0] & own[1] and figured:
                parts.append(self._m("compare_other_sheets"))
        else:
            comparison = self.kb.comparison(a.id, b.id)
            asks_same = has_phrase(normalise(question, self.intents.lexicon.rewrites), self._same) if question else False
            if comparison is not None and comparison.same and asks_same:
                # « SDR et AE c'est pareil ? »: the verdict the sources allow, first.
                parts.insert(0, self._m(f"compare_same_{comparison.same}"))
            if comparison is not None:
                parts.append(self._t(comparison, "answer"))
                sources.extend(comparison.sources)
            else:
                parts.append(self._m("compare_none"))
            for role in (a, b):
                parts.append(self._m("compare_summary", role=self._name(role), summary=self._t(role, "summary")))
                sources.extend(role.sources)
                if comparison is None:
                    for line, cited in self._profile(role):
                        parts.append(f"  – {line}")
                        sources.extend(cited)
        parts.append(self._cite(sources))
        suggestions = tuple(self._suggest(t, role) for role in (a, b) for t in ("salary", "skills")
                            if t in role.topics and t != r.topic)[:3]
        return Answer(text="\n".join(parts), intent="compare", confidence=round(r.confidence, 3), role=None,
                      roles=(a.id, b.id), topic=r.topic, sources=tuple(dict.fromkeys(sources)),
                      suggestions=suggestions)

    def _share_verdict(self, share: Amount, stated_text: str) -> str:
        """Where a share computed from the question stands against the share a sheet states ("30-40 %")."""
        stated = next((f.amount for f in find_amounts(stated_text) if f.amount.unit == "%"), None)
        if stated is None or share.is_range or share.unit != "%":
            return ""
        where = "share_within" if stated.low <= share.low <= stated.high else (
            "share_above" if share.low > stated.high else "share_below")
        return self._m(where, share=format_amount(share, lang=self.lang), stated=format_amount(stated, lang=self.lang))

    def _compose_compute(self, r: Reading) -> Answer:
        """A computation shown with its operation lines, its verdict, what the sources lack, and its caveats."""
        done = r.computation if r.computation is not None else self._pipe_rule(r)
        lines: list[str] = []
        write, lang = self._messages.write, self.lang
        # A comparison that cannot conclude (ranges that overlap, figures not alike) still shows its figures.
        if done.ok or (done.verdict in ("not_comparable", "overlap") and done.operands):
            # Every figure the operations start from, the steps' first: each with where it comes from.
            given = _given(done)
            if given:
                lines.append(self._m("given", operands=self._m("list_sep").join(
                    f"{write(o.label, lang)} {format_amount(o.amount, lang=lang)} "
                    f"[{self._m('from_question') if o.origin == QUESTION else o.origin[:3]}]" for o in given)))
            # The operation lines are figures and symbols only: English changes the decimal comma alone.
            lines.extend(done.lines if self._french else (_DECIMAL_COMMA.sub(".", x) for x in done.lines))
            # The verdict of the computation, then of each one drawn after it (« … et son pipeline le couvre-t-il ? »).
            for step in (done, *done.then):
                key = f"verdict_{step.kind}_{step.verdict}" if (step.kind, step.verdict) in _VERDICTS else (
                    f"verdict_{step.verdict}" if step.verdict in _EXAMPLE_VERDICTS else "")
                said = self._m(key, factor=f"{self._factor:g}",
                               winner=write(step.winner, lang) if step.winner is not None else "",
                               gap=format_amount(step.gap, lang=lang) if step.gap else "") if key else ""
                if said and said not in lines:
                    lines.append(said)
        sources = done.sources
        if done.kind == "variable_share" and r.roles and r.roles[0] in self.kb.roles:
            # The sources also state a share for the role ("souvent 30-40 % de l'OTE"): say it beside, and
            # where the share computed from the question stands against it.
            pay = self.kb.roles[r.roles[0]].topics.get("salary")
            stated = [f for f in (pay.figures if pay else ()) if f.variable_share]
            lines.extend(self._m("also_stated", figure=self._figure(f).lstrip("• ")) for f in stated[:2])
            lines.extend(self._share_verdict(done.result, f.variable_share) for f in stated[:1] if done.result)
            sources = tuple(dict.fromkeys((*sources, *(f.source for f in stated[:2]))))
        if done.missing:
            lines.append(self._m("no_data_list", missing=self._m("list_sep").join(write(m, lang) for m in done.missing)))
        if r.net and done.ok:
            lines.append(self._m("no_data_net_computed"))
        caveats = dict.fromkeys(f"⚠ {_short_files(write(c, lang))}" for step in _all_steps(done) for c in step.caveats)
        lines.extend(c for c in caveats if c not in lines)
        lines.append(self._cite(sources) if sources else
                     self._m("computed_from_question") if done.ok else "")
        return Answer(text="\n".join(x for x in lines if x), intent="compute", confidence=round(r.confidence, 3),
                      role=r.roles[0] if r.roles else None, roles=r.roles, topic=r.topic or done.kind,
                      sources=tuple(sources))

    def _pipe_rule(self, r: Reading) -> Computation:
        """The ×3 rule applied to a quota (and a pipeline) a follow-up gives ("et pour un quota de 200k ?")."""
        factor, source = self._factor, self._pipe_source
        scale: Literal["", "k", "M"] = "k" if r.unit == "k" else "M" if r.unit == "m" else ""
        quota = Operand(QUOTA, Amount(r.amount, r.amount, scale=scale), QUESTION) if r.amount is not None else None
        if r.pipe is None:
            return pipeline_needed(quota, factor=factor, rule_source=source)
        pipe = Operand(PIPELINE, Amount(r.pipe, r.pipe, scale=scale), QUESTION)
        return coverage(pipe, quota, factor=factor, rule_source=source)

    def _compose_smalltalk(self, r: Reading) -> Answer:
        assert r.topic is not None  # every reading of this kind names its topic
        item = self.intents.smalltalk[r.topic]
        suggestions = self._generic_suggestions() if r.topic in ("greeting", "help") else ()
        return Answer(text=self._t(item, "answer"), intent="smalltalk", confidence=round(r.confidence, 3), topic=item.id,
                      suggestions=suggestions)

    def _compose_clarify(self, r: Reading) -> Answer:
        roles = self._roles_with.get(r.topic, ()) if r.topic is not None else tuple(self.kb.roles.values())
        if r.topic:
            label = self._label(r.topic)
            text = self._m("clarify_role", topic=label, roles=self._labels_with.get(r.topic, ""))
            suggestions = tuple(self._suggest(r.topic, role) for role in roles[:4])
        else:
            text = self._m("clarify_compare", roles=self._role_list())
            suggestions = (self._m("clarify_compare_suggest_1"), self._m("clarify_compare_suggest_2"))
        return Answer(text=text, intent="clarify", confidence=round(r.confidence, 3), topic=r.topic,
                      suggestions=suggestions)

    def _compose_fallback(self, r: Reading, question: str = "") -> Answer:
        task = self.intents.tasks.get(r.task) if r.task else None
        if task is not None:
            role = self.kb.roles.get(r.roles[0]) if r.roles else None
            facts = self._m("task_facts", of_role=self._of(role.label_in(self.lang))) if role \
                else self._m("task_facts_any")
            suggestions = tuple(self._suggest(t, role) for t in ("missions", "skills", "salary") if t in role.topics) \
                if role else self._generic_suggestions()
            return Answer(text=self._t(task, "answer").format(facts=facts), intent="fallback", confidence=round(r.confidence, 3),
                          fallback=True, role=role.id if role else None, roles=(role.id,) if role else (),
                          topic=f"task:{task.id}", suggestions=suggestions)
        outsider = " ".join(_as_written(question, r.outsider.split())) if r.outsider and question else r.outsider
        what = self._m("fallback_outsider", outsider=outsider) if outsider else ""
        text = self._m("fallback", what=what, roles=self._all_names)
        return Answer(text=text, intent="fallback", confidence=round(r.confidence, 3), fallback=True,
                      suggestions=self._generic_suggestions())

    def _compose_empty(self, r: Reading) -> Answer:
        return Answer(text=self._m("empty"), intent="empty", fallback=True, suggestions=self._generic_suggestions())

    def _generic_suggestions(self) -> tuple[str, ...]:
        return tuple(self._m(key) for key in _GENERIC_SUGGESTIONS)


def _given(done: Computation) -> list[Operand]:
    """The figures *done*'s operations start from, each once with where it comes from, steps first. In each chain
    (*done*'s own, and each computation drawn from it) an amount an earlier step computed is no given figure."""
    # Two figures of one value (the agency's 3 AMs, and the 3 AMs its cost covers) are two figures.
    given: dict[tuple[Amount, str, str], Operand] = {}
    for root in (done, *done.then):
        branch = _all_steps(replace(root, then=()))
        computed = {step.result for step in branch[:-1]}
        for step in branch:
            for o in step.operands:
                if o.origin and o.amount not in computed:
                    given[(o.amount, o.origin, repr(o.label))] = o
    return list(given.values())


def _all_steps(done: Computation) -> list[Computation]:
    """*done*'s steps, theirs first (however deep), then *done*, then what is drawn from it: the order its operation
    lines are shown in."""
    return [*(s for step in done.steps for s in _all_steps(step)), done,
            *(s for after in done.then for s in _all_steps(after))]


def _numeric_verdict(question: str, facts: list[str]) -> str | None:
    """``yes`` when the one number a yes/no question asks about falls within a number of the same kind that
    *facts* give, ``no`` when it falls within none, None when there is nothing to compare
    ("un AM peut gérer 100 comptes ?" against "jusqu'à 50-80" -> no; "un KAM débutant gagne 28k ?" -> yes)."""
    asked = [f.amount for f in find_amounts(question)]
    if len(asked) != 1:
        return None
    x = asked[0]
    kind = x.is_money, x.unit == "%"
    stated = [f.amount for text in facts for f in find_amounts(text)
              if (f.amount.is_money, f.amount.unit == "%") == kind and not (x.is_money and f.amount.unit != x.unit)]
    if not stated:
        return None
    inside = any(a.low <= x.low and (a.at_least or x.high <= a.high) for a in stated)
    return "yes" if inside else "no"

