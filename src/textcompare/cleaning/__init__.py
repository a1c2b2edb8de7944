"""Cleaning scraped commentary: plain text or HTML in, article body plus a removal report out.

``clean_text`` works on pages scraped as plain text (every visible block,
blank-line separated); ``clean_html`` uses trafilatura on the original HTML.
Both return a :class:`CleanedText` whose ``body`` is the article's paragraphs
separated by exactly one blank line.  Removal reasons come from
:mod:`textcompare.cleaning.reasons`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as _dt

from . import reasons
from .reasons import REASONS


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
    #: the paywall or login message found on the page when only part of the article was
    #: saved (``None`` for a complete page); :func:`textcompare.add_article` refuses such
    #: a page unless ``allow_partial=True``
    paywall: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready form: ``{"title", "author", "date", "body", "removed": [{"text", "reason"}], "paywall"}``."""
        return {
            "title": self.title,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "body": self.body,
            "removed": [{"text": r.text, "reason": r.reason} for r in self.removed],
            "paywall": self.paywall,
        }


def clean_text(raw: str) -> CleanedText:
    """Clean a page scraped as plain text (blank-line separated blocks).

    Never raises on a ``str``; ``clean_text(clean_text(x).body).body`` equals
    ``clean_text(x).body``; the body is made of the input's lines, in order.
    """
    from .blocks import join_units
    from .pipeline import run

    if not isinstance(raw, str):
        raise TypeError(f"clean_text expects str, got {type(raw).__name__}")
    result = run(raw)
    return CleanedText(
        body=join_units(result.kept),
        title=result.title,
        author=result.author,
        date=result.date,
        removed=tuple(RemovedBlock(text, reason) for text, reason in result.removed),
        paywall=result.paywall,
    )


def clean_html(html: str | bytes) -> CleanedText:
    """Clean an HTML page: trafilatura for the main text and metadata."""
    from .html import clean_html as _clean_html

    return _clean_html(html)


__all__ = ["CleanedText", "RemovedBlock", "clean_text", "clean_html", "reasons", "REASONS"]
