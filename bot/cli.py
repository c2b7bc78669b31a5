"""Command line: ``careerbot`` (chat), ``ask``, ``batch``, ``eval``, ``ingest``, ``serve`` and ``report``.

It parses arguments, builds the :class:`~bot.Bot`, calls one thin module, and
turns careerbot's errors into one line on standard error and an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import IO

from .errors import BatchFileError, CareerbotError, CareerbotWarning, KnowledgeError

__all__ = ["main", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_KNOWLEDGE", "EXIT_HANGUP", "EXIT_INTERRUPTED",
           "EXIT_TERMINATED"]

EXIT_OK = 0
EXIT_ERROR = 1          # a file cannot be read or written, standard output cannot be written, or a careerbot bug
EXIT_USAGE = 2          # wrong command-line arguments (argparse's own code)
EXIT_KNOWLEDGE = 3      # the knowledge base or intent files are broken
EXIT_HANGUP = 129       # SIGHUP (128 + 1, as a shell reports it)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_TERMINATED = 143   # SIGTERM (128 + 15): timeout, systemd, docker stop, CI


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


_EXAMPLES = """\
Without a command: chat in the terminal (or answer the lines read from standard input).

examples:
  careerbot                                      chat
  careerbot ask "combien gagne un KAM ?"         one answer
  careerbot ask --json "c'est quoi l'OTE ?"      the answer as JSON
  careerbot ask --lang en "salaire d'un KAM"     the answer in English
  careerbot batch questions.csv -o answers.jsonl answer a file
  careerbot eval tests/data/heldout.jsonl        accuracy on a labelled set
  careerbot ingest fiches/ --dry-run             what job sheets would become (roles, topics)
  careerbot ingest fiches/                       add the roles of job sheets
"""


class _Version(argparse._VersionAction):
    """``--version``: the package's version is read from its metadata only when asked for (see ``bot.__getattr__``)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__

        self.version = (self.version or "%(prog)s {version}").format(version=__version__)
        super().__call__(parser, namespace, values, option_string)


def _parser() -> argparse.ArgumentParser:
    def knowledge_options(defaults: bool) -> argparse.ArgumentParser:
        # Accepted before and after the command; the sub-command copy must not reset
        # a value given before it, hence SUPPRESS there.
        opts = argparse.ArgumentParser(add_help=False)
        default = None if defaults else argparse.SUPPRESS
        opts.add_argument("--base", metavar="DIR", default=default,
                          help="curated knowledge folder to use instead of the bundled one")
        opts.add_argument("--knowledge", "--extra", metavar="DIR", action="append", default=default,
                          dest="knowledge",
                          help="extra knowledge folder answered from beside the curated one, e.g. the roles "
                               "'careerbot ingest' wrote (repeatable); "
                               "default: the folder 'careerbot ingest' writes to, if it exists")
        opts.add_argument("--no-curated", action="store_true", default=False if defaults else argparse.SUPPRESS,
                          help="leave the curated knowledge out: answer from the --knowledge folders alone")
        return opts

    common = knowledge_options(defaults=False)
    parser = argparse.ArgumentParser(
        prog="careerbot", parents=[knowledge_options(defaults=True)],
        description="Answers questions (in French) about sales jobs — AE, AM, KAM, SDR, CSM… — from cited sources.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, version="%(prog)s {version}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("chat", parents=[common], help="chat in the terminal (the default)")
    ask = sub.add_parser("ask", parents=[common], help="answer one question")
    ask.add_argument("question", nargs="+", help="the question")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--lang", choices=("fr", "en", "auto"), default="auto",
                     help="answer language (default: auto, the question's)")
    batch = sub.add_parser("batch", parents=[common], help="answer a file of questions")
    batch.add_argument("input", help=".txt, .csv or .jsonl file, or - for standard input")
    batch.add_argument("-o", "--output", help=".jsonl or .csv output file (default: standard output, JSONL)")
    batch.add_argument("--format", choices=("txt", "csv", "jsonl"), help="input format (required with -)")
    batch.add_argument("--lang", choices=("fr", "en", "auto"), default="auto",
                       help="answer language of records without a 'lang' field (default: auto, each question's)")
    batch.add_argument("--output-format", choices=("jsonl", "csv", "csv-excel"),
                       help="output format (default: from the extension); csv-excel: UTF-8 with a BOM and ';'")
    batch.add_argument("--excel", action="store_true",
                       help="CSV for a French spreadsheet (same as --output-format csv-excel)")
    batch.add_argument("--encoding", default="utf-8",
                       help="encoding of the input file when it has no byte-order mark (default: utf-8)")
    batch.add_argument("--jobs", type=_positive, default=None, metavar="N",
                       help="processes answering the questions (default: one per processor; 1 for a short file)")
    batch.add_argument("--progress", action="store_true",
                       help="progress lines on standard error, even without a terminal")
    batch.add_argument("--progress-every", type=_positive, default=1000, metavar="N",
                       help="with --progress: a line every N questions (default: 1000)")
    ev = sub.add_parser("eval", parents=[common], help="measure accuracy on a labelled question set")
    ev.add_argument("file", nargs="?", help="labelled JSONL file (default: the development set)")
    ev.add_argument("--no-failures", action="store_true", help="do not list the failures")
    ev.add_argument("--role-topics", action="store_true",
                    help="only the questions on one role's topic (salary of the KAM…); with --no-curated, "
                         "answered roles are read as the curated role sharing their names")
    ing = sub.add_parser("ingest", parents=[common], help="turn job sheets (.txt, .md, .html) into roles")
    ing.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .md or .html job sheet, or a folder of them")
    ing.add_argument("--into", metavar="DIR",
                     help="folder to write the roles to (default: <data folder>/extracted, read at start-up)")
    ing.add_argument("--dry-run", action="store_true",
                     help="show each sheet's role, aliases and the topic of each section; write nothing")
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

    return Bot.load(args.base, extra=_extra_knowledge(args), curated=not args.no_curated)


