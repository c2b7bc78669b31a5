"""Load run of ``careerbot serve`` on localhost: requests/s and latency at 1, 8 and 32 sessions, 1 and 2 workers.

    python -m bench.load [--requests 6000] [--seconds 20] [--soak 100000] [--quick] [--out bench/results-load.json]

Each cell starts ``careerbot serve --workers W`` on a free loopback port (with
its defaults: question log in SQLite, access log on; rate limit off, since
every session comes from 127.0.0.1), then S sessions each replay the labelled
conversations over one keep-alive connection, carrying their token from turn
to turn, until the cell has made --requests requests or run --seconds. The
soak run then sends --soak requests to 2 workers at 32 sessions and samples
the resident memory of the server's processes. Every loop is bounded in
requests and time, and only 127.0.0.1 is ever contacted. The load generator
runs on the same 2 cores as the server, so the figures are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import percentile  # noqa: E402
from bot.evaluate import read_cases  # noqa: E402

HOST = "127.0.0.1"  # loopback only, by construction
TARGETS = {"rps_32": 500.0, "p99_ms_32": 50.0}


def conversations() -> list[list[str]]:
    """The labelled questions as conversations (a lone question is a conversation of one)."""
    out, index = [], {}
    for name in ("devset.jsonl", "heldout.jsonl", "heldout2.jsonl"):
        for case in read_cases(ROOT / "tests" / "data" / name):
            if case.conversation:
                key = (name, case.conversation)
                if key not in index:
                    index[key] = len(out)
                    out.append([])
                out[index[key]].append(case.question)
            else:
                out.append([case.question])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """``careerbot serve --workers N`` in a subprocess, its output in a file."""

    def __init__(self, workers: int, home: Path, extra: list[str] = ()):
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CAREERBOT_")}
        env.update(CAREERBOT_HOME=str(home), CAREERBOT_SECRET="bench secret, not for production use",
                   CAREERBOT_RATE_LIMIT="0")
        self.output = open(home / f"serve-{workers}.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--host", HOST, "--port", str(self.port), "--workers", str(workers),
             *extra],
            cwd=ROOT, env=env, stdout=self.output, stderr=subprocess.STDOUT)
        self.workers = workers
        deadline = time.monotonic() + 60
        while not self._ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"careerbot serve did not start; see {self.output.name}")
            time.sleep(0.1)

    def _ready(self) -> bool:
        # Ready when every worker has loaded: a few health checks in a row on new connections.
        import http.client

        try:
            for _ in range(6):
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/api/health", headers={"Connection": "close"})
                if conn.getresponse().status != 200:
                    return False
                conn.close()
            return True
        except OSError:
            return False

    def pids(self) -> list[int]:
        """The server's processes: the supervisor and its workers."""
        pids, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as f:
                        todo += [int(c) for c in f.read().split()]
            except OSError:
                pass
        return pids

    def rss_mb(self) -> dict[int, float]:
        out = {}
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            out[pid] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return out

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server's processes (user + system)."""
        total = 0.0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                pass
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


