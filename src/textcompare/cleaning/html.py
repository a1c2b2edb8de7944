"""The HTML path: trafilatura for the main text and its metadata.

trafilatura already does markup-based boilerplate removal well (F1 0.95 on
the dev split), so this module only adapts its output to the cleaner's
contract: one blank line between paragraphs, the same normalisation as the
plain-text path, and a ``datetime.date``.  If trafilatura finds nothing, the
visible text blocks of the page go through :func:`clean_text` instead.
"""
from __future__ import annotations

import datetime as _dt
import re

from . import reasons as R
from .normalize import normalize_line, normalize_text

#: strong line labels that are dropped from trafilatura's output too
_HTML_DROP = frozenset({R.IMAGE_CAPTION, R.ADVERTISEMENT, R.SHARE, R.PAYWALL})

_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th",
               "section", "article", "header", "footer", "nav", "figcaption", "dd", "dt", "tr", "br")


def decode_html(html: str | bytes) -> str:
    """Bytes -> str, trusting UTF-8 first, charset-normalizer second."""
    if isinstance(html, str):
        return html
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        try:
            from charset_normalizer import from_bytes

            best = from_bytes(html).best()
            if best is not None:
                return str(best)
        except Exception:
            pass
        return html.decode("utf-8", errors="replace")