def _cmd_ask(args, out) -> int:
    bot = _load_bot(args)
    answer = bot.ask(" ".join(args.question), lang=args.lang)
    if args.json:
        out.write(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from .display import format_answer

        out.write(format_answer(answer) + "\n")
    return EXIT_OK


def _usage(command: str, problem: str) -> int:
    sys.stderr.write(f"careerbot {command}: error: {problem}\n")
    return EXIT_USAGE


def _bar(n: int, done: float | None) -> None:
    """The progress bar drawn on a terminal, redrawn in place."""
    bar = ""
    if done is not None:
        filled = int(done * 30)
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] {done:4.0%}  "
    sys.stderr.write(f"\r{bar}{n:,} questions…".replace(",", " "))
    sys.stderr.flush()


def _progress_line(n: int, done: float | None) -> None:
    """One line per step, for a log or a CI job (no terminal)."""
    share = f" ({done:.0%} of the input read)" if done is not None else ""
    sys.stderr.write(f"careerbot: {n} records answered{share}\n")
    sys.stderr.flush()


def _cmd_batch(args, out) -> int:
    import codecs

    from .batch import run_batch
    from .parallel import default_jobs

    # Wrong arguments are usage errors (exit 2), told before the knowledge base is loaded.
    if args.input == "-" and not args.format:
        return _usage("batch", "reading questions from standard input (-) needs --format txt, csv or jsonl")
    try:
        codecs.lookup(args.encoding)
    except LookupError:
        return _usage("batch", f"unknown encoding {args.encoding!r}; use e.g. utf-8, cp1252 or latin-1")
    out_fmt = args.output_format
    if args.excel:
        if out_fmt not in (None, "csv", "csv-excel"):
            return _usage("batch", f"--excel writes CSV; it cannot be combined with --output-format {out_fmt}")
        out_fmt = "csv-excel"
    bot = _load_bot(args)
    progress, every = None, 500
    if args.progress:
        progress, every = _progress_line, args.progress_every
    elif sys.stderr.isatty():
        progress = _bar
    count = run_batch(bot, args.input, args.output, fmt=args.format, out_fmt=out_fmt, encoding=args.encoding,
                      lang=args.lang, jobs=args.jobs or default_jobs(),
                      progress=progress, progress_every=every, stdout=out)
    if progress is _bar:
        sys.stderr.write(f"\r{count:,} questions answered.".replace(",", " ") + " " * 40 + "\n")
    elif args.output not in (None, "-"):
        sys.stderr.write(f"careerbot: {count} record{'s' if count != 1 else ''} written to {args.output}\n")
    elif args.progress:
        sys.stderr.write(f"careerbot: {count} record{'s' if count != 1 else ''} written to standard output\n")
    return EXIT_OK


def _cmd_eval(args, out) -> int:
    from .batch import unreadable
    from .evaluate import default_devset, evaluate, map_roles, read_cases, role_topic_cases

    bot = _load_bot(args)
    path = args.file or default_devset()
    role_map = None
    if args.no_curated:
        from .knowledge import load_knowledge

        role_map = map_roles(bot.knowledge.roles.values(), load_knowledge(args.base).roles.values())
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
    if args.role_topics:
        cases = role_topic_cases(cases, bot.intents.topics)
    report = evaluate(bot, cases, role_map)
    out.write(report.format(failures=not args.no_failures) + "\n")
    return EXIT_OK


