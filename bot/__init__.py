"""careerbot: answers questions about sales careers (AE, AM, KAM, SDR, CSM…) from a cited knowledge base.

>>> from bot import Bot
>>> bot = Bot.load()
>>> print(bot.ask("combien gagne un KAM ?").text)   # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("careerbot")
except PackageNotFoundError:  # a checkout used without installing (python main.py)
    __version__ = "0+unknown"

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
