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
