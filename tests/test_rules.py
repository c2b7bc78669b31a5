"""Each rule of bot.rules on its own, on a tiny knowledge base and intent set built in the test.

A rule is called directly with the Query and Scores the Understanding computes, so a
test names the one rule it is about; the last tests check the table itself.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import rules
from bot.dialogue import DialogueState
from bot.intents import Intents, Lexicon, SmallTalk, TopicIntent
from bot.knowledge import Entry, Fact, Knowledge, Role, Source, Topic
from bot.query import Query
from bot.reading import Reading, ReadingKind
from bot.rules import RULES, Scores, Thresholds, best, decide
from bot.understand import Understanding

SRC = "001_x.txt"


def _topic(tid: str, keywords: tuple[str, ...], examples: tuple[str, ...]) -> TopicIntent:
    return TopicIntent(id=tid, label=tid, suggest=f"{tid} d'un {{role}} ?", keywords=keywords, examples=examples)


TOPICS = {t.id: t for t in (
    _topic("definition", ("definition",), ("c'est quoi un {role}", "que fait un {role}", "definition de {role}")),
    _topic("salary", ("salaire", "gagne", "remuneration"),
           ("combien gagne un {role}", "salaire d'un {role}", "remuneration {role}")),
    _topic("skills", ("competences", "qualites"),
           ("quelles competences pour un {role}", "qualites d'un {role}", "competences {role}")),
    _topic("experience", ("experience",), ("quelle experience pour {role}", "annees d'experience", "experience {role}")),
    _topic("studies", ("etudes", "diplome"), ("quelles etudes pour {role}", "diplome pour {role}", "etudes {role}")),
)}

LEXICON = Lexicon(
    rewrites=MappingProxyType({"cmb": "combien"}),
    stopwords=frozenset({"un", "une", "le", "la", "de", "d", "du", "et", "pour", "est", "quoi", "c", "il", "quel",
                         "quelle", "quelles", "combien", "entre", "ou", "a", "en"}),
    followup_cues=frozenset({"et", "lui"}),
    filler=frozenset({"et", "pour", "un", "une", "le", "la", "de", "du"}),
    not_roles=(),
    determiners=frozenset({"un", "une", "le", "la"}),
    weak_aliases=frozenset(),
    blocked_before=MappingProxyType({}),
    seniority=MappingProxyType({"junior": ("junior", "debutant")}),
    ordinal_refs=MappingProxyType({"premier": 0, "second": 1}),
    places=MappingProxyType({"suisse": "Suisse"}),
    net_words=("net",),
)

INTENTS = Intents(
    topics=MappingProxyType(TOPICS),
    smalltalk=MappingProxyType({"greeting": SmallTalk("greeting", "Bonjour !", ("bonjour", "salut", "hello")),
                                "identity": SmallTalk("identity", "Je suis careerbot.", ("qui es tu",),
                                                      cues=("bot", "ia"))}),
    addressed=frozenset({"tu", "vous", "es", "etes"}),
    compare_cues=frozenset({"difference", "ou", "vs"}),
    compare_examples=("difference entre", "quelle difference", "lequel choisir"),
    professions=("infirmiere",),
    title_heads=frozenset(),
    off_topic_words=frozenset({"meteo"}),
    out_of_scope_examples=("quelle est la capitale de la france", "la meteo de demain"),
    lexicon=LEXICON,
)


def _role(rid: str, name: str, topics: dict[str, str]) -> Role:
    return Role(id=rid, name=name, short=rid.upper(), aliases=(name.lower(), rid), summary=f"{name}.",
                sources=(SRC,), related=(),
                topics=MappingProxyType({t: Topic(t, (Fact(text, SRC),), (SRC,)) for t, text in topics.items()}))


KNOWLEDGE = Knowledge(
    sources=MappingProxyType({SRC: Source(SRC, "Fiche")}),
    roles=MappingProxyType({
        "ae": _role("ae", "Account Executive", {"definition": "Il signe.", "salary": "45 000 euros."}),
        "kam": _role("kam", "Key Account Manager", {"definition": "Il garde.", "skills": "Negociation."}),
        "sdr": _role("sdr", "Sales Development Representative", {"definition": "Il prospecte."}),
    }),
    entries=MappingProxyType({
        "ote": Entry(id="ote", kind="glossary", title="OTE", answer="Fixe plus variable.", sources=(SRC,),
                     questions=("c'est quoi l'ote", "que veut dire ote", "ote definition"), keywords=("ote",)),
        "pipe-coverage": Entry(id="pipe-coverage", kind="glossary", title="Pipe coverage", answer="3 fois le quota.",
                               sources=(SRC,), questions=("c'est quoi le pipe coverage", "couverture de pipe"),
                               keywords=("pipe coverage",), roles=("ae",), factor=3.0),
    }),
)


@pytest.fixture(scope="module")
def u() -> Understanding:
    """An Understanding over the tiny base above (index fitted in memory, no cache)."""
    return Understanding(KNOWLEDGE, INTENTS)


def run(u: Understanding, rule, text: str, state: DialogueState = DialogueState()) -> Reading | None:
    """*rule* applied to *text* as the Understanding reads and scores it."""
    query = u.query(text)
    return rule(query, u.scores(query, state), state, u.t)


T = Thresholds()


def u_query(text: str, **fields) -> Query:
    """A hand-built Query (for rules tested on hand-built Scores)."""
    return Query(text=text, tokens=tuple(text.split()), **fields)


AE_STATE = DialogueState(roles=("ae",), topic="salary")
PAIR_STATE = DialogueState(roles=("ae", "kam"), pair=("ae", "kam"))


# rule, question, state, expected (kind, topic, roles) — or None when the rule must pass
CASES = [
    (rules.pipe_coverage, "mon quota est de 50 k, combien de pipe ?", DialogueState(),
     ("compute", "pipe-coverage", ("ae",))),
    (rules.pipe_coverage, "et pour un quota de 50 000 ?", DialogueState(term="pipe-coverage"),
     ("compute", "pipe-coverage", ("ae",))),
    (rules.pipe_coverage, "un quota de 50 000 ?", DialogueState(), None),
    # a count is no quota: only sums of money are read ("et pour une équipe de 4 ?" after the rule)
    (rules.pipe_coverage, "et pour une équipe de 4 avec le même quota ?", DialogueState(term="pipe-coverage"), None),
    (rules.comparison, "difference entre un ae et un kam", DialogueState(), ("compare", None, ("ae", "kam"))),
    (rules.comparison, "difference de salaire entre un ae et un kam", DialogueState(),
     ("compare", "salary", ("ae", "kam"))),
    (rules.comparison, "combien gagne un ae", DialogueState(), None),
    (rules.role_against_outsider, "difference entre un ae et une infirmiere", DialogueState(), ("fallback", None, ())),
    (rules.two_names_of_one_role, "account executive ou ae ?", DialogueState(), ("topic", "definition", ("ae",))),
    (rules.role_alone, "et pour un kam ?", AE_STATE, ("topic", None, ("kam",))),
    (rules.role_alone, "combien gagne un kam ?", AE_STATE, None),
    (rules.term_for_role, "c'est quoi l'ote d'un ae", DialogueState(), ("glossary", "ote", ("ae",))),
    (rules.role_topic, "combien gagne un ae", DialogueState(), ("topic", "salary", ("ae",))),
    (rules.role_topic, "quel salaire ?", DialogueState(), None),
    (rules.role_definition, "un ae zzz", DialogueState(), ("topic", "definition", ("ae",))),
    (rules.role_definition, "combien gagne une infirmiere", DialogueState(), None),
    (rules.outsider, "combien gagne une infirmiere", DialogueState(), ("fallback", "salary", ())),
    (rules.named_term, "c'est quoi l'ote", DialogueState(), ("glossary", "ote", ())),
    (rules.unknown_words, "xylophone zebrures quantiques", DialogueState(), ("fallback", None, ())),
    (rules.unknown_words, "c'est quoi l'ote", DialogueState(), None),
    (rules.smalltalk, "bonjour", DialogueState(), ("smalltalk", "greeting", ())),
    (rules.addressed_smalltalk, "vous êtes une infirmiere ou un bot ?", DialogueState(), ("smalltalk", "identity", ())),
    (rules.addressed_smalltalk, "l'ia va-t-elle remplacer les infirmieres ?", DialogueState(), None),
    (rules.addressed_smalltalk, "tu es un bot ? combien gagne un ae", DialogueState(), None),
    (rules.out_of_scope, "quelle est la capitale de la france", DialogueState(), ("fallback", None, ())),
    (rules.topic_without_role, "quel salaire ?", DialogueState(), ("clarify", "salary", ())),
    (rules.topic_without_role, "quel salaire pour un ae ?", DialogueState(), None),
    (rules.nothing_understood, "bonjour", DialogueState(), ("clarify", None, ())),
]


@pytest.mark.parametrize("rule, question, state, expected", CASES,
                         ids=[f"{r.__name__}: {q}" for r, q, *_ in CASES])
def test_each_rule_reads_what_its_docstring_says(u, rule, question, state, expected):
    """The rule returns the reading it is for, or passes (None) on a question that is not its own."""
    reading = run(u, rule, question, state)
    if expected is None:
        assert reading is None
    else:
        assert reading is not None
        assert (reading.kind, reading.topic, reading.roles) == expected


def test_a_pipeline_alone_after_a_calculation_is_judged_against_its_quota(u):
    """'et si j'ai 120 000 de pipe ?' after a quota of 50 k: that quota, and the pipeline given."""
    state = DialogueState(term="pipe-coverage", quota=50_000.0, unit="k")
    reading = run(u, rules.pipe_coverage, "et si j'ai 120 000 de pipe ?", state)
    assert reading is not None and (reading.amount, reading.unit, reading.pipe) == (50_000.0, "k", 120_000.0)