async def _session(port: int, scripts, start: int, stop_at: float, budget: list[int], latencies: list[float],
                   errors: list[str]) -> None:
    """One visitor on one keep-alive connection, replaying conversations from *start*, carrying the token."""
    reader, writer = await asyncio.open_connection(HOST, port)
    i = start
    try:
        while True:
            questions = scripts[i % len(scripts)]
            i += 1
            token = None
            for question in questions:
                if budget[0] <= 0 or time.monotonic() > stop_at:
                    return
                budget[0] -= 1
                body = {"question": question, "lang": "fr"}
                if token:
                    body["session"] = token
                data = json.dumps(body, ensure_ascii=False).encode()
                t0 = time.perf_counter()
                writer.write(b"POST /api/ask HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (HOST.encode(), port, len(data), data))
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                payload = await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                if not head.startswith(b"HTTP/1.1 200"):
                    errors.append(head.split(b"\r\n", 1)[0].decode())
                    continue
                token = json.loads(payload)["session"]
    finally:
        writer.close()


async def _run(port: int, sessions: int, scripts, requests: int, seconds: float):
    latencies: list[float] = []
    errors: list[str] = []
    budget = [requests]
    start = time.monotonic()
    stop_at = start + seconds
    step = max(1, len(scripts) // sessions)
    await asyncio.gather(*(_session(port, scripts, k * step, stop_at, budget, latencies, errors)
                           for k in range(sessions)))
    return latencies, errors, time.monotonic() - start


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK"), sum(values) / os.sysconf("SC_CLK_TCK")


def load(port: int, sessions: int, scripts, requests: int, seconds: float, server: Server | None = None) -> dict:
    """Send up to *requests* requests (at most *seconds*) from *sessions* concurrent sessions; the figures.

    With *server*, also the CPU it used per request; the client's own CPU per request and how busy the whole
    machine was (other work on it shows as busy time that is neither).
    """
    try:
        import uvloop
        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    server_cpu = server.cpu_seconds() if server else 0.0
    client_cpu = time.process_time()
    busy, total = _machine_busy()
    latencies, errors, elapsed = runner(_run(port, sessions, scripts, requests, seconds))
    busy, total = (a - b for a, b in zip(_machine_busy(), (busy, total)))
    n = max(1, len(latencies))
    out = {"sessions": sessions, "requests": len(latencies), "errors": len(errors), "seconds": round(elapsed, 2),
           "rps": round(len(latencies) / elapsed, 1),
           "p50_ms": round(percentile(latencies, 50) * 1000, 2), "p99_ms": round(percentile(latencies, 99) * 1000, 2),
           "client_cpu_ms": round((time.process_time() - client_cpu) / n * 1000, 3),
           "machine_busy": round(busy / total, 2) if total else None, "error_sample": errors[:3]}
    if server:
        out["server_cpu_ms"] = round((server.cpu_seconds() - server_cpu) / n * 1000, 3)
    return out


def soak(server: Server, scripts, total: int, seconds: float, sessions: int = 32, chunk: int = 10_000) -> dict:
    """*total* requests in chunks, sampling the server's memory after each: is it flat?"""
    samples = []
    sent, start = 0, time.monotonic()
    while sent < total and time.monotonic() - start < seconds:
        n = min(chunk, total - sent)
        r = load(server.port, sessions, scripts, n, seconds - (time.monotonic() - start), server)
        sent += r["requests"]
        rss = server.rss_mb()
        samples.append({"requests": sent, "rss_mb_total": round(sum(rss.values()), 1),
                        "rss_mb_max_worker": round(max(rss.values()), 1), "rps": r["rps"], "p99_ms": r["p99_ms"],
                        "errors": r["errors"], "machine_busy": r["machine_busy"]})
        print(f"  soak: {sent:>7,} requests, server RSS {samples[-1]['rss_mb_total']:.1f} MB "
              f"(largest process {samples[-1]['rss_mb_max_worker']:.1f} MB), {r['rps']:.0f} req/s, "
              f"p99 {r['p99_ms']:.1f} ms", flush=True)
    first = samples[1] if len(samples) > 1 else samples[0]  # after the first chunk warmed the caches
    return {"requests": sent, "seconds": round(time.monotonic() - start, 1), "samples": samples,
            "growth_mb_after_warmup": round(samples[-1]["rss_mb_total"] - first["rss_mb_total"], 1)}


def format_table(cells: list[dict]) -> str:
    lines = ["| workers | sessions | requests | req/s | p50 (ms) | p99 (ms) | errors | server CPU/req (ms) "
             "| client CPU/req (ms) |", "|---|---|---|---|---|---|---|---|---|"]
    for c in cells:
        lines.append(f"| {c['workers']} | {c['sessions']} | {c['requests']:,} | {c['rps']:,.0f} | {c['p50_ms']:.1f} "
                     f"| {c['p99_ms']:.1f} | {c['errors']} | {c['server_cpu_ms']:.2f} | {c['client_cpu_ms']:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--requests", type=int, default=6000, help="requests per cell (default 6000)")
    parser.add_argument("--seconds", type=float, default=20, help="longest a cell runs (default 20)")
    parser.add_argument("--soak", type=int, default=100_000, help="requests of the memory run, 0 to skip")
    parser.add_argument("--soak-seconds", type=float, default=600, help="longest the memory run lasts (default 600)")
    parser.add_argument("--quick", action="store_true", help="1,000 requests per cell and a 20,000-request soak")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results-load.json"))
    parser.add_argument("--serve-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for careerbot serve (repeatable), e.g. --serve-arg=--no-log")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.soak = 1000, min(args.soak, 20_000)
    scripts = conversations()
    cells, soaked = [], None
    with tempfile.TemporaryDirectory(prefix="careerbot-load-") as tmp:
        for workers in args.workers:
            home = Path(tmp) / f"w{workers}"
            home.mkdir()
            server = Server(workers, home, args.serve_arg)
            try:
                load(server.port, 8, scripts, 300, 10)  # warm-up
                for sessions in args.sessions:
                    cell = {"workers": workers, **load(server.port, sessions, scripts, args.requests, args.seconds, server)}
                    cells.append(cell)
                    print(f"workers={workers} sessions={sessions:>2}: {cell['rps']:>7.1f} req/s, "
                          f"p50 {cell['p50_ms']:.2f} ms, p99 {cell['p99_ms']:.2f} ms, errors {cell['errors']}; "
                          f"CPU/request: server {cell['server_cpu_ms']:.2f} ms, client {cell['client_cpu_ms']:.2f} ms; "
                          f"machine {cell['machine_busy']:.0%} busy", flush=True)
                if args.soak and workers == max(args.workers):
                    soaked = soak(server, scripts, args.soak, args.soak_seconds)
                logged = _count_logged(home / "questions.sqlite3")
            finally:
                server.stop()
            print(f"  workers={workers}: {logged:,} questions in the log", flush=True)
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
              "cells": cells, "soak": soaked, "targets": TARGETS}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print()
    print(format_table(cells))
    at32 = [c for c in cells if c["sessions"] == 32]
    for c in at32:
        ok = c["rps"] >= TARGETS["rps_32"] and c["p99_ms"] <= TARGETS["p99_ms_32"]
        print(f"target at 32 sessions, {c['workers']} worker(s): >= {TARGETS['rps_32']:.0f} req/s and p99 <= "
              f"{TARGETS['p99_ms_32']:.0f} ms: {'met' if ok else 'NOT met'}")
    if soaked:
        print(f"memory over {soaked['requests']:,} requests: {soaked['samples'][0]['rss_mb_total']:.1f} MB after "
              f"{soaked['samples'][0]['requests']:,}, {soaked['samples'][-1]['rss_mb_total']:.1f} MB at the end "
              f"(growth after warm-up {soaked['growth_mb_after_warmup']:+.1f} MB)")
    print(f"figures written to {args.out}")
    return 0


def _count_logged(path: Path) -> int:
    import sqlite3

    try:
        return sqlite3.connect(path).execute("select count(*) from careerbot_questions").fetchone()[0]
    except sqlite3.Error:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
