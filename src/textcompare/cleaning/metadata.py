"""Title, author and date from the furniture around the article.

Hand-written because the metadata extractors that exist (htmldate,
trafilatura's metadata) read HTML meta tags; in scraped plain text the only
evidence is the visible head of the page: a headline-shaped line (often
repeated, or echoed in the ``Title - Site`` first line), a "By X" or
name-only line next to a date line, and the date stamp itself.
"""
from __future__ import annotations

import datetime as _dt
import re

from . import reasons as R
from .blocks import Unit, ends_like_sentence, word_count
from .memo import memo
from .rules import MONTHS, NAME_LINE

_WORD = re.compile(r"\w+")
_SITE_SUFFIX = re.compile(r"\s+(?:[-–—|:·•]|::)\s+[^-–—|]{1,40}$")
_MONTH_NUM = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE_MDY = re.compile(rf"\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?({MONTHS})\.?,?\s+(\d{{4}})\b", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")  # also "2020-01-07T10:30:00Z"
_BY_NAME = re.compile(
    r"^(?:[•·*|\-–—]\s*)?(?:by|written by|words by|reported by|posted by|author:?)\s*:?\s+(.+)$", re.I)
_NAME_STOP = re.compile(
    r"\s*(?:[|,;•·@(]|\s-\s|\s[-–—]\s|\b(?:updated|published|posted|on|at|in|for|and the|from)\b|\d).*$", re.I)


@memo
def comparable(text: str) -> str:
    """Casefolded words only, for comparing title candidates."""
    return " ".join(_WORD.findall(text.casefold()))


@memo
def strip_site_suffix(text: str) -> str:
    """'Headline - Site Name' -> 'Headline' (only the last separator)."""
    return _SITE_SUFFIX.sub("", text).strip()


@memo
def is_headline_shaped(text: str) -> bool:
    n = word_count(text)
    if not 2 <= n <= 30 or text.endswith((".", ":", ",", ";")) and not text.endswith("..."):
        return False
    return text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"'‘“«"


def find_title(units: list[Unit], run_start: int) -> tuple[str | None, list[int]]:
    """Return the title and the indices of every unit that repeats it.

    Preference: a headline-shaped line before the article that occurs twice (or
    echoes the ``Title - Site`` first line); else the nearest headline-shaped,
    unlabelled line above the article, skipping bylines, dates and captions.
    """
    head = units[:run_start]
    if not head:
        return None, []
    keys = [comparable(u.text) for u in head]
    stripped = [comparable(strip_site_suffix(u.text)) for u in head]
    title_idx = None
    for i in range(len(head) - 1, -1, -1):
        u = head[i]
        if not keys[i] or not is_headline_shaped(u.text) or word_count(u.text) < 3:
            continue
        if u.reason not in (None, R.SECTION_LABEL, R.DUPLICATE) or "menu" in u.tags:
            continue
        repeats = sum(1 for j in range(len(head)) if j != i and (keys[j] == keys[i] or stripped[j] == keys[i]))
        if repeats:
            title_idx = i
            break
    if title_idx is None:
        for i in range(len(head) - 1, max(-1, len(head) - 9), -1):
            u = head[i]
            if u.reason in (R.BYLINE, R.DATE_LINE, R.IMAGE_CAPTION, R.SHARE, R.ADVERTISEMENT) or "menu" in u.tags:
                continue
            if u.reason is None and is_headline_shaped(u.text) and word_count(u.text) >= 3 \
                    and not ends_like_sentence(u.text):
                title_idx = i
                break
    if title_idx is None:
        return None, []
    title = head[title_idx].text
    key = keys[title_idx]
    same = [j for j in range(len(head)) if keys[j] == key or stripped[j] == key]
    return title, same


def find_author(units: list[Unit], title_idx: int | None, run_start: int) -> str | None:
    """The first byline in the head of the page ("By X", or a name-only line near a date)."""
    start = title_idx if title_idx is not None else max(0, run_start - 12)
    for i in range(start, run_start):
        u = units[i]
        if u.reason != R.BYLINE:
            continue
        m = _BY_NAME.match(u.text)
        if m:
            name = _clean_name(m.group(1))
            if name:
                return name
            # "By" alone: the name is on the next line
            if i + 1 < len(units) and NAME_LINE.match(units[i + 1].text):
                return _clean_name(units[i + 1].text)
        elif "name" in u.tags:
            return _clean_name(u.text)
    return None


def _clean_name(text: str) -> str | None:
    text = re.sub(r"^[•·*|\-–—]\s*", "", text.strip())
    text = _NAME_STOP.sub("", text).strip(" ,;:-–—")
    m = NAME_LINE.match(text)
    if not m:
        # accept "NAME and NAME" shapes
        parts = re.split(r"\s+(?:and|&)\s+", text)
        if len(parts) > 1 and all(NAME_LINE.match(p) for p in parts):
            return " and ".join(p.strip() for p in parts)
        return None
    return m.group(1)


def parse_date(text: str) -> _dt.date | None:
    """First unambiguous calendar date in *text* (month names or ISO)."""
    candidates = []
    for rx, order in ((_DATE_MDY, "mdy"), (_DATE_DMY, "dmy"), (_DATE_ISO, "ymd")):
        m = rx.search(text)
        if m:
            candidates.append((m.start(), m, order))
    for _, m, order in sorted(candidates, key=lambda c: c[0]):
        try:
            if order == "mdy":
                return _dt.date(int(m.group(3)), _MONTH_NUM[m.group(1)[:3].lower()], int(m.group(2)))
            if order == "dmy":
                return _dt.date(int(m.group(3)), _MONTH_NUM[m.group(2)[:3].lower()], int(m.group(1)))
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except (ValueError, KeyError):
            continue
    return None


def find_date(units: list[Unit], title_idx: int | None, run_start: int) -> _dt.date | None:
    """The date stamp of the article: first parsable date after the title, else nearest above."""
    if title_idx is not None:
        for u in units[title_idx:run_start]:
            if u.reason in (R.DATE_LINE, R.BYLINE, None):
                d = parse_date(u.text)
                if d:
                    return d
    for u in reversed(units[max(0, run_start - 15):run_start]):
        if u.reason in (R.DATE_LINE, R.BYLINE):
            d = parse_date(u.text)
            if d:
                return d
    return None


__all__ = ["comparable", "strip_site_suffix", "is_headline_shaped", "find_title", "find_author", "parse_date", "find_date"]
