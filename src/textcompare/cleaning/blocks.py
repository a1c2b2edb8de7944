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
    page_block: int = -1  # the blank-line block of the page, before :func:`separate_paragraphs`

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


#: a short line cut off mid-word or mid-phrase ("... as Hurri...") is a truncated link, not a sentence
_TRUNCATED = re.compile(r"\w(?:\.\.\.|…)$")
TRUNCATED_MAX_WORDS = 20


@memo
def ends_like_sentence(text: str) -> bool:
    if _TRUNCATED.search(text) and word_count(text) <= TRUNCATED_MAX_WORDS:
        return False
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
    blocks = [[line for line in block.split("\n") if line] for block in text.split("\n\n")]
    if block_separator(blocks) == "\n":
        blocks = [[line] for lines in blocks for line in lines]
    for b, lines in enumerate(blocks):
        for i, line in enumerate(lines):
            units.append(Unit(index=len(units), block=b, line=i, text=line, block_size=len(lines)))
    return units


#: a page with at least this share of its lines in one block, paragraphs included, is single-newline separated
LARGEST_BLOCK_SHARE = 0.5


def block_separator(blocks: list[list[str]], share: float | None = None) -> str:
    """The page's block separator: ``"\n\n"`` (blank line) or ``"\n"`` (single newline).

    A scraped page separates its visible elements (menu, headline, byline,
    paragraphs, footer) with blank lines, so its largest block is a small part
    of it.  A page saved with single newlines is one block, or nearly: when
    its largest block holds at least *share* of the page's lines and two or
    more paragraph lines (see :func:`is_paragraph_line`), every line is a block.
    Blocks that keep several paragraphs inside a blank-line page are handled
    after labelling, by :func:`separate_paragraphs`.
    """
    share = LARGEST_BLOCK_SHARE if share is None else share
    total = sum(len(lines) for lines in blocks)
    if not total:
        return "\n\n"
    largest = max(blocks, key=len)
    paragraphs = sum(1 for line in largest if is_paragraph_line(line))
    return "\n" if len(largest) >= share * total and paragraphs >= 2 else "\n\n"


#: a line this long and sentence-shaped is a paragraph of its own (see :func:`separate_paragraphs`)
PARAGRAPH_MIN_WORDS = 6


@memo
def is_paragraph_line(text: str, min_words: int | None = None) -> bool:
    """A prose line long enough (default ``PARAGRAPH_MIN_WORDS``) to be a paragraph on its own."""
    return word_count(text) >= (PARAGRAPH_MIN_WORDS if min_words is None else min_words) and is_sentence_like(text)


def separate_paragraphs(units: list[Unit], min_words: int | None = None) -> None:
    """Detect each block's separator and renumber blocks in place.

    Pages scraped with single newlines between paragraphs arrive as one huge
    block.  A block holding two or more unlabelled paragraph-sized prose lines
    uses the single newline as its separator: each such line becomes a block
    of its own, and the runs of other lines between them stay grouped.  A
    block with at most one (caption + credit, date + byline) is kept whole.
    Run after labelling, so block-level rules (menus, teaser lists) still see
    the page's own blocks.
    """
    by_block: dict[int, list[Unit]] = {}
    for u in units:
        by_block.setdefault(u.block, []).append(u)
    split = {b for b, members in by_block.items()
             if sum(1 for u in members if u.reason is None and is_paragraph_line(u.text, min_words)) >= 2}
    block, prev_block, prev_alone = -1, None, False
    for u in units:
        alone = u.block in split and u.reason is None and is_paragraph_line(u.text, min_words)
        if u.block != prev_block or alone or prev_alone:
            block += 1
        prev_block, prev_alone = u.block, alone
        u.page_block, u.block = u.block, block


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


__all__ = ["Unit", "WORD", "word_count", "ends_like_sentence", "is_sentence_like", "is_short_label", "split_units", "join_units",
           "PARAGRAPH_MIN_WORDS", "LARGEST_BLOCK_SHARE", "block_separator", "is_paragraph_line", "separate_paragraphs"]