def test_two_amounts_go_to_the_nearest_cue(u):
    """A quota and a pipeline in one question: each figure belongs to the nearest quota or pipe word."""
    reading = run(u, rules.pipe_coverage, "j'ai 400 000 de pipeline pour un quota de 120 000")
    assert reading is not None and (reading.amount, reading.pipe) == (120_000.0, 400_000.0)


def test_a_comparison_with_the_previous_role():
    """A comparison phrasing and one role, in a conversation about another role: compare the two."""
    s = Scores(roles=("kam",), compare_score=0.7, topic_score=0.2)
    reading = rules.compare_with_previous(u_query("kam"), s, AE_STATE, T)
    assert reading is not None and reading.roles == ("ae", "kam") and reading.from_context
    assert rules.compare_with_previous(u_query("kam"), s, DialogueState(roles=("kam",)), T) is None


def test_three_roles_and_a_term_give_the_term():
    """Three roles (a hand-off chain) and a matching term: the term, not a comparison of the first two."""
    s = Scores(mentioned=("sdr", "ae", "kam"), roles=("sdr", "ae", "kam"), term="ote", term_score=0.5,
               ranked=(("glossary:ote", 0.5),))
    reading = rules.term_across_roles(u_query("x"), s, DialogueState(), T)
    assert reading is not None and (reading.kind, reading.topic) == ("glossary", "ote")
    assert rules.term_across_roles(u_query("x"), Scores(mentioned=("sdr", "ae"), term="ote", term_score=0.5),
                                   DialogueState(), T) is None


