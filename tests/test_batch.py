"""bot.batch through its functions: readers of each format, bad records, unreadable files, atomic output, memory."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import threading
from collections import deque
from pathlib import Path

import pytest

from bot import Answer, BatchFileError, Session, batch
from bot import parallel as PARALLEL
from bot.batch import MAX_RECORD_LINES, answer_records, check_output, detect_format, output_format, read_records, run_batch

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None


def records(data: bytes, fmt: str, **kw) -> list[tuple[str, str | None, str | None, str | None]]:
    """(id, question, conversation, error) of every record read from *data*."""
    stream = io.BufferedReader(io.BytesIO(data))
    return [(r.id, r.question, r.conversation, r.error) for r in read_records(stream, fmt, **kw)]


def ok(*pairs: tuple[str, str]) -> list[tuple]:
    """Records without conversation or error, from (id, question) pairs."""
    return [(i, q, None, None) for i, q in pairs]


# --- reading: encodings, line endings, blank lines, quoting -------------------------------------------------------

READABLE = [
    pytest.param(b"q1\nq2\n", "txt", ok(("line:1", "q1"), ("line:2", "q2")), id="txt-plain"),
    pytest.param(b"\xef\xbb\xbfq1\nq2", "txt", ok(("line:1", "q1"), ("line:2", "q2")), id="txt-bom-no-final-newline"),
    pytest.param(b"q1\r\nq2\r\n", "txt", ok(("line:1", "q1"), ("line:2", "q2")), id="txt-crlf"),
    pytest.param(b"\nq1\n\n   \r\nq2\n\n", "txt", ok(("line:2", "q1"), ("line:5", "q2")), id="txt-blank-lines-keep-numbering"),
    pytest.param(b"  q1  \n", "txt", ok(("line:1", "q1")), id="txt-trimmed"),
    pytest.param(b"question\nq1\nq2\n", "csv", ok(("line:2", "q1"), ("line:3", "q2")), id="csv-plain"),
    pytest.param(b"\xef\xbb\xbfquestion\r\nq1\r\n", "csv", ok(("line:2", "q1")), id="csv-bom-crlf"),
    pytest.param(b'question\n"multi\nline"\nq3\n', "csv", ok(("line:2", "multi\nline"), ("line:4", "q3")),
                 id="csv-quoted-newline-keeps-numbering"),
    pytest.param(b'question\r\n"a, b\r\nc"\r\n\r\nq5\r\n', "csv", ok(("line:2", "a, b\r\nc"), ("line:5", "q5")),
                 id="csv-quoted-crlf-and-blank-line"),
    pytest.param(b'Extra,Question,ID\nx,q1,a\ny,"say ""hi""",\n', "csv", ok(("a", "q1"), ("line:3", 'say "hi"')),
                 id="csv-columns-any-order-and-case"),
    pytest.param(b"\n\nquestion\nq1\n", "csv", ok(("line:4", "q1")), id="csv-blank-lines-above-header"),
    pytest.param(b"question\n,,\nq1\n", "csv", ok(("line:3", "q1")), id="csv-all-empty-row-skipped"),
    pytest.param(b"id,question,conversation\nx,q1,c1\n", "csv", [("x", "q1", "c1", None)], id="csv-conversation"),
    pytest.param(b'{"question": "q1"}\n\n{"question": "q2", "id": 7}\n', "jsonl", ok(("line:1", "q1"), ("7", "q2")),
                 id="jsonl-id-or-line-number"),
    pytest.param(b'\xef\xbb\xbf{"question": "q1"}\r\n{"question": "q2"}\r\n', "jsonl", ok(("line:1", "q1"), ("line:2", "q2")),
                 id="jsonl-bom-crlf"),
    pytest.param(b'{"question": "q1", "conversation": "c"}\n', "jsonl", [("line:1", "q1", "c", None)], id="jsonl-conversation"),
    pytest.param(b"", "txt", [], id="txt-empty-file"),
    pytest.param(b"", "csv", [], id="csv-empty-file"),
    pytest.param(b"", "jsonl", [], id="jsonl-empty-file"),
    pytest.param(b"question,id\r\n", "csv", [], id="csv-header-only"),
    pytest.param(b"id;question\r\nk;q1, q2\r\n", "csv", ok(("k", "q1, q2")), id="csv-semicolons-french-spreadsheet"),
    pytest.param("question\nq1\n".encode("utf-16"), "csv", ok(("line:2", "q1")), id="utf16-bom-without-flag"),
    pytest.param(codecs.BOM_UTF16_BE + "q1\nq2\n".encode("utf-16-be"), "txt", ok(("line:1", "q1"), ("line:2", "q2")),
                 id="utf16-be-bom-without-flag"),
    pytest.param(codecs.BOM_UTF16_LE + '{"question": "début"}\n'.encode("utf-16-le"), "jsonl", ok(("line:1", "début")),
                 id="utf16-le-bom-jsonl"),
]


