"""Session.state() and Bot.restore_session(): a conversation survives a round trip through JSON, garbage does not."""

from __future__ import annotations

import dataclasses
import json
from typing import Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.evaluate import read_cases
from bot.state import MAX_ITEMS, MAX_STRING, from_state, to_state
from bot.understand import Context
from conftest import DATA


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
    {"quota": float("nan")},
    {"quota": True},                       # a bool is not a number here
    {"unit": ["k"]},
    {"topic": "x" * (MAX_STRING + 1)},
    {"roles": ["ae"] * (MAX_ITEMS + 1)},
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
    assert session.context == Context()


def test_valid_state_is_restored(bot):
    """A well-formed state restores roles as tuples and numbers as floats; follow-ups use it."""
    session = bot.restore_session({"roles": ["kam"], "topic": "definition", "quota": 100000})
    assert session.context.roles == ("kam",)
    assert session.context.quota == 100000.0 and isinstance(session.context.quota, float)
    answer = bot.ask("et son salaire ?", session)
    assert (answer.role, answer.intent) == ("kam", "salary")


def test_caveats_already_shown_travel_with_the_state(bot):
    """Where a session remembers the roles whose caveat it has shown, the state carries them and restores them."""
    session = bot.new_session()
    session._caveats = frozenset({"kam", "ae"})  # what a conversation that showed both caveats holds
    assert session.state()["caveats"] == ["ae", "kam"]
    restored = bot.restore_session({"roles": ["kam"], "caveats": ["ae", "kam"]})
    assert restored.context.roles == ("kam",)
    if hasattr(restored, "_caveats"):
        assert restored._caveats == frozenset({"ae", "kam"})


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


# --- the codec is generic over the dataclass's fields ------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class _Place:
    country: str = ""
    city: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class _Future:
    """A state with fields Context does not have yet: it must round-trip with no change to bot.state."""

    roles: tuple[str, ...] = ()
    example: Optional[int] = None
    profile: dict[str, str] = dataclasses.field(default_factory=dict)
    place: Optional[_Place] = None
    pair: tuple[str, str] | None = None
    ratio: float = 0.0
    flag: bool = False


def test_codec_round_trips_fields_it_was_not_written_for():
    """Nested dataclasses, dicts, fixed-size tuples, optional ints and bools survive to_state/from_state."""
    value = _Future(roles=("ae",), example=2, profile={"level": "junior"}, place=_Place("France", "Lyon"),
                    pair=("ae", "sdr"), ratio=1.5, flag=True)
    state = json.loads(json.dumps(to_state(value)))
    assert from_state(state, _Future) == value
    assert to_state(_Future()) == {}


@pytest.mark.parametrize("state", [
    {"pair": ["ae"]}, {"place": {"country": 1}}, {"place": {"planet": "Mars"}}, {"profile": {"level": 3}},
    {"example": 1.5}, {"flag": 1},
], ids=repr)
def test_codec_refuses_values_that_do_not_fit_the_annotation(state):
    """Checks follow each field's annotation: tuple length, nested fields, dict values, int vs float, bool."""
    assert from_state(state, _Future) is None


def test_known_ids_are_checked_only_for_the_fields_named():
    """*known* restricts the fields it names; other string fields are free."""
    known = {"roles": frozenset({"ae"})}
    assert from_state({"roles": ["ae"], "profile": {"x": "anything"}}, _Future, known=known) is not None
    assert from_state({"roles": ["kam"]}, _Future, known=known) is None