def test_a_term_in_a_follow_up_is_left_to_the_conversations_role():
    """A follow-up word in a conversation about a role: the term rule passes."""
    s = Scores(term="ote", term_score=0.5, topic="salary", topic_score=0.4)
    follow = u_query("et lui", followup_cue=True)
    assert rules.term(follow, s, DialogueState(), T) is not None
    assert rules.term(follow, s, AE_STATE, T) is None


def test_a_topic_the_sources_lack_gives_way_to_a_close_covered_one():
    """'skills' of the AE (not covered) loses to a close 'salary' (covered)."""
    s = Scores(roles=("ae",), covered=frozenset({"definition", "salary"}), topic="skills", topic_score=0.50,
               ranked=(("topic:skills", 0.50), ("topic:salary", 0.45)))
    reading = rules.role_topic(u_query("x"), s, DialogueState(), T)
    assert reading is not None and reading.topic == "salary"


def test_the_story_of_a_long_question_keeps_its_last_role(u):
    """Scores: a story naming two roles without a comparison word is about the last one."""
    q = u.query("je suis sdr depuis deux ans dans une boite de logiciels et je vise un poste de kam plus tard "
                "quelles etudes faut il")
    s = u.scores(q)
    assert s.mentioned == ("sdr", "kam") and s.roles == ("kam",)


