"""The index cache: reused when nothing changed, rebuilt when anything did, skipped when unusable."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from bot import Bot
from bot.index import PhraseIndex


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
    """A truncated or garbage cache file is ignored and replaced."""
    Bot.load(cache_dir=tmp_path)
    (path,) = tmp_path.glob("index-*.npz")
    path.write_bytes(b"not an npz file")
    bot = Bot.load(cache_dir=tmp_path)
    assert bot.ask("combien gagne un KAM").role == "kam"
    PhraseIndex.load(path)  # valid again


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
