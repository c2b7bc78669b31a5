"""Fact-level reading (bot/facts.py) on a tiny hand-built base: the fact asked for, a missing detail, yes/no."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest
from test_rules import INTENTS, SRC

from bot.facts import FactFinder
from bot.intents import DetailCues
from bot.knowledge import Fact, Knowledge, Role, Source, Topic

CUES = DetailCues(
    precise=("combien", "quel pourcentage"), yesno=("est ce que", "faut il"), figure=("combien", "quel pourcentage"),
    negations=("ne", "pas", "sans"), generic=("faut", "gagne", "fait", "doit", "peut", "avoir", "parler"), story=("je", "ma", "fille"),
    question_words=("combien", "quel", "quelle", "quoi", "est ce"), accept=("oui",),
)


def _facts(*texts: str) -> tuple[Fact, ...]:
    return tuple(Fact(text, SRC, id=f"t#{i}") for i, text in enumerate(texts, 1))


ROLE = Role(
    id="kam", name="Key Account Manager", short="KAM", aliases=("key account manager", "kam"),
    summary="Il garde les grands comptes.", sources=(SRC,), related=(),
    topics=MappingProxyType({
        "skills": Topic("skills", _facts("Il maîtrise la négociation commerciale.",
                                         "Il parle un anglais professionnel, voire d'autres langues.",
                                         "Il sait recruter et manager une équipe."), (SRC,)),
        "definition": Topic("definition", _facts("Il gère un portefeuille de clients clés.",
                                                 "Un seul client peut suffire à remplir son poste."), (SRC,)),
        "objectives": Topic("objectives", _facts("La couverture ne garantit pas le résultat, sans être inutile."),
                            (SRC,)),
    }),
)
KB = Knowledge(sources=MappingProxyType({SRC: Source(SRC, "Fiche")}), roles=MappingProxyType({"kam": ROLE}),
               entries=MappingProxyType({}))


@pytest.fixture(scope="module")
def finder() -> FactFinder:
    return FactFinder(KB, replace(INTENTS, details=CUES))


def test_a_precise_question_gets_the_one_fact_that_holds_its_detail(finder):
    sel = finder.select("kam", "skills", "le kam doit-il parler anglais ?")
    assert [u.fact.text for u in sel.units] == ["Il parle un anglais professionnel, voire d'autres langues."]
    assert sel.precise and sel.yesno and not sel.missing


def test_a_detail_no_fact_speaks_of_is_missing_whatever_the_word(finder):
    """No list of unknowns: any word the role's facts and the ways of asking never use is a missing detail."""
    for word in ("préavis", "télétravail", "mutuelle", "voiture"):
        sel = finder.select("kam", "skills", f"quel est le {word} d'un kam ?")
        assert sel.missing == (word.replace("é", "e"),), word


def test_a_fact_of_another_topic_answers_when_its_word_names_no_topic(finder):
    sel = finder.select("kam", "skills", "un kam peut-il avoir un seul client ?")
    assert sel.units and sel.units[0].topic == "definition"


def test_the_askers_story_is_not_the_question(finder):
    sel = finder.select("kam", "skills", "ma fille adore le théâtre. est-ce qu'un kam parle anglais ?")
    assert not sel.missing and sel.units[0].fact.text.startswith("Il parle un anglais")


def test_a_fact_that_says_no_answers_a_yes_no_question_with_no(finder):
    sel = finder.select("kam", "objectives", "est-ce que la couverture garantit le résultat ?")
    assert sel.yesno and sel.units and finder.negative(sel.units[0])


def test_role_names_are_not_details(finder):
    sel = finder.select("kam", "skills", "key acount manager ?")
    assert not sel.missing and not sel.units


YESNO_CUES = replace(
    CUES, generic=(*CUES.generic, "faire"), wh_words=("combien", "quel", "quelles", "how", "comment"), yesno_verbs=("gere", "bosse", "can"),
    statement_openers=("le", "un", "il"), verb_endings=("ra", "rait"), infinitive_endings=("er",),
    before_infinitive=("faire",), form_endings=("ales", "ed"), subject_pronouns=("ils", "on"),
)


@pytest.fixture(scope="module")
def yesno_finder() -> FactFinder:
    return FactFinder(KB, replace(INTENTS, details=YESNO_CUES))


@pytest.mark.parametrize("question, yesno", [
    ("est-ce que le kam gère un portefeuille ?", True),
    ("un kam bosse seul ?", True),                                  # a statement asked with "?"
    ("le x3, ça garantit le quota ?", True),                        # opened by a determiner
    ("quelles qualités faut-il pour un kam ?", False),              # a question word asks for more
    ("how many accounts can a kam handle?", False),
    ("comment le kam arrive-t-il à signer ?", False),               # an inversion after "comment"
    ("taux de conversion du kam ?", False),                         # a noun phrase
])
def test_yes_no_questions_are_told_apart(yesno_finder, question, yesno):
    """Only a question with no question word, opened by a yes/no cue, an inversion or a statement, is yes/no."""
    assert yesno_finder.select("kam", "skills", question).yesno is yesno