@pytest.mark.parametrize("data, fmt, expected", READABLE)
def test_reader_yields_questions_with_ids_from_the_file_or_its_line_numbers(data, fmt, expected):
    """BOMs, CRLF, blank lines and quoted CSV fields are read; ids are the given id or the line the record starts on."""
    assert records(data, fmt) == expected


BAD_RECORDS = [
    pytest.param(b'{"question": "q1"}\n{not json\n{"question": "q3"}\n', "jsonl", "line:2", r"line 2 is not valid JSON",
                 id="jsonl-invalid-json"),
    pytest.param(b'{"question": "q1"}\n["a", "b"]\n{"question": "q3"}\n', "jsonl", "line:2", r"line 2 is a JSON list, expected an object",
                 id="jsonl-array-line"),
    pytest.param(b'{"question": "q1"}\n{"question": 42}\n{"question": "q3"}\n', "jsonl", "line:2", r"'question' must be a string, got int",
                 id="jsonl-number-question"),
    pytest.param(b'{"question": "q1"}\n{"id": "x"}\n{"question": "q3"}\n', "jsonl", "x", r"no 'question' field",
                 id="jsonl-missing-question"),
    pytest.param(b'{"question": "q1"}\n{"question": "  "}\n{"question": "q3"}\n', "jsonl", "line:2", r"empty question",
                 id="jsonl-empty-question"),
    pytest.param(b"id,question\na,q1\nb,\nc,q3\n", "csv", "b", r"empty question", id="csv-empty-question"),
    pytest.param(b"question,id\nq1,a\n,b\nq3,c\n", "csv", "b", r"empty question", id="csv-empty-first-cell"),
    pytest.param(b"id,question\na,q1\nb\nc,q3\n", "csv", "b", r"empty question", id="csv-short-row"),
]


@pytest.mark.parametrize("data, fmt, bad_id, error", BAD_RECORDS)
def test_bad_record_becomes_an_error_record_in_place(data, fmt, bad_id, error):
    """A bad record is kept, in order, with an error saying what is wrong; its neighbours are still questions."""
    got = records(data, fmt)
    assert len(got) == 3
    assert got[0][1] == "q1" and got[2][1] == "q3"
    rec_id, question, _, message = got[1]
    assert rec_id == bad_id and question is None
    assert re.search(error, message)


NON_UTF8 = [
    pytest.param(b"q1\nsalaire d\xe9but\nq3\n", "txt", id="txt"),
    pytest.param(b"question\nq1\nsalaire d\xe9but\nq3\n", "csv", id="csv"),
    pytest.param(b'{"question": "q1"}\n{"question": "salaire d\xe9but"}\n{"question": "q3"}\n', "jsonl", id="jsonl"),
]


@pytest.mark.parametrize("data, fmt", NON_UTF8)
def test_undecodable_line_is_an_error_naming_the_line_and_encoding(data, fmt):
    """A cp1252 byte in a UTF-8 file spoils its record only; the error names the line and --encoding."""
    got = records(data, fmt)
    assert [q for _, q, _, _ in got] == ["q1", None, "q3"]
    message = got[1][3]
    line = 2 if fmt != "csv" else 3
    assert f"line {line} is not valid utf-8" in message and "--encoding" in message


