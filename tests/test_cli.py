"""The real command line, run as a subprocess the way a user runs it: ask, piped chat, batch, eval, errors and exit codes.

Every run gets CAREERBOT_HOME in a temporary folder, so no user file is read or written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, write_kb

KAM_SOURCE = "004_8b581f9a927034e0.txt"
KAM_TITLE = "Fiche métier : Key account manager"


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """careerbot's user folder for this module's runs (shared, so the index cache is built once)."""
    return tmp_path_factory.mktemp("careerbot-home")


@pytest.fixture
def run(home):
    """Run ``python main.py ARGS`` from the repository root; returns the CompletedProcess (text)."""

    def run(*args: str, stdin: str | bytes | None = None, env: dict | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        env = {**os.environ, **(env or {}), "CAREERBOT_HOME": str(home)}
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        proc = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, input=data,
                              capture_output=True, timeout=timeout)
        return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode("utf-8"),
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
EXPECTED_IDS = {"txt": ["1", "3"], "csv": ["k1", "3"], "jsonl": ["k1", "2"]}


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
    assert [r["id"] for r in rows] == ["1", "3"]
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
                 ["1", "2", "3", "4", "5", "6"],
                 [None, "empty question", "line 3 is not valid JSON", "line 4 is a JSON list",
                  "'question' must be a string, got int", None],
                 id="jsonl"),
    pytest.param("bad.csv",
                 "id,question\nq1,combien gagne un KAM ?\nq2,\nq3,  \n,c'est quoi un SDR ?\n",
                 ["q1", "q2", "q3", "5"],
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


@pytest.mark.parametrize("make, message", [
    (_missing_input, r"nope\.txt: file not found"),
    (_csv_without_question, r"q\.csv: no 'question' column \(columns found: 'id', 'texte'\)"),
    (_binary, r"q\.txt: looks like a binary or UTF-16 file"),
    (_unknown_extension, r"q\.docx: cannot tell the format from the extension '\.docx'"),
    (_missing_output_folder, r"out\.jsonl: the folder '.*no-such-folder' does not exist"),
    (_read_only_output_folder, r"out\.jsonl: the folder '.*locked' is not writable"),
], ids=["missing-file", "csv-no-question-column", "binary", "unknown-extension", "missing-output-folder",
        "read-only-output-folder"])
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


def test_ctrl_c_during_a_batch_exits_130_and_leaves_no_file(home, tmp_path):
    """SIGINT while answering: 'careerbot: interrupted', exit code 130, no answer file and no temporary file."""
    src = tmp_path / "q.txt"
    src.write_text("combien gagne un KAM ?\n" * 20000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "main.py", "batch", str(src), "-o", str(out)], cwd=ROOT,
                            env={**os.environ, "CAREERBOT_HOME": str(home)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.jsonl.*.part")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)  # answering has started once the temporary file exists
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "careerbot: interrupted"
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
