"""A TF-IDF phrase index: fitted once with scikit-learn, queried in plain Python.

scikit-learn learns the vocabulary and the idf weights; the fitted index keeps
them as plain dicts and lists (an inverted index), so answering a question
needs neither scikit-learn nor a sparse-matrix round trip, and the fitted
index pickles small for the start-up cache.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

__all__ = ["analyze", "PhraseIndex"]

_CHAR_NGRAMS = (3, 4, 5)


def analyze(text: str) -> list[str]:
    """Features of an already-normalised text: words, word pairs and character n-grams.

    Character n-grams are taken inside each word padded with spaces (like
    scikit-learn's ``char_wb``), which makes typos cost a few features instead
    of the whole word.

    Examples
    --------
    >>> feats = analyze("gagne kam")
    >>> "w:gagne" in feats and "b:gagne kam" in feats and "c: ka" in feats
    True
    """
    words = text.split()
    feats = [f"w:{w}" for w in words]
    feats.extend(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    for w in words:
        padded = f" {w} "
        size = len(padded)
        for n in _CHAR_NGRAMS:
            if n > size:
                break
            feats.extend(f"c:{padded[i:i + n]}" for i in range(size - n + 1))
    return feats


@dataclass(frozen=True)
class PhraseIndex:
    """Labelled phrasings and their TF-IDF vectors, stored as an inverted index.

    Build it with :meth:`fit`; ask it with :meth:`scores`.
    """

    labels: tuple[str, ...]
    """Label of each indexed phrasing (several phrasings share a label)."""
    vocabulary: dict
    """Feature -> column, as learned by scikit-learn."""
    idf: tuple[float, ...]
    """Inverse document frequency of each column."""
    postings: tuple[tuple[tuple[int, float], ...], ...]
    """Column -> ((phrasing, weight), …) for the phrasings that have it."""

    @classmethod
    def fit(cls, phrases: Sequence[str], labels: Sequence[str]) -> "PhraseIndex":
        """Learn vocabulary and idf from *phrases* (normalised text), each tagged with a label."""
        if len(phrases) != len(labels):
            raise ValueError(f"got {len(phrases)} phrases but {len(labels)} labels; give one label per phrase")
        if not phrases:
            raise ValueError("cannot index zero phrases")
        # Imported here: scikit-learn costs ~0.5 s to import and is needed only to build.
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, norm="l2", dtype=np.float64)
        matrix = vectorizer.fit_transform(list(phrases)).tocsc()
        postings = []
        for col in range(matrix.shape[1]):
            start, end = matrix.indptr[col], matrix.indptr[col + 1]
            postings.append(tuple(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist())))
        vocabulary = {term: int(col) for term, col in vectorizer.vocabulary_.items()}
        return cls(tuple(labels), vocabulary, tuple(vectorizer.idf_.tolist()), tuple(postings))

    def vector(self, text: str) -> dict[int, float]:
        """The query's TF-IDF vector (sublinear tf, l2-normalised over known features)."""
        counts = Counter(col for col in map(self.vocabulary.get, analyze(text)) if col is not None)
        vec = {col: (1.0 + math.log(n)) * self.idf[col] for col, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {col: v / norm for col, v in vec.items()} if norm else {}

    def scores(self, text: str) -> dict[str, float]:
        """Best cosine similarity of *text* to any phrasing of each label (labels with no overlap are absent)."""
        by_phrase: dict[int, float] = {}
        for col, weight in self.vector(text).items():
            for doc, value in self.postings[col]:
                by_phrase[doc] = by_phrase.get(doc, 0.0) + weight * value
        best: dict[str, float] = {}
        labels = self.labels
        for doc, score in by_phrase.items():
            label = labels[doc]
            if score > best.get(label, 0.0):
                best[label] = score
        return best
