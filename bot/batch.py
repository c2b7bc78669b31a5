"""Answer a file of questions (txt, CSV, JSONL) into JSONL or CSV, streaming, one output record per input record.

A bad record becomes an output record with an ``error`` field; only a file
that cannot be read at all (or an output that cannot be written) is an error.
How the answer file is written (atomically, or through to a device or pipe) is
:mod:`bot.outfile`'s job.
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO, Any

from .engine import Bot, Session
from .errors import BatchFileError
from .outfile import Target, cannot_write, check_output, open_output
from .parallel import answer_in_order

__all__ = ["Record", "read_records", "answer_records", "run_batch", "INPUT_FORMATS", "OUTPUT_FORMATS", "FIELDS",
           "MAX_RECORD_LINES"]

INPUT_FORMATS = ("txt", "csv", "jsonl")
OUTPUT_FORMATS = ("jsonl", "csv", "csv-excel")
FIELDS = ("id", "question", "conversation", "lang", "answer", "confidence", "fallback", "intent", "role", "sources",
          "suggestions", "error")
MAX_RECORD_LINES = 100
"""Lines a CSV record may span (a quoted question with line breaks); a longer one is an unclosed quote."""


@dataclass(frozen=True)
class Record:
    """One input record: a question, or the reason it cannot be asked."""

    id: str
    question: str | None
    conversation: str | None = None
    error: str | None = None
    lang: str | None = None
    """The answer language the record asks for (``fr``, ``en``, ``auto``); None: the run's default."""


LANGS = ("fr", "en", "auto")


def _lang(value, line: int) -> tuple[str | None, str | None]:
    """A record's ``lang`` field: (language, None), or (None, error) for a value careerbot does not answer in."""
    text = _optional(value)
    if text is None:
        return None, None
    if text.strip().lower() not in LANGS:
        return None, f"line {line}: 'lang' must be fr, en or auto, got {text!r}"
    return text.strip().lower(), None


# Bytes that are not valid in the chosen encoding arrive as lone surrogates (errors="surrogateescape").
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _line_id(line: int) -> str:
    # Not the bare number: a given id "3" and the record starting on line 3 must not share an id.
    return f"line:{line}"


def _bad_text(text: str, line: int, encoding: str) -> str | None:
    """The error for a record holding undecodable bytes or a NUL character, wherever it is in the file; else None."""
    if _UNDECODABLE.search(text):
        return (f"line {line} is not valid {encoding} text; "
                f"re-save the file as UTF-8 or pass --encoding (e.g. --encoding cp1252)")
    if "\x00" in text:
        return f"line {line} contains a NUL character; remove it, or export the file as text"
    return None


def _question(value, line: int, encoding: str) -> tuple[str | None, str | None]:
    """(question, error) for a raw field value."""
    if value is None:
        return None, "no 'question' field"
    if not isinstance(value, str):
        return None, f"'question' must be a string, got {type(value).__name__}"
    error = _bad_text(value, line, encoding)
    if error:
        return None, error
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
        yield Record(_line_id(n), question, None, error)


def _read_jsonl(stream: IO[str], encoding: str) -> Iterator[Record]:
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        error = _bad_text(line, n, encoding)
        if error:
            yield Record(_line_id(n), None, None, error)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(_line_id(n), None, None, f"line {n} is not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield Record(_line_id(n), None, None, f"line {n} is a JSON {type(obj).__name__}, expected an object")
            continue
        question, error = _question(obj.get("question"), n, encoding)
        lang, lang_error = _lang(obj.get("lang"), n)
        yield Record(_optional(obj.get("id")) or _line_id(n), question, _optional(obj.get("conversation")),
                     error or lang_error, lang)


class _RunawayRecord(Exception):
    """The CSV record being read spans more than MAX_RECORD_LINES lines."""


class _Lines:
    """A text stream's lines for csv.reader, numbered; keeps those of the record being read, and takes lines back."""

    def __init__(self, stream: IO[str]):
        self._numbered = enumerate(stream, 1)
        self._back: list[tuple[int, str]] = []
        self.record: list[tuple[int, str]] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if len(self.record) >= MAX_RECORD_LINES:
            raise _RunawayRecord
        item = self._back.pop() if self._back else next(self._numbered)
        self.record.append(item)
        return item[1]

    def take_back(self, items: list[tuple[int, str]]) -> None:
        """Serve *items* again, in order, before the rest of the stream."""
        self._back.extend(reversed(items))

    @property
    def first(self) -> int:
        """The line the record being read starts on."""
        return self.record[0][0] if self.record else 0

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.record)


