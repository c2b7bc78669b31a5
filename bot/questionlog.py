"""The record of what visitors asked the HTTP service: one SQL store, SQLite or PostgreSQL.

Every question answered by ``careerbot serve`` is written with what careerbot
made of it (intent, role, confidence, fallback), and every 👍/👎 as a row of
its own, so ``careerbot report`` can list what careerbot could not answer.
Feedback is a separate, insert-only table joined on (conversation, turn):
the question and its feedback may be written by different workers or
machines, in any order. Writing goes through a background thread in batches,
so a request never waits on the database (nor wakes a thread); the batch command and the chat
never write here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .errors import CareerbotError

__all__ = ["QuestionLog", "LoggedQuestion", "LogDatabaseError", "database_url", "DEFAULT_RETENTION_DAYS"]

DEFAULT_RETENTION_DAYS = 90
"""Questions and feedback older than this are deleted (0 keeps them forever)."""

_logger = logging.getLogger("careerbot.questionlog")

metadata = sa.MetaData()
questions = sa.Table(
    "careerbot_questions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("asked_at", sa.DateTime, nullable=False),
    sa.Column("conversation", sa.String(32), nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("lang", sa.String(8), nullable=False, default="fr"),
    sa.Column("intent", sa.String(40), nullable=False),
    sa.Column("role", sa.String(64)),
    sa.Column("topic", sa.String(80)),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("fallback", sa.Boolean, nullable=False),
    sa.Index("careerbot_questions_asked_at", "asked_at"),
    sa.Index("careerbot_questions_turn", "conversation", "turn"),
)
feedback = sa.Table(
    "careerbot_feedback", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("given_at", sa.DateTime, nullable=False),
    sa.Column("conversation", sa.String(32), nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("useful", sa.Boolean, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Index("careerbot_feedback_turn", "conversation", "turn"),
    sa.Index("careerbot_feedback_given_at", "given_at"),
)


class LogDatabaseError(CareerbotError):
    """The question log database cannot be opened or read."""


@dataclass(frozen=True)
class LoggedQuestion:
    """One answered question, as the report reads it back."""

    asked_at: datetime
    conversation: str
    turn: int
    question: str
    lang: str
    intent: str
    role: str | None
    topic: str | None
    confidence: float
    fallback: bool
    useful: bool | None = None
    """The visitor's last feedback on the answer: True 👍, False 👎, None none given."""
    comment: str | None = None


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored naive, in UTC, the same in every database


def database_url(target: str | Path) -> str:
    """The SQLAlchemy URL for *target*: a ``postgresql://`` or ``sqlite://`` URL, or a file path (SQLite).

    >>> database_url("postgresql://u@db/careerbot")
    'postgresql+psycopg://u@db/careerbot'
    >>> database_url("/tmp/questions.sqlite3")
    'sqlite:////tmp/questions.sqlite3'
    """
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


