"""The real command line, run as a subprocess the way a user runs it: ask, piped chat, batch, eval, errors and exit codes.

Every run gets CAREERBOT_HOME in a temporary folder, so no user file is read or written.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, write_kb

from bot.batch import FIELDS

KAM_SOURCE = "004_8b581f9a927034e0.txt"
KAM_TITLE = "Fiche métier : Key account manager"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """careerbot's user folder for this module's runs (shared, so the index cache is built once)."""
    return tmp_path_factory.mktemp("careerbot-home")


@pytest.fixture
def run(home):
    """Run ``python main.py ARGS`` from the repository root; returns the CompletedProcess (text).

    *stdout* may be a file or a descriptor to write to instead of a pipe (its text is then "")."""

    def run(*args: str, stdin: str | bytes | None = None, env: dict | None = None, stdout=subprocess.PIPE,
            timeout: float = 60) -> subprocess.CompletedProcess:
        env = {**os.environ, "CAREERBOT_HOME": str(home), **(env or {})}
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, input=data,
                              stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, (proc.stdout or b"").decode("utf-8"),
                                           proc.stderr.decode("utf-8"))

    return run


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def documented_messages() -> list[re.Pattern]:
    """The messages README's "Errors" section lists, as patterns (``<file>`` and the like match anything)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    return [re.compile(re.sub(r"<[^<>]+>", ".+", re.escape(span)))
            for span in re.findall(r"`([^`\n]+)`", section)
            if len(re.sub(r"<[^<>]+>", "", span).strip()) >= 8]  # not the bare `<file>` of the legend


def assert_documented(line: str) -> None:
    """*line* (from standard error) is one of the messages the README documents."""
    message = line.removeprefix("careerbot: error: ")
    assert any(p.fullmatch(message) or p.fullmatch(line) for p in documented_messages()), \
        f"not documented in README's Errors section: {line!r}"


# --- ask ------------------------------------------------------------------------------------------------------------

def test_ask_prints_the_kam_salary_with_its_source(run):
    """``ask`` prints the KAM figures and names the source file, and nothing on standard error."""
    result = run("ask", "combien gagne un KAM ?")
    assert result.returncode == 0, result.stderr
    assert "60 000" in result.stdout
    assert KAM_TITLE in result.stdout
    assert result.stderr == ""


def test_ask_json_is_the_answer_object(run):
    """``ask --json`` prints one JSON object with role, intent and the list of sources."""
    result = run("ask", "--json", "combien", "gagne", "un", "KAM", "?")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["role"], answer["intent"]) == ("kam", "salary")
    assert answer["sources"] == [KAM_SOURCE]
    assert answer["fallback"] is False


# --- piped chat -----------------------------------------------------------------------------------------------------

def test_piped_chat_answers_each_line_in_one_conversation(run):
    """Lines piped to ``careerbot`` share context: the second answer is the KAM salary, after the KAM definition."""
    result = run(stdin="c'est quoi un KAM ?\net combien il gagne ?\n")
    assert result.returncode == 0, result.stderr
    definition = result.stdout.index("Key Account Manager (KAM) — la définition")
    salary = result.stdout.index("Key Account Manager (KAM) — le salaire")
    assert definition < salary < result.stdout.index("60 000")


