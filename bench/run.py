"""careerbot's benchmark: careerbot and the plain baseline side by side, in one run.

    python -m bench [--runs 3] [--quick] [--out bench/results.json]

Measures per-question latency (p50, p99) through the Python API on a fixed mix
of realistic questions (the labelled dev and held-out sets: typos, follow-ups,
out-of-scope), batch throughput on a 10,000-question file through
``careerbot batch``, cold start to the first answer and to the REPL prompt,
index build time, peak memory, the same latency with the knowledge base grown
×10 and ×100 with synthetic entries, and — as a reminder of why — how often
each system's answer carries the expected facts. Prints a table with ratios
to the baseline and the targets, and writes every figure to a JSON file.
Timing assertions live here, not in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot import Bot  # noqa: E402
from bot.evaluate import holds, read_cases  # noqa: E402
from bot.messages import load_messages  # noqa: E402

DATA = ROOT / "tests" / "data"
TARGETS = {
    "latency_p50_ms": 0.3,   # issue 11
    "latency_p99_ms": 1.0,
    "batch_qps": 3000,
    "cold_start_ask_s": 0.8,
    "cold_start_repl_s": 0.5,
    "peak_rss_mb": 150,
    "x100_latency_p50_ms": 2.0,
}


def question_mix():
    """The fixed mix: every labelled question, conversations kept together, in file order."""
    cases = read_cases(DATA / "devset.jsonl") + read_cases(DATA / "heldout.jsonl")
    return cases


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def careerbot_latencies(bot, cases, repeat=3):
    """Seconds per question through Bot.ask, conversations sharing a session."""
    out = []
    for _ in range(repeat):
        sessions = {}
        for case in cases:
            session = sessions.setdefault(case.conversation, bot.new_session()) if case.conversation else None
            start = time.perf_counter()
            bot.ask(case.question, session)
            out.append(time.perf_counter() - start)
    return out


def baseline_latencies(baseline, cases, repeat=1):
    out = []
    for _ in range(repeat):
        for case in cases:
            start = time.perf_counter()
            baseline.ask(case.question)
            out.append(time.perf_counter() - start)
    return out


def facts_found(answer_of, cases):
    """(share of in-domain cases whose answer has all expected facts, share of out-of-scope refused)."""
    with_facts = [c for c in cases if c.must and c.conversation is None]
    oos = [c for c in cases if c.intents == ("fallback",) and c.conversation is None]
    # Labels are French; an English answer states the same figures in English (bot.evaluate.holds).
    no_data = {lang: load_messages().say("no_data", lang) for lang in ("fr", "en")}
    hits = sum(all(holds(answer_of(c.question)[0], f, answer_of(c.question)[2], no_data=no_data) for f in c.must)
               for c in with_facts)
    refused = sum(answer_of(c.question)[1] for c in oos)
    return hits / len(with_facts), refused / len(oos)


def env_for(home: Path) -> dict:
    env = dict(os.environ)
    env["CAREERBOT_HOME"] = str(home)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def time_to_first_line(cmd, env) -> float:
    """Wall time from starting *cmd* to its first line on standard output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.communicate()
    return elapsed


def time_to_prompt(cmd, env, marker=b"vous") -> float:
    """Wall time from starting *cmd* on a pseudo-terminal until *marker* is printed (the REPL prompt)."""
    import pty

    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**env, "TERM": "xterm"}, stdin=slave, stdout=slave,
                            stderr=slave, close_fds=True)
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    deadline = start + 20
    try:
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                seen += chunk
                if marker in seen:
                    elapsed = time.perf_counter() - start
                    break
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    return elapsed


def peak_rss_mb(cmd, env) -> float:
    """Peak resident memory of *cmd* (run in a fresh wrapper so nothing else is counted)."""
    wrapper = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
               "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    return int(out.stdout.strip()) / 1024


def wall(cmd, env) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


_SYLLABLES = ["ba", "ko", "ri", "tu", "mel", "zor", "pa", "qui", "no", "sel", "dra", "vi", "lo", "gen", "fu", "tra"]


