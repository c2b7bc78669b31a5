"""Command line: ``careerbot`` (chat), ``careerbot ask``, ``careerbot batch``, ``careerbot eval``, ``careerbot ingest``.

It parses arguments, builds the :class:`~bot.Bot`, calls one thin module, and
turns careerbot's errors into one line on standard error and an exit code.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .errors import BatchFileError, CareerbotError, KnowledgeError

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_KNOWLEDGE", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_ERROR = 1          # a question file cannot be read, or the answer file cannot be written
EXIT_USAGE = 2          # wrong command-line arguments (argparse's own code)
EXIT_KNOWLEDGE = 3      # the knowledge base or intent files are broken
EXIT_INTERRUPTED = 130  # Ctrl-C


_EXAMPLES = """\
Without a command: chat in the terminal (or answer the lines read from standard input).

examples:
  careerbot                                      chat
  careerbot ask "combien gagne un KAM ?"         one answer
  careerbot ask --json "c'est quoi l'OTE ?"      the answer as JSON
  careerbot batch questions.csv -o answers.jsonl answer a file
  careerbot eval tests/data/heldout.jsonl        accuracy on a labelled set
  careerbot ingest fiches/                       add pairs from job sheets
"""


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
        description="Answers questions (in French) about sales jobs — AE, AM, KAM, SDR, CSM… — from cited sources.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("chat", parents=[common], help="chat in the terminal (the default)")
    ask = sub.add_parser("ask", parents=[common], help="answer one question")
    ask.add_argument("question", nargs="+", help="the question")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    batch = sub.add_parser("batch", parents=[common], help="answer a file of questions")
    batch.add_argument("input", help=".txt, .csv or .jsonl file, or - for standard input")
    batch.add_argument("-o", "--output", help=".jsonl or .csv output file (default: standard output, JSONL)")
    batch.add_argument("--format", choices=("txt", "csv", "jsonl"), help="input format (required with -)")
    batch.add_argument("--output-format", choices=("jsonl", "csv"), help="output format (default: from the extension)")
    batch.add_argument("--encoding", default="utf-8", help="encoding of the input file (default: utf-8)")
    ev = sub.add_parser("eval", parents=[common], help="measure accuracy on a labelled question set")
    ev.add_argument("file", nargs="?", help="labelled JSONL file (default: the development set)")
    ev.add_argument("--no-failures", action="store_true", help="do not list the failures")
    ing = sub.add_parser("ingest", parents=[common], help="extract question/answer pairs from job sheets (.txt, .md)")
    ing.add_argument("paths", nargs="+", metavar="PATH", help=".txt or .md job sheet, or a folder of them")
    ing.add_argument("--into", metavar="DIR",
                     help="folder to write the pairs to (default: <data folder>/extracted, read at start-up)")
    return parser


def _load_bot(args):
    from .engine import Bot
    from .paths import data_dir

    extra = args.knowledge
    if extra is None:
        ingested = data_dir() / "extracted"
        extra = [ingested] if (ingested / "sources.toml").is_file() else []
    return Bot.load(args.base, extra=extra)


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
    progress: Callable[[int, float | None], None] | None = None
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
    if progress is not None:
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
    command = {"ask": _cmd_ask, "batch": _cmd_batch, "eval": _cmd_eval,
               "ingest": _cmd_ingest}.get(args.command, _cmd_chat)
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
