"""Answer a file of questions (txt, CSV, JSONL) into JSONL or CSV, streaming, one output record per input record.

A bad record becomes an output record with an ``error`` field; only a file
that cannot be read at all (or an output that cannot be written) is an error.
Output goes to a temporary file renamed at the end, so an interrupted run
leaves no partial result.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .engine import Bot, Session
from .errors import BatchFileError

__all__ = ["Record", "read_records", "answer_records", "run_batch", "INPUT_FORMATS", "OUTPUT_FORMATS", "FIELDS"]

INPUT_FORMATS = ("txt", "csv", "jsonl")
OUTPUT_FORMATS = ("jsonl", "csv")
FIELDS = ("id", "question", "answer", "confidence", "fallback", "intent", "role", "sources", "suggestions", "error")


@dataclass(frozen=True)
class Record:
    """One input record: a question, or the reason it cannot be asked."""

    id: str
    question: str | None
    conversation: str | None = None
    error: str | None = None


# Bytes that are not valid in the chosen encoding arrive as lone surrogates (errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _has_undecodable(text: str) -> bool:
    return _UNDECODABLE.search(text) is not None


def _bad_bytes(line: int, encoding: str) -> str:
    return (f"line {line} is not valid {encoding} text; "
            f"re-save the file as UTF-8 or pass --encoding (e.g. --encoding cp1252)")


def _question(value, line: int, encoding: str) -> tuple[str | None, str | None]:
    """(question, error) for a raw field value."""
    if value is None:
        return None, "no 'question' field"
    if not isinstance(value, str):
        return None, f"'question' must be a string, got {type(value).__name__}"
    if _has_undecodable(value):
        return None, _bad_bytes(line, encoding)
    if not value.strip():
        return None, "empty question"
    return value.strip(), None


def _optional(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_txt(stream: IO[str], encoding: str) -> Iterator[Record]:
    for n, line in enumerate(stream, 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue  # blank lines separate nothing in a .txt file; they are not questions
        question, error = _question(line, n, encoding)
        yield Record(str(n), question, None, error)


def _read_jsonl(stream: IO[str], encoding: str) -> Iterator[Record]:
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        if _has_undecodable(line):
            yield Record(str(n), None, None, _bad_bytes(n, encoding))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(str(n), None, None, f"line {n} is not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield Record(str(n), None, None, f"line {n} is a JSON {type(obj).__name__}, expected an object")
            continue
        question, error = _question(obj.get("question"), n, encoding)
        yield Record(_optional(obj.get("id")) or str(n), question, _optional(obj.get("conversation")), error)


def _read_csv(stream: IO[str], encoding: str, name: str) -> Iterator[Record]:
    reader = csv.reader(stream)
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines above the header
            header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise BatchFileError(f"{name}: the CSV header cannot be read ({exc})") from None
    columns = [h.strip().lower() for h in header]
    if "question" not in columns:
        found = ", ".join(repr(h) for h in header) or "none"
        raise BatchFileError(f"{name}: no 'question' column (columns found: {found}); "
                             "add a header line with a 'question' column")
    q_col = columns.index("question")
    id_col = columns.index("id") if "id" in columns else None
    conv_col = columns.index("conversation") if "conversation" in columns else None
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(str(start), None, None, f"line {start}: malformed CSV ({exc})")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not row or not any(cell.strip() for cell in row):
            continue
        if any(_has_undecodable(cell) for cell in row):
            # In any column, not only the question: the id is written back and must be valid text.
            yield Record(str(line), None, None, _bad_bytes(line, encoding))
            continue

        def cell(col, row=row):
            return row[col] if col is not None and col < len(row) else None

        question, error = _question(cell(q_col) if q_col < len(row) else None, line, encoding)
        if question is None and error == "no 'question' field":
            error = "empty question"
        yield Record(_optional(cell(id_col)) or str(line), question, _optional(cell(conv_col)), error)


def unreadable(path, exc: OSError, what: str) -> BatchFileError:
    """The one-line error for an input file that cannot be opened."""
    if isinstance(exc, FileNotFoundError):
        return BatchFileError(f"{path}: file not found")
    if isinstance(exc, IsADirectoryError):
        return BatchFileError(f"{path}: is a folder, not {what}")
    return BatchFileError(f"{path}: cannot be read ({exc.strerror})")


def detect_format(path: str, given: str | None) -> str:
    """The input format: *given*, or the file's extension."""
    if given:
        if given not in INPUT_FORMATS:
            raise BatchFileError(f"unknown input format {given!r}; use one of {', '.join(INPUT_FORMATS)}")
        return given
    if path == "-":
        raise BatchFileError("reading questions from standard input needs --format txt, csv or jsonl")
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in INPUT_FORMATS:
        raise BatchFileError(f"{path}: cannot tell the format from the extension {Path(path).suffix!r}; "
                             f"name it .txt, .csv or .jsonl, or pass --format")
    return suffix


