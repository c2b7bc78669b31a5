"""The start-up caches of knowledge folders and of the fact finder's stems: reused when nothing changed, rebuilt
when anything did, rebuilt when damaged, skipped when the cache folder cannot be written."""

from __future__ import annotations

import json
import os
import shutil
import warnings

import pytest
from conftest import ROOT

import bot.knowledge as knowledge_module
from bot import Bot, CareerbotWarning
from bot.cache import TextCache
from bot.errors import KnowledgeError
from bot.kbcache import FolderCache, decode, encode
from bot.knowledge import load_knowledge
from bot.sheets import read_sheet, write_roles

SALES_OPS = "# Sales Ops\n\nAussi appelé : sales operations\n\nLe Sales Ops outille l'équipe commerciale.\n\n" \
            "## Salaire\n\nUn Sales Ops débutant gagne environ 38 000 € bruts par an.\n"
REVOPS = "# Revenue Operations Manager\n\nLe RevOps aligne marketing, ventes et service client.\n"


@pytest.fixture()
def ingested(tmp_path):
    """A folder of two ingested roles, as `careerbot ingest` writes it."""
    into = tmp_path / "roles"
    write_roles([read_sheet(SALES_OPS, "sales-ops.md"), read_sheet(REVOPS, "revops.md")], into)
    return into


def _no_toml(monkeypatch):
    """Make any TOML read fail: a load that still works came from the cache."""
    def refuse(path):
        raise AssertionError(f"{path} was parsed")
    monkeypatch.setattr(knowledge_module, "_read_toml", refuse)


def test_an_unchanged_folder_is_read_from_its_copy(tmp_path, ingested, monkeypatch):
    """The second load parses no TOML file and gives the same knowledge."""
    cache = tmp_path / "cache"
    first = load_knowledge(extra=[ingested], cache_dir=cache)
    assert len(list(cache.glob("knowledge-*.json"))) == 2  # the curated base and the ingested folder
    _no_toml(monkeypatch)
    again = load_knowledge(extra=[ingested], cache_dir=cache)
    assert again == first
    assert again.roles["sales-ops"].topics["salary"].figures == first.roles["sales-ops"].topics["salary"].figures


@pytest.mark.parametrize("folder", ["curated", "ingested"])
def test_the_json_copy_gives_back_every_field(folder, ingested):
    """encode then decode is the identity on what a folder holds (roles, topics, facts, figures, entries…)."""
    from bot.knowledge import _Loader

    loader = _Loader(None)
    loader.root = ROOT / "knowledge" if folder == "curated" else ingested
    if folder == "ingested":
        loader.sources = {}
    held = loader.load_folder()
    assert decode(json.loads(json.dumps(encode(held)))) == held


def test_a_changed_sheet_is_read_again(tmp_path, ingested):
    """Re-ingesting a sheet (new text, even of the same length) changes the key: the new facts are answered."""
    cache = tmp_path / "cache"
    load_knowledge(extra=[ingested], cache_dir=cache)
    write_roles([read_sheet(SALES_OPS.replace("outille", "outilLe"), "sales-ops.md")], ingested)
    kb = load_knowledge(extra=[ingested], cache_dir=cache)
    assert kb.roles["sales-ops"].topics["definition"].facts[0].text == "Le Sales Ops outilLe l'équipe commerciale."
    assert len(list(cache.glob("knowledge-*.json"))) == 2  # the folder's copy was replaced, not added to


def test_a_role_file_added_or_removed_is_seen(tmp_path, ingested):
    cache = tmp_path / "cache"
    load_knowledge(extra=[ingested], cache_dir=cache)
    (ingested / "roles" / "revenue-operations-manager.toml").unlink()
    assert "revenue-operations-manager" not in load_knowledge(extra=[ingested], cache_dir=cache).roles
    write_roles([read_sheet("# Growth Hacker\n\nIl teste des canaux d'acquisition.\n", "growth.md")], ingested)
    assert "growth-hacker" in load_knowledge(extra=[ingested], cache_dir=cache).roles


def test_the_topics_allowed_are_part_of_the_key(tmp_path, ingested):
    """A topic id no longer allowed is reported, even when the folder loaded before."""
    cache = tmp_path / "cache"
    load_knowledge(extra=[ingested], cache_dir=cache)
    with pytest.raises(KnowledgeError, match="unknown topic"):
        load_knowledge(extra=[ingested], cache_dir=cache, topic_ids=["definition"])


