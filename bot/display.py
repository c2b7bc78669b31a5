"""An answer as terminal text (wrapped, sources dimmed); kept apart from the chat so `careerbot ask` loads no prompt library."""

from __future__ import annotations

import textwrap

from .answer import Answer

__all__ = ["format_answer"]


_ALSO_ASK = {"fr": "Vous pouvez aussi demander : ", "en": "You could also ask: "}
"""The line before the suggestions, in the answer's language."""


def _style(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def format_answer(answer: Answer, *, width: int = 80, colour: bool = False) -> str:
    """*answer* as terminal text: wrapped to *width*, sources dimmed, suggestions listed."""
    lines: list[str] = []
    for para in answer.text.splitlines():
        if para.startswith(("Source : ", "Sources : ", "Source: ", "Sources: ")):
            lines.extend(_style(line, "2", colour) for line in textwrap.wrap(para, width=width, subsequent_indent="  "))
            continue
        stripped = para.lstrip()
        lead = para[:len(para) - len(stripped)]
        indent = lead + ("  " if stripped.startswith(("•", "—", "–", "⚠")) else "")
        lines.extend(textwrap.wrap(para, width=width, subsequent_indent=indent) or [""])
    if answer.suggestions:
        offer = _ALSO_ASK.get(answer.lang, _ALSO_ASK["fr"]) + " / ".join(answer.suggestions)
        lines.extend(_style(line, "36", colour) for line in textwrap.wrap(offer, width=width, subsequent_indent="  "))
    return "\n".join(lines)
