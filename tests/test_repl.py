"""The terminal chat: the real prompt-toolkit REPL driven through a pipe, its completer, and how answers are laid out."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace

import pytest
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from bot import MAX_QUESTION_CHARS, Answer
from bot.repl import COMMANDS, WELCOME, RoleCompleter, _completer_words, format_answer, run_repl

KAM_SOURCE = "004_8b581f9a927034e0.txt"
KAM_TITLE = "Fiche métier : Key account manager"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"  # what a terminal sends around pasted text
UP = "\x1b[A"


class Recording:
    """The bot, remembering every question the REPL actually asked."""

    def __init__(self, bot):
        self.bot = bot
        self.asked: list[str] = []

    def __getattr__(self, name):
        return getattr(self.bot, name)

    def ask(self, text, session=None, *, lang=None):
        self.asked.append(text)
        return self.bot.ask(text, session)


def chat(bot, keys: str, *, history_path) -> tuple[int, str, str, list[str]]:
    """Type *keys* into run_repl; returns (exit code, what it printed, its warnings, the questions it asked)."""
    recording = Recording(bot)
    out, err = io.StringIO(), io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        code = run_repl(recording, history_path=history_path, input=pipe, output=DummyOutput(), out=out, err=err)
    return code, out.getvalue(), err.getvalue(), recording.asked


@pytest.fixture
def history(tmp_path):
    """A history file path in a fresh folder (not created yet)."""
    return tmp_path / "home" / "history"


def test_question_is_answered_with_figures_and_source(bot, history):
    """A typed question gets the KAM salary and its source; Ctrl-D then ends the chat with exit code 0."""
    code, out, err, asked = chat(bot, "combien gagne un KAM ?\r\x04", history_path=history)
    assert code == 0 and err == ""
    assert asked == ["combien gagne un KAM ?"]
    assert "60 000" in out and KAM_TITLE in out
    assert out.rstrip().endswith("Au revoir !")


def test_a_bot_loaded_behind_the_prompt_answers_as_one_given(bot, history):
    """On a terminal the chat draws its prompt, then loads the bot (run_repl's *load*): the first line waits for it
    and is answered the same; the names completer comes once it is loaded."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("combien gagne un KAM ?\r\x04")
        code = run_repl(load=lambda: Recording(bot), history_path=history, input=pipe, output=DummyOutput(), out=out,
                        err=io.StringIO())
    assert code == 0
    assert "60 000" in out.getvalue() and KAM_TITLE in out.getvalue()
    assert out.getvalue().rstrip().endswith("Au revoir !")


@pytest.mark.parametrize("keys", ["combien gagne un KAM ?\r", "\x04"], ids=["question", "ctrl-d"])
def test_a_load_that_fails_behind_the_prompt_is_raised(history, keys):
    """A knowledge base that cannot be loaded ends the chat with its error (told by the command line as any
    start-up error), whether a question was typed or the chat was left at once."""
    from bot import KnowledgeError

    def load():
        raise KnowledgeError("sources.toml", None, "not valid TOML", "fix the syntax")

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with pytest.raises(KnowledgeError, match="not valid TOML"):
            run_repl(load=load, history_path=history, input=pipe, output=DummyOutput(), out=io.StringIO(),
                     err=io.StringIO())


@pytest.mark.parametrize("keys, expected", [
    ("combien gagne un KAM ?\r/sources\r", f"Sources de la dernière réponse :\n  « {KAM_TITLE} » ({KAM_SOURCE})\n"),
    ("/sources\r", "La dernière réponse ne cite aucune source."),
    ("/aide\r", "Commandes :"),
    ("/help\r", "Commandes :"),
    ("/reset\r", "Contexte oublié : nouvelle conversation."),
    ("/dance\r", "Commande inconnue : /dance. Tapez /aide."),
], ids=["sources", "sources-before-any-answer", "aide", "help-alias", "reset", "unknown-command"])
def test_commands_print_their_text_and_ask_nothing(bot, history, keys, expected):
    """Each /command prints its text; no command is sent to the bot as a question."""
    code, out, _, asked = chat(bot, keys + "\x04", history_path=history)
    assert code == 0
    assert expected in out
    assert all(not q.startswith("/") for q in asked)


def test_help_lists_every_command(bot, history):
    """/aide names every command the REPL knows."""
    _, out, _, _ = chat(bot, "/aide\r\x04", history_path=history)
    assert all(command in out for command in COMMANDS)


@pytest.mark.parametrize("between, follow_up_is_kam_salary", [("", True), ("/reset\r", False)],
                         ids=["follow-up", "after-reset"])
def test_follow_up_uses_the_conversation_until_reset(bot, history, between, follow_up_is_kam_salary):
    """"et combien il gagne ?" after a KAM question is the KAM salary — unless /reset came in between."""
    _, out, _, asked = chat(bot, f"c'est quoi un KAM ?\r{between}et combien il gagne ?\r\x04", history_path=history)
    assert asked == ["c'est quoi un KAM ?", "et combien il gagne ?"]
    assert ("Key Account Manager (KAM) — le salaire" in out) is follow_up_is_kam_salary


@pytest.mark.parametrize("quit_keys", ["/quitter\r", "/q\r", "\x04"], ids=["quitter", "q", "ctrl-d"])
def test_quitting_stops_before_the_next_line(bot, history, quit_keys):
    """/quitter, /q and Ctrl-D end the chat: what is typed afterwards is never asked."""
    code, out, _, asked = chat(bot, f"{quit_keys}combien gagne un KAM ?\r\x04", history_path=history)
    assert code == 0
    assert asked == []
    assert out.rstrip().endswith("Au revoir !")


def test_ctrl_c_cancels_the_line_and_the_chat_goes_on(bot, history):
    """Ctrl-C drops the half-typed line (never asked); the next question is answered."""
    code, out, _, asked = chat(bot, "salaire d'un SD\x03combien gagne un KAM ?\r\x04", history_path=history)
    assert code == 0
    assert asked == ["combien gagne un KAM ?"]
    assert "60 000" in out


def test_pasted_long_line_is_answered_with_the_truncation_notice(bot, history):
    """A pasted 10,000-character line is answered, and the answer says only the first characters were read."""
    pasted = ("combien gagne un KAM ? " * 500)[:10_000]
    code, out, _, asked = chat(bot, f"{PASTE_START}{pasted}{PASTE_END}\r\x04", history_path=history)
    assert code == 0
    assert [len(q) for q in asked] == [10_000]
    assert f"dépassait {MAX_QUESTION_CHARS} caractères" in " ".join(out.split())
    assert "Key Account Manager (KAM) — le salaire" in out


def test_history_is_kept_between_chats(bot, history):
    """The question is saved in the history file (its folder is created), and Up recalls it in the next chat."""
    chat(bot, "combien gagne un KAM ?\r\x04", history_path=history)
    assert "combien gagne un KAM ?" in history.read_text(encoding="utf-8")
    _, _, _, asked = chat(bot, f"{UP}\r\x04", history_path=history)
    assert asked == ["combien gagne un KAM ?"]


def test_unusable_history_file_warns_once_and_the_chat_goes_on(bot, tmp_path):
    """A history path under a regular file gives one warning on err; every question is still answered."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    code, out, err, asked = chat(bot, "combien gagne un KAM ?\rc'est quoi un SDR ?\r\x04",
                                 history_path=blocker / "history")
    assert code == 0
    assert len(asked) == 2
    assert "60 000" in out and "Sales Development Representative" in out
    lines = err.splitlines()
    assert len(lines) == 1
    assert re.fullmatch(r"careerbot: warning: history file .*not-a-folder/history cannot be used \(.+\); "
                        r"history is kept for this session only", lines[0])


class Screen(DummyOutput):
    """A prompt-toolkit output that notes in *events* each time the prompt is drawn."""

    def __init__(self, events: list[str]):
        super().__init__()
        self.events = events

    def write(self, data: str) -> None:
        self.events.append("prompt")

    write_raw = write


class Log(io.StringIO):
    """Standard error that notes in *events* each time careerbot writes to it."""

    def __init__(self, events: list[str]):
        super().__init__()
        self.events = events

    def write(self, text: str) -> int:
        self.events.append("warning")
        return super().write(text)


def test_the_history_warning_comes_before_the_first_prompt(bot, tmp_path):
    """With a history file that cannot be written (a read-only home), the warning is printed before the prompt is
    drawn, so it never overwrites the prompt line."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    events: list[str] = []
    with create_pipe_input() as pipe:
        pipe.send_text("combien gagne un KAM ?\r\x04")
        run_repl(bot, history_path=blocker / "history", input=pipe, output=Screen(events), out=io.StringIO(),
                 err=Log(events))
    assert events.count("warning") == 1
    assert events.index("warning") < events.index("prompt")


def test_the_welcome_banner_is_wrapped_to_the_terminal_width(bot, history, monkeypatch):
    """On a 50-column terminal the banner is broken between words, never inside one."""
    monkeypatch.setenv("COLUMNS", "50")
    _, out, _, _ = chat(bot, "\x04", history_path=history)
    banner = out.split("Au revoir")[0].splitlines()
    assert max(len(line) for line in banner) <= 50
    assert " ".join(banner).split() == WELCOME.split()


# --- completion -----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def completer(bot) -> RoleCompleter:
    """The completer the REPL builds from the bundled knowledge."""
    return RoleCompleter(_completer_words(bot))


def completions(completer: RoleCompleter, text: str) -> list[tuple[str, int]]:
    """(text, start position) of each completion offered with the cursor at the end of *text*."""
    return [(c.text, c.start_position) for c in completer.get_completions(Document(text), None)]


@pytest.mark.parametrize("typed, offered, replaced", [
    ("key", "Key Account Manager", 3),
    ("combien gagne un key", "Key Account Manager", 3),
    ("Key acc", "Key Account Manager", 7),
    ("ké", "Key Account Manager", 2),
    ("c'est quoi le pipe cov", "pipe coverage", 8),
    ("/so", "/sources", 3),
    ("/q", "/quitter", 2),
])
def test_completer_offers_names_and_commands(completer, typed, offered, replaced):
    """Role names, terms (even spanning words) and commands are offered, replacing what was typed of them."""
    assert (offered, -replaced) in completions(completer, typed)


def test_completer_continues_a_name_spanning_words_not_its_last_word(completer):
    """After "Key acc" only the KAM is offered, not "Account Executive" in place of "acc"."""
    assert [text for text, _ in completions(completer, "Key acc")] == ["Key Account Manager"]


def test_completer_offers_each_name_once(completer):
    """A name and its identical alias ("Key Account Manager" / "key account manager") are offered once."""
    texts = [text.lower() for text, _ in completions(completer, "key")]
    assert len(texts) == len(set(texts)) == 1


def test_slash_lists_every_command(completer):
    """A lone "/" offers all the commands."""
    assert {text for text, _ in completions(completer, "/")} == set(COMMANDS)


@pytest.mark.parametrize("typed", ["", "combien gagne un ", "sdr", "zzz"], ids=["empty", "after-space", "complete", "unknown"])
def test_completer_offers_nothing_when_nothing_fits(completer, typed):
    """Nothing typed, a finished word, a complete name or an unknown word: no completion."""
    assert completions(completer, typed) == []


def test_completer_stays_fast_at_the_end_of_a_long_line(completer):
    """Completing at the end of a 10,000-character line looks at its end only (it runs at every key press)."""
    line = "mot " * 2500 + "key acc"
    start = time.perf_counter()
    for _ in range(100):
        offered = completions(completer, line)
    assert offered == [("Key Account Manager", -7)]
    assert time.perf_counter() - start < 0.5


# --- layout ---------------------------------------------------------------------------------------------------------

LONG = Answer(
    text=("Key Account Manager (KAM) — le salaire :\n"
          "Les salaires du KAM sont élevés et se placent vite parmi les meilleurs de la fonction commerciale.\n"
          "• France, moyenne : 60 000 € ; part variable 26 % (moyenne) (annuel, brut) [004]\n"
          "  ⚠ L'encadré présente 28k - 60k € comme un salaire moyen, alors que le texte dit autre chose.\n"
          "Sources : 001_6c24a15a064cfcee.txt, 002_b5920f58448e636b.txt, 004_8b581f9a927034e0.txt"),
    intent="salary", role="kam", sources=("004_8b581f9a927034e0.txt",),
    suggestions=("Combien gagne un Key Account Manager ?", "Quelle différence entre un Account Executive et un SDR ?"),
)


@pytest.mark.parametrize("width", [40, 60, 80])
def test_format_answer_wraps_every_line_to_the_width(width):
    """No line is longer than the width — text, bullets, sources and suggestions alike — and no word is lost."""
    text = format_answer(LONG, width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert text.split() == (LONG.text + "\nVous pouvez aussi demander : " + " / ".join(LONG.suggestions)).split()


def test_format_answer_indents_bullet_continuations():
    """A wrapped bullet continues under its text, not under the bullet."""
    lines = format_answer(LONG, width=40).splitlines()
    bullet = next(i for i, line in enumerate(lines) if line.startswith("• France"))
    assert lines[bullet + 1].startswith("  ") and not lines[bullet + 1].startswith("  •")


def test_format_answer_lists_the_suggestions_after_the_answer():
    """The suggestions follow the answer, each one named."""
    text = format_answer(LONG, width=200)
    offer = text.splitlines()[-1]
    assert offer.startswith("Vous pouvez aussi demander : ")
    assert all(s in offer for s in LONG.suggestions)


def test_an_english_answer_offers_its_suggestions_in_english():
    """The line before the suggestions follows the answer's language."""
    english = replace(LONG, lang="en", suggestions=("How much does a KAM earn?",))
    assert format_answer(english, width=200).splitlines()[-1] == "You could also ask: How much does a KAM earn?"


def test_format_answer_without_suggestions_has_no_offer(bot):
    """An answer with no suggestions ends with its sources."""
    answer = bot.ask("combien gagne un KAM ?")
    assert not answer.suggestions
    assert format_answer(answer).splitlines()[-1] == f"Source : « {KAM_TITLE} » (004)"


@pytest.mark.parametrize("colour", [False, True])
def test_format_answer_colours_only_when_asked(colour):
    """ANSI colour codes appear only with colour=True (sources dimmed, suggestions in cyan)."""
    text = format_answer(LONG, width=60, colour=colour)
    assert ("\x1b[" in text) is colour
    if colour:
        assert "\x1b[2mSources : " in text and "\x1b[36mVous pouvez aussi demander" in text
