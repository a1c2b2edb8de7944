"""Rule-based labels for single lines and whole blocks.

Why hand-written: jusText and trafilatura classify *HTML* paragraphs using
markup (link density, tag names).  Scraped plain text has no markup left, so
the signals must come from the words themselves: short menu-like lines,
photo-credit and file-name patterns, byline and date shapes, subscribe and
cookie wording, teaser markers.  All rules here are generic page furniture
patterns; none names a site or an outlet.

Each rule returns a :class:`Label` (reason, strong, barrier) or ``None``.
*strong* labels are removed even inside the article; *weak* ones only
outside it.  *barrier* labels mark where an article region ends
("Related stories", "Comments", "Back to top"...).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from . import reasons as R
from .blocks import Unit, ends_like_sentence, is_short_label, word_count
from .memo import memo


class Label(NamedTuple):
    reason: str
    strong: bool = False
    barrier: bool = False


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE_PATTERNS = (
    _rx(rf"\b{MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"),
    _rx(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{4}}\b"),
    _rx(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    _rx(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"),
    _rx(r"\b\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:[A-Z]{2,4}T|ET|GMT|UTC)?\b"),
    _rx(r"\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?)\s+ago\b"),
)
_DATE_WORDS = _rx(
    r"\b(?:published|updated|posted|modified|last|on|at|am|pm|et|est|edt|pst|gmt|utc|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
    r"today|yesterday|original|min|read|minutes?|hours?|ago|\d+)\b"
)

# --- captions -------------------------------------------------------------
_FILE_NAME = _rx(r"\S\.(?:jpe?g|png|gif|webp|svg|tiff?|bmp|avif)\b")
_CREDIT = _rx(
    r"(?:\b(?:photo|image|picture|illustration|graphic|video|footage)s?\s*(?:credit|courtesy)?\s*(?:by)?\s*:|"
    r"\b(?:image|photo|picture)\s+credits?\b|\bcredit\s*:|\bcourtesy of\b|"
    r"\bphoto(?:graph)?\s+by\b|\bgetty\s*images\b|\bshutterstock\b|\bistock(?:photo)?\b|"
    r"\bap photo\b|\bfile photo\b|"
    r"\(\s*(?:photo|image|credit|pictured)\b[^)]*\)|\bimage \d+ of\b|^(?:above|below|pictured|top|main image)\s*:)",
)
_TRAILING_CREDIT = re.compile(
    r"\((?:[^()]*/[^()]*|[^()]*\bvia\b[^()]*|[A-Z]{2,6})\)\s*$|\s/\s[A-Z][\w.]*(?: file| photo| images?)?\s*$")  # "(NASA/JPL)", "(Dept via Flickr)"
_END_CREDIT = _rx(r"[.!?]\s*(?:image |photo |picture )?(?:credits?|photo|image|source|illustration)\s*:\s*[^.!?]{1,60}$")
# a slide counter alone ("1 of 4", "2 / 10") or opening a capitalised caption; not "1 of 3 adults said"
_COUNTER = re.compile(r"^\d{1,3} (?:of|/) \d{1,3}(?:\W*$|\s+[A-Z\"“‘(])")
_CREDIT_LINE = re.compile(r"^[A-Z][\w .,'’&-]*(?:\s*/\s*[A-Z][\w .,'’&-]*)+$")  # "Name/Agency/Getty Images"
_AGENCY_SLASH = re.compile(r"\b[A-Z]{2,}\s?/\s?[A-Z][a-z]+")  # "REUTERS/Name", "AFP/Getty"

# --- subscribe, cookies, footer, share ------------------------------------
_NEWSLETTER = _rx(
    r"\b(?:newsletters?|subscribe|subscription|subscribers?|sign[ -]?up|unsubscribe|inbox|opt[ -]in|"
    r"e-?mail address|daily digest|weekly round-?up)\b"
)
_NEWSLETTER_STRONG = _rx(
    r"\b(?:sign up|subscribe|get)\b.*\b(?:newsletter|inbox|e-?mail|updates|digest)\b|"
    r"\bnewsletter\b.*\b(?:sign up|subscribe)\b|\bsubscribe (?:now|today|to)\b|^subscribe\b|"
    r"\bplease check the opt-in\b|\bto read the full story\b|\bsubscribers? only\b|\byour inbox\b|"
    r"\b(?:alerts|updates|stories|news)\b.*\bdelivered (?:daily|weekly|every|each|weekday|to)\b|"
    r"\bgive (?:us )?feedback\b|\b(?:take|taking) (?:our|this|a short) survey\b"
)
_LEGAL = _rx(r"\bsubject to copyright\b|\bno part of this\b|\bwithout (?:the |our )?(?:prior )?(?:written )?permission\b|"
             r"^citation\s*:|\bthe views (?:and opinions )?expressed\b.*\bdo not\b|\bfor information purposes only\b")
_COOKIE = _rx(r"\bcookies?\b.*\b(?:consent|accept|policy|use|browsing|experience)\b|\bi accept\b|\bgdpr\b")
_FOOTER = _rx(
    r"©|\bcopyright\b|\ball rights reserved\b|\bprivacy (?:policy|notice)\b|\bterms (?:of|and) (?:use|service|conditions)\b|"
    r"\bcontact us\b|\babout us\b|\bsitemap\b|\bcareers\b|\badvertise with us\b|\bmay not be (?:published|reproduced)\b"
)
_SHARE_WORDS = _rx(
    r"^(?:(?:share|shares|tweet|email|e-mail|print|facebook|twitter|linkedin|whatsapp|pinterest|reddit|tumblr|"
    r"pocket|flipboard|telegram|messenger|copy link|copy|link|comments?|save|text size|sms|rss|instagram|youtube|"
    r"google\+?|on|this|article|story|via|options|all|sharing|the|\d+|[|•·,/:])\s*)+$"
)
_SHARE_PHRASE = _rx(r"^(?:share (?:this|on|via|the|article|story)|sharing options|share:|follow us\b|get short url\b)")
_ADVERT = _rx(r"^(?:advertisement|advertising|sponsored(?: content| links?)?|ad|ads by \w+|story continues below(?: advertisement)?|"
              r"continue reading(?: (?:the|this) (?:main )?story)?(?: below)?|scroll to continue.*|paid content|promoted( content)?)\W*$")
_LOGIN = _rx(r"^(?:log ?in|sign ?in|log ?out|sign ?out|register|my account|search|menu|close|open|skip to .*|toggle .*|"
             r"expand.*|collapse.*|back|next|previous|home|more|show more|load more|view all.*|see all.*|listen.*)\W*$")

# --- paywall and login interstitials ----------------------------------------
# Phrase classes of the messages a site shows instead of (the rest of) an article:
# a gate ("subscribe to continue reading"), the reader's state ("already a subscriber?",
# "you have reached your free article limit"), a payment problem ("update your billing
# information"), and the teaser question ("Want to read more?").
_PAYWALL = _rx(
    r"\b(?:subscribe|sign (?:in|up)|log ?in|register|create (?:a |an )?(?:free )?account|become a (?:member|subscriber))\b"
    r"[^.!?]{0,40}\bto (?:continue|keep) reading\b|"
    r"\bto (?:continue|keep) reading\b[^.!?]{0,40}\b(?:subscri\w*|sign in|log ?in|register|account|member(?:ship)?)\b|"
    r"\b(?:continue|keep) reading (?:with|for) (?:a |an |your )?(?:free |digital |premium )?(?:subscription|membership|account|trial)\b|"
    r"\b(?:sign|log) ?in (?:or (?:register|subscribe|sign up) )?to (?:read|view|access|see) (?:this|the|full|more)\b|"
    r"\bregister (?:now |for free )?to (?:read|view|access|continue)\b|"
    r"\balready (?:a |an )?(?:subscriber|member|registered)\b|\balready have an account\b|"
    r"\byou(?:'|’)?(?:ve| have) (?:reached|read|used|hit) (?:your|all|the|\d+)[^.!?]{0,30}\b(?:free|limit)\b|"
    r"\bfree (?:articles?|stories) (?:remaining|left)\b|\b(?:monthly |free )?article limit\b|"
    r"\b(?:update|verify|check) your (?:billing|payment|card) (?:information|info|details|method)\b|"
    r"\byour (?:subscription|payment|trial) (?:has )?(?:expired|lapsed|failed|ended)\b|"
    r"^want to (?:read|keep reading|continue reading|see|get) (?:more|the (?:rest|full)|unlimited)\b|"
    r"\b(?:this|the) (?:full )?(?:article|story|content|post|page) is (?:only )?(?:available|reserved|exclusive|for)\b"
    r"[^.!?]{0,20}\b(?:subscribers|members|premium|registered)\b|"
    r"\b(?:subscribers?|members?|premium)[ -]only (?:content|article|story)\b|"
    r"\bunlock (?:this|the full|full|unlimited) (?:article|story|access)\b|"
    r"\b(?:start|begin|try) (?:your |a )?free trial\b|\bsubscribe (?:now |today )?for (?:full|unlimited) (?:digital )?access\b"
)
PAYWALL_MAX_WORDS = 40
#: the account links a site prints in its header above full articles too
_ACCOUNT_LINK = _rx(r"^\W*(?:already (?:a |an )?(?:subscriber|member|registered)|already have an account)\b[^.!]{0,30}$")


@memo
def is_account_link(text: str) -> bool:
    """"Already a subscriber? Log in": a paywall phrase that full pages carry too."""
    return _ACCOUNT_LINK.search(text) is not None


@memo
def is_paywall_line(text: str) -> bool:
    """A short line from a paywall or login interstitial (see ``_PAYWALL``)."""
    return word_count(text) <= PAYWALL_MAX_WORDS and _PAYWALL.search(text) is not None


# --- teasers and end-of-article markers -----------------------------------
_TEASER_MARK = _rx(
    r"keep reading|show less|show more|read more|read next|read also|also read|see also|more from|related:|"
    r"click here|full story|watch:|listen:|recommended|you (?:might|may) (?:also )?like|don'?t miss|most (?:read|popular|viewed|shared)|"
    r"trending|top stories|more stories|related (?:articles?|stories|posts?|content|coverage|tags|topics|links)|"
    r"next up|up next|latest (?:news|stories|articles)|editor'?s picks?|more in\b|more on\b|further reading"
)
_BARRIER = _rx(
    r"^(?:you (?:might|may) (?:also )?like|related(?: articles?| stories| posts?| content| coverage| tags| topics| links| reading)?|"
    r"more (?:stories|articles|from\b.*|in\b.*|on\b.*|great\b.*)|most (?:read|popular|viewed|shared|recent).*|recommended.*|"
    r"(?:top rated |all |add (?:a )?|leave a |post a |view |show )?comments?(?: \(\d+\))?|\d+ comments?|"
    r"(?:join|start) the (?:discussion|conversation)|back to top|return to top|top of page|keep reading.*|read next|read more|"
    r"what to read next|trending.*|popular (?:now|stories|articles)|latest(?: news| stories| articles)?|next up\b.*|up next\b.*|"
    r"about the authors?|tags?:?|topics:?|filed under:?|share this(?: article| story)?:?|like this:?|"
    r"explore further|sponsored links|around the web|from (?:the|our) partners|editor'?s picks?|more great\b.*|see all newsletters)\W*$"
)

_HARD_BARRIER = _rx(
    r"^(?:(?:top rated |all |add (?:a )?|leave a |post a |view |show )?comments?(?: \(\d+\))?|\d+ comments?|"
    r"(?:join|start) the (?:discussion|conversation)|back to top|return to top|top of page)\W*$"
)

# --- bylines ---------------------------------------------------------------
_BYLINE = _rx(r"^(?:by|written by|words by|reported by|posted by|author:?|authors:?|text:?)\s*(?:\S|$)")
_BYLINE_ONLY = _rx(r"^(?:by|written by|posted by|author|authors)\s*:?$")
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|[A-Z]\.|(?:de|van|von|der|da|di|al|bin|el|la|le)\b)"
NAME_LINE = re.compile(rf"^[•·*|\-–—]?\s*({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}})\s*$")
_AFFILIATION = _rx(
    r"\b(?:fellow|professor|editor|correspondent|reporter|writer|contributor|columnist|director|analyst|"
    r"researcher|staff|author|journalist|lecturer|scholar|chair|president|founder|ceo|associate|dean)\b"
)
_HANDLE = re.compile(r"(?:^|\s)@\w{2,}|\b[\w.+-]+@[\w-]+\.[\w.]+\b")


_DIGIT = re.compile(r"\d")  # every date pattern needs a digit: a cheap exact pre-check
_ANY_DATE = re.compile("|".join(f"(?:{p.pattern})" for p in DATE_PATTERNS), re.IGNORECASE)  # one scan, not six


def _casefree(pattern: re.Pattern) -> re.Pattern:
    """The same all-lower-case IGNORECASE pattern without the flag, for lower-cased ASCII text.

    On ASCII text, IGNORECASE matching is plain ASCII case folding, so searching
    ``text.lower()`` with the flag dropped finds a match exactly when the
    original does, and lets the regex engine use its literal-prefix scan.
    """
    assert pattern.flags & re.IGNORECASE and pattern.pattern == pattern.pattern.lower(), pattern.pattern
    return re.compile(pattern.pattern)


_CREDIT_LOWER = _casefree(_CREDIT)
_TEASER_MARK_LOWER = _casefree(_TEASER_MARK)


def _search_ci(pattern: re.Pattern, lower_pattern: re.Pattern, text: str) -> bool:
    """``bool(pattern.search(text))``, faster on ASCII text (see :func:`_casefree`)."""
    if text.isascii():
        return lower_pattern.search(text.lower()) is not None
    return pattern.search(text) is not None


@memo
def has_date(text: str) -> bool:
    if not _DIGIT.search(text):
        return False
    return _ANY_DATE.search(text) is not None


@memo
def is_date_line(text: str) -> bool:
    """A line that is (almost) only a date/time stamp, possibly with a short byline."""
    if not has_date(text) or word_count(text) > 16 or ends_like_sentence(text) and word_count(text) > 10:
        return False
    rest = text
    for p in DATE_PATTERNS:
        rest = p.sub(" ", rest)
    rest = _MONTH_ONLY.sub(" ", _DATE_WORDS.sub(" ", rest))
    return word_count(rest) <= 5


_MONTH_ONLY = _rx(rf"\b{MONTHS}\b\.?")


@memo
def line_label(text: str) -> Label | None:
    """Label one line from its own text only (no context)."""
    n = word_count(text)
    if n == 0:
        return Label(R.BOILERPLATE, strong=True)
    short = n <= 25
    if short and _BARRIER.match(text):
        if _HARD_BARRIER.match(text):
            return Label(R.COMMENTS if _COMMENT_WORD.search(text) else R.FOOTER,
                         strong=True, barrier=True)
        return Label(R.TEASER, strong=True, barrier=True)
    if is_paywall_line(text):
        return Label(R.PAYWALL, strong=True, barrier=True)
    if _FILE_NAME.search(text) and n <= 30:
        return Label(R.IMAGE_CAPTION, strong=True)
    if _ADVERT.match(text):
        return Label(R.ADVERTISEMENT, strong=True)
    if n <= 80 and _LEGAL.search(text):
        return Label(R.FOOTER, strong=True)
    if n <= 80 and _COOKIE.search(text):
        return Label(R.BOILERPLATE, strong=True)
    if short and _NEWSLETTER_STRONG.search(text):
        return Label(R.NEWSLETTER, strong=True)
    if _SHARE_WORDS.match(text) or (n <= 8 and _SHARE_PHRASE.match(text)):
        return Label(R.SHARE, strong=True)
    if n <= 6 and _LOGIN.match(text):
        return Label(R.NAVIGATION, strong=n <= 3)
    if n <= 40 and (_search_ci(_CREDIT, _CREDIT_LOWER, text) or _TRAILING_CREDIT.search(text) or _AGENCY_SLASH.search(text)) and not _looks_like_dateline(text):
        return Label(R.IMAGE_CAPTION, strong=True)
    if n <= 40 and _COUNTER.match(text):
        return Label(R.IMAGE_CAPTION, strong=True)
    if n <= 150 and _END_CREDIT.search(text):
        return Label(R.IMAGE_CAPTION, strong=True)
    if n <= 12 and not ends_like_sentence(text) and _CREDIT_LINE.match(text):
        return Label(R.IMAGE_CAPTION, strong=True)
    if n <= 20 and _FOOTER.search(text):
        return Label(R.FOOTER, strong=n <= 12)
    if n <= 15 and not ends_like_sentence(text) and _search_ci(_TEASER_MARK, _TEASER_MARK_LOWER, text):
        return Label(R.TEASER, strong=True)
    if n <= 14 and not ends_like_sentence(text) and (_BYLINE.match(text) or _BYLINE_ONLY.match(text)):
        return Label(R.BYLINE, strong=True)
    if is_date_line(text):
        return Label(R.DATE_LINE, strong=n <= 8)
    if n <= 6 and _HANDLE.search(text):
        return Label(R.BYLINE, strong=True)
    if n <= 20 and not ends_like_sentence(text) and _NEWSLETTER.search(text):
        return Label(R.NEWSLETTER)
    if " | " in text and n <= 8 and not ends_like_sentence(text):
        return Label(R.SECTION_LABEL)
    return None


@memo
def _looks_like_dateline(text: str) -> bool:
    """News datelines such as "(Reuters) — ..." or "LONDON (AP) — ..." are article text."""
    return bool(_DATELINE.match(text)) and word_count(text) > 12


def is_menu_block(lines: list[str]) -> bool:
    """Several lines that are mostly short labels: a menu, tag list or link list."""
    if len(lines) < 3:
        return False
    short = sum(1 for line in lines if is_short_label(line, 5))
    return short >= 0.6 * len(lines)


def is_caption_block(lines: list[str]) -> bool:
    """A description line followed by a credit line (e.g. "Name/Agency/Getty Images")."""
    if len(lines) < 2 or len(lines) > 4:
        return False
    last = lines[-1]
    lab = line_label(last)
    return lab is not None and lab.reason == R.IMAGE_CAPTION


@memo
def is_name_line(text: str) -> bool:
    return bool(NAME_LINE.match(text)) and not ends_like_sentence(text)


@memo
def is_affiliation(text: str) -> bool:
    return word_count(text) <= 15 and not ends_like_sentence(text) and bool(_AFFILIATION.search(text))


def label_units(units: list[Unit]) -> None:
    """Apply line and block rules to every unit, in place."""
    by_block: dict[int, list[Unit]] = {}
    for unit in units:
        by_block.setdefault(unit.block, []).append(unit)
        lab = line_label(unit.text)
        if lab:
            unit.reason, unit.strong, unit.barrier = lab
    for members in by_block.values():
        lines = [u.text for u in members]
        if is_menu_block(lines):
            # very short entries are certainly a menu; longer ones may be a list in the article
            strong = sum(word_count(line) for line in lines) <= 3 * len(lines)
            for u in members:
                if u.reason is None:
                    u.reason, u.strong = R.NAVIGATION, strong
                u.tags.add("menu")
        elif is_caption_block(lines):
            for u in members:
                u.reason, u.strong, u.barrier = R.IMAGE_CAPTION, True, False
    _label_bylines(units)
    from .context import apply_context_rules

    apply_context_rules(units)


_COMMENT_WORD = re.compile(r"comment|discussion|conversation", re.I)
_DATELINE = re.compile(r"^(?:[A-Z][\w ,.]*\s)?\((?:[A-Z][\w .]*)\)\s*[-—–:]")


def _label_bylines(units: list[Unit]) -> None:
    """Name-only lines and affiliations next to a byline or date line are bylines."""
    for i, unit in enumerate(units):
        if unit.reason is not None:
            continue
        near = units[max(0, i - 2): i] + units[i + 1: i + 3]
        near_meta = any(u.reason in (R.BYLINE, R.DATE_LINE) for u in near)
        if not near_meta:
            continue
        if is_name_line(unit.text) or (is_affiliation(unit.text) and unit.words <= 12):
            unit.reason, unit.strong = R.BYLINE, True
            unit.tags.add("name" if is_name_line(unit.text) else "affiliation")


__all__ = ["Label", "is_paywall_line", "is_account_link", "PAYWALL_MAX_WORDS", "DATE_PATTERNS", "has_date", "is_date_line", "line_label", "is_menu_block",
           "is_caption_block", "is_name_line", "is_affiliation", "label_units", "NAME_LINE"]
