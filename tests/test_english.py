"""Answers in the asker's language: the two languages of the knowledge base, the messages, and Bot.ask(lang=)."""

from __future__ import annotations

import re

import pytest
from conftest import MINI_KB, write_kb

from bot import KnowledgeError, load_knowledge
from bot.messages import load_messages

_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")


def _figures(text: str) -> list[str]:
    """Digit runs of the numbers in *text*, separators dropped ("100.000" and "100 000" both give "100000")."""
    text = re.sub(r"\d{3}_[0-9a-f]{16}\.txt", "", text)
    return sorted(re.sub(r"\D", "", m) for m in _NUMBER.findall(text))


def test_english_and_french_versions_carry_the_same_figures():
    """Every text careerbot can say has an English version with exactly the figures of the French one."""
    kb = load_knowledge()
    fr, en = list(kb.texts_in("fr")), list(kb.texts_in("en"))
    assert [e for _, e, _ in fr] == [e for _, e, _ in en]
    differ = [f"{file} [{entry}]: {_figures(a)} vs {_figures(b)}"
              for (file, entry, a), (_, _, b) in zip(fr, en) if _figures(a) != _figures(b)]
    assert not differ, "\n".join(differ)


def test_every_bundled_text_has_its_english_twin():
    """No bundled fact, intro, remark, entry or comparison falls back to French in an English answer."""
    kb = load_knowledge()
    missing = [fact.id for role in kb.roles.values() for topic in role.topics.values() for fact in topic.facts
               if not fact.text_en]
    missing += [f"{role.id}.{name}" for role in kb.roles.values() for name in ("summary", "note", "caveat")
                if getattr(role, name) and not getattr(role, f"{name}_en")]
    missing += [e.id for e in kb.entries.values() if not (e.answer_en and e.title_en)]
    missing += [" vs ".join(c.roles) for c in kb.comparisons.values() if not c.answer_en]
    assert not missing, missing


TWIN_BROKEN = [
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('        text_en = "The AE runs the sales cycle."\n', "")},
                 "fact #1", "'text' has no English twin 'text_en'", id="fact-without-english"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"].replace('        summary = "Commercial qui signe de nouveaux clients."\n', "")},
                 "role 'ae'", "missing required field 'summary'", id="english-without-french"),
    pytest.param({"glossary.toml": MINI_KB["glossary.toml"].replace('"Fixed plus variable at target."',
                                                                    '"Fixed plus variable. At target."')},
                 "entry 'ote'", "'answer_en' has 2 sentence(s) and 'answer' 1", id="sentence-count"),
    pytest.param({"roles/ae.toml": MINI_KB["roles/ae.toml"] + '''
        [topics.salary]
        sources = ["001_x.txt"]

        [[topics.salary.figures]]
        scope = "France"
        scope_en = "France"
        total = "60 000 € bruts par an"
        source = "001_x.txt"
    '''}, "figure #1", "'total' is written with words and has no English twin 'total_en'", id="wordy-amount"),
]


@pytest.mark.parametrize("files, where, problem", TWIN_BROKEN)
def test_a_text_in_one_language_only_is_refused(tmp_path, files, where, problem):
    """The loader refuses an entry with one language and not the other, naming file, entry and fix."""
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(write_kb(tmp_path, files), topic_ids={"definition", "salary"})
    assert where in str(info.value) and problem in str(info.value)
    assert info.value.fix


def test_a_figure_kept_as_written_needs_no_twin(tmp_path):
    """"35-45K€" reads the same in English: no amount twin is asked for."""
    kb = load_knowledge(write_kb(tmp_path, {"roles/ae.toml": MINI_KB["roles/ae.toml"] + '''
        [topics.salary]
        sources = ["001_x.txt"]

        [[topics.salary.figures]]
        scope = "France, junior"
        scope_en = "France, junior"
        fixed = "35-45K€"
        source = "001_x.txt"
    '''}), topic_ids={"definition", "salary"})
    assert kb.roles["ae"].topics["salary"].figures[0].fixed_en == ""


def test_messages_have_both_languages_and_the_same_placeholders():
    """The bundled messages.toml loads: every message in French and English with the same {names}."""
    messages = load_messages()
    assert messages.say("no_data", "en") == "The sources do not give"
    assert messages.say("too_long", "fr", limit=10).startswith("Votre question dépassait 10")


