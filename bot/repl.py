"""The terminal chat: a prompt-toolkit REPL on a terminal, line-by-line answers when input is piped."""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application
from prompt_toolkit.completion import Completer, Completion, DynamicCompleter
from prompt_toolkit.history import FileHistory

from .display import format_answer
from .normalise import fold
from .paths import data_dir

if TYPE_CHECKING:  # the engine is imported by whoever loads the bot: the chat draws its prompt first
    from .engine import Bot, Session

__all__ = ["COMMANDS", "format_answer", "run_lines", "run_repl", "RoleCompleter", "SafeFileHistory"]

COMMANDS = {
    "/aide": "afficher cette aide",
    "/sources": "les sources de la dernière réponse",
    "/reset": "oublier le contexte de la conversation",
    "/lang": "langue des réponses : /lang fr, /lang en, /lang auto (celle de la question)",
    "/quitter": "quitter (ou Ctrl-D)",
}
_ALIASES = {"/help": "/aide", "/quit": "/quitter", "/exit": "/quitter", "/q": "/quitter"}

WELCOME = ("careerbot — questions sur les métiers de la vente : AE, AM, KAM, SDR, CSM, chargé / responsable "
           "de compte (salaires, compétences, études, KPIs, carrière…). /aide pour l'aide, Ctrl-D pour quitter.")


def _help_text() -> str:
    cmds = "\n".join(f"  {c:<10} {d}" for c, d in COMMANDS.items())
    return ("Posez une question en français (ou en anglais), par exemple :\n"
            "  combien gagne un KAM ?\n  différence entre AE et SDR\n  c'est quoi le pipe coverage ?\n"
            "Puis enchaînez : « et pour un AE ? », « et ses compétences ? ».\n"
            f"Commandes :\n{cmds}")


_LANG_SET = {
    "fr": "Réponses en français.",
    "en": "Answers in English from now on.",
    "auto": "Réponses dans la langue de chaque question / answers in each question's language.",
}


def _command(line: str, session: Session, settings: dict | None = None) -> tuple[str | None, bool]:
    """Run a /command: (text to print, whether to quit). *settings* holds the chat's choices (``lang``)."""
    cmd = _ALIASES.get(line.split()[0].lower(), line.split()[0].lower())
    if cmd == "/lang":
        words = line.split()[1:]
        choice = words[0].lower() if words else ""
        if choice not in _LANG_SET:
            current = (settings or {}).get("lang") or "auto"
            return f"Langue des réponses : {current}. Tapez /lang fr, /lang en ou /lang auto.", False
        if settings is not None:
            settings["lang"] = None if choice == "auto" else choice
        return _LANG_SET[choice], False
    if cmd == "/quitter":
        return None, True
    if cmd == "/aide":
        return _help_text(), False
    if cmd == "/reset":
        session.reset()
        return "Contexte oublié : nouvelle conversation.", False
    if cmd == "/sources":
        last = session.last
        if last is None or not last.sources:
            return "La dernière réponse ne cite aucune source.", False
        cited = last.citations or tuple((s, s) for s in last.sources)
        return "Sources de la dernière réponse :\n" + "\n".join(f"  « {t} » ({f})" for f, t in cited), False
    return f"Commande inconnue : {cmd}. Tapez /aide.", False


def _respond(bot: Bot, line: str, session: Session, *, width: int, colour: bool = False,
             settings: dict | None = None) -> tuple[str | None, bool]:
    """What to print for one typed line (None: nothing), and whether to quit."""
    line = line.strip()
    if not line:
        return None, False
    if line.startswith("/"):
        return _command(line, session, settings)
    lang = (settings or {}).get("lang")
    return format_answer(bot.ask(line, session, lang=lang), width=width, colour=colour) + "\n", False


def run_lines(bot: Bot, lines: Iterable[str], out: IO[str], *, width: int = 80) -> int:
    """Answer questions read line by line (standard input that is not a terminal), sharing one conversation."""
    session = bot.new_session()
    settings: dict = {"lang": None}
    for line in lines:
        text, quit_ = _respond(bot, line, session, width=width, settings=settings)
        if quit_:
            break
        if text is not None:
            out.write(text + "\n")
    out.flush()
    return 0


def _completer_words(bot: Bot) -> list[str]:
    words = set(COMMANDS)
    for role in bot.knowledge.roles.values():
        words.update((role.name, role.short, *role.aliases))
    for entry in bot.knowledge.entries.values():
        words.update(entry.keywords)
    return sorted(w for w in words if w)


class RoleCompleter(Completer):
    """Completes commands, role names and terms (one or several words) for the text being typed."""

    def __init__(self, words: Iterable[str]):
        self.words = []
        seen = set()
        for word in words:
            low = _fold_phrase(word)
            if low and low not in seen:  # "Key Account Manager" and its alias "key account manager": offer one
                seen.add(low)
                self.words.append((low, word))
        self._longest = max((len(low) for low, _ in self.words), default=0)

    def get_completions(self, document, complete_event):
        before = document.text_before_cursor
        # Only the end of the line can be a name being typed: looking further back made each key press
        # cost the whole line, so typing a long line was quadratic. (Twice the longest name: folding can
        # shorten text.)
        reach = max(0, len(before) - 2 * self._longest)
        if before.startswith("/"):
            tails = [before] if not reach else []
        else:
            # Names span words ("key acc" -> "key account manager"): try the longest tail first, so that
            # "acc" alone is not completed into "Key Account Executive".
            tails = [before[m.end():] for m in _WORD_START.finditer(before, reach)]
        for typed in tails:
            key = _fold_phrase(typed)
            matches = [original for low, original in self.words if low.startswith(key) and low != key]
            if matches:
                for original in matches:
                    yield Completion(original, start_position=-len(typed))
                return


