"""The phrase index scores exactly as scikit-learn's TfidfVectorizer would."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.index import PhraseIndex, analyze

CORPUS = ["combien gagne un", "quel est le salaire", "c est quoi un", "quelles etudes pour devenir",
          "difference entre et", "pipe coverage quota"]
LABELS = ["salary", "salary", "definition", "studies", "compare", "glossary"]


@pytest.fixture(scope="module")
def fitted():
    vec = TfidfVectorizer(analyzer=analyze, sublinear_tf=True, norm="l2", dtype=np.float64)
    matrix = vec.fit_transform(CORPUS)
    return vec, matrix, PhraseIndex.fit(CORPUS, LABELS)


def sparse(index: PhraseIndex) -> PhraseIndex:
    """A copy of *index* that scores from its postings, as an index larger than DENSE_LIMIT phrasings does."""
    copy = PhraseIndex(index.label_names, index.doc_labels, list(index.vocabulary), index.idf, index.indptr,
                       index.indices, index.data)
    copy._dense = False
    return copy


@pytest.mark.parametrize("dense", [True, False], ids=["word vectors", "postings"])
@pytest.mark.parametrize("query", ["combien gagne", "salair", "quoi", "etudes pour etre", "xyz", "pipe pipe pipe",
                                   "quel salaire quel salaire", "coverage quota quota pipe"])
def test_scores_equal_sklearn_cosine(fitted, query, dense):
    """Both query paths give scikit-learn's cosine similarity, label by label (repeated words and n-grams too)."""
    vec, matrix, index = fitted
    assert index._dense
    expected = (matrix @ vec.transform([query]).T).toarray().ravel()
    got = (index if dense else sparse(index)).scores(query)
    for label in set(LABELS):
        best = max(expected[i] for i, lab in enumerate(LABELS) if lab == label)
        assert got.get(label, 0.0) == pytest.approx(best, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_scores_between_zero_and_one(fitted, text):
    """Scores are cosines: never negative, never above 1, for any input."""
    _, _, index = fitted
    assert all(0.0 <= s <= 1.0 + 1e-9 for s in index.scores(text).values())


def test_fit_rejects_mismatched_labels():
    """One label per phrase, or a clear error."""
    with pytest.raises(ValueError, match="one label per phrase"):
        PhraseIndex.fit(["a b"], [])


WORDS = st.sampled_from(["combien", "gagne", "un", "salaire", "quota", "pipe", "pipes", "quoi", "etudes", "xyz",
                         "entre", "salair", "le", "est"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=12), st.booleans())
def test_word_vectors_score_as_postings(fitted, words, count_unknown):
    """The cached word vectors give the scores the postings give, for any mix of known, unknown and repeated
    words, whatever the questions before (the cache holds vectors of the index alone)."""
    _, _, index = fitted
    text = " ".join(words)
    got = index.scores(text, count_unknown=count_unknown)
    want = sparse(index).scores(text, count_unknown=count_unknown)
    assert got.keys() == want.keys()
    assert all(got[k] == pytest.approx(want[k], abs=1e-12) for k in want)
    assert index.scores(text, count_unknown=count_unknown) == got


def test_cached_word_vectors_are_read_only(fitted):
    """A cached vector cannot be changed in place by a caller (the index is shared between threads)."""
    _, _, index = fitted
    index.scores("combien gagne")
    vec = index._word_vector("combien")
    with pytest.raises(ValueError):
        vec += 1.0
