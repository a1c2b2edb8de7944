"""Context rules: labels that depend on a line's neighbours, not only its text.

- teaser lists: headline-shaped lines right after a "Related stories" /
  "Most read" marker, and the unfinished lines right before a "Read more"
  link, are related-article teasers;
- headline + blurb lines ("Title Case Headline Words A normal sentence...")
  are teasers from a link list, recognised by capitalised function words;
- table rows (several numbers per line) are content, not menus;
- prose after a comments marker is discounted (reader comments).

Hand-written for the same reason as :mod:`.rules`: plain text carries no
markup, so the neighbourhood is the only structure left.
"""
from __future__ import annotations

import re

from . import reasons as R
from .blocks import WORD, Unit, ends_like_sentence, word_count
from .memo import memo

_FUNCTION_WORDS = frozenset(
    "in to of at for with on after from by and or the a an is are be as into over than that this its "
    "your not up out about vs how why what who".split()
)
_TOKEN = re.compile(r"[\"'‘“(]*([\w’'-]+)[\"'’”),;:!?.]*")
_NUMBER = re.compile(r"^\d[\d.,:%]*$")
_AFTER_BREAK = re.compile(r"[.:!?\"“‘—–|]\W*$")  # the previous token ends a sentence/clause
_READ_MORE = re.compile(r"^(?:read more|read next|keep reading|continue reading|show less)|^more\W*$", re.I)


@memo
def capitalised_function_words(text: str, limit: int = 14) -> int:
    """How many function words are capitalised mid-line (headline Title Case)."""
    count = 0
    prev = ""
    for i, m in enumerate(_TOKEN.finditer(text)):
        if i >= limit:
            break
        word = m.group(1)
        if i > 0 and word[:1].isupper() and word.lower() in _FUNCTION_WORDS and not word.isupper() \
                and not _AFTER_BREAK.search(prev):
            count += 1
        prev = m.group(0)
    return count


@memo
def is_title_case(text: str) -> bool:
    """Most longer words capitalised, as in a headline."""
    words = [w for w in WORD.findall(text)[1:] if len(w) >= 4 and not w.isdigit()]
    if len(words) < 3:
        return False
    return sum(1 for w in words if w[:1].isupper()) >= 0.8 * len(words)


@memo
def is_headline(text: str) -> bool:
    """A headline-shaped line: Title Case, no sentence ending, not too long."""
    n = word_count(text)
    return 3 <= n <= 25 and not ends_like_sentence(text) and (
        is_title_case(text) or capitalised_function_words(text) >= 2)


@memo
def is_headline_blurb(text: str) -> bool:
    """A teaser glued together: 'Title Case Headline With Function Words' + a sentence."""
    return word_count(text) >= 15 and capitalised_function_words(text, limit=12) >= 2


@memo
def has_title_case_prefix(text: str, size: int = 5) -> bool:
    """The line opens like a headline: (nearly) every one of its first words capitalised."""
    words = [m.group(1) for m in _TOKEN.finditer(text) if not m.group(1)[:1].isdigit()][:size]
    if len(words) < size:
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps == size or (caps >= size - 1 and capitalised_function_words(text, limit=size + 2) >= 1)


def mark_teaser_blocks(units: list[Unit]) -> None:
    """A block of several lines, most of them opening like headlines, is a link list."""
    blocks: dict[int, list[Unit]] = {}
    for u in units:
        blocks.setdefault(u.block, []).append(u)
    for members in blocks.values():
        if len(members) < 3:
            continue
        heads = sum(1 for u in members if has_title_case_prefix(u.text) and not u.text.isupper())
        if heads >= 0.5 * len(members) and heads >= 2:
            for u in members:
                if u.reason is None:
                    u.reason, u.strong = R.TEASER, True


@memo
def is_table_row(text: str) -> bool:
    tokens = text.split()
    numbers = sum(1 for t in tokens if _NUMBER.match(t))
    return len(tokens) >= 4 and numbers >= 3 and numbers >= 0.4 * len(tokens)


def mark_headlines(units: list[Unit]) -> None:
    """Weak label for headline-shaped lines, strong for headline+blurb lines."""
    for u in units:
        if u.reason is not None:
            continue
        if is_headline_blurb(u.text):
            u.reason, u.strong = R.TEASER, True
        elif is_headline(u.text):
            u.tags.add("headline")
        if is_table_row(u.text):
            u.tags.add("table")


