"""bot.frozen.evolve: the same copy as dataclasses.replace, for the records it is used on."""

from dataclasses import fields, replace

import pytest

from bot.answer import Answer
from bot.dialogue import DialogueState
from bot.facts import Selection
from bot.frozen import evolve

USED_ON = (Answer, Selection, DialogueState)
"""The classes bot passes to evolve (compose, facts, engine)."""


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
