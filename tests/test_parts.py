"""A message that asks two or three things gets each answered: the first as the message reads, the others as
follow-ups of it (bot.engine: Bot._other_parts)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("question, heads", [
    # A role topic, then another topic of the same role.
    ("c'est quoi un KAM exactement ? et ça gagne combien ?",
     ("Key Account Manager (KAM) — la définition du métier :", "Key Account Manager (KAM) — le salaire :")),
    # A topic of one role, then a comparison the second sentence asks.
    ("wat does a CSM actually do?? is it the same thing as an account manager?",
     ("Customer Success Manager (CSM) — the missions:",)),
    # A pay check, then the pay at the next level.
    ("Je suis AE junior à Paris depuis 1 an dans un SaaS, mon package c'est 40K fixe + 15K variable. C'est normal ? "
     "Et je toucherai combien une fois confirmé ?", ("France, AE confirmé : fixe 50-60K€",)),
])
def test_each_question_of_a_message_is_answered(bot, question, heads):
    text = bot.ask(question).text
    for head in heads:
        assert head in text


@pytest.mark.parametrize("question, absent", [
    # A sentence that leans on the one before it ("110 % c'est bien ?") is no question of its own.
    ("C'est quoi un bon NRR pour une équipe d'AM en SaaS ? 110 % c'est bien ?", "le salaire"),
    # A calculation the answer made already, as a step of its own, is not made again.
    ("un AE junior avec 40k de fixe et 20k de variable ca fait quel OTE ? c dans la fourchette normale ?", None),
    # Studies asked beside a guidance request: the guidance answer states them itself.
    ("Ma fille est en 1ère, elle veut faire KAM plus tard. Quelles études doit-elle faire ? Et au passage, c'est "
     "bien payé ?", "KAM — les études"),
])
def test_a_question_answered_already_is_not_answered_twice(bot, question, absent):
    text = bot.ask(question).text
    assert text.count("Données :") <= 1
    assert len(text.split("\n")) == len(set(text.split("\n")))
    if absent:
        assert absent not in text


def test_a_message_of_one_question_gets_one_answer(bot):
    one = bot.ask("c'est quoi un KAM exactement ?")
    assert "le salaire" not in one.text


def test_the_conversation_remembers_the_first_question(bot):
    """The further questions are answered beside the first; the conversation follows the first one."""
    session = bot.new_session()
    bot.ask("c'est quoi un KAM exactement ? et ça gagne combien ?", session)
    assert bot.ask("et ses missions ?", session).role == "kam"
