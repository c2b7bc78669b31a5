"""Command line: ``careerbot`` (chat), ``ask``, ``batch``, ``eval``, ``ingest``, ``serve`` and ``report``.

It parses arguments, builds the :class:`~bot.Bot`, calls one thin module, and
turns careerbot's errors into one line on standard error and an exit code.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import Sequence

from .errors import BatchFileError, CareerbotError, KnowledgeError

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_KNOWLEDGE", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_ERROR = 1          # a question file cannot be read, or the answer file cannot be written
EXIT_USAGE = 2          # wrong command-line arguments (argparse's own code)
EXIT_KNOWLEDGE = 3      # the knowledge base or intent files are broken
EXIT_INTERRUPTED = 130  # Ctrl-C


def _parser() -> argparse.ArgumentParser:
    def knowledge_options(defaults: bool) -> argparse.ArgumentParser:
        # Accepted before and after the command; the sub-command copy must not reset
        # a value given before it, hence SUPPRESS there.
        opts = argparse.ArgumentParser(add_help=False)
        default = None if defaults else argparse.SUPPRESS
        opts.add_argument("--base", metavar="DIR", default=default,
                          help="curated knowledge folder to use instead of the bundled one")
        opts.add_argument("--knowledge", metavar="DIR", action="append", default=default,
                          help="extra knowledge folder answered from beside the curated one (repeatable); "
                               "default: the folder 'careerbot ingest' writes to, if it exists")
        return opts

    common = knowledge_options(defaults=False)
    parser = argparse.ArgumentParser(
        prog="careerbot", parents=[knowledge_options(defaults=True)],
        description="Questions et réponses sur les métiers de la vente (AE, AM, KAM, SDR, CSM…).",
        epilog="Sans commande : la conversation dans le terminal (ou les questions lues sur l'entrée standard).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("chat", parents=[common], help="conversation dans le terminal (par défaut)")
    ask = sub.add_parser("ask", parents=[common], help="répondre à une question")
    ask.add_argument("question", nargs="+", help="la question")
    ask.add_argument("--json", action="store_true", help="afficher l'objet réponse en JSON")
    batch = sub.add_parser("batch", parents=[common], help="répondre à un fichier de questions")
    batch.add_argument("input", help="fichier .txt, .csv ou .jsonl, ou - pour l'entrée standard")
    batch.add_argument("-o", "--output", help="fichier de sortie .jsonl ou .csv (défaut : sortie standard, JSONL)")
    batch.add_argument("--format", choices=("txt", "csv", "jsonl"), help="format d'entrée (obligatoire avec -)")
    batch.add_argument("--output-format", choices=("jsonl", "csv"), help="format de sortie (défaut : extension)")
    batch.add_argument("--encoding", default="utf-8", help="encodage du fichier d'entrée (défaut : utf-8)")
    ev = sub.add_parser("eval", parents=[common], help="mesurer la justesse sur un jeu de questions étiquetées")
    ev.add_argument("file", nargs="?", help="fichier JSONL étiqueté (défaut : le jeu de développement)")
    ev.add_argument("--no-failures", action="store_true", help="ne pas lister les échecs")
    ing = sub.add_parser("ingest", parents=[common], help="extraire les questions/réponses de fiches métier (.txt, .md)")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="fiche .txt ou .md, ou dossier de fiches")
    ing.add_argument("--into", metavar="DIR",
                     help="dossier où écrire les paires (défaut : <dossier de données>/extracted, lu au démarrage)")
    from .serve import add_arguments

    add_arguments(sub.add_parser("serve", parents=[common], help="HTTP service, chat widget and demo page"))
    rep = sub.add_parser("report", help="questions refused, answered unsurely or disliked, grouped by wording")
    rep.add_argument("--since", default="7d", help="period: 7d, 24h, 30m, 2w (default: 7d)")
    rep.add_argument("--format", choices=("md", "csv", "html"), default="md", help="format (default: md)")
    rep.add_argument("--log-db", metavar="PATH_OR_URL",
                     help="SQLite file or postgresql:// URL (default: $CAREERBOT_LOG_DB, else "
                          "questions.sqlite3 in the data folder)")
    rep.add_argument("--top", type=int, default=30, help="most groups and topics shown (default: 30)")
    rep.add_argument("-o", "--output", help="file to write the report to (default: standard output)")
    return parser


def _extra_knowledge(args) -> list:
    from .paths import data_dir

    extra = args.knowledge
    if extra is None:
        ingested = data_dir() / "extracted"
        extra = [ingested] if (ingested / "sources.toml").is_file() else []
    return extra


def _load_bot(args):
    from .engine import Bot

    return Bot.load(args.base, extra=_extra_knowledge(args))


def _cmd_ask(args, out) -> int:
    bot = _load_bot(args)
    answer = bot.ask(" ".join(args.question))
    if args.json:
        out.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from .repl import format_answer

        out.write(format_answer(answer) + "\n")
    return EXIT_OK


def _usage(command: str, problem: str) -> int:
    sys.stderr.write(f"careerbot {command}: error: {problem}\n")
    return EXIT_USAGE


def _cmd_batch(args, out) -> int:
    import codecs

    from .batch import run_batch

    # Wrong arguments are usage errors (exit 2), told before the knowledge base is loaded.
    if args.input == "-" and not args.format:
        return _usage("batch", "reading questions from standard input (-) needs --format txt, csv or jsonl")
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        return _usage("batch", f"unknown encoding {args.encoding!r}; use e.g. utf-8, cp1252 or latin-1")
    bot = _load_bot(args)
    progress = None
    if sys.stderr.isatty():
        def progress(n: int, done: float | None) -> None:
            bar = ""
            if done is not None:
                filled = int(done * 30)
                bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done:4.0%}  "
            sys.stderr.write(f"\r{bar}{n:,} questions…".replace(",", " "))
            sys.stderr.flush()
    count = run_batch(bot, args.input, args.output, fmt=args.format, out_fmt=args.output_format,
                      encoding=args.encoding, progress=progress, stdout=out)
    if progress:
        sys.stderr.write(f"\r{count:,} questions answered.".replace(",", " ") + " " * 40 + "\n")
    elif args.output not in (None, "-"):
        sys.stderr.write(f"careerbot: {count} record{'s' if count != 1 else ''} written to {args.output}\n")
    return EXIT_OK


def _cmd_eval(args, out) -> int:
    from .batch import unreadable
    from .evaluate import default_devset, evaluate, read_cases

    bot = _load_bot(args)
    path = args.file or default_devset()
    try:
        cases = read_cases(path)
    except OSError as exc:
        raise unreadable(path, exc, "a labelled JSONL file") from None
    except UnicodeDecodeError:  # a ValueError, but its message names no file
        raise BatchFileError(f"{path}: not UTF-8 text; re-save the file as UTF-8") from None
    except ValueError as exc:
        raise BatchFileError(str(exc)) from None
    if not cases:
        raise BatchFileError(f"{path}: no labelled case; write one JSON object per line (see tests/data/README.md)")
    for case in cases:
        if not isinstance(case.question, str):
            raise BatchFileError(f"{path}: case {case.id}: 'question' must be a string, "
                                 f"got {type(case.question).__name__}")
    report = evaluate(bot, cases)
    out.write(report.format(failures=not args.no_failures) + "\n")
    return EXIT_OK


def _cmd_ingest(args, out) -> int:
    from pathlib import Path

    from .ingest import collect_documents, extract_pairs, format_report, load_ingest_rules, read_document, write_pairs
    from .knowledge import load_knowledge
    from .paths import data_dir

    into = Path(args.into) if args.into else data_dir() / "extracted"
    documents = collect_documents(args.paths)
    curated = load_knowledge(args.base)
    rules = load_ingest_rules()
    extractions = []
    for path in documents:
        # The same file listed twice would stop careerbot at start-up (duplicate source).
        if path.name in curated.sources:
            raise BatchFileError(f"{path}: already a source of the curated knowledge base, which answers from it; "
                                 "rename the file to ingest it as another document")
        extractions.append(extract_pairs(read_document(path), path.name, rules=rules))
    others = [k for k in (args.knowledge or []) if Path(k).resolve() != into.resolve()]
    # The merged folder is loaded beside the curated base before it replaces the old one,
    # so a bad write is caught and never reaches the bot.
    write_pairs(extractions, into, check=lambda folder: load_knowledge(args.base, extra=[*others, folder]))
    out.write(format_report(extractions, into) + "\n")
    return EXIT_OK


def _cmd_serve(args, out) -> int:
    from .serve import ServeUsageError, run_serve

    try:
        return run_serve(args, extra=_extra_knowledge(args))
    except ServeUsageError as exc:
        return _usage("serve", str(exc))


def _cmd_report(args, out) -> int:
    import os
    from datetime import datetime, timezone

    from .paths import data_dir
    from .questionlog import QuestionLog
    from .report import FORMATTERS, build_report, parse_since

    try:
        since = parse_since(args.since)
    except ValueError as exc:
        return _usage("report", str(exc))
    target = args.log_db or os.environ.get("CAREERBOT_LOG_DB") or data_dir() / "questions.sqlite3"
    if "://" not in str(target) and not os.path.isfile(target):
        raise BatchFileError(f"{target}: no question log here; run 'careerbot serve' first, or give --log-db")
    log = QuestionLog(target, retention_days=0)
    try:
        until = datetime.now(timezone.utc).replace(tzinfo=None)
        rows = list(log.read(until - since))
    finally:
        log.close()
    command = f"careerbot report --since {args.since} --format {args.format}"
    if args.log_db:
        command += f" --log-db {log.shown}"
    report = build_report(rows, since=until - since, until=until, command=command)
    text = FORMATTERS[args.format](report, top=args.top)
    if args.output and args.output != "-":
        try:
            with open(args.output, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        except OSError as exc:
            raise BatchFileError(f"{args.output}: cannot be written ({exc.strerror or exc})") from None
        sys.stderr.write(f"careerbot: report written to {args.output}\n")
    else:
        out.write(text)
    return EXIT_OK


def _cmd_chat(args, out) -> int:
    bot = _load_bot(args)
    if not sys.stdin.isatty():
        from .repl import run_lines

        # Undecodable bytes must not stop the conversation: they become U+FFFD and the line is still answered.
        lines = sys.stdin
        if hasattr(sys.stdin, "buffer"):
            lines = io.TextIOWrapper(sys.stdin.buffer, encoding=sys.stdin.encoding or "utf-8", errors="replace")
        return run_lines(bot, lines, out)
    from .repl import run_repl

    return run_repl(bot, out=out)


def main(argv: Sequence[str] | None = None, *, out=None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    command = {"ask": _cmd_ask, "batch": _cmd_batch, "eval": _cmd_eval, "ingest": _cmd_ingest,
               "serve": _cmd_serve, "report": _cmd_report}.get(args.command, _cmd_chat)
    try:
        return command(args, out)
    except KnowledgeError as exc:
        sys.stderr.write(f"careerbot: knowledge error: {exc}\n")
        return EXIT_KNOWLEDGE
    except CareerbotError as exc:
        sys.stderr.write(f"careerbot: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("\ncareerbot: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
