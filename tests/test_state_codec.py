"""bot/state.py: the generic codec behind Session.state() — any frozen dataclass to JSON data and back, checked."""

from __future__ import annotations

import dataclasses
import json

import pytest

from bot.state import MAX_ITEMS, MAX_STRING, from_state, to_state


@dataclasses.dataclass(frozen=True)
class _Place:
    country: str = ""
    city: str | None = None


@dataclasses.dataclass(frozen=True)
class _Future:
    """A state with fields Context does not have yet: it must round-trip with no change to bot.state."""

    roles: tuple[str, ...] = ()
    example: int | None = None
    profile: dict[str, str] = dataclasses.field(default_factory=dict)
    place: _Place | None = None
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
    {"ratio": float("nan")}, {"ratio": float("inf")},          # not JSON, and no amount
    {"roles": ["ae"] * (MAX_ITEMS + 1)}, {"profile": {"k": "x" * (MAX_STRING + 1)}},
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
