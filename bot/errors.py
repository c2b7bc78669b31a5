"""The one exception family careerbot raises; every message says what, where and how to fix."""

__all__ = ["CareerbotError", "KnowledgeError", "BatchFileError", "CareerbotWarning"]


class CareerbotError(Exception):
    """Base class of every error careerbot raises on purpose."""


class KnowledgeError(CareerbotError):
    """A knowledge or intent file is missing, malformed or inconsistent; start-up stops."""

    def __init__(self, file, entry, problem, fix):
        self.file = str(file)
        self.entry = entry
        self.problem = problem
        self.fix = fix
        where = f"{self.file}, {entry}" if entry else self.file
        super().__init__(f"{where}: {problem} — fix: {fix}")


class BatchFileError(CareerbotError):
    """A question file cannot be read at all, or the answer file cannot be written."""


class CareerbotWarning(UserWarning):
    """Something went wrong that careerbot worked around (a damaged cache file); it goes on."""