def test_piped_chat_survives_bytes_that_are_not_utf8(run):
    """A cp1252 'é' in piped input does not stop the chat, even where standard input is strict UTF-8."""
    result = run(stdin=b"salaire d\xe9but KAM\nc'est quoi un SDR ?\n", env={"PYTHONIOENCODING": "utf-8:strict"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "KAM" in result.stdout and "Sales Development Representative" in result.stdout


# --- batch: formats -------------------------------------------------------------------------------------------------

INPUTS = {
    "txt": "combien gagne un KAM ?\n\nc'est quoi un SDR ?\n",
    "csv": "id,question\nk1,combien gagne un KAM ?\n,c'est quoi un SDR ?\n",
    "jsonl": '{"id": "k1", "question": "combien gagne un KAM ?"}\n{"question": "c\'est quoi un SDR ?"}\n',
}
EXPECTED_IDS = {"txt": ["line:1", "line:3"], "csv": ["k1", "line:3"], "jsonl": ["k1", "line:2"]}


@pytest.mark.parametrize("fmt, from_stdin", [("txt", False), ("csv", False), ("jsonl", False), ("jsonl", True)],
                         ids=["txt", "csv", "jsonl", "stdin-jsonl"])
def test_batch_reads_each_input_format_into_jsonl_on_stdout(run, tmp_path, fmt, from_stdin):
    """Each input format gives one JSONL record per question on standard output; ids are given or line numbers."""
    if from_stdin:
        result = run("batch", "-", "--format", fmt, stdin=INPUTS[fmt])
    else:
        src = tmp_path / f"questions.{fmt}"
        src.write_text(INPUTS[fmt], encoding="utf-8")
        result = run("batch", str(src))
    assert result.returncode == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [r["id"] for r in rows] == EXPECTED_IDS[fmt]
    assert [(r["role"], r["intent"]) for r in rows] == [("kam", "salary"), ("sdr", "definition")]
    assert KAM_SOURCE in rows[0]["sources"]


@pytest.mark.parametrize("out_name, read", [
    ("answers.jsonl", lambda path: jsonl(path.read_text(encoding="utf-8"))),
    ("answers.csv", lambda path: list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))),
], ids=["jsonl", "csv"])
def test_batch_writes_the_output_file_named_by_o(run, tmp_path, out_name, read):
    """``-o x.jsonl`` / ``-o x.csv`` write that file (nothing on standard output) and report the count on stderr."""
    src = tmp_path / "questions.txt"
    src.write_text(INPUTS["txt"], encoding="utf-8")
    out = tmp_path / out_name
    result = run("batch", str(src), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"careerbot: 2 records written to {out}\n"
    rows = read(out)
    assert [r["id"] for r in rows] == ["line:1", "line:3"]
    assert [r["role"] for r in rows] == ["kam", "sdr"]
    assert KAM_SOURCE in rows[0]["sources"]


def test_batch_conversation_records_are_answered_in_one_session(run, tmp_path):
    """Records sharing ``conversation`` follow each other: "et son salaire ?" after a KAM question is the KAM salary."""
    src = tmp_path / "chat.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a1", "conversation": "a", "question": "c'est quoi un KAM ?"},
        {"id": "b1", "conversation": "b", "question": "c'est quoi un SDR ?"},
        {"id": "a2", "conversation": "a", "question": "et son salaire ?"},
        {"id": "b2", "conversation": "b", "question": "et ses compétences ?"},
    ]) + "\n", encoding="utf-8")
    result = run("batch", str(src))
    assert result.returncode == 0, result.stderr
    rows = {r["id"]: r for r in jsonl(result.stdout)}
    assert (rows["a2"]["role"], rows["a2"]["intent"]) == ("kam", "salary")
    assert "60 000" in rows["a2"]["answer"]
    assert (rows["b2"]["role"], rows["b2"]["intent"]) == ("sdr", "skills")


BAD_FILES = [
    pytest.param("bad.jsonl",
                 '{"question": "combien gagne un KAM ?"}\n'
                 '{"question": ""}\n'
                 '{"question": "oops"\n'
                 '["combien gagne un KAM ?"]\n'
                 '{"question": 3}\n'
                 '{"question": "c\'est quoi un SDR ?"}\n',
                 ["line:1", "line:2", "line:3", "line:4", "line:5", "line:6"],
                 [None, "empty question", "line 3 is not valid JSON", "line 4 is a JSON list",
                  "'question' must be a string, got int", None],
                 id="jsonl"),
    pytest.param("bad.csv",
                 "id,question\nq1,combien gagne un KAM ?\nq2,\nq3,  \n,c'est quoi un SDR ?\n",
                 ["q1", "q2", "q3", "line:5"],
                 [None, "empty question", "empty question", None],
                 id="csv"),
]


