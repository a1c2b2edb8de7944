"""The fixed vocabulary of removal reasons, defined once.

Every :class:`~textcompare.cleaning.RemovedBlock` carries one of these strings.
"""
from __future__ import annotations

NAVIGATION = "navigation"
SECTION_LABEL = "section label"
TITLE = "title"
REPEATED_TITLE = "repeated title"
DECK = "deck"
BYLINE = "byline"
DATE_LINE = "date line"
IMAGE_CAPTION = "image caption"
TEASER = "related-article teaser"
NEWSLETTER = "newsletter/subscribe"
SHARE = "share/social"
ADVERTISEMENT = "advertisement"
COMMENTS = "comments"
FOOTER = "footer"
BOILERPLATE = "boilerplate"
DUPLICATE = "duplicate"
SCRAPER_METADATA = "scraper metadata"
PAYWALL = "paywall/login"

#: All reasons, in a stable order (used by tests and reports).
REASONS: tuple[str, ...] = (
    NAVIGATION,
    SECTION_LABEL,
    TITLE,
    REPEATED_TITLE,
    DECK,
    BYLINE,
    DATE_LINE,
    IMAGE_CAPTION,
    TEASER,
    NEWSLETTER,
    SHARE,
    ADVERTISEMENT,
    COMMENTS,
    FOOTER,
    BOILERPLATE,
    DUPLICATE,
    SCRAPER_METADATA,
    PAYWALL,
)

__all__ = [name for name in dir() if name.isupper()]
