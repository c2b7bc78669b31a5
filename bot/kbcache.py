"""An on-disk copy of each loaded knowledge folder, so that later start-ups skip reading its TOML.

With hundreds of sheets ingested as roles, parsing ``roles/*.toml`` with tomllib
and checking every table is most of the start-up. A folder that loaded without
error is written as one JSON file in the cache folder (``knowledge-<hash of the
folder's path>.json``), under a key hashed from everything its loading depended
on: the bytes of every file the loader reads there, the folder's path as given,
the topics allowed, the sources known from the folders loaded before it, and the
loader's own code. Any change gives another key, and the folder is read again
and its copy replaced; a copy that cannot be read (cut short, damaged, written
by another version) is rebuilt with one :class:`~bot.errors.CareerbotWarning`;
a cache folder that cannot be written is skipped. JSON, not pickle: a cache file
is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import CareerbotWarning
from .knowledge import Comparison, Entry, Example, Fact, Folder, Role, SalaryFigure, Source, Topic
from .outfile import store_atomically, write_json

__all__ = ["FolderCache", "folder_files", "folder_key", "encode", "decode"]

FORMAT = 1
"""Bump when the JSON layout changes."""

_CODE = tuple(Path(__file__).with_name(name) for name in ("knowledge.py", "tomlfile.py", "kbcache.py"))
_FILES = ("sources.toml", "glossary.toml", "practices.toml", "extracted.toml", "examples.toml", "comparisons.toml")


def folder_files(root: Path) -> list[Path]:
    """Every file the loader reads in *root* (a missing optional file is no file)."""
    roles = sorted((root / "roles").glob("*.toml"))
    return [root / _FILES[0], *roles, *(p for p in (root / name for name in _FILES[1:]) if p.exists())]


# ---------------------------------------------------------------- JSON form
# Each record is a dict of the fields that differ from their default; tuples become lists.
_DEFAULTS: dict[type, dict[str, Any]] = {}


def _plain(obj: Any) -> dict[str, Any]:
    defaults = _DEFAULTS.get(type(obj))
    if defaults is None:
        defaults = {f.name: f.default for f in fields(obj)}
        _DEFAULTS[type(obj)] = defaults
    out = {}
    for name, default in defaults.items():
        value = getattr(obj, name)
        if value != default:
            out[name] = value
    return out


def _encode_topic(topic: Topic) -> dict[str, Any]:
    out = _plain(topic)
    out["facts"] = [_plain(f) for f in topic.facts]
    if topic.figures:
        out["figures"] = [_plain(f) for f in topic.figures]
    return out


def _encode_role(role: Role) -> dict[str, Any]:
    out = _plain(role)
    out["topics"] = [_encode_topic(t) for t in role.topics.values()]
    return out


def encode(folder: Folder) -> dict[str, Any]:
    """*folder* as JSON-ready data."""
    return {"sources": [_plain(s) for s in folder.sources], "roles": [_encode_role(r) for r in folder.roles],
            "entries": [_plain(e) for e in folder.entries], "examples": [_plain(e) for e in folder.examples],
            "comparisons": [_plain(c) for c in folder.comparisons]}


def _tuples(data: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if name in data:
            data[name] = tuple(data[name])
    return data


def _decode_fact(data: dict[str, Any]) -> Fact:
    if "keywords" in data:
        data["keywords"] = tuple(data["keywords"])
    return Fact(**data)


def _decode_topic(data: dict[str, Any]) -> Topic:
    data["facts"] = tuple(map(_decode_fact, data["facts"]))
    if "figures" in data:
        data["figures"] = tuple(SalaryFigure(**f) for f in data["figures"])
    return Topic(**_tuples(data, "sources", "questions"))


def _decode_role(data: dict[str, Any]) -> Role:
    data["topics"] = MappingProxyType({t.id: t for t in map(_decode_topic, data["topics"])})
    return Role(**_tuples(data, "aliases", "sources", "related"))


def _decode_example(data: dict[str, Any]) -> Example:
    if "figures" in data:
        data["figures"] = tuple(tuple(f) for f in data["figures"])
    return Example(**_tuples(data, "aliases", "labels_en"))


def decode(data: dict[str, Any]) -> Folder:
    """The :class:`Folder` :func:`encode` wrote (KeyError, TypeError… on anything else)."""
    return Folder(
        sources=tuple(Source(**s) for s in data["sources"]),
        roles=tuple(map(_decode_role, data["roles"])),
        entries=tuple(Entry(**_tuples(e, "sources", "questions", "keywords", "roles")) for e in data["entries"]),
        examples=tuple(map(_decode_example, data["examples"])),
        comparisons=tuple(Comparison(**_tuples(c, "roles", "sources")) for c in data["comparisons"]),
    )


# ---------------------------------------------------------------- the cache
def folder_key(root: Path, files: Iterable[Path], topic_ids: Iterable[str] | None, known: Iterable[str]) -> str:
    """A hash of everything loading *root* depends on."""
    h = hashlib.sha256(f"careerbot-knowledge-v{FORMAT}\n{root}\n".encode("utf-8", "surrogatepass"))
    for code in _CODE:
        h.update(code.read_bytes())
    h.update(("\t".join(sorted(topic_ids)) if topic_ids is not None else "(any topic)").encode())
    h.update(("\n" + "\t".join(sorted(known)) + "\n").encode("utf-8", "surrogatepass"))
    for path in files:
        data = path.read_bytes()
        h.update(f"{path.relative_to(root)}\t{len(data)}\n".encode("utf-8", "surrogatepass"))
        h.update(data)
    return h.hexdigest()[:32]


class FolderCache:
    """Load a knowledge folder's copy from *cache_dir*, or load the folder and store its copy there."""

    def __init__(self, cache_dir: Path | None):
        self.cache_dir = cache_dir

    def path_for(self, root: Path) -> Path:
        """The cache file of the folder *root*."""
        name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.cache_dir / f"knowledge-{name}.json"  # type: ignore[operator]

    def __call__(self, root: Path, topic_ids: Iterable[str] | None, known: Iterable[str],
                 load: Callable[[], Folder]) -> Folder:
        if self.cache_dir is None:
            return load()
        try:
            key = folder_key(root, folder_files(root), topic_ids, known)
        except OSError:
            return load()  # a file cannot be read: the loader says which, and why
        path = self.path_for(root)
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if data.get("key") == key:
                return decode(data["folder"])
        except (FileNotFoundError, NotADirectoryError):
            pass  # the first start with this folder, or no cache folder (a file in its place: skipped below)
        except Exception as exc:  # cut short, damaged, or not what encode() writes
            warnings.warn(CareerbotWarning(f"the knowledge cache {path} cannot be read ({type(exc).__name__}); "
                                           "the folder is read again and the copy replaced"), stacklevel=3)
        folder = load()
        # A read-only cache folder only costs the next start-up the TOML.
        store_atomically(path, write_json({"key": key, "folder": encode(folder)}), prefix=".knowledge-")
        return folder
