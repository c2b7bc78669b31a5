"""An on-disk cache of built phrase indexes, keyed by a hash of everything that went into them.

Building an index imports scikit-learn (about half a second); loading a cached
one needs only numpy. Any change to a knowledge or intent file, to
normalisation or to the analyzer changes the key, so a stale index is never used.
A cache that cannot be read or written is silently skipped.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .index import ANALYZER_VERSION, PhraseIndex

__all__ = ["phrases_key", "IndexCache"]


def phrases_key(texts: Sequence[str], labels: Sequence[str]) -> str:
    """A short hash of the phrases and labels an index is built from."""
    h = hashlib.sha256(f"careerbot-index-v{ANALYZER_VERSION}\n".encode())
    for text, label in zip(texts, labels):
        h.update(f"{label}\t{text}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


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
            return PhraseIndex.load(path)
        except (OSError, ValueError, KeyError, UnicodeDecodeError):
            pass  # absent or unreadable: rebuild
        index = build()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".tmp", dir=self.folder)
            os.close(fd)
            try:
                index.save(tmp)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass  # a read-only home only costs the next start-up a rebuild
        return index