def synthetic_kb(into: Path, factor: int, seed: int = 7) -> Path:
    """A copy of the bundled knowledge base grown to about *factor* times its phrases with invented terms."""
    shutil.copytree(ROOT / "knowledge", into)
    base_phrases = 615
    per_entry = 8
    n_entries = max(0, (factor - 1) * base_phrases // per_entry)
    rng = random.Random(seed)

    def word():
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))

    lines = []
    for i in range(n_entries):
        term = f"{word()} {word()}"
        a, b = word(), word()
        lines.append(f'''
[[entry]]
id = "synthetic-{i}"
title = "{term}"
title_en = "{term}"
keywords = ["{term}", "{a} {b}"]
questions = ["c'est quoi le {term} ?", "que veut dire {term}", "{term} définition", "le {a} et le {b} du {term}", "comment calculer le {term}"]
answer = "Terme inventé pour le banc d'essai : {a} {b}."
answer_en = "A term made up for the benchmark: {a} {b}."
sources = ["001_6c24a15a064cfcee.txt"]
''')
    with open(into / "glossary.toml", "a", encoding="utf-8") as fh:
        fh.write("".join(lines))
    return into


def summarise(latencies):
    return {"p50_ms": percentile(latencies, 50) * 1e3, "p99_ms": percentile(latencies, 99) * 1e3}


