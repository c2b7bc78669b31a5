"""Session.state() and Bot.restore_session(): a conversation survives a round trip through JSON, garbage does not.

These tests use only the two public methods, whatever the engine keeps inside a session.
"""

from __future__ import annotations

import json

import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.evaluate import read_cases

LONG = 201  # characters: longer than any id


def _conversations():
    """Every labelled conversation (two or more turns), as lists of questions."""
    turns: dict[str, list[str]] = {}
    for path in ("devset.jsonl", "heldout.jsonl", "heldout2.jsonl"):
        for case in read_cases(DATA / path):
            if case.conversation:
                turns.setdefault(f"{path}:{case.conversation}", []).append(case.question)
    return [qs for qs in turns.values() if len(qs) > 1]


def test_fresh_session_state_is_empty(bot):
    """A new conversation remembers nothing, and says so with an empty dict."""
    assert bot.new_session().state() == {}


def test_every_labelled_conversation_answers_the_same_through_json(bot):
    """Each turn answered from the previous turn's state, sent through JSON, equals the answer of a live session."""
    conversations = _conversations()
    assert len(conversations) >= 20
    for questions in conversations:
        live, state = bot.new_session(), {}
        for question in questions:
            restored = bot.restore_session(json.loads(json.dumps(state)))
            assert bot.ask(question, restored) == bot.ask(question, live), question
            state = restored.state()
            assert state == live.state()


def test_state_is_small_json(bot):
    """The state after a comparison is a few dozen bytes of JSON: it travels in every response."""
    session = bot.new_session()
    bot.ask("différence entre AE et SDR", session)
    text = json.dumps(session.state(), separators=(",", ":"))
    assert json.loads(text) == session.state()
    assert len(text) < 120
    assert session.state()["roles"] == ["ae", "sdr"]


@pytest.mark.parametrize("state", [
    None, "roles", 42, [], ["kam"],
    {"roles": "kam"},                      # a string where a list is expected
    {"roles": ["martian"]},                # a role this bot does not know
    {"pair": ["ae", "astronaut"]},
    {"roles": [1, 2]},
    {"topic": 3},
    {"quota": "lots"},
    {"quota": True},                       # a bool is not a number here
    {"unit": ["k"]},
    {"topic": "x" * LONG},
    {"colour": "blue"},                    # a field the state does not have
    {"roles": ["ae"], "__class__": "x"},
    {"caveats": ["martian"]},              # caveats shown: role ids too
    {"caveats": "kam"},
    {"caveats": [["kam"]]},
], ids=repr)
def test_malformed_state_gives_a_fresh_session(bot, state):
    """Garbage, wrong types, unknown fields and unknown role ids give a session that remembers nothing."""
    session = bot.restore_session(state)
    assert session.state() == {}
    assert bot.ask("et son salaire ?", session) == bot.ask("et son salaire ?", bot.new_session())


def test_valid_state_is_restored(bot):
    """A well-formed state restores roles as tuples and numbers as floats; follow-ups use it."""
    session = bot.restore_session({"roles": ["kam"], "topic": "definition", "quota": 100000})
    assert session.state() == {"roles": ["kam"], "topic": "definition", "quota": 100000.0}
    assert isinstance(session.state()["quota"], float)
    answer = bot.ask("et son salaire ?", session)
    assert (answer.role, answer.intent) == ("kam", "salary")


@pytest.mark.parametrize("questions", [
    ["c'est quoi un responsable de compte ?", "et son salaire ?", "et ses missions ?", "et ses compétences ?"],
    ["c'est quoi un KAM ?", "et son salaire ?", "et pour un AE ?", "et pour un KAM ?"],
])
def test_what_a_conversation_has_already_said_travels_too(bot, questions):
    """A role's caveat said once per conversation stays said once when each turn is restored from JSON."""
    live, state = bot.new_session(), {}
    for question in questions:
        restored = bot.restore_session(json.loads(json.dumps(state)))
        assert bot.ask(question, restored).text == bot.ask(question, live).text, question
        state = restored.state()


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.sampled_from(["roles", "topic", "term", "pair", "quota", "unit", "x"]),
                                      children, max_size=4), max_leaves=12))
@settings(max_examples=300, deadline=None)
def test_restore_never_raises(bot, state):
    """Whatever JSON comes back, restoring gives a session that can answer a follow-up."""
    session = bot.restore_session(state)
    assert isinstance(session.state(), dict)
    bot.ask("et pour un AE ?", session)