def test_an_ordinal_names_a_role_of_the_compared_pair(u):
    """Scores: 'le second' after a comparison is the second role of the pair."""
    assert u.scores(u.query("quelles competences pour le second ?"), PAIR_STATE).roles == ("kam",)


def test_rules_are_distinct_and_the_last_always_reads():
    """Every rule appears once, and the table ends with a rule that never passes."""
    assert len(set(RULES)) == len(RULES)
    assert RULES[-1](u_query("x"), Scores(), DialogueState(), T) is not None
    for rule in RULES:
        assert rule.__doc__, rule.__name__


def test_a_rule_is_added_by_one_line(u):
    """A new rule put first in the table wins over the others."""
    def always_smalltalk(query, scores, state, t):
        """Test rule: everything is a greeting."""
        return Reading(ReadingKind.SMALLTALK, "greeting")

    reading = decide(u.query("combien gagne un ae"), Scores(), DialogueState(), T, (always_smalltalk, *RULES))
    assert reading.kind == "smalltalk"
    custom = Understanding(KNOWLEDGE, INTENTS, rules=(always_smalltalk, *RULES))
    assert custom.read("combien gagne un ae").kind == ReadingKind.SMALLTALK


@pytest.mark.parametrize("question, state, expected", [
    ("combien gagne un ae", DialogueState(), ("topic", "salary", ("ae",))),
    ("et pour un kam ?", AE_STATE, ("topic", "salary", ("kam",))),
    ("kam", DialogueState(), ("topic", "definition", ("kam",))),
    ("quel salaire ?", PAIR_STATE, ("compare", "salary", ("ae", "kam"))),
    ("quel salaire ?", DialogueState(), ("clarify", "salary", ())),
    ("", DialogueState(), ("empty", None, ())),
])
def test_reading_walks_the_table_then_completes_follow_ups(u, question, state, expected):
    """Understanding.read: the rules decide, then the conversation fills what a follow-up leaves open."""
    reading = u.read(question, state)
    assert (reading.kind, reading.topic, reading.roles) == expected


@given(st.lists(st.tuples(st.sampled_from(["topic:salary", "glossary:arr", "glossary:churn", "compare", "oos"]),
                          st.floats(0, 2)), max_size=8), st.floats(0, 2))
def test_first_term_is_the_closest(labels, threshold):
    # Understanding.scores takes the first glossary label of the ranked labels, and none when it is not close
    # enough: what looking for the first one close enough gives, the labels being ranked best first.
    ranked = tuple(sorted(labels, key=lambda kv: kv[1], reverse=True))
    term, score = best(ranked, "glossary:")
    if score < threshold:
        term, score = None, 0.0
    assert (term, score) == best(ranked, "glossary:", lambda eid, s: s >= threshold)
