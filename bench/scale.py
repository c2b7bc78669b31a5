"""The scale section of the benchmark: careerbot with N synthetic career sheets ingested as roles.

    python -m bench --sheets 500 [--runs 3]

Writes N sheets (:mod:`bench.sheets`), times ``careerbot ingest`` on them, then
measures with the roles loaded beside the curated base: first start-up (index
built) and cached start-up to the first answer, p50 / p99 latency over the
labelled questions plus questions on the ingested roles, batch throughput and
peak memory of ``careerbot batch``. Prints a table against the targets and
adds the figures to the JSON results under ``scale``.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import DATA, env_for, peak_rss_mb, percentile, time_to_first_line, wall
from bench.sheets import write_sheets
from bot import Bot
from bot.evaluate import read_cases

TARGETS = {"ingest_s": 60.0, "cached_start_s": 1.0, "latency_p50_ms": 0.5, "latency_p99_ms": 2.0, "peak_rss_mb": 200}


def questions(bot: Bot, seed: int = 5) -> list[str]:
    """The labelled dev and held-out questions, and as many on the ingested roles."""
    mix = [c.question for c in read_cases(DATA / "devset.jsonl") + read_cases(DATA / "heldout.jsonl")]
    rng = random.Random(seed)
    names = [r.name.lower() for r in bot.knowledge.roles.values() if r.ingested]
    asks = ["combien gagne un {} ?", "c'est quoi un {} ?", "quelles études pour devenir {} ?", "missions {}",
            "quelle évolution pour un {} ?", "différence entre {} et AE"]
    mix += [rng.choice(asks).format(rng.choice(names)) for _ in range(len(mix))]
    return mix


def run_scale(n: int, runs: int = 3) -> dict:
    work = Path(tempfile.mkdtemp(prefix="careerbot-scale-"))
    env = env_for(work / "home")
    sheets = work / "sheets"
    into = work / "roles"
    write_sheets(n, sheets)
    cli = [sys.executable, "main.py"]
    r: dict = {"sheets": n}
    r["ingest_s"] = wall([*cli, "ingest", str(sheets), "--into", str(into)], env)
    bot = Bot.load(extra=[into], cache_dir=None)
    r["roles"] = sum(1 for x in bot.knowledge.roles.values() if x.ingested)
    ask = [*cli, "--knowledge", str(into), "ask", "combien gagne un KAM ?"]
    r["first_start_s"] = time_to_first_line(ask, env)          # builds the index into the fresh cache
    r["cached_start_s"] = statistics.median(time_to_first_line(ask, env) for _ in range(runs))
    mix = questions(bot)
    p50s, p99s = [], []
    for _ in range(runs):
        lat = []
        for q in mix:
            start = time.perf_counter()
            bot.ask(q)
            lat.append((time.perf_counter() - start) * 1000)
        p50s.append(percentile(lat, 50))
        p99s.append(percentile(lat, 99))
    r["latency_p50_ms"], r["latency_p99_ms"] = statistics.median(p50s), statistics.median(p99s)
    batch = work / "q.txt"
    batch.write_text("\n".join(mix * max(1, 5000 // len(mix))) + "\n", encoding="utf-8")
    count = len(mix) * max(1, 5000 // len(mix))
    cmd = [*cli, "--knowledge", str(into), "batch", str(batch), "-o", str(work / "a.jsonl")]
    r["batch_qps"] = count / wall(cmd, env)
    r["peak_rss_mb"] = peak_rss_mb(cmd, env)
    return r


def format_scale(r: dict) -> str:
    rows = [("ingest of the sheets (s)", "ingest_s"), ("first start, index built (s)", "first_start_s"),
            ("cached start to first answer (s)", "cached_start_s"), ("latency p50 (ms)", "latency_p50_ms"),
            ("latency p99 (ms)", "latency_p99_ms"), ("batch (questions/s)", "batch_qps"),
            ("peak RSS, batch (MB)", "peak_rss_mb")]
    lines = [f"scale: {r['sheets']} synthetic sheets -> {r['roles']} ingested roles beside the curated base", "",
             f"| {'measure':<34} | {'careerbot':>10} | {'target':>7} | met |", f"|{'-' * 36}|{'-' * 12}|{'-' * 9}|-----|"]
    for label, key in rows:
        value = r[key]
        target = TARGETS.get(key)
        shown = f"{value:,.0f}" if key == "batch_qps" else f"{value:.3f}" if "ms" in key else f"{value:.2f}"
        met = "" if target is None else ("yes" if value <= target else "NO")
        lines.append(f"| {label:<34} | {shown:>10} | {'' if target is None else target:>7} | {met:>3} |")
    return "\n".join(lines)


def main(n: int, runs: int, out: str) -> int:
    r = run_scale(n, runs)
    print(format_scale(r))
    path = Path(out)
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data["scale"] = r
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