@pytest.mark.parametrize("name, content, ids, errors", BAD_FILES)
def test_batch_bad_records_are_reported_in_order_never_dropped(run, tmp_path, name, content, ids, errors):
    """Each bad record becomes a record with an ``error`` field, in place; good ones are answered; exit code 0."""
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    result = run("batch", str(src))
    assert result.returncode == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [r["id"] for r in rows] == ids
    for row, error in zip(rows, errors):
        if error is None:
            assert "error" not in row and row["answer"]
        else:
            assert error in row["error"] and row["answer"] == ""


# --- batch: files that cannot be used --------------------------------------------------------------------------------

def _missing_input(tmp: Path) -> list[str]:
    return ["batch", str(tmp / "nope.txt")]


def _csv_without_question(tmp: Path) -> list[str]:
    (tmp / "q.csv").write_text("id,texte\n1,combien gagne un KAM ?\n", encoding="utf-8")
    return ["batch", str(tmp / "q.csv"), "-o", str(tmp / "out.jsonl")]


def _binary(tmp: Path) -> list[str]:
    (tmp / "q.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    return ["batch", str(tmp / "q.txt"), "-o", str(tmp / "out.jsonl")]


def _unknown_extension(tmp: Path) -> list[str]:
    (tmp / "q.docx").write_text("combien gagne un KAM ?\n", encoding="utf-8")
    return ["batch", str(tmp / "q.docx"), "-o", str(tmp / "out.jsonl")]


def _missing_output_folder(tmp: Path) -> list[str]:
    (tmp / "q.txt").write_text("combien gagne un KAM ?\n", encoding="utf-8")
    return ["batch", str(tmp / "q.txt"), "-o", str(tmp / "no-such-folder" / "out.jsonl")]


def _read_only_output_folder(tmp: Path) -> list[str]:
    (tmp / "q.txt").write_text("combien gagne un KAM ?\n", encoding="utf-8")
    locked = tmp / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):
        locked.chmod(0o755)
        pytest.skip("running as root: a read-only folder is still writable")
    return ["batch", str(tmp / "q.txt"), "-o", str(locked / "out.jsonl")]


def _output_is_the_input(tmp: Path) -> list[str]:
    (tmp / "q.jsonl").write_text('{"question": "combien gagne un KAM ?"}\n', encoding="utf-8")
    return ["batch", str(tmp / "q.jsonl"), "-o", str(tmp / "q.jsonl")]


def _output_is_a_symlink_loop(tmp: Path) -> list[str]:
    (tmp / "q.txt").write_text("combien gagne un KAM ?\n", encoding="utf-8")
    (tmp / "out.jsonl").symlink_to(tmp / "out.jsonl")
    return ["batch", str(tmp / "q.txt"), "-o", str(tmp / "out.jsonl")]


def _utf16_without_bom(tmp: Path) -> list[str]:
    (tmp / "q.csv").write_bytes("question\ncombien gagne un KAM ?\n".encode("utf-16-le"))
    return ["batch", str(tmp / "q.csv"), "--encoding", "utf-16", "-o", str(tmp / "out.jsonl")]


@pytest.mark.parametrize("make, message", [
    (_missing_input, r"nope\.txt: file not found"),
    (_csv_without_question, r"q\.csv: no 'question' column \(columns found: 'id', 'texte'\)"),
    (_binary, r"q\.txt: looks like a binary file, not text"),
    (_unknown_extension, r"q\.docx: cannot tell the format from the extension '\.docx'"),
    (_missing_output_folder, r"out\.jsonl: the folder '.*no-such-folder' does not exist"),
    (_read_only_output_folder, r"out\.jsonl: the folder '.*locked' is not writable"),
    (_output_is_the_input, r"q\.jsonl: is the question file itself \(or a link to it\)"),
    (_output_is_a_symlink_loop, r"out\.jsonl: symlink loop"),
    (_utf16_without_bom, r"q\.csv: --encoding utf-16 needs a byte-order mark.*pass --encoding utf-16-le"),
], ids=["missing-file", "csv-no-question-column", "binary", "unknown-extension", "missing-output-folder",
        "read-only-output-folder", "output-is-the-input", "output-symlink-loop", "utf16-flag-without-bom"])
