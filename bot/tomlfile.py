"""Read TOML data files and check their tables field by field (every mistake a KnowledgeError); write simple TOML."""

from __future__ import annotations

import errno
import hashlib
import json
import re
import warnings
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from .errors import CareerbotWarning, KnowledgeError
from .outfile import store_atomically, write_json

__all__ = ["Table", "read_toml", "to_toml", "MAX_TEXT_CHARS", "ParsedCache"]

MAX_TEXT_CHARS = 20_000
"""The longest text a field may hold (an answer is a few hundred characters; the longest curated one ~1,100)."""

_str = str  # Table.str shadows the builtin inside the class body
_bool = bool  # and Table.bool the other one


class Table:
    """Typed access to one TOML table that turns every mistake into a KnowledgeError."""

    def __init__(self, data, file: Path | str, entry: str | None, *, monolingual: bool = False):
        if not isinstance(data, dict):
            raise KnowledgeError(file, entry, f"expected a table, got {type(data).__name__}",
                                 "write it as [table] or [[array-of-tables]] with key = value lines")
        self.data, self.file, self.entry = data, file, entry
        self.used: set[str] = set()
        self.monolingual = monolingual
        """Written in one language (a role ingested from a sheet): :meth:`twin` asks for no English twin."""

    def error(self, problem: str, fix: str) -> KnowledgeError:
        return KnowledgeError(self.file, self.entry, problem, fix)

    def str(self, key: str, *, required: bool = True, nonempty: bool = True) -> str:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.error(f"missing required field '{key}'", self._missing_fix(key, f'add {key} = "…"'))
            return ""
        if not isinstance(value, str):
            raise self.error(f"field '{key}' must be a string, got {type(value).__name__}",
                             f"write {key} = \"…\"")
        if required and nonempty and not value.strip():
            raise self.error(f"field '{key}' is empty", f"write the {key} text, or remove the entry")
        self._check_size(key, value)
        return value.strip()

    def _check_size(self, key: _str, value: _str) -> None:
        # A chat answer of megabytes is a mistake (a pasted file); it would also be searched at every question.
        if len(value) > MAX_TEXT_CHARS:
            raise self.error(f"field '{key}' is {len(value):,} characters long, "
                             f"more than the {MAX_TEXT_CHARS:,} allowed", "shorten it, or split it into several entries")

    def _missing_fix(self, key: _str, fix: _str) -> _str:
        # A misspelt field name is the usual cause: point at it.
        import difflib

        close = difflib.get_close_matches(key, [k for k in self.data if isinstance(k, str)], n=1, cutoff=0.7)
        return f"rename '{close[0]}' to '{key}'" if close else fix

    def strs(self, key: _str, *, required: bool = False, min_items: int = 0) -> tuple[_str, ...]:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            if required or min_items:
                raise self.error(f"missing required field '{key}'", self._missing_fix(key, f'add {key} = ["…", "…"]'))
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"field '{key}' must be a list of strings", f"write {key} = [\"…\", \"…\"]")
        for v in value:
            self._check_size(key, v)
        items = tuple(v.strip() for v in value if v.strip())
        if len(items) < min_items:
            raise self.error(f"field '{key}' has {len(items)} item(s), at least {min_items} are needed",
                             f"add more {key}")
        return items

    def bool(self, key: _str) -> bool:
        """A true/false field; absent means false."""
        self.used.add(key)
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"field '{key}' must be true or false, got {value!r}", f"write {key} = true")
        return value

    def number(self, key: _str) -> float | None:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise self.error(f"field '{key}' must be a positive number, got {value!r}", f"write {key} = 3")
        return float(value)

    def tables(self, key: _str) -> list:
        self.used.add(key)
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.error(f"'{key}' must be an array of tables", f"write each one as [[{key}]]")
        return value

    def table(self, key: _str) -> dict:
        self.used.add(key)
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.error(f"'{key}' must be a table", f"write it as [{key}.…]")
        return value

    def mapping(self, key: _str, valid, problem: _str, fix: _str) -> dict:
        """The table *key*, every value checked by *valid* (else a KnowledgeError naming ``key.<name>``;
        *fix* may use ``{key}`` for that name)."""
        table = self.table(key)
        for name, value in table.items():
            if not valid(value):
                raise KnowledgeError(self.file, f"{key}.{name}", problem, fix.format(key=name))
        return table

    def twin(self, key: _str, *, required: _bool = True) -> tuple[_str, _str]:
        """A text field and its English twin ``<key>_en``: both, or (when not *required*) neither.

        One without the other is refused (file, entry, fix), so the two languages never drift apart.
        """
        fr = self.str(key, required=required)
        en = self.str(f"{key}_en", required=False)
        if fr and not en and not self.monolingual:
            raise self.error(f"'{key}' has no English twin '{key}_en'",
                             f"add {key}_en = \"…\" on the line after {key}, saying the same in English "
                             "with the same figures")
        if en and not fr:
            raise self.error(f"'{key}_en' has no French twin '{key}'", f"add {key} = \"…\" before {key}_en")
        return fr, en

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(f"unknown field(s) {', '.join(unknown)}",
                             f"check the spelling; allowed: {', '.join(sorted(self.used))}")