def _ends_in_quotes(text: str, delimiter: str) -> bool:
    """Whether CSV *text* ends inside a quoted field (csv.reader's states, default quoting)."""
    state = "start"  # of a field; "plain": in an unquoted field; "quoted"; "quote": a quote inside a quoted field
    for ch in text:
        if state == "quoted":
            if ch == '"':
                state = "quote"
        elif state == "quote":
            state = "quoted" if ch == '"' else "start" if ch in (delimiter, "\r", "\n") else "plain"
        elif ch in (delimiter, "\r", "\n"):
            state = "start"
        else:
            state = "quoted" if state == "start" and ch == '"' else "plain"
    return state == "quoted"


def _csv_header(lines: _Lines, name: str) -> tuple[list[str], str] | None:
    """The header row and its delimiter: ',' or, as French spreadsheets (and ``--excel``) write, ';'."""
    for delimiter in (",", ";"):
        reader = csv.reader(lines, delimiter=delimiter)
        header: list[str] = []
        while not any(cell.strip() for cell in header):  # blank lines above the header
            lines.record = []
            try:
                header = next(reader)
            except StopIteration:
                return None
            except (csv.Error, _RunawayRecord) as exc:
                reason = str(exc) or f"a quote opened on line {lines.first} is never closed"
                raise BatchFileError(f"{name}: the CSV header cannot be read ({reason})") from None
        if "question" in (h.strip().lower() for h in header) or ";" not in lines.text:
            break
        lines.take_back(lines.record)
    return header, delimiter


def _read_csv(stream: IO[str], encoding: str, name: str) -> Iterator[Record]:
    lines = _Lines(stream)
    found = _csv_header(lines, name)
    if found is None:
        return
    header, delimiter = found
    columns = [h.strip().lower() for h in header]
    if "question" not in columns:
        listed = ", ".join(repr(h) for h in header) or "none"
        raise BatchFileError(f"{name}: no 'question' column (columns found: {listed}); "
                             "add a header line with a 'question' column")
    q_col = columns.index("question")
    id_col = columns.index("id") if "id" in columns else None
    conv_col = columns.index("conversation") if "conversation" in columns else None
    lang_col = columns.index("lang") if "lang" in columns else None
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        lines.record = []
        unclosed = None
        try:
            row = next(reader)
        except StopIteration:
            return
        except _RunawayRecord:
            unclosed = f"it would run over {MAX_RECORD_LINES} lines"
        except csv.Error as exc:
            line = lines.first
            yield Record(_line_id(line), None, None,
                         _bad_text(lines.text, line, encoding) or f"line {line}: malformed CSV ({exc})")
            continue
        line = lines.first
        # csv.reader returns a record still inside quotes only when the file ends: it swallowed every line after it.
        if unclosed is None and len(lines.record) > 1 and _ends_in_quotes(lines.text, delimiter):
            unclosed = "it would run to the end of the file"
        if unclosed:
            yield Record(_line_id(line), None, None,
                         f'line {line}: a quote (") opened on this line is never closed ({unclosed}); close it')
            lines.take_back(lines.record[1:])  # the lines it swallowed are records of their own
            reader = csv.reader(lines, delimiter=delimiter)  # the old one is still inside the quote
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        bad = next(filter(None, (_bad_text(cell, line, encoding) for cell in row)), None)
        if bad:
            # In any column, not only the question: the id is written back and must be valid text.
            yield Record(_line_id(line), None, None, bad)
            continue

        def cell(col, row=row):
            return row[col] if col is not None and col < len(row) else None

        question, error = _question(cell(q_col), line, encoding)
        if question is None and error == "no 'question' field":
            error = "empty question"
        lang, lang_error = _lang(cell(lang_col), line)
        yield Record(_optional(cell(id_col)) or _line_id(line), question, _optional(cell(conv_col)),
                     error or lang_error, lang)


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