def test_a_folder_with_an_error_is_never_cached(tmp_path, ingested):
    """The error is raised on every load, cache or not, naming the file."""
    cache = tmp_path / "cache"
    role = ingested / "roles" / "sales-ops.toml"
    role.write_text(role.read_text(encoding="utf-8").replace('id = "sales-ops"', 'id = "Sales Ops"'), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(KnowledgeError, match="invalid id 'Sales Ops'"):
            load_knowledge(extra=[ingested], cache_dir=cache)


@pytest.mark.parametrize("damage", [
    lambda text: "",
    lambda text: text[: len(text) // 2],
    lambda text: "[1, 2, 3]",
    lambda text: json.dumps({**json.loads(text), "folder": {"roles": "nonsense"}}),
    lambda text: text.replace('"facts":', '"fax":', 1),
], ids=["emptied", "cut-in-half", "not-an-object", "wrong-shape", "unknown-field"])
def test_a_damaged_copy_is_rebuilt_with_one_warning(tmp_path, ingested, damage):
    cache = tmp_path / "cache"
    expected = load_knowledge(extra=[ingested], cache_dir=cache)
    path = FolderCache(cache).path_for(ingested)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.warns(CareerbotWarning, match=r"the knowledge cache .*knowledge-\w+\.json cannot be read") as caught:
        assert load_knowledge(extra=[ingested], cache_dir=cache) == expected
    assert len(caught) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # replaced: the next load is silent
        assert load_knowledge(extra=[ingested], cache_dir=cache) == expected


def test_an_unwritable_cache_folder_is_skipped(tmp_path, ingested):
    """A cache folder that cannot be created (a file in the way) costs the TOML, not an error."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bot = Bot.load(extra=[ingested], cache_dir=blocker / "cache")
    assert bot.ask("combien gagne un sales ops ?").role == "sales-ops"


def test_a_read_only_cache_folder_is_skipped(tmp_path, ingested):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o555)
    try:
        if os.access(cache, os.W_OK):
            pytest.skip("this user can write into a read-only folder (root)")
        bot = Bot.load(extra=[ingested], cache_dir=cache)
        assert bot.ask("combien gagne un sales ops ?").role == "sales-ops"
        assert not list(cache.iterdir())
    finally:
        cache.chmod(0o755)


def test_a_copied_folder_gets_its_own_copy(tmp_path, ingested):
    """Two folders with the same files: role files are named from each folder, each has its copy."""
    cache = tmp_path / "cache"
    twin = tmp_path / "twin" / "roles"
    shutil.copytree(ingested, twin)
    a = load_knowledge(extra=[ingested], cache_dir=cache, curated=False)
    b = load_knowledge(extra=[twin], cache_dir=cache, curated=False)
    assert a.roles.keys() == b.roles.keys()
    assert len(list(cache.glob("knowledge-*.json"))) == 2


# ------------------------------------------------------------------------------------------ the stems of the fact finder
def test_the_fact_finder_answers_alike_from_its_stems_cache(tmp_path, ingested):
    """A bot built from cached stems answers exactly as one built without any cache."""
    cache = tmp_path / "cache"
    Bot.load(extra=[ingested], cache_dir=cache)
    assert (cache / "stems.json").is_file()
    cached = Bot.load(extra=[ingested], cache_dir=cache)
    plain = Bot.load(extra=[ingested], cache_dir=None)
    for question in ("combien gagne un sales ops ?", "le sales ops outille qui ?", "salaire du revops en 2024 ?",
                     "un KAM a-t-il un quota annuel ?", "c'est quoi le pipe coverage ?"):
        assert cached.ask(question) == plain.ask(question)


def test_a_stems_cache_of_another_lexicon_is_not_used(tmp_path):
    """The key covers the lexicon: a table stored under another key is ignored, not trusted."""
    memo = TextCache(tmp_path, "stems")
    memo.store("another-key", {"stems": {"Le KAM gère des comptes clés.": ["zzz"]}, "per": {}})
    assert memo.load("this-key") == {}


@pytest.mark.parametrize("content", ["", "{", '{"key": 1}', '{"key": "k", "tables": {"stems": {"a": [1]}}}'],
                         ids=["empty", "cut", "no-tables", "wrong-types"])
def test_a_damaged_stems_cache_is_rebuilt(tmp_path, content):
    """Whatever the file holds, the bot builds and answers; a file that is not JSON warns once."""
    cache = tmp_path / "cache"
    expected = Bot.load(cache_dir=None).ask("combien gagne un KAM ?")
    cache.mkdir()
    (cache / "stems.json").write_text(content, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert Bot.load(cache_dir=cache).ask("combien gagne un KAM ?") == expected
    assert len([w for w in caught if "stems.json" in str(w.message)]) == (1 if content in ("", "{") else 0)
    assert json.loads((cache / "stems.json").read_text(encoding="utf-8"))["tables"]["stems"]
