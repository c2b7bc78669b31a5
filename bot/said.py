"""Words the calculator says without choosing their language: a message key with its values, or a pair of twins.

The calculator (:mod:`bot.calc`, :mod:`bot.calc_plan`) stays pure and speaks no
language: its operand labels, caveats and missing figures are :class:`Said`
(a key of ``intents/messages.toml`` and the values that fill it) or
:class:`Twin` (a French text from the knowledge base and its English twin).
:meth:`bot.messages.Messages.write` writes one out in the answer's language.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Said", "Twin", "Text"]


@dataclass(frozen=True)
class Twin:
    """A text from the knowledge base and its English twin (``label`` / ``label_en``)."""

    fr: str
    en: object = ""
    """A str or a :class:`Said`; empty when the French needs no translation (a role name, "AE")."""


@dataclass(frozen=True)
class Said:
    """Message *key* of ``messages.toml``, its ``{placeholders}`` filled from *values* (written out when shown)."""

    key: str
    values: tuple[tuple[str, object], ...] = ()
    """``(name, value)`` pairs; a value is a str, a number, an :class:`~bot.amounts.Amount`, a Twin or a Said."""

    @classmethod
    def of(cls, key: str, /, **values: object) -> Said:
        """``Said.of("calc_fixed_of", who="AE junior")``: the same as ``Said(key, tuple(values.items()))``."""
        return cls(key, tuple(values.items()))

    def get(self, name: str, default: object = None) -> object:
        """The value of placeholder *name*."""
        return next((v for k, v in self.values if k == name), default)


Text = str | Twin | Said
"""What the calculator says: a plain string (a figure's label as typed), a Twin or a Said."""