@pytest.mark.parametrize("data, fmt", NON_UTF8)
def test_same_file_reads_cleanly_with_the_right_encoding(data, fmt):
    """With encoding='cp1252' the same file gives three questions and the accent survives."""
    got = records(data, fmt, encoding="cp1252")
    assert [q for _, q, _, _ in got] == ["q1", "salaire début", "q3"]
    assert all(err is None for *_, err in got)


def test_undecodable_byte_in_a_csv_id_cell_spoils_only_that_row():
    """Bad bytes outside the question column are reported too, instead of crashing when the id is written."""
    got = records(b"id,question\n\xe9t\xe9,q1\nb,q2\n", "csv")
    assert got[0][0] == "line:2" and got[0][1] is None and "line 2" in got[0][3]
    assert got[1] == ("b", "q2", None, None)


UNREADABLE = [
    pytest.param(b"a,b\n1,2\n", "csv", "utf-8", r"no 'question' column \(columns found: 'a', 'b'\)", id="csv-no-question-column"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "txt", "utf-8", r"binary", id="binary"),
    pytest.param("question\nq\n".encode("utf-16-le"), "csv", "utf-8", r"in: looks like UTF-16 text without a "
                 r"byte-order mark; pass --encoding utf-16-le$", id="utf16-without-bom"),
    pytest.param("question\nq\n".encode("utf-16-be"), "csv", "utf-8", r"pass --encoding utf-16-be$",
                 id="utf16-be-without-bom"),
    pytest.param("question\nq\n".encode("utf-16-le"), "csv", "utf-16", r"in: --encoding utf-16 needs a byte-order "
                 r"mark, which this file lacks; pass --encoding utf-16-le \(or utf-16-be\)", id="utf16-flag-without-bom"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00question\n", "csv", "utf-8", r"binary", id="xlsx"),
    pytest.param(b"q\n", "txt", "klingon", r"unknown encoding 'klingon'", id="unknown-encoding"),
]


@pytest.mark.parametrize("data, fmt, encoding, message", UNREADABLE)
def test_unreadable_input_raises_one_batch_file_error(data, fmt, encoding, message):
    """A file that cannot be read at all is one BatchFileError saying why and what to do."""
    with pytest.raises(BatchFileError, match=message):
        records(data, fmt, encoding=encoding, name="in")


def test_utf16_file_is_read_with_its_encoding():
    """The fix the binary/UTF-16 message suggests works."""
    assert records("question\nq1\n".encode("utf-16"), "csv", encoding="utf-16") == ok(("line:2", "q1"))


def test_utf16_without_bom_is_read_with_the_encoding_the_message_names():
    """The fix the BOM-less UTF-16 message suggests works."""
    assert records("question\nq1\n".encode("utf-16-le"), "csv", encoding="utf-16-le") == ok(("line:2", "q1"))


# --- what files and people get wrong: NUL characters, unclosed quotes, ids -----------------------------------------

def _file_of(fmt: str, questions: list[bytes]) -> bytes:
    if fmt == "jsonl":
        return b"".join(b'{"question": "%s"}\n' % q for q in questions)
    return (b"question\n" if fmt == "csv" else b"") + b"".join(q + b"\n" for q in questions)


@pytest.mark.parametrize("fmt", ["txt", "csv", "jsonl"])
@pytest.mark.parametrize("padding", [0, 200], ids=["in-the-first-4kb", "after-4kb"])
def test_a_nul_character_spoils_its_record_wherever_it_is_in_the_file(fmt, padding):
    """One rule for the whole file: a NUL makes its own record an error, near the start as after 4 KB; the rest is read."""
    questions = [b"combien gagne un KAM %d ?" % i for i in range(padding)] + [b"q1", b"q\x002", b"q3"]
    got = records(_file_of(fmt, questions), fmt)
    assert [q for _, q, _, _ in got[padding:]] == ["q1", None, "q3"]
    line = padding + 2 + (fmt == "csv")
    assert got[padding + 1][0] == f"line:{line}"
    assert got[padding + 1][3] == f"line {line} contains a NUL character; remove it, or export the file as text"


def test_an_unclosed_csv_quote_is_an_error_at_its_line_and_no_row_vanishes():
    """The quote opened on line 3 is reported there; the rows it swallowed up to the end of the file are read again."""
    got = records(b'id,question\n1,KAM ?\n2,"AE ?\n3,SDR ?\n4,x\n5,y\n', "csv")
    assert [(i, q) for i, q, _, _ in got] == [("1", "KAM ?"), ("line:3", None), ("3", "SDR ?"), ("4", "x"), ("5", "y")]
    assert got[1][3] == 'line 3: a quote (") opened on this line is never closed (it would run to the end of the file); close it'


def test_a_quote_left_open_over_max_record_lines_is_an_error_too():
    """A quoted record longer than MAX_RECORD_LINES is an unclosed quote, even if a quote comes much later."""
    body = b"".join(b"q%d\n" % i for i in range(MAX_RECORD_LINES + 10))
    got = records(b'question\n"open\n' + body + b'"\n', "csv")
    assert got[0][0] == "line:2" and f"never closed (it would run over {MAX_RECORD_LINES} lines)" in got[0][3]
    assert [q for _, q, _, _ in got[1:4]] == ["q0", "q1", "q2"]
    assert len(got) >= MAX_RECORD_LINES + 10


@pytest.mark.parametrize("data, fmt", [
    (b"id,question\n3,q1\n,q2\n", "csv"),
    (b'{"id": "3", "question": "q1"}\n\n{"question": "q2"}\n', "jsonl"),
], ids=["csv", "jsonl"])
def test_a_generated_id_never_equals_a_given_one(data, fmt):
    """The record on line 3 without an id and the one whose given id is "3" get different ids."""
    assert [i for i, *_ in records(data, fmt)] == ["3", "line:3"]


# --- formats, output checks -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, given, expected", [
    ("q.txt", None, "txt"), ("Q.CSV", None, "csv"), ("dir.v2/q.jsonl", None, "jsonl"),
    ("q.data", "csv", "csv"), ("-", "jsonl", "jsonl"),
])
def test_input_format_comes_from_option_or_extension(path, given, expected):
    """--format wins; otherwise the extension decides."""
    assert detect_format(path, given) == expected