def _cmd_ingest(args, out) -> int:
    from pathlib import Path

    from .ingest import collect_documents, load_ingest_rules, read_document
    from .knowledge import load_knowledge
    from .paths import data_dir
    from .sheets import curated_names, format_sheets_report, read_sheet, write_roles

    into = Path(args.into) if args.into else data_dir() / "extracted"
    documents = collect_documents(args.paths)
    curated = None if args.no_curated else load_knowledge(args.base)
    names = curated_names(curated.roles.values()) if curated else {}
    rules = load_ingest_rules()
    sheets = []
    for path in documents:
        # The same file listed twice would stop careerbot at start-up (duplicate source).
        if curated and path.name in curated.sources:
            raise BatchFileError(f"{path}: already a source of the curated knowledge base, which answers from it; "
                                 "rename the file to ingest it as another document")
        sheets.append(read_sheet(read_document(path), path.name, rules=rules, curated=names))
    if args.dry_run:
        out.write(format_sheets_report(sheets, dry_run=True) + "\n")
        return EXIT_OK
    others = [k for k in (args.knowledge or []) if Path(k).resolve() != into.resolve()]
    # The merged folder is loaded beside the curated base before it replaces the old one,
    # so a bad write is caught and never reaches the bot.
    notes = write_roles(sheets, into, check=lambda folder: load_knowledge(
        args.base, extra=[*others, folder], curated=not args.no_curated))
    out.write(format_sheets_report(sheets, into, notes) + "\n")
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
    if not sys.stdin.isatty():
        from .repl import run_lines

        bot = _load_bot(args)
        # Undecodable bytes must not stop the conversation: they become U+FFFD and the line is still answered.
        lines = sys.stdin
        if hasattr(sys.stdin, "buffer"):
            lines = io.TextIOWrapper(sys.stdin.buffer, encoding=sys.stdin.encoding or "utf-8", errors="replace")
        return run_lines(bot, lines, out)
    from .repl import run_repl

    # On a terminal the prompt comes first and the bot loads behind it (bot.repl._Loading).
    return run_repl(load=lambda: _load_bot(args), out=out)


class _Stdout:
    """Standard output whose failures are told as one error line; a closed pipe stays a BrokenPipeError (quiet)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.failed = False

    def _do(self, action, *args):
        try:
            return action(*args)
        except BrokenPipeError:
            self.failed = True
            raise
        except OSError as exc:
            self.failed = True
            raise CareerbotError(f"standard output cannot be written ({exc.strerror or exc})") from None

    def write(self, text: str) -> int:
        try:
            return self._do(self.stream.write, text)
        except UnicodeEncodeError:  # a terminal that is not UTF-8, or PYTHONIOENCODING=ascii
            encoding = getattr(self.stream, "encoding", None) or "utf-8"
            return self._do(self.stream.write, text.encode(encoding, "backslashreplace").decode(encoding))

    def flush(self) -> None:
        self._do(self.stream.flush)

    def isatty(self) -> bool:
        return self.stream.isatty()

    def settle(self) -> None:
        """Flush what is left; if standard output is gone, point it at the null device.

        Python flushes standard output once more at exit, and a failure there is
        printed as "Exception ignored …" after careerbot has said what happened.
        """
        try:
            self.stream.flush()
        except (OSError, ValueError):
            self.failed = True
        if not self.failed:
            return
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass  # not a real file (a test's StringIO): nothing will flush it at exit


class _Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so that temporary files are removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _on_signal(signum, frame):
    for sig in _SIGNALS:  # a second signal must not cut the clean-up of the first short
        signal.signal(sig, signal.SIG_IGN)
    raise _Terminated(signum)


@contextlib.contextmanager
def _unwind_on_signals() -> Iterator[None]:
    try:
        previous = {sig: signal.signal(sig, _on_signal) for sig in _SIGNALS}
    except ValueError:  # not the main thread (main() called from a thread): signals stay as they are
        previous = {}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _say(line: str) -> None:
    """One line on standard error, which may itself be gone (a closed terminal after SIGHUP)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """careerbot's own warnings as ``careerbot: warning: …`` lines; other warnings as Python shows them."""
    with warnings.catch_warnings():
        shown = warnings.showwarning

        def show(message, category, *args, **kwargs):
            if issubclass(category, CareerbotWarning):
                _say(f"careerbot: warning: {message}")
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


def _run(command, args, out: _Stdout) -> int:
    try:
        code = command(args, out)
        out.flush()
        return code
    except KnowledgeError as exc:
        _say(f"careerbot: knowledge error: {exc}")
        return EXIT_KNOWLEDGE
    except CareerbotError as exc:
        _say(f"careerbot: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("\ncareerbot: interrupted")
        return EXIT_INTERRUPTED
    except _Terminated as exc:
        _say(f"careerbot: terminated by {signal.Signals(exc.signum).name}")
        return EXIT_HANGUP if exc.signum == getattr(signal, "SIGHUP", None) else EXIT_TERMINATED
    except BrokenPipeError:  # the reader went away (``| head``): nothing left to say
        return EXIT_OK
    except Exception as exc:  # a careerbot bug: one line, never a traceback, unless asked for
        if os.environ.get("CAREERBOT_DEBUG"):
            raise
        _say(f"careerbot: internal error: {type(exc).__name__}: {exc} — please report it "
             "(CAREERBOT_DEBUG=1 shows the traceback)")
        return EXIT_ERROR


def main(argv: Sequence[str] | None = None, *, out=None) -> int:
    """Run the command line; returns the exit code."""
    stdout = _Stdout(out or sys.stdout)
    args = _parser().parse_args(argv)
    command = {"ask": _cmd_ask, "batch": _cmd_batch, "eval": _cmd_eval, "ingest": _cmd_ingest,
               "serve": _cmd_serve, "report": _cmd_report}.get(args.command, _cmd_chat)
    with _unwind_on_signals(), _warnings_as_lines():
        code = _run(command, args, stdout)
    stdout.settle()
    return code
