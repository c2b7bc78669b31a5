"""Invariants for any input: normalising is idempotent, and any string gets an Answer, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import MAX_QUESTION_CHARS, Answer
from bot.normalise import fold, match_key, tokenize

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
AWKWARD = st.sampled_from([
    "", " ", "\t\n", "???", "!!!…", "🙂🙂", "مرحبا كم راتب", "שלום", "\x00\x01\x02", "e\u0301tudes",
    "kam " * 400, "a" * 5000, "\u202eKAM", "\ufeffcombien gagne un kam", "SELECT * FROM users;", "{role}",
    "' OR 1=1 --", "../../etc/passwd", "${jndi:ldap://x}", "__import__('os')", "C:\\Windows\\system32",
])


@given(ANY_TEXT)
def test_fold_is_idempotent(text):
    """Folding twice equals folding once."""
    assert fold(fold(text)) == fold(text)


def _fold_by_whole_decomposition(text: str) -> str:
    """What :func:`fold` means, written the slow way: full Unicode decomposition of the whole text."""
    import re
    import unicodedata

    def decomposed(s: str) -> str:
        for _ in range(2):
            s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch)).lower()
        return s

    apostrophes = str.maketrans(dict.fromkeys("’‘`´ʼ‛", "'"))
    ligatures = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "€": " euros ", "$": " dollars ", "×": " x "})
    return re.sub(r"[‐‑‒–—―−]", "-", decomposed(text.translate(apostrophes)).translate(apostrophes).translate(ligatures))


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x3000), max_size=40))
def test_fold_shortcut_for_latin_letters_changes_nothing(text):
    """The table that folds accented Latin letters in one pass gives what full Unicode decomposition gives."""
    assert fold(text) == _fold_by_whole_decomposition(text)


@given(ANY_TEXT)
def test_fold_character_by_character_changes_nothing(text):
    """Other characters are folded one distinct character at a time: the same as decomposing the whole text."""
    assert fold(text) == _fold_by_whole_decomposition(text)


@pytest.mark.parametrize("text", ["ΟΔΟΣ «vente»", "Σ", "aΣ b", "ΣΑΣ…", "«𝚺A𝚺»", "x\u03a3\u0301y"])
def test_fold_keeps_the_sigma_of_a_word_end(text):
    """A capital sigma lower-cases by its place in the word (σ or ς): such text is folded whole."""
    assert fold(text) == _fold_by_whole_decomposition(text)


@given(ANY_TEXT)
def test_tokens_are_plain_lowercase_words(text):
    """Tokens never hold accents, capitals, spaces or punctuation."""
    for tok in tokenize(text):
        assert tok and tok == tok.lower() and " " not in tok
        assert all(ch.isalnum() or ch == "+" for ch in tok)


@given(ANY_TEXT)
def test_match_key_ignores_spacing(text):
    """match_key is blind to white space, so '60 000' and '60000' match."""
    assert match_key(text) == match_key(" ".join(text.split()))


def _check(answer, text):
    assert isinstance(answer, Answer)
    assert isinstance(answer.text, str) and answer.text
    assert 0.0 <= answer.confidence <= 1.0
    assert json.loads(json.dumps(answer.to_dict()))["intent"] == answer.intent
    if len(text) > MAX_QUESTION_CHARS:
        assert answer.notice and str(MAX_QUESTION_CHARS) in answer.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ANY_TEXT)
def test_any_string_gets_an_answer(bot, text):
    """Whatever the text, ask() returns a well-formed Answer."""
    _check(bot.ask(text), text)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(AWKWARD)
def test_awkward_strings_get_an_answer(bot, text):
    """Empty, emoji, right-to-left, control characters, NUL, huge and injection-looking input all get an Answer."""
    session = bot.new_session()
    _check(bot.ask(text, session), text)
    # ...and the conversation still works afterwards.
    assert bot.ask("combien gagne un KAM ?", session).role == "kam"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ANY_TEXT, max_size=5))
def test_sessions_survive_any_sequence(bot, texts):
    """A conversation fed any sequence of strings keeps answering."""
    session = bot.new_session()
    for text in texts:
        _check(bot.ask(text, session), text)


WORDS = st.sampled_from(["un", "ae", "de", "combien", "salaire"])
PHRASE_TABLES = st.frozensets(st.lists(WORDS, min_size=1, max_size=4).map(tuple), max_size=6)


@given(st.lists(WORDS, max_size=9), PHRASE_TABLES)
def test_phrase_runs_are_found_as_a_slow_scan_finds_them(tokens, table):
    """has_phrase and phrase_ends (word runs made with zip, looked up in one set operation) agree with a plain scan
    of every run of every length, for token lists and tuples alike."""
    from bot.clauses import has_phrase, phrase_ends

    runs = [(i, tuple(tokens[i:j])) for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)]
    ends = {i + len(run) for i, run in runs if run in table}
    assert has_phrase(tokens, table) == bool(ends) == has_phrase(tuple(tokens), table)
    assert phrase_ends(tokens, table) == ends == phrase_ends(tuple(tokens), table)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["salaire", "net", "junior", "usa", "alice", "arr", "ecris", "poeme", "bot", "de", "un"]),
                max_size=8))
def test_merged_tables_find_what_each_table_finds(bot, tokens):
    """The query reader's merged look-up finds, for each of its tables, what a look-up in that table alone finds."""
    from bot.query import grams, lookup

    reader = bot._understanding.queries
    runs = grams(tokens)
    found = reader._look(runs)
    tables = {"place": reader.place_table, "level": reader.level_table, "net": reader.net_table,
              "entry": reader.entry_table, "example": reader.example_table, "task_phrase": reader._task_phrases,
              "task_verb": reader._task_verbs, "task_object": reader._task_objects,
              "smalltalk": reader._smalltalk_cues}
    for kind, table in tables.items():
        assert found.get(kind, set()) == lookup(table, runs), kind