@pytest.mark.parametrize("path, given, message", [
    ("q.doc", None, r"q\.doc: cannot tell the format from the extension '\.doc'"),
    ("questions", None, r"cannot tell the format from the extension ''"),
    ("-", None, r"standard input needs --format"),
    ("q.txt", "xml", r"unknown input format 'xml'"),
])
def test_unknown_input_format_is_an_error(path, given, message):
    """An input whose format cannot be told is refused with the fix."""
    with pytest.raises(BatchFileError, match=message):
        detect_format(path, given)


@pytest.mark.parametrize("path, given, expected", [
    (None, None, "jsonl"), ("-", None, "jsonl"), ("a.jsonl", None, "jsonl"), ("a.CSV", None, "csv"),
    ("a.out", "csv", "csv"), ("a", None, "jsonl"),
])
def test_output_format_comes_from_option_or_extension(path, given, expected):
    """--output-format wins; otherwise .csv means CSV and everything else JSONL."""
    assert output_format(path, given) == expected


def test_unknown_output_extension_is_an_error():
    """An .xlsx output is refused rather than written as JSONL under a misleading name."""
    with pytest.raises(BatchFileError, match=r"a\.xlsx: cannot tell the output format from '\.xlsx'"):
        output_format("a.xlsx", None)


def test_output_in_a_missing_folder_or_onto_a_folder_is_refused(tmp_path):
    """The output is checked before any work: its folder must exist and it must not be a folder."""
    with pytest.raises(BatchFileError, match=r"the folder '.*nope' does not exist"):
        check_output(str(tmp_path / "nope" / "a.jsonl"))
    with pytest.raises(BatchFileError, match=r"is a folder"):
        check_output(str(tmp_path))


@pytest.mark.parametrize("name, message", [
    ("missing.txt", r"missing\.txt: file not found"),
    ("folder.txt", r"folder\.txt: is a folder"),
])
def test_input_that_cannot_be_opened_is_an_error(bot, tmp_path, name, message):
    """A missing input or a folder is a BatchFileError naming it."""
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(BatchFileError, match=message):
        run_batch(bot, str(tmp_path / name), str(tmp_path / "out.jsonl"))
    assert not (tmp_path / "out.jsonl").exists()


