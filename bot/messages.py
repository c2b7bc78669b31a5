"""The sentences careerbot writes around the facts, in French and English (``intents/messages.toml``).

:func:`load_messages` reads and checks the file at start-up (both languages for every
message, the same ``{placeholders}`` in both); :meth:`Messages.say` fills one in.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .amounts import Amount, format_amount
from .errors import KnowledgeError
from .lang import LANGUAGES
from .paths import bundled
from .said import Said, Twin
from .tomlfile import ParsedCache, Table, read_toml

__all__ = ["Messages", "load_messages", "placeholders"]


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of *text*.

    Examples
    --------
    >>> sorted(placeholders("{no_data} ce détail ({asked})"))
    ['asked', 'no_data']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


@dataclass(frozen=True)
class Messages:
    """Message key -> language -> text."""

    texts: Mapping[str, Mapping[str, str]]
    file: str = "messages.toml"

    def say(self, key: str, lang: str, /, **values: object) -> str:
        """Message *key* in *lang* (French when *lang* is unknown), its placeholders filled from *values*."""
        try:
            versions = self.texts[key]
        except KeyError:
            raise KnowledgeError(self.file, f"[{key}]", "message missing",
                                 f'add [{key}] with fr = "…" and en = "…"') from None
        text = versions.get(lang) or versions[LANGUAGES[0]]
        return text.format(**values) if values else text

    def write(self, text: object, lang: str, /) -> str:
        """*text* written out in *lang*: a :class:`~bot.said.Said` from its message, a
        :class:`~bot.said.Twin` as its version in *lang*, an amount formatted, a str as it is.

        Examples
        --------
        >>> m = Messages({"calc_fixed_of": {"fr": "fixe {who}", "en": "{who} fixed pay"}})
        >>> m.write(Said.of("calc_fixed_of", who=Twin("AE confirmé", "AE experienced")), "en")
        'AE experienced fixed pay'
        """
        if isinstance(text, Said):
            return self.say(text.key, lang, **{k: self.write(v, lang) for k, v in text.values})
        if isinstance(text, Twin):
            return self.write(text.en, lang) if lang == "en" and text.en else text.fr
        if isinstance(text, Amount):
            return format_amount(text, lang=lang)
        return str(text)

    def require(self, keys) -> None:
        """Check that every one of *keys* is defined (called once, when a composer is built)."""
        missing = [k for k in keys if k not in self.texts]
        if missing:
            raise KnowledgeError(self.file, f"[{missing[0]}]", f"message(s) {', '.join(missing)} missing; "
                                 "careerbot's composer needs them", f'add [{missing[0]}] with fr = "…" and en = "…"')


def load_messages(path: str | Path | None = None, *, cache: ParsedCache | None = None) -> Messages:
    """Read and check ``messages.toml`` (default: the bundled one; *cache*: see :class:`~bot.tomlfile.ParsedCache`).

    Raises
    ------
    KnowledgeError
        When a message lacks a language, has other fields, or its two versions use different placeholders.
    """
    path = Path(path) if path is not None else bundled("intents", "topics.toml") / "messages.toml"
    doc = Table(read_toml(path, cache), path, None)
    texts: dict[str, Mapping[str, str]] = {}
    for key in list(doc.data):
        t = Table(doc.table(key), path, f"[{key}]")
        # Checked by t.str, kept as written: a separator such as " ; " has meaningful spaces.
        versions = {lang: t.str(lang) and t.data[lang] for lang in LANGUAGES}
        t.done()
        names = {lang: placeholders(text) for lang, text in versions.items()}
        if len(set(names.values())) > 1:
            fr, en = names["fr"], names["en"]
            raise t.error(f"fr and en use different placeholders ({', '.join(sorted(fr ^ en))})",
                          "use the same {names} in both versions")
        texts[key] = MappingProxyType(versions)
    doc.done()
    return Messages(texts=MappingProxyType(texts), file=str(path))
