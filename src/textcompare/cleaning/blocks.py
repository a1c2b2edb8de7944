"""Splitting a normalised page into units, and the shape features of a unit.

A *block* is a blank-line separated chunk of the scraped page.  Scraped
blocks often glue several visible elements together with single newlines
(a caption and its credit, a date and a byline, a whole menu), so the unit
the cleaner classifies is one *line*; each line remembers its block so that
kept lines of one block are put back together in the body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .memo import memo

WORD = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Sentence end: terminal punctuation, optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？]['\"’”»)\]]*$")
_SENTENCE_START = re.compile(r"^['\"‘“«(\[—–-]?[\w]")
_INNER_PUNCT = re.compile(r"[,;:.!?…、，。]")


@dataclass
class Unit:
    """One line of the page with its position and cleaning state."""

    index: int  # position among all units of the page
    block: int  # index of the blank-line block it came from
    line: int  # position of the line inside its block
    text: str
    block_size: int = 1  # number of lines in its block
    reason: str | None = None  # removal label from the rules, if any
    strong: bool = False  # label is certain enough to remove it even inside the article
    barrier: bool = False  # marks the end/start of the article region (e.g. "Related stories")
    tags: set[str] = field(default_factory=set)

    @property
    def words(self) -> int:
        return word_count(self.text)

    @property
    def sentence_like(self) -> bool:
        return is_sentence_like(self.text)


@memo
def word_count(text: str) -> int:
    """Word count; CJK characters count as half a word each (no spaces there)."""
    cjk = len(_CJK.findall(text))
    words = len(WORD.findall(_CJK.sub(" ", text))) if cjk else len(WORD.findall(text))
    return words + cjk // 2


@memo
def ends_like_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


@memo
def is_sentence_like(text: str) -> bool:
    """Prose shape: a sentence ending, or long enough with inner punctuation."""
    n = word_count(text)
    if n == 0 or not _SENTENCE_START.match(text):
        return False
    if ends_like_sentence(text) and n >= 4:
        return True
    return n >= 25 and len(_INNER_PUNCT.findall(text)) >= 1


@memo
def is_short_label(text: str, max_words: int = 4) -> bool:
    """A short line with no sentence ending: menu entry, label, button."""
    return word_count(text) <= max_words and not ends_like_sentence(text)


def split_units(text: str) -> list[Unit]:
    """Split normalised text (see :func:`normalize_text`) into line units."""
    units: list[Unit] = []
    if not text:
        return units
    for b, block in enumerate(text.split("\n\n")):
        lines = [line for line in block.split("\n") if line]
        for i, line in enumerate(lines):
            units.append(Unit(index=len(units), block=b, line=i, text=line, block_size=len(lines)))
    return units


def join_units(units: list[Unit]) -> str:
    """Lines of the same block joined by a newline, blocks by one blank line."""
    out: list[str] = []
    prev_block = None
    for unit in units:
        if prev_block is not None and unit.block == prev_block:
            out[-1] += "\n" + unit.text
        else:
            out.append(unit.text)
        prev_block = unit.block
    return "\n\n".join(out)


__all__ = ["Unit", "WORD", "word_count", "ends_like_sentence", "is_sentence_like", "is_short_label", "split_units", "join_units"]
