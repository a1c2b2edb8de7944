"""The plain-text cleaner as a sequence of small named steps.

normalize -> split_units -> label_units -> find_run -> find_title/deck ->
metadata -> assemble.  :func:`clean_text` repeats the pass on its own output
until the body no longer changes (each pass only removes lines, so this ends),
which makes the cleaner idempotent by construction.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from . import reasons as R
from .blocks import Unit, join_units, separate_paragraphs, split_units
from .memo import clear_memos
from .metadata import comparable, find_author, find_date, find_title
from .normalize import normalize_text
from .prefix import mark_prefix
from .rules import label_units
from .segment import best_run, fallback_reason, trim_deck, unit_score

MAX_PASSES = 8


@dataclass
class PassResult:
    kept: list[Unit]
    removed: list[tuple[str, str]]  # (text, reason), blocks merged
    title: str | None
    author: str | None
    date: _dt.date | None
    paywall: str | None = None  # the paywall/login line, when only part of the article was saved


def find_run(units: list[Unit]) -> tuple[int, int]:
    """Step: the article run ``[start, end)`` by maximum-sum of unit scores."""
    return best_run([unit_score(u) for u in units])


def mark_titles(units: list[Unit], same: list[int], title: str | None) -> None:
    """Step: the title line(s) and every repeat of the title anywhere on the page."""
    if not title:
        return
    key = comparable(title)
    first = True
    for u in units:
        if u.index in same or comparable(u.text) == key:
            u.reason, u.strong = (R.TITLE if first else R.REPEATED_TITLE), True
            first = False


def assemble(units: list[Unit], start: int, end: int, title_idx: int | None) -> tuple[list[Unit], list[tuple[str, str]]]:
    """Step: keep unlabelled / weakly labelled lines inside the run, report the rest."""
    kept: list[Unit] = []
    removed: list[tuple[int, str, str]] = []  # (block, text, reason)
    for u in units:
        inside = start <= u.index < end
        if inside and not (u.reason is not None and u.strong):
            kept.append(u)
            continue
        if u.reason is not None:
            reason = u.reason
        elif inside:
            reason = R.BOILERPLATE
        elif u.index >= end:
            reason = fallback_reason(u, "tail")
        elif title_idx is not None and u.index > title_idx:
            reason = fallback_reason(u, "head")
        else:
            reason = fallback_reason(u, "top")
        if removed and removed[-1][0] == u.page_block and removed[-1][2] == reason:
            removed[-1] = (u.page_block, removed[-1][1] + "\n" + u.text, reason)
        else:
            removed.append((u.page_block, u.text, reason))
    return kept, [(text, reason) for _, text, reason in removed]


def clean_pass(text: str) -> PassResult:
    """One full pass over normalised text."""
    units = split_units(text)
    if not units:
        return PassResult([], [], None, None, None)
    label_units(units)
    prefix = mark_prefix(units)
    separate_paragraphs(units)
    start, end = find_run(units)
    title, same = find_title(units, start)
    title_idx = max((i for i in same if i < start), default=None)
    mark_titles(units, same, title)
    if title_idx is not None:
        start = trim_deck(units, start, end, title_idx)
    author = prefix.author or find_author(units, title_idx, start)
    date = prefix.date or find_date(units, title_idx, start)
    kept, removed = assemble(units, start, end, title_idx)
    return PassResult(kept, removed, title or prefix.title, author, date, find_paywall(units, start, kept))


#: a body shorter than this next to a paywall/login line anywhere on the page is partial
PARTIAL_MAX_WORDS = 150


def find_paywall(units: list[Unit], start: int, kept: list[Unit]) -> str | None:
    """Step: the paywall/login line showing that only part of the article was saved.

    A paywall line after the start of the article (where the text is cut off),
    or one above it on a page whose body is shorter than ``PARTIAL_MAX_WORDS``
    words.  An "Already a subscriber? Log in" link above the article does not
    count: site headers carry it on full articles too.
    """
    from .rules import is_account_link

    lines = [u for u in units if u.reason == R.PAYWALL]
    after = [u for u in lines if u.index >= start]
    if after:
        return after[0].text
    above = [u for u in lines if not is_account_link(u.text)]
    if above and sum(u.words for u in kept) < PARTIAL_MAX_WORDS:
        return above[0].text
    return None


def run(raw: str) -> PassResult:
    """Normalise, then clean until the body is stable (idempotence)."""
    clear_memos()
    try:
        return _run(raw)
    finally:
        clear_memos()


def _run(raw: str) -> PassResult:
    text = normalize_text(raw)
    result = clean_pass(text)
    removed = list(result.removed)
    body = join_units(result.kept)
    for _ in range(MAX_PASSES):
        again = clean_pass(normalize_text(body))
        new_body = join_units(again.kept)
        if new_body == body:
            break
        removed.extend(again.removed)
        body = new_body
    result.removed = removed
    result.kept = split_units(normalize_text(body))
    return result


__all__ = ["PassResult", "find_run", "mark_titles", "assemble", "clean_pass", "run", "MAX_PASSES", "find_paywall", "PARTIAL_MAX_WORDS"]