@pytest.mark.parametrize("question, missing", [
    ("le kam pourra-t-il parler anglais ?", ()),                   # a future form asks, it names nothing
    ("peut-il faire grimper la négociation ?", ()),               # an infinitive after "faire"
    ("le kam a-t-il une voiture ?", ("voiture",)),                 # a noun the facts lack
    ("quel turnover pour un kam ?", ("turnover",)),                # "-er" alone ends nouns too
    ("quelles compétences principales pour un kam ?", ()),         # an adjective qualifies the question
    ("quel anglais est expected pour un kam ?", ()),                # so does a participle
    ("ils embauchent un kam pour quoi ?", ()),                      # a verb after its pronoun asks
    ("pour un kam, on embauche sur le télétravail ?", ("teletravail",)),
])
def test_verb_forms_are_never_a_missing_detail(yesno_finder, question, missing):
    """Verb forms, adjectives and participles no fact uses are how a question asks; nouns the facts lack are
    missing details."""
    assert yesno_finder.select("kam", "skills", question).missing == missing


HEAD_CUES = replace(CUES, head_words=("quel", "quelle", "combien", "what"), head_links=("de", "d", "la", "le", "est", "her"))


@pytest.fixture(scope="module")
def head_finder() -> FactFinder:
    return FactFinder(KB, replace(INTENTS, details=HEAD_CUES))


@pytest.mark.parametrize("question, head, missing", [
    # What the question word asks for is in the topic's facts: a word around it only sets the scene.
    ("franchement ma nana dit que le kam a quelle négociation commerciale ?", ("negociation", "commerciale"), ()),
    ("quel anglais pour un kam, pour mon dashboard ?", ("anglais",), ()),
    # What is asked is itself unknown: it is the missing detail, whatever surrounds it.
    ("quelle est la durée de la période d'essai pour un kam ?", ("duree", "periode", "essai"),
     ("duree", "periode", "essai")),
    # No question word: every word the facts lack is a missing detail, as before.
    ("un kam négocie, pour mon dashboard ?", (), ("dashboard",)),
])
def test_what_the_question_word_asks_for_decides_what_is_missing(head_finder, question, head, missing):
    sel = head_finder.select("kam", "skills", question)
    assert sel.head == head
    assert sel.missing == missing


def test_what_is_asked_picks_the_fact_among_the_scene_words(head_finder):
    """The scene ("il gère un portefeuille de clients") may hold words of other facts: the words after the
    question word pick the fact."""
    sel = head_finder.select("kam", "skills", "il gère un portefeuille de clients clés, il a quel anglais ?")
    assert sel.units and sel.units[0].fact.text.startswith("Il parle un anglais")
    assert sel.precise


SCENE_CUES = replace(HEAD_CUES, wh_words=("quel", "quelle", "quoi", "combien"), referring=("ce", "cet", "cette", "ces"),
                     scene_openers=("quand", "when"), yesno_verbs=("est",))


@pytest.fixture(scope="module")
def scene_finder() -> FactFinder:
    return FactFinder(KB, replace(INTENTS, details=SCENE_CUES))


@pytest.mark.parametrize("question, missing", [
    # A noun after "ce" points back at what the question named: no detail the sources could lack.
    ("négociation, anglais : c'est quoi ce jargon pour un kam ?", ()),
    # After the question word, a "quand" clause sets the scene.
    ("quel anglais pour un kam quand mon boss me parle du dashboard ?", ()),
    # The same words asked for themselves are missing details, as before.
    ("quel dashboard pour un kam ?", ("dashboard",)),
    # "est-ce" is an inversion, not a pointer: what follows it is still asked.
    ("un kam, est-ce télétravail ?", ("teletravail",)),
])
def test_words_that_set_the_scene_are_no_missing_detail(scene_finder, question, missing):
    assert scene_finder.select("kam", "skills", question).missing == missing


def test_the_askers_own_told_before_the_question_is_no_missing_detail():
    """« mon dashboard… » told before any question word is the asker's story; asked after one, it is the detail."""
    intents = replace(INTENTS, details=SCENE_CUES, lexicon=replace(INTENTS.lexicon, own_possessives=frozenset({"mon"})))
    finder = FactFinder(KB, intents)
    assert finder.select("kam", "skills", "mon dashboard, un kam négocie ?").missing == ()
    assert finder.select("kam", "skills", "un dashboard, un kam négocie ?").missing == ("dashboard",)
