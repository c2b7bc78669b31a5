"""bot.frozen: the same records as dataclasses.replace and the classes' own __init__, for the classes they are used on."""

from dataclasses import MISSING, dataclass, field, fields, replace

import pytest

from bot.answer import Answer
from bot.dialogue import DialogueState
from bot.facts import Selection
from bot.frozen import build, evolve
from bot.query import Query
from bot.rules import Scores

USED_ON = (Answer, Selection, DialogueState, Query, Scores)
"""The classes bot passes to evolve (compose, facts, engine) and to build (query, understand)."""


@pytest.mark.parametrize("cls", USED_ON)
def test_used_only_where_init_does_nothing_more(cls):
    # evolve skips __init__: right only when __init__ just stores each field.
    assert not hasattr(cls, "__post_init__")
    assert all(f.init for f in fields(cls))
    assert "__slots__" not in vars(cls)


@pytest.mark.parametrize("record, changes", [
    (Answer(text="t", intent="salary", role="ae", sources=("a.txt",)), {"lang": "en", "citations": (("a.txt", "A"),)}),
    (Selection(words=("quota",), precise=True), {"units": (), "missing": ("quota",), "precise": False}),
    (DialogueState(roles=("ae",), topic="salary"), {"pending": "ae:salary", "lang": "fr"}),
])
def test_same_copy_as_replace(record, changes):
    copy = evolve(record, **changes)
    assert copy == replace(record, **changes)
    assert type(copy) is type(record) and vars(copy) == vars(replace(record, **changes))
    assert record != copy or not changes  # the original is left as it was
    with pytest.raises(AttributeError):
        copy.text = "changed"  # still frozen


def test_unknown_field_raises():
    with pytest.raises(TypeError, match="no field 'colour'"):
        evolve(Answer(text="t", intent="salary"), colour="red")


@pytest.mark.parametrize("cls, values", [
    (Query, {"text": "combien gagne un AE ?", "tokens": ("combien", "gagne", "un", "ae"), "roles": ("ae",), "net": True}),
    (Query, {"text": ""}),
    (Scores, {"topic": "salary", "topic_score": 0.8, "roles": ("ae",), "kw_hits": frozenset({"salary"})}),
])
def test_build_makes_what_init_makes(cls, values):
    assert all(f.default is not MISSING for f in fields(cls))  # build() fills the plain defaults
    made = build(cls, **values)
    assert made == cls(**values) and vars(made) == vars(cls(**values))
    with pytest.raises(AttributeError):
        made.text = "changed"  # still frozen


def test_build_refuses_what_it_cannot_make():
    @dataclass(frozen=True)
    class Listed:
        items: list = field(default_factory=list)

    with pytest.raises(TypeError, match="no plain default"):
        build(Listed)
    with pytest.raises(TypeError, match="no field 'colour'"):
        build(Query, colour="red")