# --- answering ------------------------------------------------------------------------------------------------------

def test_every_record_gets_exactly_one_row_in_order(bot):
    """Good and bad records alike give one row each, in input order, bad ones with 'error' and no answer."""
    data = (b'{"question": "combien gagne un KAM ?", "id": "a"}\n{oops\n'
            b'{"question": ""}\n{"question": "c\'est quoi un SDR ?"}\n')
    rows = list(answer_records(bot, read_records(io.BufferedReader(io.BytesIO(data)), "jsonl")))
    assert [r["id"] for r in rows] == ["a", "line:2", "line:3", "line:4"]
    assert [bool(r.get("error")) for r in rows] == [False, True, True, False]
    assert rows[0]["role"] == "kam" and rows[0]["intent"] == "salary"
    assert rows[3]["role"] == "sdr"
    assert rows[1]["answer"] == "" and rows[1]["fallback"] is True


def test_records_sharing_a_conversation_share_a_session(bot):
    """'et son salaire ?' resolves to the KAM only inside the conversation that named the KAM."""
    data = (b"id,question,conversation\n1,c'est quoi un KAM ?,c1\n2,c'est quoi un SDR ?,c2\n"
            b"3,et son salaire ?,c1\n4,et son salaire ?,\n")
    rows = list(answer_records(bot, read_records(io.BufferedReader(io.BytesIO(data)), "csv")))
    assert (rows[2]["role"], rows[2]["intent"]) == ("kam", "salary")
    assert rows[3]["role"] != "kam"  # no conversation: no memory of the KAM


def test_several_processes_give_the_rows_of_one_in_the_same_order(bot):
    """--jobs 2 over more than a chunk of questions, conversations and bad records interleaved: the same rows."""
    lines = []
    for i in range(PARALLEL.CHUNK + 40):
        if i % 50 == 7:
            lines.append(f'{{"id": "c{i}", "question": "c\'est quoi un KAM ?", "conversation": "k{i}"}}')
        elif i % 50 == 8:
            lines.append(f'{{"id": "f{i}", "question": "et son salaire ?", "conversation": "k{i - 1}"}}')
        elif i % 97 == 3:
            lines.append("{oops")
        else:
            lines.append(json.dumps({"id": f"q{i}", "question": ["combien gagne un KAM ?", "what is an SDR?",
                                                                   "c'est quoi le churn ?"][i % 3]}))
    data = ("\n".join(lines) + "\n").encode("utf-8")

    def run(jobs: int) -> list[dict]:
        stream = io.BufferedReader(io.BytesIO(data))
        return list(answer_records(bot, read_records(stream, "jsonl"), jobs=jobs))

    one, two = run(1), run(2)
    assert one == two and len(two) == len(lines)
    follow = [r for r in two if r["id"].startswith("f")]
    assert follow and all((r["role"], r["intent"]) == ("kam", "salary") for r in follow)