class QuestionLog:
    """The question log in the database at *target* (see :func:`database_url`).

    With *background* (the service), :meth:`record` and :meth:`give_feedback`
    only queue the row and a thread writes batches; without it they write at
    once. Rows older than *retention_days* are deleted when the log opens and
    then hourly.
    """

    BATCH = 1000
    """Most rows written in one statement."""
    PAUSE = 0.5
    """Seconds between two visits of the writer thread."""
    MAX_PENDING = 100_000
    """Rows waiting to be written beyond which new ones are dropped (a database that cannot keep up)."""

    def __init__(self, target: str | Path, *, retention_days: int = DEFAULT_RETENTION_DAYS, background: bool = False):
        self.url = database_url(target)
        self.retention_days = retention_days
        try:
            url = make_url(self.url)
            if url.get_backend_name() == "sqlite" and url.database:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = sa.create_engine(self.url, pool_pre_ping=url.get_backend_name() != "sqlite")
        except (SQLAlchemyError, ImportError, ValueError, OSError) as exc:
            raise LogDatabaseError(f"{self.shown}: cannot open the question log ({_reason(exc)}); "
                                   "give --log-db a file path or a postgresql:// URL") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_schema()
        self._last_purge = 0.0
        self.purge()
        self._pending: deque | None = None
        self._wake = threading.Event()
        self._dropped = 0
        self._thread: threading.Thread | None = None
        if background:
            self._pending = deque()
            self._thread = threading.Thread(target=self._write_loop, name="careerbot-questionlog", daemon=True)
            self._thread.start()

    @property
    def shown(self) -> str:
        """The URL without its password, for messages."""
        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:
            return "the question log URL"

    def _create_schema(self) -> None:
        # Several workers may start at once: a table created by another between the
        # check and the CREATE is not an error, so try twice.
        for attempt in (1, 2):
            try:
                metadata.create_all(self.engine, checkfirst=True)
                return
            except SQLAlchemyError as exc:
                if attempt == 2:
                    raise LogDatabaseError(f"{self.shown}: cannot create the question log tables "
                                           f"({_reason(exc)}); check the database exists and is writable") from None
                time.sleep(0.2)

    # --- writing -----------------------------------------------------------------------------------------------

    def record(self, *, conversation: str, turn: int, question: str, lang: str, answer: dict) -> None:
        """Log one answered question; *answer* is :meth:`Answer.to_dict`."""
        row = {"asked_at": _utcnow(), "conversation": conversation, "turn": turn, "question": question,
               "lang": lang, "intent": answer["intent"], "role": answer.get("role"), "topic": answer.get("topic"),
               "confidence": float(answer.get("confidence") or 0.0), "fallback": bool(answer.get("fallback"))}
        self._write(questions, row)

    def give_feedback(self, *, conversation: str, turn: int, useful: bool, comment: str | None = None) -> None:
        """Log a visitor's 👍 (*useful*) or 👎 on the answer to turn *turn* of *conversation*."""
        row = {"given_at": _utcnow(), "conversation": conversation, "turn": turn, "useful": useful,
               "comment": comment or None}
        self._write(feedback, row)

    def _write(self, table: sa.Table, row: dict) -> None:
        if self._pending is None:
            self._insert([(table, row)])
        elif len(self._pending) < self.MAX_PENDING:
            self._pending.append((table, row))  # no lock, no wake-up: the writer comes by itself
        else:
            self._dropped += 1

    def _insert(self, items: list[tuple[sa.Table, dict]]) -> None:
        by_table: dict[sa.Table, list[dict]] = {}
        for table, row in items:
            by_table.setdefault(table, []).append(row)
        try:
            with self.engine.begin() as conn:
                for table, rows in by_table.items():
                    conn.execute(sa.insert(table), rows)
        except SQLAlchemyError as exc:
            # The log must never take the service down: the rows are lost, and said so.
            _logger.error("question log: %d row(s) not written (%s)", len(items), _reason(exc))

    def _write_loop(self) -> None:
        assert self._pending is not None
        stop = False
        while not stop:
            self._wake.wait(self.PAUSE)
            self._wake.clear()
            items, waiters = [], []
            while True:
                try:
                    item = self._pending.popleft()
                except IndexError:
                    break
                if item is None:
                    stop = True
                elif isinstance(item, threading.Event):
                    waiters.append(item)
                else:
                    items.append(item)
            for start in range(0, len(items), self.BATCH):
                self._insert(items[start:start + self.BATCH])
            if self._dropped:
                _logger.error("question log: %d row(s) dropped, the database could not keep up", self._dropped)
                self._dropped = 0
            if time.monotonic() - self._last_purge > 3600:
                self.purge()
            for waiter in waiters:
                waiter.set()

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until every row queued so far is written."""
        if self._pending is None or self._thread is None or not self._thread.is_alive():
            return
        done = threading.Event()
        self._pending.append(done)
        self._wake.set()
        done.wait(timeout)

    def close(self) -> None:
        """Write what is queued, stop the writer and close the connections."""
        if self._pending is not None and self._thread is not None and self._thread.is_alive():
            self._pending.append(None)
            self._wake.set()
            self._thread.join(timeout=10.0)
        self.engine.dispose()

    def purge(self, now: datetime | None = None) -> int:
        """Delete questions and feedback older than the retention period; returns how many questions went."""
        self._last_purge = time.monotonic()
        if not self.retention_days:
            return 0
        cutoff = (now or _utcnow()) - timedelta(days=self.retention_days)
        try:
            with self.engine.begin() as conn:
                gone = conn.execute(sa.delete(questions).where(questions.c.asked_at < cutoff)).rowcount
                conn.execute(sa.delete(feedback).where(feedback.c.given_at < cutoff))
            return gone or 0
        except SQLAlchemyError as exc:
            _logger.error("question log: old rows not deleted (%s)", _reason(exc))
            return 0

    # --- reading ----------------------------------------------------------------------------------------------

    def read(self, since: datetime | None = None) -> Iterator[LoggedQuestion]:
        """Logged questions asked since *since* (naive UTC; None: all), oldest first, with their last feedback."""
        latest = (sa.select(feedback.c.conversation, feedback.c.turn, sa.func.max(feedback.c.id).label("id"))
                  .group_by(feedback.c.conversation, feedback.c.turn).subquery())
        last_feedback = (sa.select(feedback.c.conversation, feedback.c.turn, feedback.c.useful, feedback.c.comment)
                         .join(latest, feedback.c.id == latest.c.id).subquery())
        query = (sa.select(questions, last_feedback.c.useful, last_feedback.c.comment)
                 .outerjoin(last_feedback, sa.and_(last_feedback.c.conversation == questions.c.conversation,
                                                last_feedback.c.turn == questions.c.turn))
                 .order_by(questions.c.id))
        if since is not None:
            query = query.where(questions.c.asked_at >= since)
        try:
            with self.engine.connect() as conn:
                for row in conn.execute(query):
                    m = row._mapping
                    yield LoggedQuestion(
                        asked_at=m["asked_at"], conversation=m["conversation"], turn=m["turn"],
                        question=m["question"], lang=m["lang"], intent=m["intent"], role=m["role"],
                        topic=m["topic"], confidence=m["confidence"], fallback=bool(m["fallback"]),
                        useful=None if m["useful"] is None else bool(m["useful"]), comment=m["comment"])
        except SQLAlchemyError as exc:
            raise LogDatabaseError(f"{self.shown}: cannot read the question log ({_reason(exc)})") from None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets several worker processes write while the report reads; NORMAL sync is
    # safe with WAL (a power cut loses at most the last transactions, never the file).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _reason(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's background link."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(exc).__name__
