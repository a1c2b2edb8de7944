"""Scraper metadata lines at the top of a page (``date 2020-01-07``, ``Title: ...``).

Scrapers and reader tools often write the fields they found above the page
text: ``Title: ...``, ``URL Source: https://...``, ``Published Time: ...``,
``date 2020-01-07``.  These lines are not the article; they are removed with
the reason ``scraper metadata``, and their title, author and date are read
(an explicit field beats anything guessed from the page furniture).

Only a contiguous run of such lines from the very first line counts, and a
line needs a known field name followed by a colon or ``=`` -- or, without
one, a value of the right shape (a date after a date field, an address after
an address field) -- so the article's own first sentence is never taken.
Hand-written: no library parses these ad-hoc headers.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from . import reasons as R
from .blocks import Unit, word_count

_TITLE_KEYS = r"title|headline"
_DATE_KEYS = (r"publish(?:ed)?[ _-]?(?:date|time|at|on)|publication[ _-]?date|pub[ _-]?date|date[ _-]?published|"
              r"last[ _-]?modified|posted[ _-]?on|date|published|updated|modified|posted")  # longest first
_AUTHOR_KEYS = r"authors?|byline|creator|writer"
_URL_KEYS = r"url[ _-]?source|source[ _-]?url|canonical[ _-]?url|url|link|canonical|permalink|href"
_FETCH_KEYS = r"fetch[ _-]?date|fetched|retrieved|accessed|scraped|crawled|downloaded|saved|captured|archived"
_OTHER_KEYS = (r"site[ _-]?name|doc[ _-]?id|word[ _-]?count|markdown[ _-]?content|content[ _-]?type|source|site|outlet|"
               r"publisher|publication|language|lang|section|categories|category|tags|keywords|id|encoding|license|"
               r"domain|hostname|type|format")
_KEY = re.compile(
    rf"^\s*(?:[#*>\-]\s*)?\**((?:{_TITLE_KEYS}|{_DATE_KEYS}|{_AUTHOR_KEYS}|{_URL_KEYS}|{_FETCH_KEYS}|{_OTHER_KEYS})"
    r"(?![\w-]))\**"
    r"\s*(?:(:|=)\s*(.*)|\s+(\S.*))$",
    re.IGNORECASE,
)
_URL_VALUE = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
_DATE_VALUE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$")
MAX_PREFIX_LINES = 12
MAX_VALUE_WORDS = 30  # a title or a list of tags; longer is article text
MAX_OTHER_WORDS = 12  # "Source: ...", "Section: ..." values are a name, not a sentence


@dataclass(frozen=True)
class Prefix:
    """Fields read from the scraper's metadata lines."""

    title: str | None = None
    author: str | None = None
    date: _dt.date | None = None
    url: str | None = None


def field_of(line: str) -> tuple[str, str] | None:
    """``(kind, value)`` of a scraper metadata line, kind one of title/date/author/url/fetched/other.

    ``None`` when the line is not one.
    """
    from .metadata import parse_date

    m = _KEY.match(line)
    if not m:
        return None
    key = m.group(1).lower()
    value = (m.group(3) if m.group(2) else m.group(4) or "").strip().strip("*").strip()
    if word_count(value) > MAX_VALUE_WORDS:
        return None
    kind = next(k for k, rx in (("title", _TITLE_KEYS), ("date", _DATE_KEYS), ("author", _AUTHOR_KEYS),
                                ("url", _URL_KEYS), ("fetched", _FETCH_KEYS), ("other", _OTHER_KEYS))
                if re.fullmatch(rx, key, re.IGNORECASE))
    if kind == "other" and word_count(value) > MAX_OTHER_WORDS:
        return None
    if m.group(2):  # "Key: value" / "key = value"
        return kind, value
    # no separator: only a value of the right shape ("date 2020-01-07", "url https://...")
    if kind in ("date", "fetched") and (_DATE_VALUE.match(value) or parse_date(value) and word_count(value) <= 8):
        return kind, value
    if kind == "url" and _URL_VALUE.match(value):
        return kind, value
    return None


def mark_prefix(units: list[Unit]) -> Prefix:
    """Label the leading scraper metadata lines (strong) and return their fields."""
    from .metadata import parse_date

    fields: dict[str, str] = {}
    for u in units[:MAX_PREFIX_LINES]:
        found = field_of(u.text)
        if found is None:
            break
        kind, value = found
        u.reason, u.strong, u.barrier = R.SCRAPER_METADATA, True, False
        u.tags.add("prefix")
        if value and kind not in fields:
            fields[kind] = value
    date = parse_date(fields["date"]) if "date" in fields else None
    return Prefix(title=fields.get("title") or None, author=fields.get("author") or None, date=date,
                  url=fields.get("url") or None)


__all__ = ["Prefix", "field_of", "mark_prefix", "MAX_PREFIX_LINES"]
