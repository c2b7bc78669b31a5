"""The conversation's memory: DialogueState, advance, follow-up completion, and sessions saved and restored."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.dialogue import DialogueState, advance, complete, referred_role, state_from_dict, state_to_dict
from bot.reading import Reading, ReadingKind

PAIR = DialogueState(roles=("sdr", "ae"), pair=("sdr", "ae"), topic="salary")


@pytest.mark.parametrize("before, reading, after", [
    (DialogueState(), Reading("topic", "salary", ("kam",), place="Suisse"),
     DialogueState(roles=("kam",), topic="salary", place="Suisse")),
    (PAIR, Reading("topic", "skills", ("ae",)), DialogueState(roles=("ae",), topic="skills", pair=("sdr", "ae"))),
    (PAIR, Reading("topic", "skills", ("kam",)), DialogueState(roles=("kam",), topic="skills")),
    (DialogueState(), Reading("compare", None, ("ae", "kam")), DialogueState(roles=("ae", "kam"), pair=("ae", "kam"))),
    (PAIR, Reading("clarify", "studies"), DialogueState(topic="studies")),
    (DialogueState(roles=("ae",)), Reading("glossary", "ote"), DialogueState(roles=("ae",), term="ote")),
    (DialogueState(term="pipe-coverage"), Reading("compute", "pipe-coverage", ("ae",), amount=5e4, unit="k"),
     DialogueState(roles=("ae",), term="pipe-coverage", quota=5e4, unit="k")),
    (DialogueState(roles=("ae",), example="ae"), Reading("glossary", "conversion-rate"),
     DialogueState(roles=("ae",), term="conversion-rate", example="ae")),      # a term on the way keeps the example
    (DialogueState(roles=("ae",), example="ae"), Reading("glossary", "nrr", ("am",)),
     DialogueState(roles=("am",), term="nrr")),                                 # another role's term ends it
    (DialogueState(roles=("am",), example="am"), Reading("compute", "agency-return"),
     DialogueState(roles=("am",), term="agency-return", example="am")),
    (PAIR, Reading("smalltalk", "greeting"), PAIR),
    (PAIR, Reading("empty"), PAIR),
    (PAIR, Reading("fallback", "salary", outsider="infirmiere"), DialogueState(topic="salary")),
    (PAIR, Reading("fallback", task="write"), PAIR),                            # a task declined changes nothing
    (DialogueState(caveats_shown=frozenset({"ae"})), Reading("fallback"), DialogueState(caveats_shown=frozenset({"ae"}))),
])
def test_advance_keeps_what_the_answer_was_about(before, reading, after):
    """Each kind of answer leaves the memory the next question needs, and nothing else (the list of
    recent roles is checked on its own below)."""
    assert replace(advance(before, reading), recent=()) == after


def test_the_last_roles_answered_about_are_kept_in_order():
    """Two answers about the KAM then the AE leave both, oldest first, for "lequel gagne le plus ?"; a role
    answered again moves to the end; small talk changes nothing; three at most."""
    state = advance(DialogueState(), Reading("topic", "salary", ("kam",)))
    state = advance(state, Reading("topic", "salary", ("ae",)))
    assert state.recent == ("kam", "ae")
    assert advance(state, Reading("smalltalk", "thanks")).recent == ("kam", "ae")
    assert advance(state, Reading("topic", "skills", ("kam",))).recent == ("ae", "kam")
    state = advance(advance(state, Reading("topic", "skills", ("sdr",))), Reading("compare", None, ("am", "csm")))
    assert state.recent == ("sdr", "am", "csm")


def test_who_earns_more_after_two_salary_answers_compares_them(bot):
    """The pay comparison takes the two roles of the conversation when the question names none."""
    session = bot.new_session()
    for question in ("combien gagne un KAM ?", "et pour un AE ?"):
        bot.ask(question, session)
    answer = bot.ask("lequel gagne le plus ?", session)
    assert answer.intent == "compute" and "28 000 €" in answer.text and "gagne davantage" in answer.text


def test_ordinals_point_into_the_pair_first():
    """'le premier' / 'ce dernier' are the compared pair's roles; an ordinal out of range is skipped."""
    assert referred_role(PAIR, (0,)) == "sdr" and referred_role(PAIR, (-1,)) == "ae"
    assert referred_role(PAIR, (5, 1)) == "ae"
    assert referred_role(DialogueState(), (0,)) is None


