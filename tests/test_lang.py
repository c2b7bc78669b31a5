"""Language detection (bot/lang.py): a table of real messages, short, long, mixed and misspelt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import KnowledgeError
from bot.lang import Detection, LanguageCues, load_language_cues, resolve_lang

CUES = load_language_cues()

# (message, expected language). Mixed messages go to the language with more cue words.
TABLE = [
    # short French
    ("combien gagne un KAM ?", "fr"),
    ("c'est quoi un SDR", "fr"),
    ("et pour un AE ?", "fr"),
    ("et son salaire ?", "fr"),
    ("merci !", "fr"),
    ("bonjour", "fr"),
    ("au revoir", "fr"),
    ("salaire KAM", "fr"),
    ("études pour devenir AM", "fr"),
    ("le premier", "fr"),
    ("oui", "fr"),
    ("c quoi l'OTE", "fr"),
    ("cmb gagne 1 ae", "fr"),
    ("kesk un csm", "fr"),
    ("différence AE SDR", "fr"),
    ("quel fixe pour un junior ?", "fr"),
    ("c'est quoi le pipe coverage ?", "fr"),
    ("et le churn ?", "fr"),
    # short English
    ("how much does a KAM earn?", "en"),
    ("what is an SDR", "en"),
    ("and for an AE?", "en"),
    ("and his salary?", "en"),
    ("thanks!", "en"),
    ("hello", "en"),
    ("goodbye", "en"),
    ("KAM salary", "en"),
    ("what about the CSM?", "en"),
    ("what does OTE mean", "en"),
    ("difference between AE and SDR", "en"),
    ("the first one", "en"),
    ("yes please", "en"),
    ("what is pipe coverage?", "en"),
    ("who are you?", "en"),
    ("is it well paid?", "en"),
    # long French
    ("Bonjour, je suis étudiante en L3 éco et je vois partout des offres d'Account Executive dans des "
     "start-up, concrètement c'est quel genre de poste ?", "fr"),
    ("Ma fille hésite entre une école de commerce et un master, quel diplôme faut-il pour devenir Key "
     "Account Manager ?", "fr"),
    ("J'ai 400k de pipe pour un quota de 120k ce trimestre, est-ce que je suis bien couvert d'après la "
     "règle du x3 ?", "fr"),
    ("Je suis commercial terrain depuis cinq ans, est-ce que je peux évoluer vers un poste de KAM et "
     "combien je gagnerais ?", "fr"),
    ("Dans l'exemple d'Alice, combien de démos fait-elle par semaine et quel est son panier moyen ?", "fr"),
    # long English
    ("Hi, I'm a student in business school and I keep seeing Account Executive offers in start-ups, "
     "what kind of job is it really?", "en"),
    ("My daughter wants to become a Key Account Manager, which degree does she need in France?", "en"),
    ("I have 400k of pipeline for a 120k quota this quarter, am I covered according to the x3 rule?", "en"),
    ("I've been a field sales rep for five years, could I move to a KAM position and how much would "
     "I earn?", "en"),
    ("In the Alice example, how many demos does she do per week and what is her average deal size?", "en"),
    ("We are hiring our first SDR in Paris, what should we expect to pay and what experience is "
     "typically required?", "en"),
    # mixed: the dominant language wins
    ("Can you draft une séquence de cold emails pour mon SDR ? 4 touches sur 2 semaines", "fr"),
    ("c'est quoi le closing d'un deal en new business ?", "fr"),
    ("what is the salaire of a KAM in France?", "en"),
    ("quel est le churn rate et le NRR pour un CSM ?", "fr"),
    ("how does the forecast work, le pipeline et le commit ?", "en"),
    ("is the upsell part of the AM's job or the CSM's?", "en"),
    ("combien gagne un account executive in the US ?", "fr"),
    ("what's the difference between AM and KAM, merci", "en"),
    ("les soft skills d'un SDR", "fr"),
    ("what are the best KPI pour un AE", "en"),
    # misspelt
    ("how mutch dose a KAM earnd?", "en"),
    ("wat is teh salary of an acount executive", "en"),
    ("whats the diffrence btw AM and KAM", "en"),
    ("cobien gange un kam", "fr"),
    ("kel salère pour un AE junior", "fr"),
    ("c koi la diférence entre ae et sdr", "fr"),
    ("qu'elle formation pour devenir KAM", "fr"),
    ("hw long is the sales cycel for an AE", "en"),
    ("explane the pipe coverag rule please", "en"),
    ("jveux devenir sdr chui etudiant", "fr"),
]


@pytest.mark.parametrize(("message", "expected"), TABLE)
def test_detects_the_language_of_real_messages(message, expected):
    """Each message of the table is read in its own language (mixed ones in the dominant one)."""
    assert CUES.detect(message).lang == expected


def test_the_table_is_big_and_varied_enough():
    """The table holds at least 60 messages, and the detector gets at least 98 % of them right."""
    assert len(TABLE) >= 60
    right = sum(CUES.detect(m).lang == lang for m, lang in TABLE)
    assert right / len(TABLE) >= 0.98


@pytest.mark.parametrize("message", ["ok", "KAM", "AE ?", "SDR", "", "   ", "?!", "120k", "account executive"])
def test_a_message_without_cue_is_unclear_and_french_by_default(message):
    """"ok", a role name or a figure alone say nothing of their language: French, but unclear."""
    found = CUES.detect(message)
    assert found == Detection("fr", clear=False, scores=found.scores)


@pytest.mark.parametrize(("forced", "detected", "previous", "expected"), [
    ("en", Detection("fr", True), None, "en"),                 # forced wins
    ("fr", Detection("en", True), "en", "fr"),
    (None, Detection("en", True), "fr", "en"),                 # a clear switch
    (None, Detection("fr", False), "en", "en"),                # "ok" keeps the conversation's language
    (None, Detection("fr", False), None, "fr"),                # nothing known: French
    ("auto", Detection("en", True), "fr", "en"),               # "auto" is detection
])
def test_resolve_lang(forced, detected, previous, expected):
    """The answer language: forced, else the message's own when clear, else the conversation's."""
    assert resolve_lang(forced, detected, previous) == expected


def test_a_word_listed_for_both_languages_is_refused(tmp_path):
    """A cue word in both lists would tell nothing; the loader names the word and the fix."""
    words = ", ".join(f'"w{i}"' for i in range(10))
    (tmp_path / "lang.toml").write_text(
        f'[fr]\nwords = [{words}, "deal"]\n[en]\nwords = [{words}]\n', encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"listed for both languages.*remove it from both"):
        load_language_cues(tmp_path / "lang.toml")


def test_small_hand_built_cues():
    """A detector built from a few words reads by majority and ties to the default."""
    cues = LanguageCues(words={"fr": frozenset({"le", "combien"}), "en": frozenset({"the", "how"})},
                        endings={"fr": (), "en": ()})
    assert cues.detect("how the").lang == "en"
    assert cues.detect("le the").lang == "fr" and not cues.detect("le the").clear
    assert cues.detect("combein").lang == "fr"  # misspelt cue word


@given(st.text(max_size=80))
def test_detection_never_fails_and_is_stable(text):
    """Any text gets a language of the two, and folding it first changes nothing."""
    found = CUES.detect(text)
    assert found.lang in ("fr", "en")
    assert CUES.detect(text).lang == found.lang