_WORD_START = re.compile(r"(?:^|\s)(?=\S)")


def _fold_phrase(text: str) -> str:
    return " ".join(fold(text).split())


class SafeFileHistory(FileHistory):
    """A file history that warns once and keeps working in memory when the file cannot be used."""

    def __init__(self, filename, warn: IO[str]):
        super().__init__(str(filename))
        self._warn_to = warn
        self.warned = False

    def _warn(self, exc: OSError) -> None:
        if not self.warned:
            self.warned = True
            self._warn_to.write(f"careerbot: warning: history file {self.filename!s} cannot be used "
                                f"({exc.strerror or exc}); history is kept for this session only\n")

    def load_history_strings(self):
        try:
            yield from super().load_history_strings()
        except OSError as exc:
            self._warn(exc)

    def _make_folder(self) -> None:
        parent = Path(cast(str, self.filename)).parent  # set from str(filename) in __init__
        if not parent.exists():  # a parent that is a file is reported by open() as "Not a directory"
            parent.mkdir(parents=True)

    def check(self) -> None:
        """Warn now if the file cannot be written: before the first prompt is drawn, not over it."""
        try:
            self._make_folder()
            with open(self.filename, "ab"):
                pass
        except OSError as exc:
            self._warn(exc)

    def store_string(self, string: str) -> None:
        if self.warned:
            return  # already told: the history stays in memory
        try:
            self._make_folder()
            super().store_string(string)
        except OSError as exc:
            self._warn(exc)


class _Loading:
    """The bot of a chat, loaded on a thread once the first prompt is drawn: the asker types the first question
    while the knowledge base loads (importing and loading take most of a start-up), and :meth:`get` waits for it.

    A load that fails ends the prompt with its error, as a failure before the prompt would have.
    """

    def __init__(self, load: Callable[[], Bot]):
        self._load = load
        self._thread: threading.Thread | None = None
        self._bot: Bot | None = None
        self._error: BaseException | None = None
        self._completer: RoleCompleter | None = None

    def start(self, app: Application | None = None) -> None:
        """Start loading (once); a failure ends *app*'s prompt, when it is still waiting for a line."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(app,), name="careerbot-load", daemon=True)
            self._thread.start()

    def _run(self, app: Application | None) -> None:
        try:
            self._bot = self._load()
        except BaseException as exc:  # given to the main thread, which reports it as any start-up error
            self._error = exc
            loop = app.loop if app is not None else None
            if app is not None and loop is not None and not loop.is_closed():
                loop.call_soon_threadsafe(self._stop, app, exc)

    @staticmethod
    def _stop(app: Application, exc: BaseException) -> None:
        if app.is_running and app.future is not None and not app.future.done():
            app.exit(exception=exc)

    def get(self) -> Bot:
        """The bot, once loaded; raises what the load raised."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._bot is not None
        return self._bot

    def completer(self) -> Completer | None:
        """The names completer, once the bot is loaded (none before: typing never waits for the load)."""
        if self._completer is None and self._bot is not None:
            self._completer = RoleCompleter(_completer_words(self._bot))
        return self._completer


def run_repl(bot: Bot | None = None, *, load: Callable[[], Bot] | None = None, history_path: Path | None = None,
             input=None, output=None, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """The interactive chat with *bot*, or with the bot *load* gives: then the prompt is drawn first and the bot
    loaded behind it (:class:`_Loading`). *input* / *output* are prompt-toolkit objects (tests pass a pipe and a
    dummy)."""
    out = out or sys.stdout
    err = err or sys.stderr
    colour = out.isatty() and not os.environ.get("NO_COLOR")
    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    history = SafeFileHistory(history_path or data_dir() / "history", err)
    history.check()
    loading = None
    if bot is not None:
        completer: Completer = RoleCompleter(_completer_words(bot))
    elif load is not None:
        loading = _Loading(load)
        completer = DynamicCompleter(loading.completer)
    else:
        raise TypeError("run_repl() needs a bot or a function that loads one")
    prompt: PromptSession[str] = PromptSession(history=history, completer=completer, input=input, output=output)
    if loading is not None:
        prompt.app.after_render += lambda app: loading.start(app)
    session = bot.new_session() if bot is not None else None
    settings: dict = {"lang": None}
    out.write(textwrap.fill(WELCOME, width=width) + "\n")
    while True:
        try:
            line = prompt.prompt("vous › ")
        except KeyboardInterrupt:
            continue
        except EOFError:
            if loading is not None:
                loading.get()  # a load that failed is told, as it was before the prompt
            break
        if bot is None or session is None:
            assert loading is not None
            bot = loading.get()
            session = bot.new_session()
        text, quit_ = _respond(bot, line, session, width=width, colour=colour, settings=settings)
        if quit_:
            break
        if text is not None:
            out.write(text + "\n")
            out.flush()
    out.write("Au revoir !\n")
    return 0