def median_latency(measure, runs: int) -> tuple[float, float]:
    """Median over *runs* of the p50 and of the p99 (ms) of ``measure()``'s latencies."""
    summaries = [summarise(measure()) for _ in range(runs)]
    return (statistics.median(s["p50_ms"] for s in summaries), statistics.median(s["p99_ms"] for s in summaries))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="skip the ×100 scaling and shorten batch runs")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"), help="JSON file for the figures")
    parser.add_argument("--sheets", type=int, metavar="N",
                        help="run only the scale section: N synthetic sheets ingested as roles (bench/scale.py)")
    args = parser.parse_args(argv)
    if args.sheets:
        from bench.scale import main as scale_main

        return scale_main(args.sheets, max(1, args.runs), args.out)
    runs = max(1, args.runs)
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "platform": platform.platform()}, "runs": runs}
    cases = question_mix()
    q = "combien gagne un KAM ?"
    work = Path(tempfile.mkdtemp(prefix="careerbot-bench-"))
    env = env_for(work / "home")
    try:
        print(f"question mix: {len(cases)} questions; {runs} run(s) each; medians reported", file=sys.stderr)

        # Index build (no cache) and the bot used for latency.
        start = time.perf_counter()
        bot = Bot.load(cache_dir=None)
        results["index_build_s"] = time.perf_counter() - start
        from bench.baseline import Baseline

        start = time.perf_counter()
        baseline = Baseline()
        results["baseline_build_s"] = time.perf_counter() - start

        results["latency_p50_ms"], results["latency_p99_ms"] = median_latency(
            lambda: careerbot_latencies(bot, cases), runs)
        results["baseline_latency_p50_ms"], results["baseline_latency_p99_ms"] = median_latency(
            lambda: baseline_latencies(baseline, cases), runs)

        def careerbot_answer(text):
            a = bot.ask(text)
            return a.text, a.fallback, a.lang

        def baseline_answer(text):
            a = baseline.ask(text)
            return a, a == "Je n'ai pas compris.", "fr"

        results["facts_found"], results["oos_refused"] = facts_found(careerbot_answer, cases)
        results["baseline_facts_found"], results["baseline_oos_refused"] = facts_found(baseline_answer, cases)
        print("latency and accuracy done", file=sys.stderr)

        # Batch throughput through the real CLI.
        n_batch = 2000 if args.quick else 10_000
        questions = [c.question for c in cases if not c.conversation]
        batch_file = work / "questions.txt"
        batch_file.write_text("\n".join(questions[i % len(questions)] for i in range(n_batch)) + "\n",
                              encoding="utf-8")
        careerbot = [sys.executable, str(ROOT / "main.py")]
        subprocess.run([*careerbot, "ask", q], cwd=ROOT, env=env, capture_output=True, check=True)  # warm cache
        times = [wall([*careerbot, "batch", str(batch_file), "-o", str(work / "out.jsonl")], env) for _ in range(runs)]
        results["batch_questions"] = n_batch
        results["batch_qps"] = n_batch / statistics.median(times)
        base_times = [wall([sys.executable, "-m", "bench.baseline", "batch", str(batch_file)], env)
                      for _ in range(1 if args.quick else min(runs, 2))]
        results["baseline_batch_qps"] = n_batch / statistics.median(base_times)
        print("batch done", file=sys.stderr)

        # Cold start (cache warm, as on any start after the first).
        results["cold_start_ask_s"] = statistics.median(
            time_to_first_line([*careerbot, "ask", q], env) for _ in range(runs + 2))
        results["baseline_cold_start_ask_s"] = statistics.median(
            time_to_first_line([sys.executable, "-m", "bench.baseline", "ask", q], env) for _ in range(runs))
        results["cold_start_repl_s"] = statistics.median(time_to_prompt(careerbot, env) for _ in range(runs + 2))
        results["cold_start_first_ever_s"] = time_to_first_line(
            [*careerbot, "ask", q], env_for(work / "fresh-home"))
        results["peak_rss_mb"] = peak_rss_mb([*careerbot, "batch", str(batch_file), "-o", str(work / "o2.jsonl")], env)
        results["peak_rss_build_mb"] = peak_rss_mb([*careerbot, "ask", q], env_for(work / "fresh-home-2"))
        results["baseline_peak_rss_mb"] = peak_rss_mb([sys.executable, "-m", "bench.baseline", "ask", q], env)
        print("start-up and memory done", file=sys.stderr)

        # Scaling with a grown knowledge base.
        for factor in ((10,) if args.quick else (10, 100)):
            kb = synthetic_kb(work / f"kb-x{factor}", factor)
            start = time.perf_counter()
            big = Bot.load(kb, cache_dir=None)
            results[f"x{factor}_build_s"] = time.perf_counter() - start
            results[f"x{factor}_phrases"] = big._understanding.index.n_phrases
            results[f"x{factor}_latency_p50_ms"], results[f"x{factor}_latency_p99_ms"] = median_latency(
                lambda big=big: careerbot_latencies(big, cases, repeat=1), runs)
            big_base = Baseline(kb)
            s = summarise(baseline_latencies(big_base, cases))
            results[f"baseline_x{factor}_latency_p50_ms"] = s["p50_ms"]
            results[f"baseline_x{factor}_latency_p99_ms"] = s["p99_ms"]
            print(f"x{factor} done", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(format_table(results))
    print(f"\nfigures written to {args.out}")
    return 0


def format_table(r: dict) -> str:
    rows = [
        ("latency p50 (ms)", "latency_p50_ms", "baseline_latency_p50_ms", "latency_p50_ms", "{:.3f}"),
        ("latency p99 (ms)", "latency_p99_ms", "baseline_latency_p99_ms", "latency_p99_ms", "{:.3f}"),
        ("batch (questions/s)", "batch_qps", "baseline_batch_qps", "batch_qps", "{:,.0f}"),
        ("cold start to first answer (s)", "cold_start_ask_s", "baseline_cold_start_ask_s", "cold_start_ask_s", "{:.2f}"),
        ("cold start to REPL prompt (s)", "cold_start_repl_s", None, "cold_start_repl_s", "{:.2f}"),
        ("first start ever, index built (s)", "cold_start_first_ever_s", None, None, "{:.2f}"),
        ("index build (s)", "index_build_s", "baseline_build_s", None, "{:.2f}"),
        ("peak RSS, batch (MB)", "peak_rss_mb", "baseline_peak_rss_mb", "peak_rss_mb", "{:.0f}"),
        ("peak RSS, building the index (MB)", "peak_rss_build_mb", None, None, "{:.0f}"),
        ("×10 KB latency p50 (ms)", "x10_latency_p50_ms", "baseline_x10_latency_p50_ms", None, "{:.3f}"),
        ("×10 KB latency p99 (ms)", "x10_latency_p99_ms", "baseline_x10_latency_p99_ms", None, "{:.3f}"),
        ("×100 KB latency p50 (ms)", "x100_latency_p50_ms", "baseline_x100_latency_p50_ms", "x100_latency_p50_ms", "{:.3f}"),
        ("×100 KB latency p99 (ms)", "x100_latency_p99_ms", "baseline_x100_latency_p99_ms", None, "{:.3f}"),
        ("answers with the expected facts", "facts_found", "baseline_facts_found", None, "{:.1%}"),
        ("out-of-scope questions refused", "oos_refused", "baseline_oos_refused", None, "{:.1%}"),
    ]
    head = f"| {'measure':<36} | {'careerbot':>10} | {'baseline':>10} | {'ratio':>7} | {'target':>8} | met |"
    lines = [head, "|" + "|".join("-" * (len(c) + 0) for c in head.split("|")[1:-1]) + "|"]
    for label, key, base_key, target_key, fmt in rows:
        if key not in r:
            continue
        value = r[key]
        base = r.get(base_key) if base_key else None
        ratio = f"{value / base:.2f}×" if base else ""
        target = TARGETS.get(target_key) if target_key else None
        if target is None:
            met = ""
        elif target_key == "batch_qps":
            met = "yes" if value >= target else "NO"
        else:
            met = "yes" if value <= target else "NO"
        lines.append(f"| {label:<36} | {fmt.format(value):>10} | {fmt.format(base) if base is not None else '':>10} "
                     f"| {ratio:>7} | {str(target) if target is not None else '':>8} | {met:>3} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
