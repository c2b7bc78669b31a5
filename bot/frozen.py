"""A cheaper :func:`dataclasses.replace` for the frozen records copied on every question.

``dataclasses.replace`` reads every field and calls the class's ``__init__``
again (some 6 µs for an :class:`~bot.answer.Answer`); a record whose class has
no ``__post_init__`` and no ``init=False`` field is the same copy with its
attribute dict updated (about 1 µs). Only such classes are given to
:func:`evolve` (``tests/test_frozen.py`` checks them).
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["evolve"]

R = TypeVar("R")


def evolve(record: R, **changes: Any) -> R:
    """*record* with *changes*, as ``dataclasses.replace(record, **changes)`` makes it (a field it lacks raises)."""
    fields = type(record).__dataclass_fields__  # type: ignore[attr-defined]
    if not fields.keys() >= changes.keys():
        raise TypeError(f"{type(record).__name__} has no field {sorted(changes.keys() - fields.keys())[0]!r}")
    copy = object.__new__(type(record))
    attributes = copy.__dict__
    attributes.update(record.__dict__)
    attributes.update(changes)
    return copy
