"""Command line: ``careerbot`` (chat), ``careerbot ask``, ``careerbot batch``, ``careerbot eval``.

It parses arguments, builds the :class:`~bot.Bot`, calls one thin module, and
turns careerbot's errors into one line on standard error and an exit code.
"""

from __future__ import annotations

import argparse
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
    return parser


def _load_bot(args):
    from .engine import Bot
    from .repl import data_dir

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


def _cmd_batch(args, out) -> int:
    from .batch import run_batch

    bot = _load_bot(args)
    progress = None
    if sys.stderr.isatty():
        def progress(n: int) -> None:
            sys.stderr.write(f"\r{n} questions…")
            sys.stderr.flush()
    count = run_batch(bot, args.input, args.output, fmt=args.format, out_fmt=args.output_format,
                      encoding=args.encoding, progress=progress, stdout=out)
    if progress:
        sys.stderr.write(f"\r{count} questions answered.\n")
    elif args.output not in (None, "-"):
        sys.stderr.write(f"careerbot: {count} records written to {args.output}\n")
    return EXIT_OK


def _cmd_eval(args, out) -> int:
    from .evaluate import default_devset, evaluate, read_cases

    bot = _load_bot(args)
    path = args.file or default_devset()
    try:
        cases = read_cases(path)
    except FileNotFoundError:
        raise BatchFileError(f"{path}: file not found") from None
    except ValueError as exc:
        raise BatchFileError(str(exc)) from None
    report = evaluate(bot, cases)
    out.write(report.format(failures=not args.no_failures) + "\n")
    return EXIT_OK


def _cmd_chat(args, out) -> int:
    bot = _load_bot(args)
    if not sys.stdin.isatty():
        from .repl import run_lines

        return run_lines(bot, sys.stdin, out)
    from .repl import run_repl

    return run_repl(bot, out=out)


def main(argv: Sequence[str] | None = None, *, out=None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    args = _parser().parse_args(argv)
    command = {"ask": _cmd_ask, "batch": _cmd_batch, "eval": _cmd_eval}.get(args.command, _cmd_chat)
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