@pytest.mark.parametrize("body, problem", [
    ('[hi]\nfr = "Bonjour {name}"\nen = "Hello {who}"\n', "different placeholders (name, who)"),
    ('[hi]\nfr = "Bonjour"\n', "missing required field 'en'"),
    ('[hi]\nfr = "Bonjour"\nen = "Hello"\nde = "Hallo"\n', "unknown field(s) de"),
])
def test_a_broken_message_is_refused(tmp_path, body, problem):
    """A message lacking a language, with another field, or with other placeholders stops start-up."""
    (tmp_path / "messages.toml").write_text(body, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=re.escape(problem)):
        load_messages(tmp_path / "messages.toml")


# (question, role, intent, words the English answer holds)
ENGLISH = [
    ("how much does a KAM earn?", "kam", "salary", ["the salary:", "60 000", "28 000", "Source:"]),
    ("what does an account manager do?", "am", "missions", ["the missions:", "renewals"]),
    ("what studies to become a key account manager?", "kam", "studies", ["Bac +5", "business school"]),
    ("How much experience does an AE need?", "ae", "experience", ["2-5 years"]),
    ("what is a sales development rep?", "sdr", "definition", ["leads"]),
    ("how much does a salesperson earn?", "commercial", "salary", ["The sources do not give"]),
    ("what does a field sales rep do?", "ae", "missions", ["sales cycle"]),
    ("what is OTE?", None, "glossary", ["On-Target Earnings", "50-70K€"]),
    ("difference between an AE and an SDR", None, "compare", ["funnel"]),
    ("can you write my CV as an AE?", "ae", "fallback", ["I do not write documents"]),
    ("how much does a baker earn?", None, "fallback", ["I cannot answer this question"]),
    ("hello", None, "smalltalk", ["Hello!"]),
    # About careerbot itself, whatever other word the message holds ("counsellor" is another job).
    ("hi, are you an AI or a real counsellor?", None, "smalltalk", ["I am careerbot"]),
    ("so what sort of questions can you help me with?", None, "smalltalk", ["I can tell you about"]),
]


@pytest.mark.parametrize("question, role, intent, words", ENGLISH)
def test_english_questions_get_english_answers(bot, question, role, intent, words):
    """A question in English is answered in English, with the same facts as in French."""
    answer = bot.ask(question)
    assert (answer.lang, answer.intent, answer.role) == ("en", intent, role)
    for word in words:
        assert word in answer.text
    assert not re.search(r"\b(les sources|pour le rôle|Répondez)\b", answer.text)


@pytest.mark.parametrize("question", ["combien gagne un KAM ?", "c'est quoi l'OTE", "écris mon CV", "bonjour"])
def test_french_questions_stay_french(bot, question):
    """French questions are answered in French, as before."""
    assert bot.ask(question).lang == "fr"


def test_a_conversation_keeps_its_language_until_the_person_switches(bot):
    """A follow-up without a language cue keeps the conversation's; a clear one in the other language switches."""
    session = bot.new_session()
    turns = [("how much does a KAM earn?", "en"), ("and for an AE?", "en"), ("KAM", "en"), ("ok", "en"),
             ("et pour un AM ?", "fr"), ("SDR ?", "fr"), ("and his salary?", "en")]
    for question, lang in turns:
        assert bot.ask(question, session).lang == lang, question
    restored = bot.restore_session(session.state())
    assert bot.ask("AE", restored).lang == "en"


def test_the_language_can_be_forced(bot):
    """lang="en" answers a French question in English and the other way round; "auto" detects."""
    assert bot.ask("combien gagne un KAM ?", lang="en").text.startswith("Key Account Manager (KAM) — the salary:")
    assert bot.ask("how much does a KAM earn?", lang="fr").text.startswith("Key Account Manager (KAM) — le salaire :")
    assert bot.ask("how much does a KAM earn?", lang="auto").lang == "en"
    with pytest.raises(ValueError, match="lang must be one of fr, en or 'auto', got 'de'"):
        bot.ask("hello", lang="de")


def test_a_tampered_language_in_a_saved_state_gives_a_fresh_session(bot):
    """A saved conversation whose language careerbot does not speak is not resumed."""
    assert bot.restore_session({"lang": "de"}).dialogue.lang is None