def test_unusable_file_is_one_error_line_and_exit_1(run, tmp_path, make, message):
    """A file careerbot cannot use gives one documented 'careerbot: error:' line, exit code 1, and no output file."""
    before = set(tmp_path.rglob("*"))
    args = make(tmp_path)
    made = set(tmp_path.rglob("*")) - before
    result = run(*args)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("careerbot: error: ")
    assert re.search(message, lines[0])
    assert_documented(lines[0])
    assert result.stdout == ""
    assert set(tmp_path.rglob("*")) - before == made  # no answer file, no temporary file


@pytest.mark.parametrize("args, message", [
    (["batch", "-"], r"standard input \(-\) needs --format"),
    (["batch", "q.txt", "--encoding", "klingon"], r"unknown encoding 'klingon'"),
], ids=["stdin-without-format", "unknown-encoding"])
def test_wrong_batch_arguments_are_usage_errors(run, args, message):
    """Arguments that cannot work are a one-line usage error with exit code 2."""
    result = run(*args, stdin="")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("careerbot batch: error: ")
    assert re.search(message, lines[0])
    assert_documented(lines[0])


def test_unknown_command_is_argparse_usage_error(run):
    """A mistyped command exits 2 with argparse's usage message."""
    result = run("bacth", "q.txt")
    assert result.returncode == 2
    assert "invalid choice: 'bacth'" in result.stderr


