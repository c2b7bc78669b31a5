"""careerbot: answers questions about sales careers (AE, AM, KAM, SDR, CSM…) from a cited knowledge base.

>>> from bot import Bot
>>> bot = Bot.load()
>>> print(bot.ask("combien gagne un KAM ?").text)   # doctest: +SKIP
"""

from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .answer import Answer
from .errors import BatchFileError, CareerbotError, CareerbotWarning, KnowledgeError

if TYPE_CHECKING:
    from .engine import MAX_QUESTION_CHARS, Bot, Session
    from .knowledge import Knowledge, load_knowledge

__all__ = [
    "Bot",
    "Answer",
    "Session",
    "Knowledge",
    "load_knowledge",
    "CareerbotError",
    "KnowledgeError",
    "BatchFileError",
    "CareerbotWarning",
    "MAX_QUESTION_CHARS",
    "__version__",
]


@lru_cache(maxsize=1)
def _version() -> str:
    """The installed package's version, read once from its metadata (importing importlib.metadata costs ~30 ms)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("careerbot")
    except PackageNotFoundError:  # a checkout used without installing (python main.py)
        return "0+unknown"


# The engine and the knowledge loader are imported when first asked for (``from bot import Bot``), not by every
# ``import bot.<module>``: the terminal chat draws its prompt before it loads them (see bot.repl).
_LAZY = {"Bot": ".engine", "Session": ".engine", "MAX_QUESTION_CHARS": ".engine", "Knowledge": ".knowledge",
         "load_knowledge": ".knowledge"}


def __getattr__(name: str) -> Any:
    # ``bot.__version__`` is looked up when asked for (``careerbot --version``), not at every start-up.
    if name == "__version__":
        return _version()
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