def test_english_suggestions_use_the_right_article(bot):
    """Suggestions say "an AE", "an SDR", "a KAM"."""
    suggestions = bot.ask("difference between AE and SDR").suggestions
    assert "How much does an AE earn?" in suggestions


def test_a_question_too_long_is_said_in_its_language(bot):
    """The notice of a cut question is in the answer's language."""
    answer = bot.ask("how much does a KAM earn? " + "really " * 200)
    assert answer.lang == "en" and answer.text.startswith("(Your question was longer than 1000 characters")


# English computation questions: labels, caveats and missing figures in English, numbers with a decimal point.
COMPUTE_EN = [
    ("I have 400k of pipeline for a 120k quota, am I covered?", ["pipeline 400 k€", "≈ 3.33"]),
    ("how much does a junior AE make, fixed plus variable?", ["AE junior fixed pay 35–45 k€", "= 50–70 k€"]),
    ("AE or KAM, who earns more?", ["AE junior OTE", "KAM junior pay", "compared at the junior level",
                                    "different sheets", "OTE assumes"]),
    ("account manager or key account manager, who earns more?", ["the fixed or total salary (AM)",
                                                                 "cannot be compared with a missing figure"]),
    ("AM or SDR, who earns more?", ["a salary figure for SDR"]),
    ("40k fixed with 20 % variable, how much in total?", ["variable pay counted as a % of the fixed pay"]),
    ("how much pipeline do I need for a 250k quota?", ["recommended coverage factor 3"]),
    ("total pay of 100k with 35 % variable, what is the fixed part?", ["total pay 100 k€", "100 k€ − 35 k€ = 65 k€"]),
    ("from 28 000 € to 60 000 €, what increase is that?", ["starting amount 28 000 €", "114.3 %"]),
    ("in the agency example, how many accounts get an upsell?", ["= 13.5"]),
    ("AE or responsable de compte, who earns more?", ["one is in euros, the other in dollars",
                                                      "(France / United States)", "is dated (May 2021)"]),
]
# Words of the French labels and caveats; none may show in an English computed answer.
FRENCH_WORDS = re.compile(r"\b(?:fixe|part variable|mois|chiffre|montant|rémunération|salaire|comparaison|"
                          r"facteur|données|les deux|l’un|plancher|hausse|pourcentage)\b", re.IGNORECASE)


@pytest.mark.parametrize("question, shown", COMPUTE_EN, ids=[q for q, _ in COMPUTE_EN])
def test_english_computations_are_written_in_english(bot, question, shown):
    """An English computation question: its operands, caveats and missing figures are in English."""
    answer = bot.ask(question)
    assert answer.lang == "en" and answer.intent == "compute", answer.text
    for part in shown:
        assert part in answer.text, answer.text
    # Source titles are the sources' own (French) words: left out of the check.
    body = "\n".join(line for line in answer.text.splitlines() if not line.startswith("Source"))
    assert not FRENCH_WORDS.search(body), body


def test_french_computations_keep_their_french_labels(bot):
    """The same computation asked in French keeps « fixe AE junior » and the decimal comma."""
    answer = bot.ask("j'ai 400k de pipe et 120k de quota, suis-je couvert ?")
    assert answer.lang == "fr" and "≈ 3,33" in answer.text
    assert "Données : fixe AE junior 35–45 k€ [001]" in bot.ask("combien gagne un AE junior fixe plus variable ?").text


def test_calculator_labels_are_messages_in_both_languages():
    """Every label and caveat the calculator names exists in messages.toml (French and English)."""
    import bot.calc
    import bot.calc_plan

    keys = set()
    for module in (bot.calc, bot.calc_plan, bot.amounts):
        source = open(module.__file__, encoding="utf-8").read()
        keys |= set(re.findall(r'Said(?:\.of)?\("((?:calc|mismatch|unit|level|period)_\w+)"', source))
        keys |= {f"calc_{k}" for k in re.findall(r'_op\(\w+(?:\[\d\])?(?: if \w+ else \w+\[\d\])?, "(\w+)"\)', source)}
        keys |= {f"calc_{k}_of" for k in re.findall(r'of_pay\("(\w+)"', source)}
    messages = load_messages()
    assert keys and not keys - set(messages.texts), sorted(keys - set(messages.texts))