@pytest.mark.parametrize("where", ["before-command", "after-command"])
def test_broken_knowledge_folder_is_a_knowledge_error_and_exit_3(run, tmp_path, where):
    """--base on a folder with a malformed TOML file gives one 'careerbot: knowledge error:' line naming it; exit 3."""
    kb = write_kb(tmp_path / "kb", {"roles/ae.toml": 'id = "ae"\nname = "Account Executive\n'})
    args = ["--base", str(kb), "ask", "combien gagne un AE ?"]
    if where == "after-command":
        args = ["ask", "--base", str(kb), "combien gagne un AE ?"]
    result = run(*args)
    assert result.returncode == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("careerbot: knowledge error: ")
    assert "roles/ae.toml" in lines[0] and "not valid TOML" in lines[0] and "— fix: " in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGINT, 130, "careerbot: interrupted"),
    (signal.SIGTERM, 143, "careerbot: terminated by SIGTERM"),
    (signal.SIGHUP, 129, "careerbot: terminated by SIGHUP"),
], ids=["ctrl-c", "sigterm", "sighup"])
def test_a_signal_during_a_batch_leaves_no_file(home, tmp_path, signum, code, message):
    """Ctrl-C, SIGTERM (timeout, systemd, docker) or SIGHUP while answering: one line, its exit code, and no
    answer file nor temporary file left."""
    src = tmp_path / "q.txt"
    # Distinct questions: the same one repeated is answered from memory so fast the batch could end first.
    src.write_text("".join(f"combien gagne un KAM ? ({i})\n" for i in range(20000)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "main.py", "batch", str(src), "-o", str(out)], cwd=ROOT,
                            env={**os.environ, "CAREERBOT_HOME": str(home)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.jsonl.*.part")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # answering has started once the temporary file exists
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == code, stderr
    assert stderr.strip() == message
    assert_documented(message)
    assert {p.name for p in tmp_path.iterdir()} == {"q.txt"}


def test_closed_pipe_ends_quietly(home, tmp_path):
    """``careerbot batch big.txt | head -1``: the reader goes away, careerbot stops with exit 0 and no traceback."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\n" * 5000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "main.py", "batch", str(src)], cwd=ROOT,
                            env={**os.environ, "CAREERBOT_HOME": str(home)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    proc.wait(timeout=30)
    assert json.loads(first)["role"] == "kam"
    assert proc.returncode == 0
    assert stderr == ""


# --- standard output and special files ----------------------------------------------------------------------------

def _ask(tmp: Path) -> tuple[list[str], str | None]:
    return ["ask", "combien gagne un KAM ?"], None


def _batch(tmp: Path) -> tuple[list[str], str | None]:
    (tmp / "q.txt").write_text("combien gagne un KAM ?\nc'est quoi un SDR ?\n", encoding="utf-8")
    return ["batch", str(tmp / "q.txt")], None


def _eval(tmp: Path) -> tuple[list[str], str | None]:
    (tmp / "cases.jsonl").write_text('{"question": "combien gagne un KAM ?", "intent": "salary", "role": "kam"}\n',
                                     encoding="utf-8")
    return ["eval", str(tmp / "cases.jsonl")], None


def _piped_chat(tmp: Path) -> tuple[list[str], str | None]:
    return [], "c'est quoi un KAM ?\net son salaire ?\n"


def _ingest(tmp: Path) -> tuple[list[str], str | None]:
    (tmp / "sales-ops.md").write_text("# Sales Ops\n\nLe Sales Ops outille les équipes de vente.\n\n"
                                      "## Quelles sont ses missions ?\n\nIl gère le CRM et les tableaux de bord.\n",
                                      encoding="utf-8")
    return ["ingest", str(tmp / "sales-ops.md"), "--into", str(tmp / "pairs")], None


WRITERS = [_ask, _batch, _eval, _piped_chat, _ingest]
WRITER_IDS = ["ask", "batch", "eval", "piped-chat", "ingest"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux) to fill standard output")
@pytest.mark.parametrize("make", WRITERS, ids=WRITER_IDS)
def test_a_full_standard_output_is_one_error_line_and_exit_1(run, tmp_path, make):
    """``> /dev/full`` (no space left): one documented 'careerbot: error:' line, exit code 1, no traceback."""
    args, stdin = make(tmp_path)
    with open("/dev/full", "w") as full:
        result = run(*args, stdin=stdin, stdout=full)
    assert result.returncode == 1, result.stderr
    assert result.stderr == "careerbot: error: standard output cannot be written (No space left on device)\n"
    assert_documented(result.stderr.strip())


@pytest.mark.parametrize("make", [_ask, _eval, _piped_chat], ids=["ask", "eval", "piped-chat"])
def test_a_closed_pipe_on_standard_output_is_quiet(run, tmp_path, make):
    """The reader went away before careerbot wrote (``| head`` that ended): exit 0, nothing on standard error."""
    args, stdin = make(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(*args, stdin=stdin, stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_a_lone_surrogate_in_a_batch_to_standard_output_loses_no_record(run):
    """A JSON "\\ud800" escape in a question read from a pipe: every record comes out, the escape kept as written."""
    result = run("batch", "-", "--format", "jsonl", stdin='{"question":"KAM \\ud800"}\n{"question":"AE"}\n')
    assert result.returncode == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [r["question"] for r in rows] == ["KAM \ud800", "AE"]
    assert rows[0]["role"] == "kam"


def _device(path: Path, minor: int) -> None:
    """A character device at *path* like /dev/full (minor 7) or /dev/null (minor 3); skips where none can be made."""
    if not hasattr(os, "mknod") or os.geteuid() != 0:
        pytest.skip("making a device file needs root (os.mknod)")
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        with open(path, "wb"):
            pass  # a folder mounted nodev refuses to open devices
    except OSError as exc:
        pytest.skip(f"cannot make a usable device file in {path.parent} ({exc.strerror})")


@pytest.mark.parametrize("minor, code, message", [
    (7, 1, r"careerbot: error: .*device: cannot be written \(No space left on device\); check the free space.*"),
    (3, 0, r"careerbot: 2 records written to .*device"),
], ids=["like-dev-full", "like-dev-null"])
def test_batch_o_writes_through_a_device_and_leaves_it_a_device(run, tmp_path, minor, code, message):
    """-o onto a device is written through, never replaced by a regular file: /dev/full's error is told, /dev/null
    swallows the answers; no temporary file is left."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\nc'est quoi un SDR ?\n", encoding="utf-8")
    device = tmp_path / "device"
    _device(device, minor)
    result = run("batch", str(src), "-o", str(device))
    assert result.returncode == code
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(message, line)
    assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert {p.name for p in tmp_path.iterdir()} == {"q.txt", "device"}


@pytest.mark.parametrize("option", [["--excel"], ["--output-format", "csv-excel"]], ids=["excel", "csv-excel"])
def test_batch_excel_writes_utf8_with_bom_semicolons_and_decimal_commas(run, tmp_path, option):
    """The spreadsheet CSV: a UTF-8 byte-order mark, ';' between fields, '0,83' rather than '0.83'."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\nc'est quoi un SDR ?\n", encoding="utf-8")
    out = tmp_path / "réponses.csv"
    result = run("batch", str(src), "-o", str(out), *option)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + ";".join(FIELDS).encode() + b"\r\n")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r["role"] for r in rows] == ["kam", "sdr"]
    assert re.fullmatch(r"[01](,\d+)?", rows[0]["confidence"])


def test_batch_progress_prints_lines_on_standard_error_without_a_terminal(run, tmp_path):
    """--progress --progress-every 2 over 5 questions, standard error a pipe: a line at 2 and 4, then the count."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\n" * 5, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("batch", str(src), "-o", str(out), "--progress", "--progress-every", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert [re.sub(r"\(\d+% of", "(<p>% of", line) for line in lines] == [
        "careerbot: 2 records answered (<p>% of the input read)",
        "careerbot: 4 records answered (<p>% of the input read)",
        f"careerbot: 5 records written to {out}",
    ]


def test_a_damaged_index_cache_is_rebuilt_with_one_warning(run, home, tmp_path):
    """An emptied cache file (a crash before the data reached the disk): the answer comes, one warning says the
    cache is rebuilt, and the next start is quiet."""
    own_home = tmp_path / "home"
    if list((home / "cache").glob("index-*.npz")):
        shutil.copytree(home / "cache", own_home / "cache")  # what earlier runs built: saves a build
    else:
        assert run("ask", "KAM", env={"CAREERBOT_HOME": str(own_home)}).returncode == 0  # builds the cache
    (cached,) = (own_home / "cache").glob("index-*.npz")
    cached.write_bytes(b"")
    first = run("ask", "combien gagne un KAM ?", env={"CAREERBOT_HOME": str(own_home)})
    assert first.returncode == 0 and "60 000" in first.stdout
    (warning,) = first.stderr.splitlines()
    assert re.fullmatch(r"careerbot: warning: the index cache .*index-\w+\.npz cannot be read \(EOFError.*\); "
                        r"it is rebuilt and replaced", warning)
    assert_documented(warning)
    again = run("ask", "combien gagne un KAM ?", env={"CAREERBOT_HOME": str(own_home)})
    assert (again.returncode, again.stderr) == (0, "")


def test_an_unexpected_exception_is_one_line_never_a_traceback(monkeypatch, capsys):
    """A careerbot bug reaches the user as one 'internal error' line and exit code 1 (CAREERBOT_DEBUG shows it all)."""
    from bot import cli

    def broken(args, out):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_cmd_ask", broken)
    monkeypatch.delenv("CAREERBOT_DEBUG", raising=False)
    assert cli.main(["ask", "x"], out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert err == ("careerbot: internal error: RuntimeError: boom — please report it "
                   "(CAREERBOT_DEBUG=1 shows the traceback)\n")
    assert_documented(err.strip())


# --- eval -----------------------------------------------------------------------------------------------------------

def test_eval_prints_the_per_intent_table_and_accuracy(run):
    """``eval`` on the development set prints a row per intent and the in-domain accuracy."""
    result = run("eval", "--no-failures")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.split("\n\n")[0].splitlines()
    assert header.split() == ["intent", "right", "total", "acc"]
    assert {"salary", "glossary", "fallback"} <= {row.split()[0] for row in rows}
    assert re.search(r"^in-domain accuracy\s+\d+\.\d% of \d+$", result.stdout, re.M)
    assert "failures:" not in result.stdout


def test_eval_scores_a_small_labelled_file_and_lists_its_failure(run, tmp_path):
    """A 4-case file (a conversation, an out-of-scope question and one wrong label) is scored case by case."""
    cases = [
        {"id": "c1", "question": "c'est quoi un KAM ?", "intent": "definition", "role": "kam", "conversation": "x"},
        {"id": "c2", "question": "et son salaire ?", "intent": "salary", "role": "kam", "must": ["60 000"],
         "conversation": "x"},
        {"id": "c3", "question": "quelle est la capitale du Pérou ?", "intent": "fallback"},
        {"id": "wrong", "question": "combien gagne un KAM ?", "intent": "salary", "role": "sdr"},
    ]
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n", encoding="utf-8")
    result = run("eval", str(labelled))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^all cases\s+75\.0% of 4$", result.stdout, re.M)
    assert re.search(r"^in-domain accuracy\s+66\.7% of 3$", result.stdout, re.M)
    assert re.search(r"^salary\s+1\s+2\s+50\.0%$", result.stdout, re.M)
    failures = result.stdout.split("failures:\n", 1)[1].splitlines()
    assert len(failures) == 1 and failures[0].strip().startswith("wrong:")
    assert "role 'kam', expected 'sdr'" in failures[0]


@pytest.mark.parametrize("content, message", [
    ('{"question": "combien gagne un KAM ?"}\n', r"labelled\.jsonl:1: a labelled case needs 'question' and 'intent'"),
    ('{"question": 5, "intent": "salary"}\n', r"labelled\.jsonl: case .+: 'question' must be a string, got int"),
    ("", r"labelled\.jsonl: no labelled case"),
], ids=["missing-intent", "number-question", "empty"])
def test_eval_on_an_unusable_labelled_file_is_one_error_line(run, tmp_path, content, message):
    """A labelled file eval cannot score gives one documented error line and exit code 1."""
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(content, encoding="utf-8")
    result = run("eval", str(labelled))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and re.search(message, lines[0])
    assert_documented(lines[0])


# --- progress and knowledge folders ---------------------------------------------------------------------------------


def test_batch_draws_a_progress_bar_on_a_terminal(home, tmp_path):
    """With standard error on a terminal, batch shows a filling bar and a final count; the answers are complete."""
    import pty

    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\n" * 1500, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "main.py", "batch", str(src), "-o", str(out)], cwd=ROOT,
                            env={**os.environ, "CAREERBOT_HOME": str(home)}, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    text = seen.decode("utf-8")
    assert re.search(r"\[#*\.*\]\s+\d+%\s+1 000 questions", text), text
    assert "1 500 questions answered." in text
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1500


@pytest.mark.parametrize("option", ["--knowledge", "--base"])
def test_a_knowledge_folder_that_does_not_exist_is_a_clear_error(run, tmp_path, option):
    """--knowledge or --base naming a missing folder: one line naming it, exit 3."""
    result = run(option, str(tmp_path / "nowhere"), "ask", "combien gagne un KAM ?")
    assert result.returncode == 3
    assert result.stderr.strip() == (f"careerbot: knowledge error: {tmp_path / 'nowhere'}: knowledge directory not "
                                     "found — fix: give the path of a folder holding sources.toml (and roles/)")


def test_version_is_the_package_version(capsys):
    """'careerbot --version' prints bot.__version__ (from the package metadata) and exits 0."""
    import bot
    from bot.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"careerbot {bot.__version__}"
    assert bot.__version__ != "0+unknown"  # the test environment installs the package


def test_help_is_english_with_examples(capsys):
    """'careerbot --help' describes every command in English and shows example commands."""
    from bot.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "examples:" in text and 'careerbot ask "combien gagne un KAM ?"' in text
    for command in ("chat", "ask", "batch", "eval", "ingest", "--version"):
        assert command in text
    assert "par défaut" not in text and "répondre" not in text