@pytest.mark.parametrize("out_name, parse", [
    ("out.jsonl", lambda text: [json.loads(line) for line in text.splitlines()]),
    ("out.csv", lambda text: list(csv.DictReader(io.StringIO(text, newline="")))),
], ids=["jsonl", "csv"])
def test_run_batch_writes_one_row_per_record_in_each_output_format(bot, tmp_path, out_name, parse):
    """JSONL and CSV outputs hold one row per input record with the documented fields."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\n\nc'est quoi un SDR ?\n", encoding="utf-8")
    count = run_batch(bot, str(src), str(tmp_path / out_name))
    rows = parse((tmp_path / out_name).read_text(encoding="utf-8"))
    assert count == len(rows) == 2
    assert [r["id"] for r in rows] == ["line:1", "line:3"]
    assert rows[0]["role"] == "kam"
    assert "004_8b581f9a927034e0.txt" in rows[0]["sources"]
    assert set(batch.FIELDS) - {"error"} <= set(rows[0])


def test_standard_input_to_standard_output(bot):
    """'-' reads the given stream with --format and writes JSONL to the given text stream."""
    out = io.StringIO()
    count = run_batch(bot, "-", None, fmt="txt", stdin=io.BytesIO(b"combien gagne un KAM ?\n"), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == 1 and rows[0]["role"] == "kam"


@pytest.mark.parametrize("out_name, expected", [("out.jsonl", b""), ("out.csv", ",".join(batch.FIELDS).encode() + b"\r\n")],
                         ids=["jsonl", "csv"])
def test_empty_input_gives_a_valid_empty_output(bot, tmp_path, out_name, expected):
    """No question, no row: an empty JSONL file, or a CSV file with only its header."""
    (tmp_path / "q.txt").write_bytes(b"")
    assert run_batch(bot, str(tmp_path / "q.txt"), str(tmp_path / out_name)) == 0
    assert (tmp_path / out_name).read_bytes() == expected


def test_csv_with_only_a_header_gives_zero_records(bot, tmp_path):
    """A header line and nothing else is a valid, empty question file."""
    (tmp_path / "q.csv").write_text("id,question\n", encoding="utf-8")
    assert run_batch(bot, str(tmp_path / "q.csv"), str(tmp_path / "out.jsonl")) == 0
    assert (tmp_path / "out.jsonl").read_bytes() == b""


def test_lone_surrogate_in_a_given_id_does_not_stop_the_run(bot, tmp_path):
    """A JSON '\\ud800' escape in an id is written as an escape, and the answer is still there."""
    (tmp_path / "q.jsonl").write_text('{"id": "\\ud800", "question": "combien gagne un KAM ?"}\n', encoding="utf-8")
    run_batch(bot, str(tmp_path / "q.jsonl"), str(tmp_path / "out.jsonl"))
    row = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert row["role"] == "kam"


# --- interrupted runs and atomic output ----------------------------------------------------------------------------

class Watching:
    """A bot wrapper that runs *check* before each question and raises KeyboardInterrupt on question *stop_at*."""

    def __init__(self, bot, *, stop_at: int | None = None, check=None):
        self.bot, self.stop_at, self.check, self.asked = bot, stop_at, check, 0

    def new_session(self):
        return self.bot.new_session()

    def ask(self, text, session=None, *, lang=None):
        self.asked += 1
        if self.check:
            self.check()
        if self.asked == self.stop_at:
            raise KeyboardInterrupt
        return self.bot.ask(text, session)


def _questions(folder: Path, n: int) -> Path:
    src = folder / "q.txt"
    src.write_text("".join(f"combien gagne un KAM ? {i}\n" for i in range(n)), encoding="utf-8")
    return src


@pytest.mark.parametrize("previous", [None, b"previous answers\n"], ids=["new-output", "existing-output"])
def test_interrupted_run_leaves_no_partial_or_temp_file(bot, tmp_path, previous):
    """Ctrl-C on the 3rd question: no temp file remains and the output is absent, or untouched if it existed."""
    src = _questions(tmp_path, 5)
    out = tmp_path / "out.jsonl"
    if previous is not None:
        out.write_bytes(previous)
    with pytest.raises(KeyboardInterrupt):
        run_batch(Watching(bot, stop_at=3), str(src), str(out))
    expected = {"q.txt"} | ({"out.jsonl"} if previous else set())
    assert {p.name for p in tmp_path.iterdir()} == expected
    if previous is not None:
        assert out.read_bytes() == previous


def test_output_appears_only_when_the_run_is_complete(bot, tmp_path):
    """While questions are answered the final file does not exist and a hidden temp file in the same folder does."""
    src = _questions(tmp_path, 3)
    out = tmp_path / "out.csv"
    seen = []
    watcher = Watching(bot, check=lambda: seen.append((out.exists(), sorted(p.name for p in tmp_path.glob(".out.csv.*.part")))))
    run_batch(watcher, str(src), str(out))
    assert [exists for exists, _ in seen] == [False, False, False]
    assert all(len(temps) == 1 for _, temps in seen)
    assert out.exists() and not list(tmp_path.glob("*.part"))
    assert len(list(csv.DictReader(out.open(encoding="utf-8", newline="")))) == 3


def test_new_output_file_gets_ordinary_permissions(bot, tmp_path):
    """The answer file is readable by others as any new file would be (the temp file is private)."""
    src = _questions(tmp_path, 1)
    umask = os.umask(0o022)
    try:
        run_batch(bot, str(src), str(tmp_path / "out.jsonl"))
    finally:
        os.umask(umask)
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o777 == 0o644


def test_replaced_output_file_keeps_its_permissions(bot, tmp_path):
    """Re-running over an existing answer file keeps that file's mode."""
    src = _questions(tmp_path, 1)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    run_batch(bot, str(src), str(out))
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text() != "old\n"


