"""Answer independent questions of a batch on several processes, in input order.

Only the questions that stand alone go to the workers: a question of a
conversation needs the answers before it, so the caller answers it itself, in
file order (:func:`answer_in_order` leaves ``None`` in its place). Workers are
forked from the process that loaded the bot, so they start without reading the
knowledge base again; where ``fork`` is not available, everything is answered
in the calling process.

The input is read a window of chunks ahead, never all at once: memory stays
flat whatever the file's size.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

__all__ = ["answer_in_order", "default_jobs", "CHUNK"]

T = TypeVar("T")
R = TypeVar("R")

CHUNK = 256
"""Questions sent to a worker at a time: large enough that sending them costs little next to answering them."""

# The answering function of a worker process, set once by the pool's initializer. A worker is its
# own process with this one job; the parent never sets it.
_worker_answer: Callable[[Any], Any] | None = None


def default_jobs() -> int:
    """The processors this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def _init_worker(answer: Callable[[Any], Any]) -> None:
    global _worker_answer
    _worker_answer = answer
    # Ctrl-C reaches the whole process group: the parent says "interrupted" and stops the workers;
    # a worker must neither print a traceback nor run the parent's clean-up handlers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by the parent while it forked


_STOP_SIGNALS = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _start_pool(context, jobs: int, answer: Callable[[Any], Any]):
    """The worker pool, its processes forked with the stop signals held back: a Ctrl-C in the middle of a fork
    would otherwise be lost in the fork's own handlers; it reaches the parent once the workers exist.

    The objects alive at the fork (the loaded bot: its knowledge, indexes and tables, some 100 000 objects) are
    frozen out of the workers' garbage collections, as the :func:`gc.freeze` documentation advises before a fork:
    a worker's collections then walk only its own questions' objects instead of the whole bot (and do not copy
    its memory pages on write). The parent unfreezes its own objects at once."""
    gc.freeze()
    try:
        if not hasattr(signal, "pthread_sigmask"):
            return context.Pool(jobs, initializer=_init_worker, initargs=(answer,))
        held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            return context.Pool(jobs, initializer=_init_worker, initargs=(answer,))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
    finally:
        gc.unfreeze()


def _answer_chunk(chunk: list[Any]) -> list[Any]:
    assert _worker_answer is not None, "a worker answers only after its initializer ran"
    return [_worker_answer(item) for item in chunk]


def _fork_context():
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def answer_in_order(items: Iterable[T], answer: Callable[[T], R], alone: Callable[[T], bool], *,
                    jobs: int = 1) -> Iterator[tuple[T, R | None]]:
    """``(item, answer(item))`` for every item *alone* says stands alone, ``(item, None)`` for the others, in order.

    With *jobs* > 1 the standalone items are answered by *jobs* forked processes
    once the input has more than one chunk; a short input (or *jobs* = 1) is
    answered here, with no process started.
    """
    source = iter(items)
    first = list(islice(source, CHUNK))
    context = _fork_context() if jobs > 1 else None
    if context is None or len(first) < CHUNK:
        for item in first:
            yield item, answer(item) if alone(item) else None
        for item in source:
            yield item, answer(item) if alone(item) else None
        return

    def chunks() -> Iterator[list[T]]:
        chunk = first
        while chunk:
            yield chunk
            chunk = list(islice(source, CHUNK))

    # Forked, the workers inherit *answer* (and the bot it closes over) without pickling it.
    with _start_pool(context, jobs, answer) as pool:
        pending: deque[tuple[list[T], Any]] = deque()
        for chunk in chunks():
            standalone = [item for item in chunk if alone(item)]
            pending.append((chunk, pool.apply_async(_answer_chunk, (standalone,))))
            if len(pending) > 2 * jobs:
                yield from _merge(pending.popleft(), alone)
        while pending:
            yield from _merge(pending.popleft(), alone)


def _merge(sent: tuple[list[T], Any], alone: Callable[[T], bool]) -> Iterator[tuple[T, Any]]:
    """The items of a chunk sent to a worker, each with its answer (None for those not sent)."""
    chunk, result = sent
    answers = iter(result.get())
    for item in chunk:
        yield item, next(answers) if alone(item) else None
