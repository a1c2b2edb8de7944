"""The cleaner on awkward real-world page shapes: single-newline paragraphs, scraper
metadata lines, paywall/login pages, and the HTML removal report.

Every input here is hand-written to illustrate one rule.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from textcompare.cleaning import clean_html, clean_text, reasons as R
from textcompare.cleaning.blocks import block_separator, split_units
from textcompare.cleaning.html import dropped_blocks
from textcompare.cleaning.prefix import field_of
from textcompare.cleaning.rules import is_paywall_line
from textcompare.errors import InputError

PARAGRAPHS = [
    "The strike that killed the general was the most consequential decision of the year, and its effects "
    "will be felt for a long time.",
    "Officials in several capitals said they had not been warned, which left allies scrambling to respond "
    "to events they had not anticipated.",
    "Analysts noted that the retaliation, when it came, was calibrated to avoid casualties while still "
    "sending a clear message.",
    "Whatever happens next, the old assumptions about deterrence in the region no longer hold, and both "
    "sides know it.",
]
HEAD = ["Home", "World", "Opinion", "Why the Strike Changed the Region", "By Jane Doe", "January 9, 2020"]
TAIL = ["Related stories", "Another headline about the region", "Copyright 2020 Example News"]


def page(sep: str, head=HEAD, paragraphs=PARAGRAPHS, tail=TAIL) -> str:
    return sep.join([*head, *paragraphs, *tail])


# --- block separator ------------------------------------------------------------------------

def test_single_newline_page_keeps_its_paragraphs_and_metadata():
    single, blank = clean_text(page("\n")), clean_text(page("\n\n"))
    assert single.body.split("\n\n") == PARAGRAPHS
    assert single.body == blank.body
    assert (single.title, single.author, single.date) == (
        "Why the Strike Changed the Region", "Jane Doe", dt.date(2020, 1, 9))
    assert {R.NAVIGATION, R.TITLE, R.BYLINE, R.TEASER, R.FOOTER} <= {r.reason for r in single.removed}


def test_a_block_of_single_newline_paragraphs_inside_a_blank_line_page_is_split():
    raw = "\n\n".join([*HEAD, "\n".join(PARAGRAPHS), *TAIL])
    assert clean_text(raw).body.split("\n\n") == PARAGRAPHS


def test_a_caption_with_its_credit_stays_one_block():
    units = split_units("Protesters gathered outside the embassy on Sunday evening.\nPhoto: Jane Roe/Agency\n\n"
                        + "\n\n".join(PARAGRAPHS))
    assert units[0].block == units[1].block


@pytest.mark.parametrize("blocks, expected", [
    ([HEAD + PARAGRAPHS + TAIL], "\n"),  # the whole page in one block
    ([HEAD, PARAGRAPHS + TAIL], "\n"),  # most of it
    ([HEAD, PARAGRAPHS, TAIL], "\n\n"),  # blank lines between parts: separate_paragraphs splits the middle
    ([[h] for h in HEAD] + [[p] for p in PARAGRAPHS] + [[t] for t in TAIL], "\n\n"),
    ([["Home", "World", "Opinion", "Sport", "Weather", "Travel"], [PARAGRAPHS[0]]], "\n\n"),  # a menu block
    ([], "\n\n"),
])
def test_block_separator(blocks, expected):
    assert block_separator(blocks) == expected


# --- scraper metadata prefix lines ------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("date 2020-01-07", ("date", "2020-01-07")),
    ("Date: January 7, 2020", ("date", "January 7, 2020")),
    ("Published Time: 2020-01-07T10:30:00Z", ("date", "2020-01-07T10:30:00Z")),
    ("Title: Why the Strike Changed the Region", ("title", "Why the Strike Changed the Region")),
    ("URL Source: https://example.org/a", ("url", "https://example.org/a")),
    ("url https://example.org/a", ("url", "https://example.org/a")),
    ("author = Jane Doe", ("author", "Jane Doe")),
    ("fetched 2020-01-08", ("fetched", "2020-01-08")),
    ("Date night was a disaster for the couple.", None),  # no separator, not a date
    ("Source said the talks had failed.", None),
    ("Summary: the council voted on Tuesday to restore the lighthouse that has stood at the mouth of "
     "the bay since 1871, and residents will pay a levy.", None),  # not a known field
    ("Section: " + "word " * 20, None),  # a field's value, but a sentence long
])
def test_field_of(line, expected):
    assert field_of(line) == expected


def test_prefix_lines_are_stripped_and_their_date_read():
    raw = "date 2020-01-07\nurl https://example.org/a\n\n" + page("\n\n", head=HEAD[:5])
    result = clean_text(raw)
    assert result.date == dt.date(2020, 1, 7)
    assert "2020-01-07" not in result.body and "example.org" not in result.body
    assert [r.reason for r in result.removed][:1] == [R.SCRAPER_METADATA]
    assert result.body.split("\n\n") == PARAGRAPHS


def test_the_prefix_date_beats_a_date_in_the_page():
    raw = "Published: 2020-01-07\n\n" + page("\n\n")  # the page says January 9
    assert clean_text(raw).date == dt.date(2020, 1, 7)


def test_a_field_like_line_inside_the_article_is_not_a_prefix():
    raw = page("\n\n", paragraphs=[PARAGRAPHS[0], "date 2020-01-07", *PARAGRAPHS[1:]])
    assert R.SCRAPER_METADATA not in {r.reason for r in clean_text(raw).removed}


# --- paywall and login pages --------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Please update your billing information",
    "Want to read more?",
    "Already a subscriber? Log in",
    "Subscribe to continue reading.",
    "Sign in to read the full article",
    "You have reached your limit of free articles this month.",
    "This article is only available to subscribers.",
    "Start your free trial today",
])
def test_paywall_lines(line):
    assert is_paywall_line(line)


@pytest.mark.parametrize("line", [
    "Readers who want to read more about the strike can find the full report online.",
    "The paper's subscribers were angry about the price rise, the editor said.",
    "He said the country had reached the limit of its patience with the militias.",
    "Continue reading the main story",
])
def test_prose_is_not_a_paywall_line(line):
    assert not is_paywall_line(line)


PAYWALL_PAGE = "\n\n".join(["Please update your billing information", *HEAD[3:], PARAGRAPHS[0],
                            "Want to read more?", "Subscribe now for full access to every story.",
                            "Already a subscriber? Log in"])


def test_a_paywall_page_is_reported_and_its_messages_removed():
    result = clean_text(PAYWALL_PAGE)
    assert result.paywall == "Want to read more?"
    assert result.title == "Why the Strike Changed the Region"
    assert result.body == PARAGRAPHS[0]
    assert sum(r.reason == R.PAYWALL for r in result.removed) == 4


def test_a_login_link_above_a_full_article_is_not_a_paywall():
    result = clean_text(page("\n\n", head=["Already a subscriber? Log in", *HEAD]))
    assert result.paywall is None
    assert result.body.split("\n\n") == PARAGRAPHS


def test_add_refuses_a_paywall_page_unless_allow_partial(tmp_path: Path):
    from textcompare.ingest import add_article

    corpus = tmp_path / "corpus"
    with pytest.raises(InputError, match="paywall or login page.*--allow-partial"):
        add_article(PAYWALL_PAGE.encode(), outlet="Example News", corpus=corpus)
    assert not corpus.exists()
    added = add_article(PAYWALL_PAGE.encode(), outlet="Example News", corpus=corpus, allow_partial=True)
    assert added.cleaned.paywall == "Want to read more?"
    assert added.path.read_bytes() == PAYWALL_PAGE.encode()


# --- HTML removal report ----------------------------------------------------------------------

HTML = """<html><head><title>Why the Strike Changed the Region | Example News</title></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article><h1>Why the Strike Changed the Region</h1>
<p class="byline">By Jane Doe</p>
""" + "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS) + """
<div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another headline about the region</a></li>
<li><a href="/b">A second headline about something else</a></li></ul></aside>
<section id="comments"><p>I disagree with every word of this piece, frankly.</p></section>
</main>
<footer><p>Copyright 2020 Example News. All rights reserved.</p><p><a href="/privacy">Privacy policy</a></p></footer>
</body></html>"""


def test_html_removal_report_lists_what_trafilatura_dropped_by_reason():
    result = clean_html(HTML)
    assert result.body.split("\n\n") == PARAGRAPHS
    reasons = {r.reason for r in result.removed}
    assert {R.NAVIGATION, R.TEASER, R.FOOTER} <= reasons
    assert len(result.removed) >= 4
    for block in result.removed:
        for line in block.text.split("\n"):
            assert line not in result.body


def test_dropped_blocks_ignores_what_the_body_kept():
    body = "\n\n".join(PARAGRAPHS)
    dropped = dropped_blocks(HTML, body, "Why the Strike Changed the Region")
    texts = "\n".join(text for text, _ in dropped)
    assert all(p not in texts for p in PARAGRAPHS)
    assert ("Why the Strike Changed the Region", R.TITLE) in dropped
    assert dropped_blocks("<html><body></body></html>", "", None) == []


# --- gallery captions -------------------------------------------------------------------------

def test_slide_counter_captions_are_removed_but_a_counted_sentence_stays():
    gallery = ["1 of 3 A shopper looks at extension cords at a hardware store on Tuesday, in preparation "
               "for the planned power shutoff.",
               "2 of 3 Shelves of gas cans stand empty at a garden centre in the town, the morning before "
               "the planned shutoff."]
    prose = "1 of 3 adults in the survey said they had not been warned about the cuts, the report found."
    result = clean_text(page("\n\n", paragraphs=[PARAGRAPHS[0], *gallery, prose, *PARAGRAPHS[1:]]))
    assert all(g not in result.body for g in gallery)
    assert prose in result.body
    assert R.IMAGE_CAPTION in {r.reason for r in result.removed}