def paragraphs_from_text(text: str) -> str:
    """trafilatura's text output has one paragraph per line: make it one per block."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n")]
    return normalize_text("\n\n".join(lines))


def parse_iso_date(value: str | None) -> _dt.date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def visible_text(html: str) -> str:
    """Fallback: every visible text block of the page, blank-line separated."""
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    for el in tree.iter(*_BLOCK_TAGS):
        el.tail = ("\n\n" + el.tail) if el.tail else "\n\n"
    return tree.text_content()


def extract(html: str):
    """trafilatura document (or None)."""
    try:
        import trafilatura

        return trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=True, include_images=False)
    except Exception:
        return None


def clean_html(html: str | bytes):
    from . import CleanedText, RemovedBlock, clean_text

    text = decode_html(html)
    if not text.strip():
        return CleanedText(body="")
    doc = extract(text)
    body = paragraphs_from_text(getattr(doc, "text", None) or "") if doc is not None else ""
    if not body:
        fallback = clean_text(visible_text(text))
        return fallback
    title = (getattr(doc, "title", None) or "").strip() or None
    author = (getattr(doc, "author", None) or "").strip() or None
    date = parse_iso_date(getattr(doc, "date", None))
    dropped = dropped_blocks(text, body, title)
    body, removed = drop_furniture(body, title)
    paywall = find_html_paywall(body, removed + dropped)
    return CleanedText(body=body, title=title, author=author, date=date,
                       removed=tuple(RemovedBlock(text, reason) for text, reason in dropped + removed),
                       paywall=paywall)


# --- the removal report: what trafilatura dropped, and why -------------------------------------

#: markup that says what a dropped block was: the nearest ancestor with a hint decides
_TAG_REASONS = {"nav": R.NAVIGATION, "header": R.NAVIGATION, "footer": R.FOOTER, "aside": R.TEASER,
                "figcaption": R.IMAGE_CAPTION, "figure": R.IMAGE_CAPTION, "form": R.BOILERPLATE,
                "time": R.DATE_LINE, "button": R.NAVIGATION, "select": R.NAVIGATION, "label": R.BOILERPLATE}
_CLASS_REASONS = tuple((re.compile(p, re.IGNORECASE), reason) for p, reason in (
    (r"paywall|regwall|meter(?:ed)?|piano|subscriber-?only|premium-?(?:wall|gate)", R.PAYWALL),
    (r"comment|disqus|discussion|reply|replies", R.COMMENTS),
    (r"cookie|consent|gdpr", R.BOILERPLATE),
    (r"newsletter|subscri|signup|sign-up", R.NEWSLETTER),
    (r"share|social|sharing|follow", R.SHARE),
    (r"(?:^|[-_ ])(?:ad|ads|advert\w*|sponsor\w*|dfp|gpt|banner|promo(?:ted)?|outbrain|taboola)(?:$|[-_ \d])", R.ADVERTISEMENT),
    (r"related|recommend|read-?more|more-?stories|teaser|trending|popular|most-?read|also-?like|next-?up", R.TEASER),
    (r"caption|credit|gallery|slideshow|media|photo|image|figure", R.IMAGE_CAPTION),
    (r"byline|author|writer|contributor", R.BYLINE),
    (r"(?:^|[-_ ])(?:date|time|timestamp|published|updated|dateline)(?:$|[-_ ])", R.DATE_LINE),
    (r"breadcrumb|(?:^|[-_ ])(?:nav|navbar|menu|masthead|header|topbar|toolbar|skip)(?:$|[-_ ])|navigation", R.NAVIGATION),
    (r"footer|copyright|colophon|legal", R.FOOTER),
    (r"sidebar|widget|rail", R.TEASER),
    (r"(?:^|[-_ ])(?:tags?|topics?|keywords?|categor\w*|section)(?:$|[-_ ])", R.SECTION_LABEL),
))
MAX_HTML_BLOCKS = 20_000  # bound the work on a hostile page


def page_blocks(html: str) -> list[tuple[str, object]]:
    """Visible text blocks of the page, in order, each with its element.

    A block is the text an element holds directly: its own text and inline
    children, without nested block elements (those are blocks of their own).
    """
    try:
        import lxml.html

        tree = lxml.html.fromstring(html)
    except Exception:
        return []
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg|//iframe|//head"):
        bad.drop_tree()
    block_tags = set(_BLOCK_TAGS) - {"br"} | {"body", "html", "main", "figure", "aside", "form", "ul", "ol",
                                              "table", "tbody", "thead", "button", "label", "time"}
    out: list[tuple[str, object]] = []

    def visit(el) -> None:
        pieces = [el.text or ""]
        for child in el:
            if len(out) >= MAX_HTML_BLOCKS:
                return
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.lower() in block_tags:
                flush(pieces, el)
                pieces = []
                visit(child)
            elif tag.lower() == "br":
                pieces.append("\n")
            elif tag:
                pieces.append(child.text_content())
            pieces.append(child.tail or "")
        flush(pieces, el)

    def flush(pieces: list[str], el) -> None:
        for line in "".join(pieces).split("\n"):
            line = normalize_line(line)
            if line:
                out.append((line, el))

    visit(tree)
    return out


def _hint(el) -> str | None:
    """Removal reason suggested by the element's or an ancestor's tag, class or id."""
    depth = 0
    while el is not None and depth < 40:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _TAG_REASONS:
            return _TAG_REASONS[tag]
        names = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"), el.get("itemprop"))))
        if names:
            if tag not in ("body", "html", "main", "article"):
                for rx, reason in _CLASS_REASONS:
                    if rx.search(names):
                        return reason
        depth += 1
        el = el.getparent()
    return None


def dropped_blocks(html: str, body: str, title: str | None) -> list[tuple[str, str]]:
    """What trafilatura left out of *body*, by reason, consecutive blocks of a reason merged.

    The reason comes from the title (``title``), else from the markup around
    the block (``<nav>``, ``<footer>``, ``<aside>``, class names such as
    ``comments``, ``share``, ``related``), else from the plain-text line
    rules, else ``boilerplate``.
    """
    from .metadata import comparable, strip_site_suffix
    from .rules import line_label

    paragraphs = [comparable(p) for p in body.split("\n\n")] if body else []
    exact = set(paragraphs)
    body_key = " " + " ".join(paragraphs) + " "
    title_keys = {comparable(title), comparable(strip_site_suffix(title))} - {""} if title else set()
    removed: list[tuple[str, str]] = []
    seen_title = False
    for text, el in page_blocks(html):
        key = comparable(text)
        if not key or key in exact:
            continue
        if len(key.split()) >= 4 and f" {key} " in body_key:
            continue
        if len(key.split()) < 4 and any(f" {key} " in f" {p} " for p in paragraphs if len(p.split()) <= 30):
            continue
        if key in title_keys or comparable(strip_site_suffix(text)) in title_keys:
            reason = R.REPEATED_TITLE if seen_title else R.TITLE
            seen_title = True
        else:
            label = line_label(text)
            reason = _hint(el) or (label.reason if label is not None else R.BOILERPLATE)
        if removed and removed[-1][1] == reason:
            removed[-1] = (removed[-1][0] + "\n" + text, reason)
        else:
            removed.append((text, reason))
    return removed


def find_html_paywall(body: str, removed: list[tuple[str, str]]) -> str | None:
    """The paywall/login message of a page whose article was cut off (see :func:`~.pipeline.find_paywall`)."""
    from .pipeline import PARTIAL_MAX_WORDS
    from .rules import is_account_link, is_paywall_line

    paragraphs = body.split("\n\n") if body else []
    for p in paragraphs[1:]:
        if is_paywall_line(p):
            return p
    if len(body.split()) < PARTIAL_MAX_WORDS:
        for text, reason in removed:
            for line in text.split("\n"):
                if (reason == R.PAYWALL or is_paywall_line(line)) and not is_account_link(line):
                    return line
    return None


def drop_furniture(body: str, title: str | None) -> tuple[str, list[tuple[str, str]]]:
    """Remove what trafilatura keeps but the body must not have: the headline
    repeated as first paragraph, and paragraphs that strong line rules flag
    (captions, advertisement markers, share buttons)."""
    from .metadata import comparable
    from .rules import line_label

    key = comparable(title) if title else None
    kept, removed = [], []
    for i, paragraph in enumerate(body.split("\n\n") if body else []):
        if key and i == 0 and comparable(paragraph) == key:
            removed.append((paragraph, R.REPEATED_TITLE))
            continue
        label = line_label(paragraph) if "\n" not in paragraph else None
        if label is not None and label.strong and label.reason in _HTML_DROP:
            removed.append((paragraph, label.reason))
            continue
        kept.append(paragraph)
    return "\n\n".join(kept), removed


__all__ = ["clean_html", "decode_html", "paragraphs_from_text", "parse_iso_date", "visible_text", "extract", "page_blocks",
           "dropped_blocks", "find_html_paywall", "MAX_HTML_BLOCKS"]