class ParsedCache:
    """What :mod:`tomllib` made of each intent file, kept as JSON in *folder* between start-ups.

    Parsing the intent files (``messages.toml``, ``profile.toml``, ``compute.toml``…) with tomllib is about a
    third of a start-up from the caches; ``json`` reads the same tables some twenty times faster. Each file's
    tables are stored under a hash of its bytes (``toml-<hash>.json``): an edited file is parsed again, and its
    tables are checked by its loader whether they come from the file or from here. A stored file that cannot be
    read is parsed again and replaced, with one :class:`~bot.errors.CareerbotWarning`; a folder that cannot be
    written is skipped.
    """

    FORMAT = 1
    """Bump when what is stored changes."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, data: bytes) -> Path:
        h = hashlib.sha256(f"careerbot-toml-v{self.FORMAT}\n".encode())
        h.update(data)
        return self.folder / f"toml-{h.hexdigest()[:32]}.json"

    def get(self, data: bytes) -> dict | None:
        """The tables stored for a file of bytes *data*, or None."""
        path = self._path(data)
        try:
            with open(path, encoding="utf-8") as fh:
                tables = json.load(fh)
            if not isinstance(tables, dict):
                raise ValueError("not a table")
            return tables
        except (FileNotFoundError, NotADirectoryError):
            return None
        except Exception as exc:  # cut short or damaged: parsed again
            warnings.warn(CareerbotWarning(f"the cache {path} cannot be read ({type(exc).__name__}); "
                                           "it is rebuilt and replaced"), stacklevel=3)
            return None

    def put(self, data: bytes, tables: dict) -> None:
        """Keep *tables*, parsed from a file of bytes *data* (skipped for values JSON cannot hold, as dates)."""
        try:
            json.dumps(tables, ensure_ascii=False)
        except (TypeError, ValueError):
            return
        store_atomically(self._path(data), write_json(tables), prefix=".toml-")


def read_toml(path: Path, cache: ParsedCache | None = None) -> dict:
    """The tables of the TOML file *path*; with a *cache*, from it when the file is unchanged (see
    :class:`ParsedCache`)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(path, None, "file not found",
                             "check the folder is a knowledge folder (see knowledge/SCHEMA.md) or restore the file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise KnowledgeError(path, None, "symlink loop",
                                 "point the link at a real file, or put the file itself in its place") from None
        raise KnowledgeError(path, None, f"cannot be read ({exc.strerror})", "check the file's permissions") from None
    if cache is not None:
        stored = cache.get(data)
        if stored is not None:
            return stored
    try:
        # Windows editors start UTF-8 files with a byte-order mark; it is not part of the TOML.
        tables = tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise KnowledgeError(path, None, "not UTF-8 text", "save the file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(path, None, f"not valid TOML ({exc})",
                             "fix the syntax at that line (quotes, brackets, '=')") from None
    if cache is not None:
        cache.put(data, tables)
    return tables


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape(text: str, multiline: bool) -> str:
    out = []
    for ch in text:
        if multiline and ch == "\n":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if "\n" in value:
            # The newline right after the opening quotes is not part of the string.
            return f'"""\n{_escape(value, True)}"""'
        return f'"{_escape(value, False)}"'
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        inline = f"[{', '.join(items)}]"
        if len(inline) <= 100 and "\n" not in inline:
            return inline
        return "[\n" + "".join(f"  {item},\n" for item in items) + "]"
    raise TypeError(f"to_toml() cannot write a {type(value).__name__}: {value!r}")


def to_toml(tables: dict[str, list[dict]], *, header: str = "") -> str:
    """TOML text of arrays of tables (``{"entry": [{...}, ...]}`` → ``[[entry]]`` blocks).

    Values may be strings, numbers, booleans or lists of those; strings are
    escaped so that :mod:`tomllib` reads back exactly what was given.

    Examples
    --------
    >>> print(to_toml({"source": [{"file": "a.txt", "title": 'Fiche "A"'}]}), end="")
    [[source]]
    file = "a.txt"
    title = "Fiche \\"A\\""
    """
    parts = [header] if header else []
    for name, rows in tables.items():
        key = name if _BARE_KEY.match(name) else f'"{_escape(name, False)}"'
        for row in rows:
            lines = [f"[[{key}]]"]
            for field, value in row.items():
                fkey = field if _BARE_KEY.match(field) else f'"{_escape(field, False)}"'
                lines.append(f"{fkey} = {_value(value)}")
            parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
