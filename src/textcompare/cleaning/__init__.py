"""Cleaning scraped commentary: plain text or HTML in, article body plus a removal report out.

Placeholder contract (the real cleaner replaces the implementation, not the types).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as _dt


@dataclass(frozen=True)
class RemovedBlock:
    """One block the cleaner dropped, with the reason it was dropped."""

    text: str
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """The result of cleaning one scraped page."""

    body: str
    title: str | None = None
    author: str | None = None
    date: _dt.date | None = None
    removed: tuple[RemovedBlock, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        """JSON-ready form: ``{"title", "author", "date", "body", "removed": [{"text", "reason"}]}``."""
        return {
            "title": self.title,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "body": self.body,
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
        }


def clean_text(raw: str) -> CleanedText:
    """Placeholder: keep every non-empty block."""
    blocks = [b.strip() for b in raw.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return CleanedText(body="\n\n".join(blocks))


def clean_html(html: str) -> CleanedText:
    """Placeholder for the HTML path."""
    raise NotImplementedError


__all__ = ["CleanedText", "RemovedBlock", "clean_text", "clean_html"]
