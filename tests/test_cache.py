"""The index cache: reused when nothing changed, rebuilt when anything did, skipped when unusable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings

import pytest
from conftest import ROOT

from bot import Bot, CareerbotWarning
from bot.cache import IndexCache
from bot.index import PhraseIndex

TEXTS = ["combien gagne", "c est quoi", "difference entre"]
LABELS = ["salary", "definition", "compare"]


def _build() -> PhraseIndex:
    return PhraseIndex.fit(TEXTS, LABELS)


def _load_reports_sklearn(cache) -> bool:
    code = ("import sys; from bot import Bot; b = Bot.load(cache_dir=sys.argv[1]); "
            "assert b.ask('combien gagne un KAM').role == 'kam'; print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(cache)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip() == "True"


def test_second_start_loads_the_cached_index_without_scikit_learn(tmp_path):
    """The first start builds with scikit-learn and caches; the next one only loads the .npz."""
    assert _load_reports_sklearn(tmp_path) is True
    assert list(tmp_path.glob("index-*.npz"))
    assert _load_reports_sklearn(tmp_path) is False


def test_a_changed_knowledge_file_rebuilds_the_index(tmp_path):
    """Editing a phrasing changes the cache key: the new phrasing is understood at once."""
    kb = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", kb)
    cache = tmp_path / "cache"
    Bot.load(kb, cache_dir=cache)
    glossary = kb / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        'keywords = ["ote", ', 'keywords = ["ote", "zorglub", ', 1), encoding="utf-8")
    bot = Bot.load(kb, cache_dir=cache)
    assert len(list(cache.glob("index-*.npz"))) == 2
    answer = bot.ask("c'est quoi le zorglub ?")
    assert (answer.intent, answer.topic) == ("glossary", "ote")


def test_a_corrupted_cache_file_is_rebuilt(tmp_path):
    """A garbage cache file is ignored and replaced: the bot answers."""
    Bot.load(cache_dir=tmp_path)
    (path,) = tmp_path.glob("index-*.npz")
    path.write_bytes(b"not an npz file")
    with pytest.warns(CareerbotWarning):
        bot = Bot.load(cache_dir=tmp_path)
    assert bot.ask("combien gagne un KAM").role == "kam"
    PhraseIndex.load(path)  # valid again


def _flip_middle(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 16]) + data[middle + 16:]


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[: len(data) // 2],
    _flip_middle,
], ids=["emptied", "cut-in-half", "flipped-bytes"])
def test_a_damaged_cache_file_is_rebuilt_and_replaced_with_one_warning(tmp_path, damage):
    """EOFError, BadZipFile, "Bad CRC-32"…: whatever numpy raises, the index is rebuilt, one warning says so, the
    file is replaced, and the next load is silent."""
    cache = IndexCache(tmp_path)
    expected = cache(TEXTS, LABELS, _build).scores("combien gagne")
    (path,) = tmp_path.glob("index-*.npz")
    path.write_bytes(damage(path.read_bytes()))
    with pytest.warns(CareerbotWarning, match=r"the index cache .*index-\w+\.npz cannot be read \(.+\); "
                                             r"it is rebuilt and replaced") as caught:
        index = cache(TEXTS, LABELS, _build)
    assert len(caught) == 1
    assert index.scores("combien gagne") == pytest.approx(expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cache(TEXTS, LABELS, _build).scores("combien gagne") == pytest.approx(expected)


def test_a_saved_cache_file_is_synced_to_disk_before_it_is_renamed_into_place(tmp_path, monkeypatch):
    """fsync before the rename: a crash right after it leaves the old file or the whole new one, never an empty one."""
    events = []
    fsync, replace = os.fsync, os.replace

    def logged_fsync(fd):
        events.append(("fsync", os.fstat(fd).st_ino))
        fsync(fd)

    def logged_replace(src, dst):
        events.append(("replace", os.stat(src).st_ino))
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", logged_fsync)
    monkeypatch.setattr(os, "replace", logged_replace)
    IndexCache(tmp_path)(TEXTS, LABELS, _build)
    (renamed,) = [inode for what, inode in events if what == "replace"]
    assert events.index(("fsync", renamed)) < events.index(("replace", renamed))


def test_an_unwritable_cache_folder_is_skipped(tmp_path):
    """A cache folder that cannot be created costs a rebuild, not an error."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bot = Bot.load(cache_dir=blocker / "cache")
    assert bot.ask("combien gagne un KAM").role == "kam"


def test_saved_index_scores_like_the_fitted_one(tmp_path, bot):
    """save() then load() gives the same scores."""
    index = bot._understanding.index
    index.save(tmp_path / "i.npz")
    loaded = PhraseIndex.load(tmp_path / "i.npz")
    for text in ("combien gagne", "difference entre", "zzz", "c est quoi ote"):
        assert loaded.scores(text) == pytest.approx(index.scores(text))


def test_parsed_intent_files_are_reused_while_unchanged_and_parsed_again_once_edited(tmp_path):
    """The intent files' parsed tables are kept (toml-*.json) and read back equal; an edited file gets new ones."""
    from bot.intents import load_intents
    from bot.tomlfile import ParsedCache, read_toml

    cache = ParsedCache(tmp_path / "cache")
    first = load_intents(cache=cache)
    stored = sorted((tmp_path / "cache").glob("toml-*.json"))
    assert stored
    assert load_intents(cache=cache) == first == load_intents()
    assert sorted((tmp_path / "cache").glob("toml-*.json")) == stored
    edited = tmp_path / "compare.toml"
    edited.write_text('cues = ["vs"]\n', encoding="utf-8")
    assert read_toml(edited, cache) == {"cues": ["vs"]}
    edited.write_text('cues = ["vs", "ou"]\n', encoding="utf-8")
    assert read_toml(edited, cache) == {"cues": ["vs", "ou"]}
    assert len(list((tmp_path / "cache").glob("toml-*.json"))) == len(stored) + 2


def test_a_damaged_parsed_file_is_parsed_again_with_one_warning(tmp_path):
    from bot.tomlfile import ParsedCache, read_toml

    cache = ParsedCache(tmp_path / "cache")
    source = tmp_path / "tasks.toml"
    source.write_text('answer = "ok"\n', encoding="utf-8")
    read_toml(source, cache)
    (stored,) = (tmp_path / "cache").glob("toml-*.json")
    stored.write_text('{"answer": "o', encoding="utf-8")
    with pytest.warns(CareerbotWarning, match="cannot be read"):
        assert read_toml(source, cache) == {"answer": "ok"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_toml(source, cache) == {"answer": "ok"}
