"""The exception corridor raises for bad input or a failed run."""

from __future__ import annotations

from typing import Optional


class CorridorError(Exception):
    """A corridor error, with the text the ``corridor`` program prints after ``error:``.

    Errors about an input file carry its parts as attributes: ``path`` (the
    file), ``line`` (1-based, when the error points at one), ``field`` (the CSV
    column or dotted YAML key) and ``hint`` (what to do about it).
    """

    def __init__(
        self,
        message: str,
        *,
        path: Optional[str] = None,
        line: Optional[int] = None,
        field: Optional[str] = None,
        hint: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        self.hint = hint

    @property
    def location(self) -> Optional[str]:
        """``path:line`` (or just the path), as the message starts."""
        if self.path is None:
            return None
        return self.path if self.line is None else f"{self.path}:{self.line}"
