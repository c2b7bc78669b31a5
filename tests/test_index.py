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


@pytest.mark.parametrize("query", ["combien gagne", "salair", "quoi", "etudes pour etre", "xyz", "pipe pipe pipe"])
def test_scores_equal_sklearn_cosine(fitted, query):
    """The pure-Python query path gives scikit-learn's cosine similarity, label by label."""
    vec, matrix, index = fitted
    expected = (matrix @ vec.transform([query]).T).toarray().ravel()
    got = index.scores(query)
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