# Longest first: a UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# What people give instead of text: spreadsheets and documents (zip: .xlsx, .docx, .ods; OLE: .xls, .doc), PDFs, images.
_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _utf16_order(head: bytes) -> str | None:
    """'le' or 'be' when *head* looks like UTF-16 text (Latin script: one byte of each pair is zero)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even, odd = head[0:2 * pairs:2].count(0), head[1:2 * pairs:2].count(0)
    if odd >= pairs / 2 and even <= pairs / 10:
        return "le"
    if even >= pairs / 2 and odd <= pairs / 10:
        return "be"
    return None


def _codec(head: bytes, codec: str, name: str) -> str:
    """The codec to read with: the byte-order mark's, else *codec*; raises when the bytes cannot be text in it.

    Stray NUL or control characters are not judged here, where only the start of
    the file is seen: the records holding them are reported, wherever they are.
    """
    for bom, bom_codec in _BOMS:
        if head.startswith(bom):
            return bom_codec
    if codec in ("utf-16", "utf-32"):  # without a byte-order mark these cannot know the byte order
        first, other = ("be", "le") if _utf16_order(head) == "be" else ("le", "be")
        raise BatchFileError(f"{name}: --encoding {codec} needs a byte-order mark, which this file lacks; "
                             f"pass --encoding {codec}-{first} (or {codec}-{other})")
    if codec.startswith(("utf-16", "utf-32")):
        return codec
    order = _utf16_order(head)
    if order:
        raise BatchFileError(f"{name}: looks like UTF-16 text without a byte-order mark; "
                             f"pass --encoding utf-16-{order}")
    if head.startswith(_SIGNATURES) or len(_CONTROL.findall(head)) >= 0.3 * len(head) > 0:
        raise BatchFileError(f"{name}: looks like a binary file, not text; "
                             "export it as text (a spreadsheet: as \"CSV UTF-8\")")
    return "utf-8-sig" if codec == "utf-8" else codec  # a spreadsheet's byte-order mark is not part of the text


class _Rewound(io.RawIOBase):
    """The bytes *head*, already read from *rest*, followed by the rest of *rest* (which may be a pipe)."""

    def __init__(self, head: bytes, rest: IO[bytes]):
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n], self._head = self._head[:n], self._head[n:]
            return n
        data = getattr(self._rest, "read1", self._rest.read)(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _head(binary: IO[bytes], size: int = 4096) -> bytes:
    """The first bytes: what one read gives (up to *size* from a file), and at least 4 (a BOM) unless the input ends."""
    read = getattr(binary, "read1", binary.read)
    head = read(size)
    while 0 < len(head) < 4:
        more = read(size)
        if not more:
            break
        head += more
    return head


def _open_text(binary: IO[bytes], encoding: str, name: str) -> IO[str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BatchFileError(f"unknown encoding {encoding!r}; use e.g. utf-8, cp1252 or latin-1") from None
    head = _head(binary)
    codec = _codec(head, codec, name)
    return io.TextIOWrapper(io.BufferedReader(_Rewound(head, binary)), encoding=codec, errors="surrogateescape",
                            newline="")


def read_records(stream: IO[bytes], fmt: str, *, encoding: str = "utf-8", name: str = "input") -> Iterator[Record]:
    """Records of a binary question stream in format *fmt* (``txt``, ``csv`` or ``jsonl``), lazily.

    A byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding; otherwise *encoding* does.
    """
    text = _open_text(stream, encoding, name)
    if fmt == "txt":
        return _read_txt(text, encoding)
    if fmt == "jsonl":
        return _read_jsonl(text, encoding)
    return _read_csv(text, encoding, name)


def answer_records(bot: Bot, records: Iterable[Record], *, lang: str | None = None, jobs: int = 1) -> Iterator[dict]:
    """One output row per record, in order; records sharing a conversation share a session.

    A record's own ``lang`` wins over *lang* (None or ``auto``: the question's language).
    With *jobs* > 1, the questions that are not part of a conversation are answered
    on that many processes (:mod:`bot.parallel`); the rows come out in the same order.
    """
    sessions: dict[str, Session] = {}
    if jobs > 1:
        # The calculator's planner is imported at the first question that may be a computation (bot.understand):
        # imported before the workers are forked, it is compiled once, not once in every worker.
        import_module(".calc_plan", __package__)

    def answer(rec: Record, session: Session | None = None) -> dict:
        row: dict[str, Any] = {"id": rec.id, "question": rec.question if rec.question is not None else "",
                               "conversation": rec.conversation, "lang": rec.lang or ""}
        if rec.error:
            row.update(answer="", confidence=0.0, fallback=True, intent="", role=None, sources=[],
                       suggestions=[], error=rec.error)
            return row
        assert rec.question is not None  # a record without a question carries an error
        got = bot.ask(rec.question, session, lang=rec.lang or lang)
        row.update(lang=got.lang, answer=got.text, confidence=got.confidence, fallback=got.fallback,
                   intent=got.intent, role=got.role, sources=list(got.sources), suggestions=list(got.suggestions))
        return row

    def alone(rec: Record) -> bool:
        return not rec.conversation or bool(rec.error)

    for rec, row in answer_in_order(records, answer, alone, jobs=jobs):
        if row is None:
            assert rec.conversation is not None  # only a conversation's questions are left to answer here
            if rec.conversation not in sessions:
                sessions[rec.conversation] = bot.new_session()
            row = answer(rec, sessions[rec.conversation])
        yield row


# A JSON "\ud800" escape gives a lone surrogate, which no encoder accepts: it is written back as that escape.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogates(text: str) -> str:
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Writer:
    def __init__(self, fh: IO[str], fmt: str):
        self.fh, self.fmt = fh, fmt
        if fmt != "jsonl":
            excel = fmt == "csv-excel"
            if excel:
                fh.write("\ufeff")  # the byte-order mark is how a spreadsheet knows the file is UTF-8
            # ';' and a decimal comma: what a French spreadsheet expects, as it uses ',' in numbers.
            self.csv = csv.DictWriter(fh, fieldnames=FIELDS, extrasaction="ignore", delimiter=";" if excel else ",")
            self.csv.writeheader()

    def write(self, row: dict) -> None:
        if self.fmt == "jsonl":
            self.fh.write(_escape_surrogates(json.dumps(row, ensure_ascii=False)) + "\n")
            return
        flat = dict(row, sources=" | ".join(row["sources"]), suggestions=" | ".join(row["suggestions"]),
                    role=row["role"] or "", conversation=row["conversation"] or "")
        if self.fmt == "csv-excel":
            flat["confidence"] = str(row["confidence"]).replace(".", ",")
        self.csv.writerow({key: _escape_surrogates(value) if isinstance(value, str) else value
                           for key, value in flat.items()})


def output_format(path: str | None, given: str | None) -> str:
    """The output format: *given*, else the extension of *path*, else JSONL."""
    if given:
        if given not in OUTPUT_FORMATS:
            raise BatchFileError(f"unknown output format {given!r}; use jsonl, csv or csv-excel")
        return given
    if path and path != "-" and Path(path).suffix.lower() == ".csv":
        return "csv"
    if path and path != "-" and Path(path).suffix.lower() not in (".jsonl", ".json", ".ndjson", ""):
        raise BatchFileError(f"{path}: cannot tell the output format from {Path(path).suffix!r}; "
                             "name it .jsonl or .csv, or pass --output-format")
    return "jsonl"


def _file_size(binary) -> int | None:
    """Size of a regular input file (None for a pipe or standard input)."""
    try:
        info = os.fstat(binary.fileno())
    except (OSError, AttributeError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) and info.st_size else None


def _same_file(binary, target: Target) -> bool:
    """Whether the open input *binary* is the file *target* names (through links too)."""
    try:
        a, b = os.fstat(binary.fileno()), os.stat(target.path)
    except (OSError, AttributeError, ValueError):
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _write_rows(writer: _Writer, rows: Iterable[dict], progress: Callable[[int], None] | None, every: int,
                path: str | None) -> int:
    """Write *rows*; an OSError while writing to *path* (None: standard output) becomes a BatchFileError."""
    count = 0
    for row in rows:
        try:
            writer.write(row)
        except OSError as exc:
            if path is None:
                raise
            raise cannot_write(path, exc) from None
        count += 1
        if progress and count % every == 0:
            progress(count)
    return count


def run_batch(bot: Bot, source: str, output: str | None = None, *, fmt: str | None = None,
              out_fmt: str | None = None, encoding: str = "utf-8",
              progress: Callable[[int, float | None], None] | None = None, progress_every: int = 500,
              stdin: IO[bytes] | None = None, stdout: IO[str] | None = None, lang: str | None = None,
              jobs: int = 1) -> int:
    """Answer every question of *source* into *output* (standard output when None or ``-``).

    *progress*, if given, is called every *progress_every* records with the
    number of records written and the share of the input read (None when the
    size is unknown). *jobs*: processes answering the questions that are not part
    of a conversation (see :func:`answer_records`). Returns the number of records written.

    Raises
    ------
    BatchFileError
        When the input cannot be read at all, the output cannot be written, or
        they are the same file.
    """
    fmt = detect_format(source, fmt)
    out_fmt = output_format(output, out_fmt)
    target = None if output in (None, "-") else check_output(output)
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
        if target is not None and _same_file(binary, target):
            raise BatchFileError(f"{output}: is the question file itself (or a link to it); "
                                 "write the answers to another file")
        tick = None
        if progress is not None:
            size = _file_size(binary)

            def tick(count: int) -> None:
                progress(count, min(binary.tell() / size, 1.0) if size else None)
        rows = answer_records(bot, read_records(binary, fmt, encoding=encoding, name=name), lang=lang, jobs=jobs)
        if target is None:
            # A broken pipe (``| head``) is left to the caller, which ends quietly.
            return _write_rows(_Writer(stdout or sys.stdout, out_fmt), rows, tick, progress_every, None)
        assert output is not None  # a target is only made from a named output
        with open_output(target, output) as fh:
            return _write_rows(_Writer(fh, out_fmt), rows, tick, progress_every, output)
    finally:
        if source != "-":
            binary.close()