def test_failure_to_put_the_output_in_place_is_a_batch_error(bot, tmp_path, monkeypatch):
    """An OS error while finishing the output is one BatchFileError naming the file, and no temp file remains."""
    src = _questions(tmp_path, 1)

    def refuse(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(batch.os, "replace", refuse)
    with pytest.raises(BatchFileError, match=r"out\.jsonl: cannot be written \(Permission denied\)"):
        run_batch(bot, str(src), str(tmp_path / "out.jsonl"))
    assert {p.name for p in tmp_path.iterdir()} == {"q.txt"}


# --- where -o writes: special files, links, the question file itself, leftovers -----------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo (POSIX)")
def test_output_to_a_fifo_is_written_through_and_the_fifo_stays(bot, tmp_path):
    """-o onto a named pipe writes the answers into it (a reader gets them); the pipe is not replaced by a file."""
    src = _questions(tmp_path, 2)
    fifo = tmp_path / "answers.jsonl"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run_batch(bot, str(src), str(fifo)) == 2
    reader.join(timeout=30)
    assert [json.loads(line)["id"] for line in received[0].splitlines()] == ["line:1", "line:2"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert {p.name for p in tmp_path.iterdir()} == {"q.txt", "answers.jsonl"}


@pytest.mark.parametrize("existing", [True, False], ids=["link-to-a-file", "dangling-link"])
def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(bot, tmp_path, existing):
    """-o a symlink: the file it points to gets the answers (created if need be); the link stays a link."""
    src = _questions(tmp_path, 2)
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "answers.jsonl"
    if existing:
        target.write_text("old answers\n")
    link = tmp_path / "answers.jsonl"
    link.symlink_to(target)
    run_batch(bot, str(src), str(link))
    assert link.is_symlink() and link.resolve() == target
    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == ["line:1", "line:2"]
    assert not list(tmp_path.rglob("*.part"))


def test_output_onto_a_symlink_loop_is_refused(bot, tmp_path):
    """A link to itself is named as a symlink loop, before any work."""
    src = _questions(tmp_path, 1)
    loop = tmp_path / "out.jsonl"
    loop.symlink_to(loop)
    with pytest.raises(BatchFileError, match=r"out\.jsonl: symlink loop; point the link at a file"):
        run_batch(bot, str(src), str(loop))


@pytest.mark.parametrize("how", ["same-path", "symlink", "hard-link"])
def test_the_question_file_is_never_overwritten_by_its_answers(bot, tmp_path, how):
    """-o naming the input (itself, or a link to it) is refused, and the questions are left as they were."""
    src = tmp_path / "q.jsonl"
    src.write_text('{"question": "combien gagne un KAM ?"}\n', encoding="utf-8")
    out = {"same-path": src, "symlink": tmp_path / "link.jsonl", "hard-link": tmp_path / "hard.jsonl"}[how]
    if how == "symlink":
        out.symlink_to(src)
    elif how == "hard-link":
        os.link(src, out)
    with pytest.raises(BatchFileError, match=r"is the question file itself \(or a link to it\); write the answers"):
        run_batch(bot, str(src), str(out))
    assert src.read_text(encoding="utf-8") == '{"question": "combien gagne un KAM ?"}\n'


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_the_answer_file_keeps_conversations_and_runs_again_as_a_question_file(bot, tmp_path, suffix):
    """The output has a 'conversation' field: run again as input, the follow-up is still the KAM salary."""
    src = tmp_path / "chat.jsonl"
    src.write_text('{"id": "a1", "conversation": "a", "question": "c\'est quoi un KAM ?"}\n'
                   '{"id": "a2", "conversation": "a", "question": "et son salaire ?"}\n', encoding="utf-8")
    first, again = tmp_path / f"first{suffix}", tmp_path / f"again{suffix}"
    run_batch(bot, str(src), str(first))
    run_batch(bot, str(first), str(again))
    for path in (first, again):
        text = path.read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text, newline=""))) if suffix == ".csv" else \
            [json.loads(line) for line in text.splitlines()]
        assert [(r["id"], r["conversation"]) for r in rows] == [("a1", "a"), ("a2", "a")]
        assert (rows[1]["role"], rows[1]["intent"]) == ("kam", "salary")


