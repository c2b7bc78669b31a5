"""careerbot: answers questions about sales careers (AE, AM, KAM, SDR, CSM…) from a cited knowledge base.

>>> from bot import Bot
>>> bot = Bot.load()
>>> print(bot.ask("combien gagne un KAM ?").text)   # doctest: +SKIP
"""

from functools import lru_cache

from .answer import Answer
from .engine import MAX_QUESTION_CHARS, Bot, Session
from .errors import BatchFileError, CareerbotError, CareerbotWarning, KnowledgeError
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


def __getattr__(name: str) -> str:
    # ``bot.__version__`` is looked up when asked for (``careerbot --version``), not at every start-up.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
