"""Finding the article: the densest contiguous run of prose units.

Each unit gets a score: prose lines score their word count, labelled
furniture and short label-like lines score negative, and end-of-article
markers ("Related stories", "Comments"...) are barriers.  The article is the
maximum-sum contiguous run (Kadane's algorithm), the plain-text analogue of
Finn et al.'s Body Text Extraction; short paragraphs inside the run survive
because the prose around them outweighs their small penalty.  The edges are
then trimmed (deck / standfirst directly under the title).

Written by hand because the density extractors that exist (jusText,
trafilatura, BTE implementations) all need HTML markup to compute density.
"""
from __future__ import annotations

from . import reasons as R
from .blocks import Unit, ends_like_sentence

BARRIER_SCORE = -1000.0  # comments, "back to top": the article never crosses these
SOFT_BARRIER_SCORE = -20.0  # "Related stories", "Read more": often inside the article (grouped CV choice)
SHORT_PENALTY = 4.0
LABEL_PENALTY = 10.0
DECK_MAX_WORDS = 60


def unit_score(unit: Unit) -> float:
    """Positive for prose, negative for furniture."""
    if unit.barrier:
        return BARRIER_SCORE if unit.reason in (R.COMMENTS, R.FOOTER) else SOFT_BARRIER_SCORE
    words = unit.words
    if "after-comments" in unit.tags:
        return -SHORT_PENALTY if unit.reason is None else -(LABEL_PENALTY + 0.5 * words)
    if "table" in unit.tags and unit.reason is None:
        return 1.0
    if unit.reason is not None:
        return -(LABEL_PENALTY + 0.5 * words) if unit.strong else -(SHORT_PENALTY + 0.25 * words)
    if "headline" in unit.tags:
        return -SHORT_PENALTY
    if unit.sentence_like:
        return float(words)
    if words >= 25 or (words >= 6 and 3 <= unit.block_size <= 10):  # list items, long lines without an ending
        return 0.3 * words
    return -SHORT_PENALTY


def best_run(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous run ``[start, end)`` (Kadane).  Empty input -> (0, 0)."""
    best, best_span = 0.0, (0, 0)
    current, start = 0.0, 0
    for i, s in enumerate(scores):
        if current <= 0:
            current, start = s, i
        else:
            current += s
        if current > best:
            best, best_span = current, (start, i + 1)
    return best_span


def trim_deck(units: list[Unit], start: int, end: int, title_idx: int | None) -> int:
    """Drop a standfirst: a short prose line right under the title, cut off from the
    article by furniture (byline, date, caption, label).  Returns the new start."""
    if title_idx is None or end - start < 3:
        return start
    first = units[start]
    between = units[title_idx + 1:start]
    if any(u.reason is None and u.sentence_like for u in between):
        return start
    if first.words > DECK_MAX_WORDS or not (first.sentence_like or first.words >= 8):
        return start
    nxt = units[start + 1]
    separated = nxt.reason is not None or (not nxt.sentence_like and nxt.words < 12)
    if not separated or nxt.page_block == first.page_block and nxt.reason is None:
        return start
    first.reason, first.strong = R.DECK, True
    # the article resumes at the next prose line
    for j in range(start + 1, end):
        if units[j].reason is None and units[j].sentence_like:
            return j
    return start


def fallback_reason(unit: Unit, position: str) -> str:
    """Reason for an unlabelled unit outside the article run.

    *position* is "head" (above the article, below the title), "top" (above
    the title) or "tail" (below the article).
    """
    if "menu" in unit.tags:
        return R.NAVIGATION
    short = not ends_like_sentence(unit.text) and unit.words <= 4
    if position == "head":
        return R.SECTION_LABEL if short else R.DECK if unit.sentence_like else R.BOILERPLATE
    if position == "top":
        return R.NAVIGATION if short else R.BOILERPLATE
    if short:
        return R.FOOTER
    return R.TEASER if not ends_like_sentence(unit.text) and unit.words <= 25 else R.BOILERPLATE


__all__ = ["unit_score", "best_run", "trim_deck", "fallback_reason"]
