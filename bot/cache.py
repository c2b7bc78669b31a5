"""An on-disk cache of built phrase indexes, keyed by a hash of everything that went into them.

Building an index imports scikit-learn (about half a second); loading a cached
one needs only numpy. Any change to a knowledge or intent file, to
normalisation or to the analyzer changes the key, so a stale index is never used.
A cache file that cannot be read (empty, cut short, damaged) is rebuilt and
replaced, with one :class:`~bot.errors.CareerbotWarning`; a cache folder that
cannot be written is silently skipped.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .errors import CareerbotWarning
from .index import ANALYZER_VERSION, PhraseIndex
from .outfile import store_atomically, write_json

__all__ = ["phrases_key", "IndexCache", "TextCache", "text_key"]


def phrases_key(texts: Sequence[str], labels: Sequence[str]) -> str:
    """A short hash of the phrases and labels an index is built from."""
    h = hashlib.sha256(f"careerbot-index-v{ANALYZER_VERSION}\n".encode())
    for text, label in zip(texts, labels):
        h.update(f"{label}\t{text}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def _check_shape(index: PhraseIndex) -> None:
    """Raise ValueError when the arrays of a loaded index do not fit together (the first question would fail)."""
    n_features, n_phrases = len(index.vocabulary), len(index.doc_labels)
    ptr = index.indptr
    if (len(index.idf) != n_features or len(ptr) != n_features + 1 or len(index.indices) != len(index.data)
            or (len(ptr) and (ptr[0] != 0 or ptr[-1] != len(index.indices) or np.any(np.diff(ptr) < 0)))
            or (len(index.indices) and not 0 <= index.indices.min() <= index.indices.max() < n_phrases)
            or (n_phrases and not 0 <= index.doc_labels.min() <= index.doc_labels.max() < len(index.label_names))):
        raise ValueError("its arrays do not fit together")


class IndexCache:
    """Load a built index from *folder*, or build it and store it there."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def __call__(self, texts: Sequence[str], labels: Sequence[str],
                 build: Callable[[], PhraseIndex]) -> PhraseIndex:
        if self.folder is None:
            return build()
        path = self.folder / f"index-{phrases_key(texts, labels)}.npz"
        try:
            with open(path, "rb") as fh:  # opened here: numpy leaves its own file open when the zip is damaged
                index = PhraseIndex.load(fh)
            _check_shape(index)
            return index
        except (FileNotFoundError, NotADirectoryError):
            pass  # the first start with these phrases, or no cache folder (a file in its place: skipped below)
        except Exception as exc:  # numpy and zipfile raise many kinds (EOFError, BadZipFile, "Bad CRC-32"…)
            reason = str(exc).partition(". ")[0]  # numpy goes on to suggest loading pickles: not for users
            warnings.warn(CareerbotWarning(f"the index cache {path} cannot be read ({type(exc).__name__}: {reason}); "
                                           "it is rebuilt and replaced"), stacklevel=2)
        index = build()
        # A read-only home only costs the next start-up a rebuild.
        store_atomically(path, lambda tmp: index.save(tmp), prefix=".index-")
        return index


class TextCache:
    """What a pure function gave for each text of the knowledge base, kept in *folder* between start-ups.

    The fact finder stems every fact, summary and phrasing at start-up; with
    hundreds of ingested roles that is most of its building. :meth:`load` gives
    the table stored under *key* (a hash of everything the function depends on:
    its code and the lexicon it reads), or an empty one; :meth:`store` replaces
    it. A file that cannot be read is rebuilt with one
    :class:`~bot.errors.CareerbotWarning`; a folder that cannot be written is skipped.
    """

    def __init__(self, folder: Path | None, name: str):
        self.folder = folder
        self.name = name

    @property
    def path(self) -> Path | None:
        return self.folder / f"{self.name}.json" if self.folder is not None else None

    def load(self, key: str) -> dict:
        """The tables stored under *key* (``{}`` when there are none, or for another key)."""
        if self.path is None:
            return {}
        try:
            with open(self.path, encoding="utf-8") as fh:
                data = json.load(fh)
            if not isinstance(data, dict) or data.get("key") != key or not isinstance(data.get("tables"), dict):
                return {}
            return data["tables"]
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except Exception as exc:  # cut short or damaged: rebuilt
            warnings.warn(CareerbotWarning(f"the cache {self.path} cannot be read ({type(exc).__name__}); "
                                           "it is rebuilt and replaced"), stacklevel=3)
            return {}

    def store(self, key: str, tables: dict) -> None:
        """Replace the stored tables by *tables* under *key* (skipped when the folder cannot be written)."""
        if self.path is None:
            return
        store_atomically(self.path, write_json({"key": key, "tables": tables}), prefix=f".{self.name}-")


def text_key(*parts: object) -> str:
    """A hash of *parts* (code bytes, sorted word lists…), for :class:`TextCache` keys."""
    h = hashlib.sha256(b"careerbot-text-cache-v1\n")
    for part in parts:
        h.update(part if isinstance(part, bytes) else json.dumps(part, ensure_ascii=False, sort_keys=True).encode(
            "utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]
