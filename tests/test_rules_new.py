"""The rules added for tasks, offers, computations and worked examples, each on hand-built Query and Scores."""

from __future__ import annotations

import pytest

from bot import rules
from bot.amounts import Amount
from bot.calc import QUESTION, Computation, Operand
from bot.calc_plan import RuleQuestion
from bot.dialogue import DialogueState, advance
from bot.query import Query
from bot.reading import Reading, ReadingKind
from bot.rules import Scores, Thresholds

T = Thresholds()


def q(text: str = "", **fields) -> Query:
    return Query(text=text, tokens=tuple(text.split()) or ("x",), **fields)


def test_a_task_is_declined_even_when_it_names_a_role():
    """"Écris l'offre d'emploi d'un AE" is a task: a refusal that keeps the role, for the facts it offers instead."""
    reading = rules.task_request(q("ecris l offre d un ae", task="write", roles=("ae",)), Scores(), DialogueState(), T)
    assert reading is not None and reading.kind == ReadingKind.FALLBACK
    assert reading.task == "write" and reading.roles == ("ae",)
    assert rules.task_request(q("combien gagne un ae", roles=("ae",)), Scores(), DialogueState(), T) is None


def test_the_task_rule_comes_before_every_rule_that_would_answer():
    assert rules.RULES[0] is rules.task_request


@pytest.mark.parametrize("pending, expected", [
    ("ae:salary", (ReadingKind.TOPIC, "salary", ("ae",))),
    ("glossary:ote", (ReadingKind.GLOSSARY, "ote", ())),
])
def test_a_yes_after_a_short_answer_gives_the_whole_section(pending, expected):
    reading = rules.accepted_offer(q("oui"), Scores(accepts_offer=True), DialogueState(pending=pending), T)
    assert reading is not None and (reading.kind, reading.topic, reading.roles) == expected and reading.whole


def test_a_yes_with_nothing_offered_is_not_an_acceptance():
    assert rules.accepted_offer(q("oui"), Scores(accepts_offer=True), DialogueState(), T) is None
    assert rules.accepted_offer(q("oui"), Scores(accepts_offer=False), DialogueState(pending="ae:salary"), T) is None


def _sum(origin: str) -> Computation:
    a = Operand("fixe", Amount(40_000, 40_000, scale="k"), origin)
    b = Operand("variable", Amount(20_000, 20_000, scale="k"), origin)
    return Computation("sum", Amount(60_000, 60_000, scale="k"), "40 k€ + 20 k€ = 60 k€", (a, b))


def test_a_computation_becomes_a_compute_reading_that_carries_it():
    done = _sum("001_x.txt")
    reading = rules.computation(q("fixe + variable", roles=("ae",)), Scores(computation=done), DialogueState(), T)
    assert reading is not None and reading.kind == ReadingKind.COMPUTE and reading.computation is done


def test_a_question_about_the_rule_itself_is_answered_from_its_entry():
    found = RuleQuestion("pipe-coverage", "003_x.txt")
    reading = rules.computation(q("le x3 garantit-il le quota ?"), Scores(computation=found), DialogueState(), T)
    assert reading is not None and (reading.kind, reading.topic) == (ReadingKind.GLOSSARY, "pipe-coverage")


def test_plain_arithmetic_on_the_questions_numbers_is_not_a_career_question():
    """"Combien font 17 × 23 ?" names no role and no quota or pipe: it is not careerbot's to compute."""
    assert rules.computation(q("combien font 40k + 20k"), Scores(computation=_sum(QUESTION)), DialogueState(), T) is None
    # With a role named, the same figures are a pay question.
    assert rules.computation(q("40k + 20k pour un ae", roles=("ae",)), Scores(computation=_sum(QUESTION)),
                             DialogueState(), T) is not None


def test_a_figure_read_from_the_sources_is_left_to_the_fact_level_answer():
    figure = Computation("figure", Amount(0.26, 0.26, "%"), "")
    assert rules.computation(q("part variable kam", roles=("kam",)), Scores(computation=figure), DialogueState(), T) is None


def test_a_worked_example_named_without_a_role_is_that_example():
    reading = rules.named_example(q("combien de demos fait alice", example="alice"), Scores(example_role="ae"),
                                  DialogueState(), T)
    assert reading is not None and (reading.kind, reading.topic, reading.roles) == (ReadingKind.TOPIC, "example", ("ae",))
    assert reading.example == "ae" and not reading.from_context


def test_a_worked_example_with_another_role_named_is_not_the_example():
    assert rules.named_example(q("alice et un kam"), Scores(example_role="ae", roles=("kam",)), DialogueState(), T) is None


def test_the_example_shown_is_remembered_for_the_next_question():
    state = advance(DialogueState(), Reading(ReadingKind.TOPIC, "example", ("ae",), example="ae"))
    assert state.example == "ae"
    assert advance(state, Reading(ReadingKind.TOPIC, "salary", ("kam",))).example is None
