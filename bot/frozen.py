"""Cheaper :func:`dataclasses.replace` and construction for the frozen records made on every question.

``dataclasses.replace`` reads every field and calls the class's ``__init__``
again (some 6 µs for an :class:`~bot.answer.Answer`), and a frozen class's
``__init__`` stores each field through ``object.__setattr__`` (7 µs for the
40 fields of a :class:`~bot.query.Query`); for a class with no
``__post_init__`` and no ``init=False`` field, the same record is its
attribute dict filled at once (1 to 3 µs). Only such classes are given to
:func:`evolve` and :func:`build` (``tests/test_frozen.py`` checks them).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from functools import lru_cache
from typing import Any, TypeVar, cast

__all__ = ["evolve", "build"]

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


def build(cls: type[R], **values: Any) -> R:
    """``cls(**values)`` for a frozen dataclass whose every field has a plain default (a field it lacks raises)."""
    defaults = _defaults(cast(type, cls))
    if not defaults.keys() >= values.keys():
        raise TypeError(f"{cls.__name__} has no field {sorted(values.keys() - defaults.keys())[0]!r}")
    record = object.__new__(cls)
    attributes = record.__dict__
    attributes.update(defaults)
    attributes.update(values)
    return record


@lru_cache(maxsize=16)
def _defaults(cls: type) -> dict[str, Any]:
    """Each field of dataclass *cls* with its default (made once per class)."""
    found = {f.name: f.default for f in fields(cls)}
    missing = [name for name, default in found.items() if default is MISSING]
    if missing:
        raise TypeError(f"{cls.__name__}.{missing[0]} has no plain default: build() cannot make it")
    return found