@pytest.mark.parametrize("state, reading, expected", [
    (PAIR, Reading("topic", None, ("kam",), 0.7), ("topic", "salary", ("kam",), 0.8, True)),
    (DialogueState(), Reading("topic", None, ("kam",), 0.7), ("topic", "definition", ("kam",), 0.7, False)),
    (PAIR, Reading("clarify", "skills", (), 0.5), ("compare", "skills", ("sdr", "ae"), 0.5, True)),
    (PAIR, Reading("clarify", "definition", (), 0.5), ("compare", None, ("sdr", "ae"), 0.5, True)),
    (DialogueState(roles=("am",)), Reading("clarify", "kpi", (), 0.5), ("topic", "kpi", ("am",), 0.5, True)),
    (DialogueState(), Reading("clarify", "kpi", (), 0.5), ("clarify", "kpi", (), 0.5, False)),
    (PAIR, Reading("clarify", None, (), 0.2), ("clarify", None, (), 0.2, False)),
    # a role question after a worked example: the role of the example's person ("et elle touche quoi ?" about Alice)
    (DialogueState(example="ae"), Reading("clarify", "salary", (), 0.5), ("topic", "salary", ("ae",), 0.5, True)),
])
def test_complete_fills_what_a_follow_up_leaves_open(state, reading, expected):
    """A role alone takes the last topic; a role question with no role takes the conversation's roles."""
    r = complete(state, reading, carried=0.8)
    assert (r.kind, r.topic, r.roles, r.confidence, r.from_context) == expected


def test_a_state_survives_a_json_round_trip():
    """state_to_dict is JSON-ready and small (defaults left out); state_from_dict gives the same state back."""
    state = DialogueState(roles=("ae",), topic="salary", pair=("ae", "kam"), quota=5e4, unit="k",
                          caveats_shown=frozenset({"kam", "ae"}))
    data = json.loads(json.dumps(state_to_dict(state)))
    assert "term" not in data and data["caveats_shown"] == ["ae", "kam"]
    known = {"role": frozenset({"ae", "kam"}), "topic": frozenset({"salary"}), "entry": frozenset()}
    assert state_from_dict(data, known) == state


def test_reading_kinds_are_their_strings():
    """ReadingKind compares, formats and serialises as its value ("_compose_{kind}" keeps working)."""
    assert ReadingKind.TOPIC == "topic" and f"_compose_{ReadingKind.TOPIC}" == "_compose_topic"
    assert json.dumps(ReadingKind.GLOSSARY) == '"glossary"'
    assert Reading("compare").kind is ReadingKind.COMPARE
    with pytest.raises(ValueError):
        Reading("horoscope")


def test_sessions_save_and_restore(bot):
    """A restored session answers a follow-up as the original would."""
    session = bot.new_session()
    bot.ask("Quelle différence entre un SDR et un AE ?", session)
    saved = json.loads(json.dumps(session.state()))
    restored = bot.restore_session(saved)
    assert restored.dialogue == session.dialogue
    assert bot.ask("et pour le premier, il gagne combien ?", restored).role == "sdr"


@pytest.mark.parametrize("state", [
    None, "roles=ae", [], {"roles": "ae"}, {"roles": ["astronaut"]}, {"topic": 3}, {"topic": "horoscope"},
    {"quota": "lots"}, {"quota": True}, {"mood": "happy"}, {"caveats_shown": ["nobody"]}, {"term": "no-such-entry"},
    {"pair": [1, 2]},
])
def test_a_malformed_state_gives_a_fresh_session(bot, state):
    """Wrong types, unknown slots and unknown role, topic or entry ids never raise: a new conversation starts."""
    session = bot.restore_session(state)
    assert session.dialogue == DialogueState() and session.state() == {}


