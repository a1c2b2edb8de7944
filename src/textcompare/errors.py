"""Errors a user can act on: each names the file (if any), the problem and the fix."""
from __future__ import annotations

import os


class TextcompareError(Exception):
    """Base class for errors shown to users as one line, never as a traceback."""

    def __init__(self, problem: str, *, path: str | os.PathLike[str] | None = None, fix: str | None = None):
        self.problem = problem
        self.path = None if path is None else os.fspath(path)
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.path}: {self.problem}" if self.path else self.problem
        return f"{text} ({self.fix})" if self.fix else text


class InputError(TextcompareError):
    """A file or argument given by the user cannot be used."""


class CorpusError(TextcompareError):
    """The corpus directory or its manifest is missing or inconsistent."""


class ModelNotFoundError(TextcompareError):
    """No usable spaCy pipeline is installed."""
