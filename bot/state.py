"""A conversation's dialogue state as plain JSON data, and back, for any frozen dataclass.

The HTTP service carries the state in a signed token instead of a server-side
session, so it must turn the state into JSON and trust nothing on the way back.
Both directions are generic over the dataclass's fields: a field added to or
changed in the state needs no change here. Values are checked against each
field's annotation (or, failing that, its default); anything unexpected makes
:func:`from_state` return None, never raise.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

__all__ = ["to_state", "from_state", "MAX_STRING", "MAX_ITEMS"]

MAX_STRING = 200
"""Longest string a restored state may hold (ids and short phrases, not text)."""
MAX_ITEMS = 16
"""Most items a restored sequence may hold."""
_SCALAR: Any = str | int | float | bool | None
"""What a field whose type cannot be told may hold."""


def to_state(value: Any) -> dict:
    """*value*, a dataclass instance, as a JSON-ready dict of its non-default fields.

    Tuples become lists and nested dataclasses dicts; fields still at their
    default are left out, which keeps a fresh conversation's state ``{}``.
    """
    out = {}
    for f in dataclasses.fields(value):
        current = getattr(value, f.name)
        if f.default is not dataclasses.MISSING and current == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and current == f.default_factory():
            continue
        out[f.name] = _plain(current)
    return out


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_state(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class _Invalid(Exception):
    """A state value that does not fit its field."""


def from_state(state: Any, cls: type, *, known: Mapping[str, frozenset[str]] | None = None):
    """An instance of the dataclass *cls* built from *state*, or None when *state* does not fit.

    *known* maps field names to the only strings those fields may hold (role ids
    for ``roles``, say): a state naming something this bot does not know is as
    unusable as a malformed one. Unknown keys, wrong types, over-long strings or
    sequences, and non-finite numbers all give None.
    """
    try:
        return _build(state, cls, known or {})
    except (_Invalid, TypeError, ValueError, RecursionError):
        return None


@functools.cache
def _field_hints(cls: type) -> dict[str, Any]:
    """Each field's expected type: its annotation, or what its default suggests (computed once per class)."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an annotation that cannot be evaluated: fall back to the defaults
        hints = {}
    return {f.name: hints.get(f.name) or _hint_from_default(f) for f in dataclasses.fields(cls)}


def _build(data: Any, cls: type, known: Mapping[str, frozenset[str]]):
    if not isinstance(data, dict):
        raise _Invalid(f"expected an object for {cls.__name__}")
    hints = _field_hints(cls)
    unknown = set(data) - set(hints)
    if unknown:
        raise _Invalid(f"unknown field(s) {sorted(unknown)}")
    values = {}
    for name, raw in data.items():
        value = _coerce(raw, hints[name], known)
        if name in known:
            strings = [value] if isinstance(value, str) else list(value) if isinstance(value, tuple) else []
            if any(s not in known[name] for s in strings if isinstance(s, str)):
                raise _Invalid(f"{name}: unknown id")
        values[name] = value
    return cls(**values)


def _hint_from_default(f: dataclasses.Field) -> Any:
    default = f.default if f.default is not dataclasses.MISSING else (
        f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
    if isinstance(default, tuple):
        return tuple[_SCALAR, ...]
    if default is None:
        return _SCALAR
    return type(default)


def _coerce(raw: Any, hint: Any, known) -> Any:
    """*raw* (decoded JSON) as a value of type *hint*, or _Invalid."""
    if hint is Any:
        hint = _SCALAR
    origin = typing.get_origin(hint)
    if origin is typing.Union or (hasattr(types, "UnionType") and isinstance(hint, types.UnionType)):
        for arm in typing.get_args(hint):
            try:
                return _coerce(raw, arm, known)
            except _Invalid:
                continue
        raise _Invalid(f"{raw!r} fits none of {hint}")
    if origin is typing.Literal:
        if raw in typing.get_args(hint):
            return raw
        raise _Invalid(f"{raw!r} not one of {typing.get_args(hint)}")
    if origin in (tuple, list, frozenset):
        if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
            raise _Invalid("expected a short list")
        args = typing.get_args(hint)
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(raw) != len(args):
                raise _Invalid(f"expected {len(args)} items")
            return tuple(_coerce(r, a, known) for r, a in zip(raw, args))
        item = args[0] if args else _SCALAR
        return origin(_coerce(r, item, known) for r in raw)
    if origin is dict:
        key_hint, value_hint = typing.get_args(hint) or (str, Any)
        if not isinstance(raw, dict) or len(raw) > MAX_ITEMS:
            raise _Invalid("expected a small object")
        return {_coerce(k, key_hint, known): _coerce(v, value_hint, known) for k, v in raw.items()}
    if hint is type(None) or hint is None:
        if raw is None:
            return None
        raise _Invalid("expected null")
    if hint is bool:
        if isinstance(raw, bool):
            return raw
        raise _Invalid("expected a boolean")
    if hint is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise _Invalid("expected an integer")
    if hint is float:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
            return float(raw)
        raise _Invalid("expected a finite number")
    if hint is str:
        if isinstance(raw, str) and len(raw) <= MAX_STRING:
            return raw
        raise _Invalid("expected a short string")
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build(raw, hint, {})
    raise _Invalid(f"cannot restore a value of type {hint}")
