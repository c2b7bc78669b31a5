"""README.md says what is true: its Python snippets run and give what they claim, its commands are CI's commands,
and the messages a batch user can see are the ones its "Errors" section lists."""

from __future__ import annotations

import ast
import io
import json
import re
import shlex

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import pytest
from conftest import ROOT

from bot import BatchFileError
from bot.batch import read_records

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str, level: int = 2) -> str:
    """The text under the heading *title*, up to the next heading of the same or a higher level (not in code)."""
    lines, inside, fenced = [], False, False
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        heading = re.match(r"(#+) ", line) if not fenced else None
        if heading and len(heading.group(1)) <= level:
            if inside:
                break
            inside = len(heading.group(1)) == level and line[level + 1:].startswith(title)
            continue
        if inside:
            lines.append(line)
    assert lines, f"README has no '{'#' * level} {title}' heading"
    return "".join(lines)


def code_blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.M | re.S)


PYTHON_BLOCKS = code_blocks(section("From Python", level=3), "python")


def test_from_python_has_the_two_snippets():
    """The "From Python" section shows the library use and the web endpoint."""
    assert len(PYTHON_BLOCKS) == 2
    assert "def answer_endpoint" in PYTHON_BLOCKS[1]


def _claims(block: str) -> list[tuple[str, object]]:
    """``expression   # literal`` lines of *block*: what the README says each expression gives."""
    claims = []
    for line in block.splitlines():
        code, _, comment = line.partition("#")
        code, comment = code.strip(), comment.strip()
        if not code or "=" in code or not comment:
            continue
        try:
            claims.append((code, ast.literal_eval(comment)))
        except (ValueError, SyntaxError):
            continue  # a comment in words, not a value
    return claims


def test_library_snippet_runs_and_gives_what_its_comments_say():
    """The first snippet runs; each ``answer.role   # 'kam'`` claim holds, and the follow-up is the AE salary."""
    namespace: dict = {}
    exec(compile(PYTHON_BLOCKS[0], "README.md (From Python)", "exec"), namespace)
    claims = _claims(PYTHON_BLOCKS[0])
    assert {code for code, _ in claims} >= {"answer.role", "answer.intent", "answer.sources", "answer.fallback"}
    for code, value in claims:
        assert eval(code, namespace) == value, code
    follow_up_claim = re.search(r"^follow_up = .*#\s*(.+)$", PYTHON_BLOCKS[0], re.M).group(1)
    follow_up = namespace["follow_up"]
    assert (follow_up.role, follow_up.intent) == ast.literal_eval(follow_up_claim)


def test_web_endpoint_snippet_returns_json_with_the_role():
    """The endpoint snippet runs and answers "combien gagne un KAM ?" with JSON naming the KAM; visitors keep their context."""
    namespace: dict = {}
    exec(compile(PYTHON_BLOCKS[1], "README.md (web endpoint)", "exec"), namespace)
    endpoint = namespace["answer_endpoint"]
    first = json.loads(endpoint("visitor-1", "combien gagne un KAM ?"))
    assert (first["role"], first["intent"]) == ("kam", "salary")
    assert first["sources"] == ["004_8b581f9a927034e0.txt"]
    follow_up = json.loads(endpoint("visitor-1", "et pour un AE ?"))
    other_visitor = json.loads(endpoint("visitor-2", "et pour un AE ?"))
    assert (follow_up["role"], follow_up["intent"]) == ("ae", "salary")
    assert other_visitor["intent"] != "salary"  # visitor 2 never asked about salaries


def _commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_quick_start_commands_are_what_ci_runs():
    """README's test command is the command .ci/run runs; the chat command installs the same way and starts careerbot."""
    blocks = code_blocks(section("Quick start"), "sh")
    assert len(blocks) == 2
    (chat, serve), (tests,) = (_commands(b) for b in blocks)
    assert serve == ".venv/bin/careerbot serve"
    ci = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert tests in ci
    chat_steps, test_steps = chat.split(" && "), tests.split(" && ")
    assert chat_steps[0] == test_steps[0]  # same virtual environment
    assert shlex.split(chat_steps[1]) == [".venv/bin/pip", "install", "-e", "."]
    assert shlex.split(test_steps[1]) == [".venv/bin/pip", "install", "-e", ".[test]"]
    assert chat_steps[2:] == [".venv/bin/careerbot"]


def test_quick_start_names_things_the_package_defines():
    """The ``careerbot`` command and the ``test`` extra the quick start uses exist in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["careerbot"] == "bot.cli:main"
    assert "test" in project["optional-dependencies"]


def test_exit_codes_table_matches_the_cli_constants():
    """The "Exit codes" table lists exactly the codes bot.cli defines."""
    from bot import cli

    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", section("Exit codes"), re.M)}
    assert documented == {getattr(cli, name) for name in cli.__all__ if name.startswith("EXIT_")}


# --- the Errors section lists what users see --------------------------------------------------------------------------

ERRORS = section("Errors")
DOCUMENTED = [re.compile(re.sub(r"<[^<>]+>", ".+", re.escape(span))) for span in re.findall(r"`([^`\n]+)`", ERRORS)
              if len(re.sub(r"<[^<>]+>", "", span).strip()) >= 8]  # not the bare `<file>` of the legend


def test_documented_messages_are_not_wildcards():
    """The README's placeholders do not make any text count as documented."""
    assert DOCUMENTED and not documented("something careerbot never says")


def documented(message: str) -> bool:
    return any(p.fullmatch(message) for p in DOCUMENTED)


def _records(data: bytes, fmt: str) -> list:
    return list(read_records(io.BufferedReader(io.BytesIO(data)), fmt, name="questions"))


@pytest.mark.parametrize("data, fmt", [
    (b'{"question": ""}\n{"id": 1}\n{"question": 2}\n{oops\n[1]\n{"question": "d\xe9but"}\n', "jsonl"),
    (b"question\n\xe9\n\n  \n", "csv"),
    (b"ok\nd\xe9but\n", "txt"),
], ids=["jsonl", "csv", "txt"])
def test_every_record_error_is_documented(data, fmt):
    """Each ``error`` a batch output record can carry is listed in README's Errors section."""
    errors = [r.error for r in _records(data, fmt) if r.error]
    assert errors
    for error in errors:
        assert documented(error), error


@pytest.mark.parametrize("data, fmt", [
    (b"a,b\n1,2\n", "csv"),
    (b"\x00\x01\x02", "txt"),
], ids=["no-question-column", "binary"])
def test_every_unreadable_file_message_is_documented(data, fmt):
    """The BatchFileError for a file that cannot be read is listed in README's Errors section."""
    with pytest.raises(BatchFileError) as info:
        _records(data, fmt)
    assert documented(str(info.value)), str(info.value)