def mark_teaser_lists(units: list[Unit]) -> None:
    """Lines around teaser markers are teasers."""
    for i, u in enumerate(units):
        if u.reason != R.TEASER or not (u.barrier or _READ_MORE.match(u.text) or u.words <= 4):
            continue
        # after the marker: headline-shaped / unfinished lines, up to the next prose line
        for v in units[i + 1:i + 12]:
            if v.reason is not None:
                if v.reason in (R.TEASER, R.IMAGE_CAPTION, R.ADVERTISEMENT):
                    continue
                break
            if "headline" in v.tags or (not ends_like_sentence(v.text) and v.words <= 25):
                v.reason, v.strong = R.TEASER, True
            else:
                break
        # before a "read more" link: the teaser's blurb, back to its headline or label
        if _READ_MORE.match(u.text):
            mark_teaser_before(units, i)


def mark_teaser_before(units: list[Unit], i: int, max_back: int = 4, max_words: int = 100) -> None:
    """Units before a "Read more" marker, back to the nearest headline/label, are a teaser."""
    span: list[Unit] = []
    for v in reversed(units[max(0, i - max_back):i]):
        if v.reason is not None and v.reason != R.TEASER or v.words > max_words:
            break
        if v.reason == R.TEASER or "headline" in v.tags or (v.words <= 6 and not ends_like_sentence(v.text)):
            for w in span:
                w.reason, w.strong = R.TEASER, True
            return
        span.append(v)
    # no headline found: only unfinished lines directly before the marker
    for v in span:
        if ends_like_sentence(v.text):
            break
        v.reason, v.strong = R.TEASER, True


#: two consecutive long lines opening with this many identical words repeat each other
REPEAT_PREFIX_WORDS = 15


def mark_repeated_lines(units: list[Unit], max_words: int = 25, window: int = 8) -> None:
    """A short line repeated within a few lines is a teaser (linked image + linked headline)."""
    last_seen: dict[str, int] = {}
    for i, u in enumerate(units):
        key = " ".join(WORD.findall(u.text.casefold()))
        if not key:
            continue
        if u.words > max_words:
            # a long line printed twice in a row (in full, or once cut short: "... more") is a
            # figure's alt text + caption, never prose
            if i and key.split()[:REPEAT_PREFIX_WORDS] == \
                    " ".join(WORD.findall(units[i - 1].text.casefold())).split()[:REPEAT_PREFIX_WORDS]:
                for v in (units[i - 1], u):
                    if v.reason is None:
                        v.reason, v.strong = R.DUPLICATE, True
            continue
        j = last_seen.get(key)
        if j is not None and i - j <= window:
            for v in (units[j], u):
                if v.reason is None:
                    v.reason, v.strong = R.DUPLICATE, True
        last_seen[key] = i


def discount_after_comments(units: list[Unit], min_words_before: int = 80) -> None:
    """Prose after a comments marker that follows real prose belongs to readers."""
    seen = 0
    discount = False
    for u in units:
        if discount:
            u.tags.add("after-comments")
        elif u.reason == R.COMMENTS and u.barrier and seen >= min_words_before:
            discount = True
        elif u.reason is None and u.sentence_like:
            seen += u.words


# a counter, then a capitalised caption ("2 of 4 A shopper..."; not "1 of 3 adults said...")
_GALLERY_COUNTER = re.compile(r"^(?:[Ii]mage |[Pp]hoto |[Ss]lide )?(\d{1,3}) (?:of|/) (\d{1,3})\s+[A-Z\"“‘(]")


def mark_gallery_captions(units: list[Unit]) -> None:
    """Lines opening with a slide counter ("1 of 4 A shopper looks at...") are gallery captions,
    when the page has at least two of them counting to the same total and each opens a
    capitalised caption (so "1 of 3 adults said..." in prose stays)."""
    found: dict[str, list[Unit]] = {}
    for u in units:
        m = _GALLERY_COUNTER.match(u.text)
        if m and u.reason is None and int(m.group(1)) <= int(m.group(2)):
            found.setdefault(m.group(2), []).append(u)
    for members in found.values():
        if len({_GALLERY_COUNTER.match(u.text).group(1) for u in members}) >= 2:
            for u in members:
                u.reason, u.strong = R.IMAGE_CAPTION, True


def apply_context_rules(units: list[Unit]) -> None:
    mark_gallery_captions(units)
    mark_headlines(units)
    mark_teaser_blocks(units)
    mark_repeated_lines(units)
    mark_teaser_lists(units)
    discount_after_comments(units)


__all__ = ["capitalised_function_words", "is_title_case", "is_headline", "is_headline_blurb", "is_table_row", "has_title_case_prefix", "mark_teaser_blocks",
           "mark_headlines", "mark_teaser_lists", "mark_teaser_before", "mark_repeated_lines", "discount_after_comments", "apply_context_rules",
           "mark_gallery_captions"]