def _open_text(binary: IO[bytes], encoding: str, name: str) -> IO[str]:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise BatchFileError(f"unknown encoding {encoding!r}; use e.g. utf-8, cp1252 or latin-1") from None
    head = binary.peek(4096)[:4096] if hasattr(binary, "peek") else b""
    if b"\x00" in head and not encoding.lower().startswith("utf-16"):
        raise BatchFileError(f"{name}: looks like a binary or UTF-16 file, not text; "
                             "export it as UTF-8 text, or pass --encoding utf-16")
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # drop a byte-order mark if a spreadsheet left one
    return io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")


def read_records(stream: IO[bytes], fmt: str, *, encoding: str = "utf-8", name: str = "input") -> Iterator[Record]:
    """Records of a binary question stream in format *fmt* (``txt``, ``csv`` or ``jsonl``), lazily."""
    text = _open_text(stream, encoding, name)
    if fmt == "txt":
        return _read_txt(text, encoding)
    if fmt == "jsonl":
        return _read_jsonl(text, encoding)
    return _read_csv(text, encoding, name)


def answer_records(bot: Bot, records: Iterable[Record]) -> Iterator[dict]:
    """One output row per record, in order; records sharing a conversation share a session."""
    sessions: dict[str, Session] = {}
    for rec in records:
        row: dict[str, Any] = {"id": rec.id, "question": rec.question if rec.question is not None else ""}
        if rec.error:
            row.update(answer="", confidence=0.0, fallback=True, intent="", role=None, sources=[],
                       suggestions=[], error=rec.error)
            yield row
            continue
        session = None
        if rec.conversation:
            if rec.conversation not in sessions:
                sessions[rec.conversation] = bot.new_session()
            session = sessions[rec.conversation]
        assert rec.question is not None  # a record without a question carries an error
        answer = bot.ask(rec.question, session)
        row.update(answer=answer.text, confidence=answer.confidence, fallback=answer.fallback,
                   intent=answer.intent, role=answer.role, sources=list(answer.sources),
                   suggestions=list(answer.suggestions))
        yield row


class _Writer:
    def __init__(self, fh: IO[str], fmt: str):
        self.fh, self.fmt = fh, fmt
        if fmt == "csv":
            self.csv = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore")
            self.csv.writeheader()

    def write(self, row: dict) -> None:
        if self.fmt == "jsonl":
            self.fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            flat = dict(row)
            flat["sources"] = " | ".join(row["sources"])
            flat["suggestions"] = " | ".join(row["suggestions"])
            flat["role"] = row["role"] or ""
            self.csv.writerow(flat)


def output_format(path: str | None, given: str | None) -> str:
    """The output format: *given*, else the extension of *path*, else JSONL."""
    if given:
        if given not in OUTPUT_FORMATS:
            raise BatchFileError(f"unknown output format {given!r}; use jsonl or csv")
        return given
    if path and path != "-" and Path(path).suffix.lower() == ".csv":
        return "csv"
    if path and path != "-" and Path(path).suffix.lower() not in (".jsonl", ".json", ".ndjson", ""):
        raise BatchFileError(f"{path}: cannot tell the output format from {Path(path).suffix!r}; "
                             "name it .jsonl or .csv, or pass --output-format")
    return "jsonl"


