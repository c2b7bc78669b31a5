"""bot.parallel on plain functions: order, items left to the caller, early stop, short inputs."""

from __future__ import annotations

import os

import pytest

from bot.parallel import CHUNK, answer_in_order, default_jobs


def pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, 3 * CHUNK + 5])
def test_answers_come_in_input_order_and_left_items_stay_none(jobs, size):
    got = list(answer_in_order(range(size), pid_and_square, lambda n: n % 7 != 0, jobs=jobs))
    assert [item for item, _ in got] == list(range(size))
    for item, answer in got:
        if item % 7 == 0:
            assert answer is None
        else:
            assert answer is not None and answer[1] == item * item


def test_a_long_input_is_answered_by_other_processes_and_a_short_one_here():
    long = list(answer_in_order(range(4 * CHUNK), pid_and_square, lambda n: True, jobs=2))
    assert {pid for _, (pid, _) in long} - {os.getpid()}
    short = list(answer_in_order(range(CHUNK - 1), pid_and_square, lambda n: True, jobs=2))
    assert {pid for _, (pid, _) in short} == {os.getpid()}


def test_input_is_read_a_window_ahead_not_all_at_once():
    """Stopping after the first answers leaves most of a long input unread (memory stays flat)."""
    read = []

    def items():
        for n in range(100 * CHUNK):
            read.append(n)
            yield n

    answers = answer_in_order(items(), pid_and_square, lambda n: True, jobs=2)
    first = [next(answers) for _ in range(10)]
    answers.close()
    assert [item for item, _ in first] == list(range(10))
    assert len(read) < 20 * CHUNK


def test_default_jobs_is_at_least_one():
    assert default_jobs() >= 1