@pytest.mark.parametrize("turns, expected", [
    # a worked example stays the subject through a term asked on the way, and its sums follow
    (["Alice elle fait combien de démos par semaine ?", "et son taux de conversion ?"], "25 %"),
    (["Alice elle fait combien de démos par semaine ?", "et son taux de conversion ?",
      "donc ça fait combien de deals signés sur le trimestre ?"], "150 000 € / 15 000 € = 10"),
    (["J'ai vu l'exemple de l'agence avec les 3 account managers", "et les 81 000 d'upsell ils sortent d'où ?",
      "au final c'est rentable ou pas ?"], "999 000 € / 180 000 €"),
    # a term asked for itself is the glossary's, even after an example
    (["Alice elle fait combien de démos par semaine ?", "c'est quoi l'ARR ?"], "Annual Recurring Revenue"),
    # a loose follow-up that points back stays on the conversation's role
    (["What profile should I look for in an account executive?", "ok, and how do I tell whether they're performing?"],
     "conversion rate"),
    # a role and a level alone take the topic of the conversation, even after a "not given"
    (["et un SDR ça gagne combien ?", "et un AE débutant ?"], "35-45K€"),
    # "et pour 200k ?" after the rule asks it again for a new quota; a pipeline given is judged
    (["combien de pipe pour un quota de 150k ?", "et pour 200k ?"], "3 × 200 k€ = 600 k€"),
    (["combien de pipe pour un quota de 150k ?", "et si j'ai 500k de pipe ?"], "500 k€ / 150 k€"),
    # a level of the conversation stays for the calculation that follows it
    # (« au max » puts each part at the top of its range: the most it comes to)
    (["c'est quoi le salaire d'un AE confirmé ?", "du coup au max ça fait combien par an tout compris ?"],
     "60 k€ + 50 k€ = 110 k€"),
    # a task declined on the way does not end the thread
    (["Combien d'années d'expérience pour un KAM ?", "tu peux me rédiger l'annonce ?",
      "ok et combien je mets en salaire dans l'annonce ?"], "60 000"),
    # a term's own topic carries to the role named next: the KPIs after a KPI ("et pour un AE ?" after NRR)
    (["c'est quoi le NRR ?", "et pour un AE ?"], "conversion"),
    # "sur quoi" asks no definition: how the role is judged
    (["c'est quoi un account manager ?", "et lui, on le juge sur quoi ?"], "NRR"),
])
def test_follow_ups_keep_the_thread(bot, turns, expected):
    session = bot.new_session()
    for question in turns[:-1]:
        bot.ask(question, session)
    answer = bot.ask(turns[-1], session)
    assert expected in answer.text, answer.text
    assert not answer.fallback



def test_the_gap_between_two_levels_asked_in_turn_is_computed(bot):
    """"un AE junior ?", "et un confirmé ?", then "combien de plus par mois entre les deux ?": those two levels
    compared, the difference put in the month asked, with its verdict."""
    session = bot.new_session()
    bot.ask("combien gagne un AE junior en France ?", session)
    bot.ask("et un confirmé ?", session)
    answer = bot.ask("ok donc ça fait combien de plus par mois entre les deux ?", session)
    assert answer.intent == "compute"
    assert "80–110 k€ − 50–70 k€ = 30–40 k€" in answer.text and "30–40 k€ / 12 ≈ 2,5–3,33 k€" in answer.text
    assert "AE confirmé gagne davantage" in answer.text


def test_a_pay_question_about_the_worked_examples_person_gets_her_roles_pay(bot):
    session = bot.new_session()
    bot.ask("Alice elle dépasse son quota de combien en euros ?", session)
    answer = bot.ask("et elle touche quoi comme prime avec ses 125% ?", session)
    assert answer.intent == "salary" and answer.role == "ae" and "15-25K€" in answer.text
