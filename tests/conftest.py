"""Shared fixtures: the bundled bot, the source documents, and small knowledge bases written to a temp dir."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from bot import Bot

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

MINI_KB = {
    "sources.toml": """
        [[source]]
        file = "001_x.txt"
        title = "Fiche AE"
        scope = "France"
    """,
    "roles/ae.toml": """
        id = "ae"
        name = "Account Executive"
        short = "AE"
        aliases = ["account executive", "ae"]
        summary = "Commercial qui signe de nouveaux clients."
        summary_en = "Salesperson who signs new customers."
        sources = ["001_x.txt"]
        related = []

        [topics.definition]
        sources = ["001_x.txt"]

        [[topics.definition.facts]]
        text = "Il conduit le cycle de vente."
        text_en = "The AE runs the sales cycle."
        source = "001_x.txt"
    """,
    "glossary.toml": """
        [[entry]]
        id = "ote"
        title = "OTE"
        title_en = "OTE"
        questions = ["c'est quoi l'ote", "ote définition", "que veut dire ote"]
        answer = "Fixe plus variable à objectif atteint."
        answer_en = "Fixed plus variable at target."
        sources = ["001_x.txt"]
    """,
}


def write_kb(root: Path, files: dict[str, str | None]) -> Path:
    """Write MINI_KB with *files* replacing (or, when None, removing) some of its files; return the folder."""
    merged = {**MINI_KB, **files}
    for name, text in merged.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Bot:
    """The bot built from the bundled knowledge base (built once per test run, cache in a temp dir)."""
    return Bot.load(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The five source documents, from $CAREERBOT_SOURCES or ../shared/seeds; skips when absent."""
    env = os.environ.get("CAREERBOT_SOURCES")
    path = Path(env) if env else ROOT.parent / "shared" / "seeds"
    if not path.is_dir() or not list(path.glob("*.txt")):
        pytest.skip(f"source documents not found at {path} (set CAREERBOT_SOURCES to their folder)")
    return path
