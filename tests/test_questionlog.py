"""The question log (SQLite and a real PostgreSQL server) and ``careerbot report`` over logs the tests fill."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete

from bot.cli import main
from bot.questionlog import LogDatabaseError, LoggedQuestion, QuestionLog, database_url, feedback, questions
from bot.report import build_report, format_csv, format_html, format_md, group_questions, parse_since

POSTGRES = os.environ.get("CAREERBOT_TEST_POSTGRES")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # the log stores naive UTC


def _answer(intent="salary", role="kam", confidence=0.9, fallback=False):
    return {"intent": intent, "role": role, "topic": intent if role else None, "confidence": confidence,
            "fallback": fallback}


@pytest.fixture(params=["sqlite", "postgresql"])
def log_target(request, tmp_path):
    """A question-log database, emptied: a SQLite file, then the PostgreSQL server of $CAREERBOT_TEST_POSTGRES."""
    if request.param == "sqlite":
        yield str(tmp_path / "questions.sqlite3")
        return
    if not POSTGRES:
        pytest.skip("no PostgreSQL server: set CAREERBOT_TEST_POSTGRES to a DSN (bash .ci/postgres.sh start "
                    "prints one; .ci/run does it)")
    log = QuestionLog(POSTGRES)
    with log.engine.begin() as conn:
        conn.execute(delete(feedback))
        conn.execute(delete(questions))
    log.close()
    yield POSTGRES


def fill(log: QuestionLog) -> None:
    """A week of questions: refusals in several wordings, a low-confidence answer, a 👎, good answers."""
    refused = ["comment devenir astronaute ?", "Comment devenir astronaute", "comment devenir un astronaute ?",
               "combien gagne un boulanger ?", "combien gagne un boulanger"]
    for i, q in enumerate(refused):
        log.record(conversation=f"r{i}", turn=1, question=q, lang="fr", answer=_answer("fallback", None, 0.3, True))
    log.record(conversation="low", turn=1, question="le variable d'un AE est il plafonné ?", lang="fr",
               answer=_answer("salary", "ae", 0.5))
    for i in range(6):
        log.record(conversation=f"ok{i}", turn=1, question="combien gagne un KAM ?", lang="fr", answer=_answer())
    log.record(conversation="ok0", turn=2, question="et son évolution ?", lang="fr", answer=_answer("career"))
    log.give_feedback(conversation="ok0", turn=2, useful=False, comment="trop vague")
    log.give_feedback(conversation="ok1", turn=1, useful=True)


def test_record_and_read_back(log_target):
    """Rows come back with every field, the last feedback joined on (conversation, turn)."""
    log = QuestionLog(log_target)
    fill(log)
    rows = list(log.read())
    log.close()
    assert len(rows) == 13
    by_id = {(r.conversation, r.turn): r for r in rows}
    assert by_id[("ok0", 2)].useful is False and by_id[("ok0", 2)].comment == "trop vague"
    assert by_id[("ok1", 1)].useful is True
    assert by_id[("r0", 1)].fallback is True and by_id[("r0", 1)].role is None
    assert by_id[("low", 1)].confidence == pytest.approx(0.5)


def test_background_writer_flushes_and_closes(log_target):
    """With a background writer, rows appear after flush(); close() writes what is still queued."""
    log = QuestionLog(log_target, background=True)
    for i in range(1200):  # more than one batch
        log.record(conversation="bg", turn=i + 1, question=f"question {i}", lang="fr", answer=_answer())
    log.flush()
    assert len(list(log.read())) == 1200
    log.give_feedback(conversation="bg", turn=3, useful=False)
    log.close()
    reader = QuestionLog(log_target)
    assert [r.turn for r in reader.read() if r.useful is False] == [3]
    reader.close()


def test_retention_deletes_old_rows(log_target):
    """Rows older than the retention period go; newer ones stay; retention 0 keeps everything."""
    log = QuestionLog(log_target, retention_days=30)
    fill(log)
    assert log.purge(now=_now() + timedelta(days=10)) == 0
    keep_all = QuestionLog(log_target, retention_days=0)
    assert keep_all.purge(now=_now() + timedelta(days=400)) == 0
    keep_all.close()
    assert log.purge(now=_now() + timedelta(days=31)) == 13
    assert list(log.read()) == []
    log.close()


def test_read_since(log_target):
    log = QuestionLog(log_target)
    fill(log)
    assert len(list(log.read(_now() - timedelta(hours=1)))) == 13
    assert list(log.read(_now() + timedelta(hours=1))) == []
    log.close()


def test_sqlite_log_uses_wal(tmp_path):
    """The SQLite file is in WAL mode, so several workers can write while the report reads."""
    path = tmp_path / "q.sqlite3"
    QuestionLog(path).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_unreachable_database_is_one_clear_error(tmp_path):
    """A log database that cannot be opened raises LogDatabaseError naming it, without the password."""
    with pytest.raises(LogDatabaseError, match="cannot") as info:
        QuestionLog("postgresql://careerbot:hunter2@/nodb?host=/nonexistent-socket-dir")
    assert "hunter2" not in str(info.value)
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(LogDatabaseError, match="a-file"):
        QuestionLog(blocker / "q.sqlite3")  # its folder would have to be a file


def test_database_url_forms():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


# --- the report ---------------------------------------------------------------------------------------------------

def _row(question, *, fallback=False, confidence=0.9, useful=None, role="kam", intent="salary", comment=None):
    return LoggedQuestion(asked_at=datetime(2026, 1, 1), conversation="c", turn=1, question=question, lang="fr",
                          intent="fallback" if fallback else intent, role=None if fallback else role,
                          topic=None if fallback else intent, confidence=confidence, fallback=fallback,
                          useful=useful, comment=comment)


def test_similar_wordings_are_grouped_with_counts_and_an_example():
    """Case, accents, punctuation and a small word apart are one group; different questions are not."""
    rows = [_row(q, fallback=True) for q in
            ["Comment devenir astronaute ?", "comment devenir astronaute", "comment devenir un astronaute ?",
             "comment dévenir astronaute", "combien gagne un boulanger ?", "quel temps fait-il ?"]]
    groups = group_questions(rows)
    assert [g.count for g in groups] == [4, 1, 1]
    assert groups[0].example.lower().startswith("comment devenir")
    assert groups[0].refused == 4 and groups[0].reasons == "refusée ×4"


def test_only_refused_low_confidence_and_disliked_are_listed():
    rows = [_row("combien gagne un KAM ?"), _row("combien gagne un KAM ?", useful=True),
            _row("le variable est il plafonné ?", confidence=0.4),
            _row("et son évolution ?", useful=False, comment="vague"), _row("bof", fallback=True)]
    groups = group_questions(rows)
    assert sorted(g.example for g in groups) == ["bof", "et son évolution ?", "le variable est il plafonné ?"]
    disliked = next(g for g in groups if g.disliked)
    assert disliked.comments == ["vague"] and disliked.reasons == "👎 ×1"


def test_topics_most_asked_first():
    rows = [_row("a")] * 3 + [_row("b", role="ae", intent="kpi")] + [_row("c", fallback=True)]
    report = build_report(rows, since=None, until=datetime(2026, 1, 2))
    assert report.topics == [("kam · salary", 3), ("ae · kpi", 1)]
    assert (report.total, report.listed) == (5, 1)


def test_formats_escape_and_quote_logged_text():
    """A question with markup and separators stays inert in HTML, one cell in Markdown, quoted in CSV."""
    nasty = '<script>alert(1)</script> | a, "b"'
    report = build_report([_row(nasty, fallback=True)], since=None, until=datetime(2026, 1, 2),
                          command="careerbot report --since 7d")
    page = format_html(report)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    md = format_md(report)
    assert "\\|" in md and "careerbot report --since 7d" in md
    (row,) = list(csv.DictReader(io.StringIO(format_csv(report))))
    assert row["example"] == nasty and row["count"] == "1" and row["refused"] == "1"


@pytest.mark.parametrize("text, seconds", [("7d", 7 * 86400), ("24h", 86400), ("30m", 1800), ("2w", 14 * 86400),
                                           ("3", 3 * 86400)])
def test_parse_since(text, seconds):
    assert parse_since(text).total_seconds() == seconds


def test_parse_since_refuses_garbage():
    with pytest.raises(ValueError, match="7d, 24h"):
        parse_since("last week")


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_report_command_on_a_filled_log(log_target, fmt):
    """`careerbot report` lists the astronaut refusals first (3 wordings, one group), then the baker; KAM salary tops topics."""
    log = QuestionLog(log_target)
    fill(log)
    log.close()
    out = io.StringIO()
    assert main(["report", "--since", "7d", "--format", fmt, "--log-db", log_target], out=out) == 0
    text = out.getvalue()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["count"] == "3" and "astronaute" in rows[0]["example"]
        assert rows[1]["count"] == "2" and "boulanger" in rows[1]["example"]
        assert {r["example"] for r in rows[2:]} == {"le variable d'un AE est il plafonné ?", "et son évolution ?"}
    else:
        assert text.index("astronaute") < text.index("boulanger") < text.index("Sujets les plus demandés")
        assert "kam · salary" in text and "6" in text
        assert "careerbot report --since 7d" in text
        if fmt == "html":
            assert text.startswith("<!doctype html>")


def test_report_command_without_a_log_says_so(tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    assert main(["report", "--log-db", str(missing)]) == 1
    assert "no question log here" in capsys.readouterr().err


def test_report_command_bad_since_is_a_usage_error(tmp_path, capsys):
    assert main(["report", "--since", "yesterday", "--log-db", str(tmp_path / "x.sqlite3")]) == 2
    assert "7d, 24h" in capsys.readouterr().err


def test_report_written_to_a_file(tmp_path):
    target = str(tmp_path / "q.sqlite3")
    log = QuestionLog(target)
    fill(log)
    log.close()
    out_file = tmp_path / "report.html"
    assert main(["report", "--format", "html", "--log-db", target, "-o", str(out_file)]) == 0
    assert "astronaute" in out_file.read_text(encoding="utf-8")
