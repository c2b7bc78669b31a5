"""A TF-IDF phrase index: fitted once with scikit-learn, queried with a few numpy operations.

scikit-learn learns the vocabulary and the idf weights; the fitted index keeps
them as a dict and numpy arrays (the phrase matrix in compressed-column form),
so answering a question needs neither scikit-learn nor scipy, and the index
saves to and loads from an ``.npz`` file without pickle for the start-up cache.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from operator import mul
from pathlib import Path
from typing import IO

import numpy as np

__all__ = ["analyze", "PhraseIndex", "ANALYZER_VERSION", "DENSE_LIMIT"]

_CHAR_NGRAMS = (3, 4, 5)
DENSE_LIMIT = 4096
"""Indexes of at most this many phrasings score a question with cached dense word vectors (see
:meth:`PhraseIndex.scores`); larger ones from the postings of its features."""
_DENSE_BYTES = 8_000_000
"""About how much memory each cache of dense vectors (words, columns) may take."""
ANALYZER_VERSION = 1
"""Bump when :func:`analyze` changes, so cached indexes are rebuilt."""


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
    feats.extend(f"b:{a} {b}" for a, b in pairwise(words))
    for w in words:
        feats.extend(_char_grams(w))
    return feats


@lru_cache(maxsize=4096)
def _char_grams(word: str) -> tuple[str, ...]:
    """The character n-gram features of one word (the same few hundred words come back in every question)."""
    padded = f" {word} "
    size = len(padded)
    return tuple(f"c:{padded[i:i + n]}" for n in _CHAR_NGRAMS if n <= size for i in range(size - n + 1))


class PhraseIndex:
    """Labelled phrasings and their TF-IDF vectors; :meth:`scores` gives each label's best cosine.

    Build with :meth:`fit` (needs scikit-learn) or :meth:`load` (a saved index).
    Instances are not changed after construction and are safe to share between threads.
    """

    def __init__(self, label_names: Sequence[str], doc_labels: np.ndarray, features: Sequence[str],
                 idf: np.ndarray, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray):
        self.label_names = tuple(label_names)
        self.doc_labels = doc_labels
        self.vocabulary = {f: i for i, f in enumerate(features)}
        self.idf = idf
        # Scalars read one at a time are quicker from a list than from a numpy array.
        self._idf = idf.tolist()
        self._max_idf = float(idf.max()) if len(idf) else 0.0
        self.indptr, self.indices, self.data = indptr, indices, data
        # Phrases are stored grouped by label, so a label's best score is one reduceat.
        self._starts = np.flatnonzero(np.r_[True, doc_labels[1:] != doc_labels[:-1]]) if len(doc_labels) else doc_labels
        self._positions = {name: i for i, name in enumerate(self.label_names)}
        self._lengths = np.diff(indptr) if len(indptr) else indptr
        # A word's feature columns (its "w:" feature, then its character n-grams; None when unknown),
        # looked up once per distinct word: the same few hundred words come back in every question.
        self._word_columns = lru_cache(maxsize=4096)(self._columns_of_word)
        # A small index (the curated base's ~700 phrasings) scores a question by adding, for each of its words,
        # the dense vector of that word's features over all phrasings, kept from one question to the next:
        # a few numpy additions instead of gathering every posting. A large one gathers postings (below).
        self._dense = 0 < self.n_phrases <= DENSE_LIMIT
        size = max(16, min(4096, _DENSE_BYTES // (8 * max(1, self.n_phrases))))
        self._word_vector = lru_cache(maxsize=size)(self._dense_of_word)
        self._column_vector = lru_cache(maxsize=size)(self._dense_of_column)

    def _columns_of_word(self, word: str) -> tuple[int | None, tuple[int | None, ...]]:
        get = self.vocabulary.get
        return get(f"w:{word}"), tuple(map(get, _char_grams(word)))

    def _postings(self, cols: Sequence[int], weights: Sequence[float]) -> np.ndarray:
        """The sum of *weights* times the phrase-matrix columns *cols*, as one value per phrasing."""
        cols_array = np.asarray(cols, dtype=np.int64)
        starts, lengths = self.indptr[cols_array], self._lengths[cols_array]
        total = int(lengths.sum())
        # Concatenate the postings of all columns without a Python loop.
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        return np.bincount(self.indices[offsets],
                           weights=self.data[offsets] * np.repeat(np.asarray(weights, dtype=np.float64), lengths),
                           minlength=self.n_phrases)

    def _dense_of_word(self, word: str) -> np.ndarray | None:
        """idf times the columns of *word*'s features (its "w:" feature and each of its character n-grams, as
        often as it holds them) over all phrasings; None when the index knows none of them."""
        own, grams = self._word_columns(word)
        cols = [c for c in (own, *grams) if c is not None]
        if not cols:
            return None
        vec = self._postings(cols, [self._idf[c] for c in cols])
        vec.setflags(write=False)
        return vec

    def _dense_of_column(self, col: int) -> np.ndarray:
        """idf times one column of the phrase matrix (a word pair, or a feature a question holds twice)."""
        vec = self._postings([col], [self._idf[col]])
        vec.setflags(write=False)
        return vec

    @property
    def n_phrases(self) -> int:
        return len(self.doc_labels)

    @classmethod
    def fit(cls, phrases: Sequence[str], labels: Sequence[str]) -> PhraseIndex:
        """Learn vocabulary and idf from *phrases* (normalised text), each tagged with a label."""
        if len(phrases) != len(labels):
            raise ValueError(f"got {len(phrases)} phrases but {len(labels)} labels; give one label per phrase")
        if not phrases:
            raise ValueError("cannot index zero phrases")
        # Imported here: scikit-learn costs ~0.5 s to import and is needed only to build.
        from sklearn.feature_extraction.text import TfidfVectorizer

        names = sorted(set(labels))
        code = {name: i for i, name in enumerate(names)}
        order = sorted(range(len(phrases)), key=lambda i: code[labels[i]])
        vectorizer = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, norm="l2", dtype=np.float64)
        matrix = vectorizer.fit_transform([phrases[i] for i in order]).tocsc()
        matrix.sort_indices()
        features: list[str] = [""] * len(vectorizer.vocabulary_)
        for term, col in vectorizer.vocabulary_.items():
            features[col] = term
        doc_labels = np.array([code[labels[i]] for i in order], dtype=np.int32)
        return cls(names, doc_labels, features, vectorizer.idf_.astype(np.float64),
                   matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32), matrix.data.astype(np.float64))

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """Write the index to *path* (``.npz``, no pickle)."""
        features: list[str | None] = [None] * len(self.vocabulary)
        for term, col in self.vocabulary.items():
            features[col] = term
        meta = json.dumps({"labels": self.label_names, "features": features}, ensure_ascii=False)
        with open(path, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(meta.encode("utf-8"), dtype=np.uint8), doc_labels=self.doc_labels,
                     idf=self.idf, indptr=self.indptr, indices=self.indices, data=self.data)

    @classmethod
    def load(cls, path: str | Path | IO[bytes]) -> PhraseIndex:
        """Read an index written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as npz:
            meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
            return cls(meta["labels"], npz["doc_labels"], meta["features"], npz["idf"], npz["indptr"],
                       npz["indices"], npz["data"])

    # ------------------------------------------------------------------ querying
    def vector(self, text: str, *, count_unknown: bool = False) -> dict[int, float]:
        """The query's TF-IDF vector (sublinear tf, l2-normalised).

        scikit-learn normalises over the features the index knows, so words the
        index has never seen do not lower a match. With *count_unknown*, unseen
        features count in the norm at the highest idf: a query mostly about
        something else then scores low.
        """
        # The columns of analyze(text)'s features, in the same order.
        words = text.split()
        columns = [self._word_columns(w) for w in words]
        get = self.vocabulary.get
        found: list[int | None] = [w for w, _ in columns]
        found.extend(get(f"b:{a} {b}") for a, b in pairwise(words))
        for _, grams in columns:
            found.extend(grams)
        counts: Counter[int | None] = Counter(found)
        unknown = counts.pop(None, 0)
        idf, log = self._idf, math.log
        vec = {col: (1.0 + log(n)) * idf[col] if n > 1 else idf[col] for col, n in counts.items() if col is not None}
        squares = sum(v * v for v in vec.values())
        if count_unknown and unknown and idf:
            squares += unknown * self._max_idf ** 2
        norm = math.sqrt(squares)
        return {col: v / norm for col, v in vec.items()} if norm else {}

    def scores(self, text: str, *, top: int | None = None, always=(), count_unknown: bool = False) -> dict[str, float]:
        """Best cosine similarity of *text* to any phrasing of each label (labels with no overlap are absent).

        With *top*, only the *top* best labels are returned, plus the label ids in
        *always*: the work then stays small however many labels there are.
        *count_unknown* is passed to :meth:`vector`.
        """
        if self._dense:
            best_array = self._dense_best(text, count_unknown)
        else:
            by_phrase = self._sparse_scores(text, count_unknown)
            # Every label has at least one phrase, so group i is label i.
            best_array = None if by_phrase is None else np.maximum.reduceat(by_phrase, self._starts)
        if best_array is None:
            return {}
        best = best_array.tolist()
        chosen: Iterable[int] = range(len(best))
        if top is not None and top < len(best):
            chosen = sorted({*best_array.argpartition(-top)[-top:].tolist(), *always})
        names = self.label_names
        return {names[i]: score for i in chosen if (score := best[i]) > 0}

    def _sparse_scores(self, text: str, count_unknown: bool) -> np.ndarray | None:
        """The cosine of *text* to every phrasing, from the postings of its features."""
        vec = self.vector(text, count_unknown=count_unknown)
        if not vec:
            return None
        return self._postings(list(vec), list(vec.values()))

    def _dense_best(self, text: str, count_unknown: bool) -> np.ndarray | None:
        """Each label's best cosine to *text*, from the cached vectors of its words (see :meth:`vector`: the same
        weights, summed in another order)."""
        words = text.split()
        columns = list(map(self._word_columns, words))
        get = self.vocabulary.get
        pairs = [get(f"b:{a} {b}") for a, b in pairwise(words)]
        found: list[int | None] = [w for w, _ in columns]
        found.extend(pairs)
        for _, grams in columns:
            found.extend(grams)
        counts: Counter[int | None] = Counter(found)
        unknown = counts.pop(None, 0)
        if not counts:
            return None
        idf, log = self._idf, math.log
        weights = list(map(idf.__getitem__, counts))  # (None was popped)
        # Most questions hold each feature once (then every count is 1): the sublinear tf of the others.
        repeated = len(counts) + unknown < len(found)
        if repeated:
            for i, n in enumerate(counts.values()):
                if n > 1:
                    weights[i] = (1.0 + log(n)) * weights[i]
        squares = sum(map(mul, weights, weights))  # the order and rounding of vector()'s sum
        if count_unknown and unknown and idf:
            squares += unknown * self._max_idf ** 2
        norm = math.sqrt(squares)
        if not norm:
            return None
        # Each word's vector holds idf x column once for every time the word holds the feature; a feature the
        # question holds n > 1 times weighs 1 + log n (sublinear tf), not n: the difference is taken off after.
        # (The sum starts from the first vector, not from zeros: adding these non-negative sums to 0.0 changes none.)
        vectors = [vec for vec in map(self._word_vector, words) if vec is not None]
        vectors.extend(self._column_vector(col) for col in pairs if col is not None)
        total = vectors[0].copy() if vectors else np.zeros(self.n_phrases)
        for vec in vectors[1:]:
            total += vec
        if repeated:
            for col, n in counts.items():
                if n > 1:
                    total += (1.0 + log(n) - n) * self._column_vector(col)
        # Every label has at least one phrase, so group i is label i. Each label's best divided by the norm is the
        # best of its phrasings' divided scores (dividing by one positive number never reverses two of them):
        # 50 divisions instead of 700.
        best = np.maximum.reduceat(total, self._starts)
        best /= norm
        return best

    def label_ids(self, names) -> list[int]:
        """Ids of the labels called *names* (unknown names are skipped)."""
        position = self._positions
        return [position[n] for n in names if n in position]