def check_output(path: str) -> Path:
    """Fail before any work when *path* cannot be written."""
    out = Path(path)
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise BatchFileError(f"{path}: the folder {str(parent)!r} does not exist; create it or choose another -o")
    if not os.access(parent, os.W_OK):
        raise BatchFileError(f"{path}: the folder {str(parent)!r} is not writable; choose another -o")
    if out.is_dir():
        raise BatchFileError(f"{path}: is a folder; give a file name for -o")
    return out


def _final_mode(path: Path) -> int:
    """The permissions the answer file gets: those of the file it replaces, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _cannot_write(path: str, exc: OSError) -> BatchFileError:
    return BatchFileError(f"{path}: cannot be written ({exc.strerror or exc}); "
                          "check the free space and the folder's permissions, or choose another -o")


def _file_size(binary) -> int | None:
    """Size of a regular input file (None for a pipe or standard input)."""
    try:
        info = os.fstat(binary.fileno())
    except (OSError, AttributeError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None


def _write_rows(writer: _Writer, rows: Iterable[dict], progress: Callable[[int], None] | None,
                path: str | None) -> int:
    """Write *rows*; an OSError while writing to *path* (None: standard output) becomes a BatchFileError."""
    count = 0
    for row in rows:
        try:
            writer.write(row)
        except OSError as exc:
            if path is None:
                raise
            raise _cannot_write(path, exc) from None
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    return count


def run_batch(bot: Bot, source: str, output: str | None = None, *, fmt: str | None = None,
              out_fmt: str | None = None, encoding: str = "utf-8",
              progress: Callable[[int, float | None], None] | None = None, stdin: IO[bytes] | None = None,
              stdout: IO[str] | None = None) -> int:
    """Answer every question of *source* into *output* (standard output when None or ``-``).

    *progress*, if given, is called now and then with the number of records
    written and the share of the input read (None when the size is unknown).
    Returns the number of records written.

    Raises
    ------
    BatchFileError
        When the input cannot be read at all or the output cannot be written.
    """
    fmt = detect_format(source, fmt)
    out_fmt = output_format(output, out_fmt)
    to_stdout = output in (None, "-")
    out_path = None if to_stdout or output is None else check_output(output)
    if source == "-":
        binary = stdin if stdin is not None else sys.stdin.buffer
        name = "standard input"
    else:
        try:
            binary = open(source, "rb")
        except OSError as exc:
            raise unreadable(source, exc, "a question file") from None
        name = source
    try:
        tick = None
        if progress is not None:
            size = _file_size(binary)

            def tick(count: int) -> None:
                progress(count, min(binary.tell() / size, 1.0) if size else None)
        records = read_records(binary, fmt, encoding=encoding, name=name)
        if to_stdout:
            # A broken pipe (``| head``) is left to the caller, which ends quietly.
            return _write_rows(_Writer(stdout or sys.stdout, out_fmt), answer_records(bot, records), tick, None)
        assert output is not None and out_path is not None  # not to_stdout
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".part", dir=out_path.parent)
        except OSError as exc:
            raise _cannot_write(output, exc) from None
        try:
            # backslashreplace: a lone surrogate that slipped through (e.g. a JSON "\ud800" escape)
            # is written as an escape instead of stopping the run at the last moment.
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
                count = _write_rows(_Writer(fh, out_fmt), answer_records(bot, records), tick, output)
                try:
                    fh.flush()
                except OSError as exc:
                    raise _cannot_write(output, exc) from None
            try:
                os.chmod(tmp, _final_mode(out_path))  # mkstemp makes it private (0600)
                os.replace(tmp, out_path)
            except OSError as exc:
                raise _cannot_write(output, exc) from None
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        return count
    finally:
        if source != "-":
            binary.close()
