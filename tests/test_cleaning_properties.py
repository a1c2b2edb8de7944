"""Property tests for clean_text: total, idempotent, and a sub-sequence of its input."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from textcompare.cleaning import clean_text, reasons as R
from textcompare.cleaning.normalize import normalize_text

SETTINGS = settings(max_examples=200, deadline=None)

WORDS = st.sampled_from(
    ["the", "council", "voted", "Home", "News", "By", "Jane", "Doe", "Jan", "17,", "2020", "Subscribe",
     "newsletter", "photo.jpg", "REUTERS/Jane", "Related", "stories", "said.", "“quoted”", "—", "Read", "more",
     "Advertisement", "©", "2019", "Comments", "and", "a", "long", "sentence", "ends", "here.",
     "date", "2020-01-07", "Title:", "url", "https://example.org/a", "Want", "to", "read", "more?",
     "Already", "subscriber?", "billing", "information"]
)
LINE = st.lists(WORDS, min_size=1, max_size=30).map(" ".join)
BLOCK = st.lists(LINE, min_size=1, max_size=4).map("\n".join)
PAGE = st.lists(BLOCK, min_size=0, max_size=25).map("\n\n".join)
# the same pages saved with single newlines between blocks (see blocks.block_separator)
SINGLE_NEWLINE_PAGE = st.lists(LINE, min_size=0, max_size=40).map("\n".join)
ANY_TEXT = st.one_of(st.text(), PAGE, SINGLE_NEWLINE_PAGE, st.text(alphabet=st.characters(), min_size=0, max_size=400))


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


@SETTINGS
@given(ANY_TEXT)
def test_never_raises_and_reasons_are_known(raw):
    result = clean_text(raw)
    assert isinstance(result.body, str)
    assert all(r.reason in R.REASONS for r in result.removed)


@SETTINGS
@given(ANY_TEXT)
def test_idempotent(raw):
    body = clean_text(raw).body
    assert clean_text(body).body == body


@SETTINGS
@given(ANY_TEXT)
def test_body_is_made_of_input_lines_in_order(raw):
    body = clean_text(raw).body
    assert "\n\n\n" not in body
    assert body == body.strip()
    input_lines = [line for line in normalize_text(raw).split("\n") if line]
    body_lines = [line for line in body.split("\n") if line]
    assert is_subsequence(body_lines, input_lines)


@SETTINGS
@given(ANY_TEXT)
def test_paywall_is_a_line_of_the_input(raw):
    result = clean_text(raw)
    if result.paywall is not None:
        assert result.paywall in normalize_text(raw).split("\n")
        assert any(r.reason == R.PAYWALL and result.paywall in r.text.split("\n") for r in result.removed)