@pytest.mark.skipif(fcntl is None, reason="needs fcntl locks (POSIX)")
def test_a_stale_part_file_is_removed_but_one_a_live_run_holds_is_kept(bot, tmp_path):
    """Leftovers of a killed run writing the same file go; the locked .part of a live run and other outputs' stay."""
    src = _questions(tmp_path, 1)
    stale, held, other = (tmp_path / name for name in (".out.jsonl.k1ll3d.part", ".out.jsonl.l1v3.part",
                                                       ".other.jsonl.k1ll3d.part"))
    for part in (stale, held, other):
        part.write_text("half an answer file")
    with open(held) as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        run_batch(bot, str(src), str(tmp_path / "out.jsonl"))
    assert not stale.exists()
    assert held.exists() and other.exists()


def test_a_lone_surrogate_reaches_strict_standard_output_as_an_escape(bot):
    """A JSON "\\ud800" escape in a question is written back as that escape, and the next record still comes out."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")  # strict, as sys.stdout is
    data = b'{"question": "KAM \\ud800"}\n{"question": "AE"}\n'
    assert run_batch(bot, "-", None, fmt="jsonl", stdin=io.BytesIO(data), stdout=out) == 2
    out.flush()
    rows = [json.loads(line) for line in out.buffer.getvalue().decode("utf-8").splitlines()]
    assert rows[0]["question"] == "KAM \ud800" and rows[1]["question"] == "AE"


def test_progress_is_called_every_n_records(bot, tmp_path):
    """progress_every=2 over 5 questions: called at 2 and 4, with the share of the file read."""
    calls = []
    run_batch(bot, str(_questions(tmp_path, 5)), str(tmp_path / "out.jsonl"),
              progress=lambda n, done: calls.append((n, done)), progress_every=2)
    assert [n for n, _ in calls] == [2, 4]
    assert all(0 < done <= 1 for _, done in calls)


# --- memory ---------------------------------------------------------------------------------------------------------

class CheapBot:
    """A stand-in with the Bot interface whose answers cost nothing, so the streaming machinery is what is measured."""

    def __init__(self, sample):
        self.sample, self.asked = sample, 0

    def new_session(self) -> Session:
        return Session()

    def ask(self, text: str, session: Session | None = None, *, lang: str | None = None) -> Answer:
        self.asked += 1
        if self.asked % 50_000 == 0:
            self.sample()
        return Answer(text=f"réponse à {text}", intent="smalltalk", confidence=1.0, sources=("000_x.txt",))


def _rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm (Linux) to read memory use")
def test_memory_stays_flat_on_300_000_questions(tmp_path):
    """Resident memory grows by less than 20 MB while 300,000 lines (about 10 MB) are answered into a file.

    Holding the questions would cost about 30 MB, holding the answers far more; the run would take ~90 s with the
    real bot, hence the stand-in.
    """
    src = tmp_path / "big.txt"
    with src.open("w", encoding="utf-8") as fh:
        for start in range(0, 300_000, 10_000):
            fh.write("".join(f"question numéro {i} sur les KAM ?\n" for i in range(start, start + 10_000)))
    out = tmp_path / "big.jsonl"
    before = _rss_bytes()
    samples = []
    count = run_batch(CheapBot(lambda: samples.append(_rss_bytes())), str(src), str(out))
    samples.append(_rss_bytes())
    assert count == 300_000
    assert len(samples) == 7
    growth_mb = (max(samples) - before) / 2**20
    assert growth_mb < 20, f"memory grew by {growth_mb:.0f} MB"
    with out.open(encoding="utf-8") as fh:
        last = deque(fh, maxlen=1)[0]
    assert json.loads(last)["id"] == "line:300000"
