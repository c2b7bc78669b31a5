"""`careerbot serve` for real: two uvicorn workers on a free localhost port answer a conversation like one process."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT

from bot.cli import main

SECRET = "a secret shared by every worker of the test"
CONVERSATIONS = [
    ["c'est quoi un KAM ?", "et son salaire ?", "et pour un AE ?", "et ses missions ?"],
    ["différence entre AE et SDR", "et le premier ?", "et son salaire ?", "et le second ?"],
    ["combien gagne un AE ?", "et un KAM ?", "et son évolution ?", "c'est quoi le churn ?"],
    ["quel est le quota d'un AE ?", "et si j'ai 120 000 € de pipe ?", "bonjour", "et pour un CSM ?"],
] * 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
    """One request on a new connection (so the kernel may hand it to either worker): status, JSON, headers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, data, {"Content-Type": "application/json", "Connection": "close"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}"), {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


@contextmanager
def serving(tmp_path: Path, *args: str, env: dict | None = None):
    """`careerbot serve` with *args* running on a free port until the block ends; yields (port, process)."""
    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CAREERBOT_")}
    environ.update(CAREERBOT_HOME=str(tmp_path / "home"), CAREERBOT_SECRET=SECRET, CAREERBOT_WORKER_HEADER="1",
                   CAREERBOT_RATE_LIMIT="0", **(env or {}))
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port), *args], cwd=ROOT,
                               env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"careerbot serve exited with {process.returncode}:\n{process.stdout.read()}")
            try:
                if request(port, "GET", "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("careerbot serve did not become ready in 60 s")
            time.sleep(0.1)
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def converse(port: int, questions: list[str]) -> list[tuple[str, str | None, str, str]]:
    """Ask *questions* as one conversation through the token: (intent, role, text, worker pid) per turn."""
    token, turns = None, []
    for question in questions:
        body = {"question": question} | ({"session": token} if token else {})
        for _ in range(100):  # a worker still loading answers 503 with Retry-After
            status, data, headers = request(port, "POST", "/api/ask", body)
            if status != 503:
                break
            time.sleep(0.1)
        assert status == 200, data
        token = data["session"]
        turns.append((data["intent"], data["role"], data["text"], headers["x-careerbot-worker"]))
    return turns


@pytest.mark.slow
def test_two_workers_answer_a_conversation_like_one_process(bot, tmp_path):
    """Eight conversations, turns on whichever worker the kernel picks: same answers as Python sessions; one log."""
    expected = []
    for questions in CONVERSATIONS:
        session = bot.new_session()
        expected.append([(a.intent, a.role, a.text) for a in (bot.ask(q, session) for q in questions)])
    log_file = tmp_path / "questions.sqlite3"
    with serving(tmp_path, "--workers", "2", "--log-db", str(log_file)) as (port, process):
        # The kernel hands connections only to workers already listening: wait until both have answered once
        # (the first one ready would otherwise take every turn on a slow machine).
        seen: set[str] = set()
        deadline = time.monotonic() + 60
        while len(seen) < 2 and time.monotonic() < deadline:
            seen.add(request(port, "GET", "/api/health")[2].get("x-careerbot-worker", ""))
            time.sleep(0.05)
        assert len(seen - {""}) == 2, f"the second worker never answered: {seen}"
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(lambda qs: converse(port, qs), CONVERSATIONS))
        # The feedback of a turn may land on another worker than its question.
        token = None
        for question in ("c'est quoi un KAM ?", "et son salaire ?"):
            _, data, _ = request(port, "POST", "/api/ask", {"question": question} | (
                {"session": token} if token else {}))
            token = data["session"]
        assert request(port, "POST", "/api/feedback", {"session": token, "turn": 2, "useful": False})[0] == 200
    assert process.returncode == 0
    assert [[t[:3] for t in conversation] for conversation in got] == expected
    workers = {t[3] for conversation in got for t in conversation}
    assert len(workers) == 2, "all turns landed on one worker; the test proved nothing"
    assert any(len({t[3] for t in conversation}) > 1 for conversation in got)
    # Both workers wrote to the one SQLite file (WAL), and wrote everything before stopping.
    db = sqlite3.connect(log_file)
    asked = db.execute("select count(*) from careerbot_questions").fetchone()[0]
    assert asked == sum(len(c) for c in CONVERSATIONS) + 2
    assert db.execute("select useful from careerbot_feedback").fetchall() == [(0,)]


def test_demo_page_and_widget_from_the_real_server(tmp_path):
    """One worker, --no-log: the demo page and widget are served, nothing is logged."""
    with serving(tmp_path, "--no-log") as (port, _):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        page = conn.getresponse()
        assert page.status == 200 and b"/widget.js" in page.read()
        conn.close()
        status, data, headers = request(port, "POST", "/api/ask", {"question": "combien gagne un KAM ?"})
        assert status == 200 and data["role"] == "kam"
        assert "server" not in {k.lower() for k in headers}  # no server banner
    assert not (tmp_path / "home" / "questions.sqlite3").exists()


@pytest.mark.parametrize("args, message", [
    (["--workers", "0"], "--workers must be at least 1"),
    (["--port", "70000"], "--port must be between 1 and 65535"),
    (["--secret", "short"], "at least 16 characters"),
    (["--max-body", "10"], "CAREERBOT_MAX_BODY"),
    (["--origin", "portal.example"], "CAREERBOT_ORIGINS"),
])
def test_serve_usage_errors(args, message, capsys, monkeypatch):
    """Bad options stop `careerbot serve` with exit code 2 and a one-line message, before anything starts."""
    monkeypatch.setenv("CAREERBOT_SECRET", SECRET)
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("careerbot serve: error: ") and message in err


def test_unusable_log_database_stops_serve(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CAREERBOT_SECRET", SECRET)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["serve", "--log-db", str(blocker / "q.sqlite3")]) == 1
    assert "cannot open the question log" in capsys.readouterr().err
