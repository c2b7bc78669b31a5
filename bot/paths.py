"""Where careerbot keeps a user's files: history, ingested knowledge, the index cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["data_dir", "cache_dir", "bundled"]


def data_dir() -> Path:
    """$CAREERBOT_HOME, else the platform's per-user data folder (``~/.local/share/careerbot``)."""
    if os.environ.get("CAREERBOT_HOME"):
        return Path(os.environ["CAREERBOT_HOME"])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "careerbot"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "careerbot"


def cache_dir() -> Path:
    """Where built indexes are cached ($CAREERBOT_HOME/cache, else ``~/.cache/careerbot``)."""
    if os.environ.get("CAREERBOT_HOME"):
        return Path(os.environ["CAREERBOT_HOME"]) / "cache"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "careerbot" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "careerbot"


def bundled(name: str, marker: str) -> Path:
    """The folder *name* (``knowledge`` or ``intents``) shipped with careerbot.

    Installed, it sits inside the package (``bot/data/<name>``); in a checkout,
    beside ``bot/``. *marker* is a file the right folder holds.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "data" / name, package.parent / name):
        if (candidate / marker).is_file():
            return candidate
    return package.parent / name
