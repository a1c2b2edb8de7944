"""Unit tests for the cleaner's named steps, the seed expectations, the HTML path and a quality gate."""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from textcompare.cleaning import CleanedText, RemovedBlock, clean_html, clean_text, reasons as R
from textcompare.cleaning.blocks import is_sentence_like, join_units, split_units, word_count
from textcompare.cleaning.context import is_headline, is_headline_blurb, is_table_row
from textcompare.cleaning.metadata import find_title, parse_date, strip_site_suffix
from textcompare.cleaning.normalize import normalize_text, repair_mojibake
from textcompare.cleaning.rules import is_date_line, is_menu_block, line_label, label_units
from textcompare.cleaning.segment import best_run

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus" / "raw"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cleaning"
DEV = Path(__file__).resolve().parents[2] / "shared/benchmarks/cleaning-dev"


def para(n: int, start: str = "The council") -> str:
    return (f"{start} discussed item {n} at length, and members agreed that the proposal, "
            f"which had been delayed twice, deserved a full public hearing before any final vote.")


# --- normalisation ------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("a\u00a0 b\tc", "a b c"),
    ("e\u0301te\u0301", "été"),  # NFC
    ("one\r\n\r\n\r\ntwo", "one\n\ntwo"),
    ("  x  \n\n\n\n  y ", "x\n\ny"),
    ("zero\u200bwidth", "zerowidth"),
    ("“quotes” — dashes – kept", "“quotes” — dashes – kept"),
])
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected


@pytest.mark.parametrize("raw, expected", [
    ("The administrationâ€™s plan", "The administration’s plan"),
    ("The administration’s plan", "The administration’s plan"),
    ("Café au lait", "Café au lait"),
    ("plain ascii", "plain ascii"),
])
def test_repair_mojibake_only_when_detected(raw, expected):
    assert repair_mojibake(raw) == expected


# --- units and shapes ---------------------------------------------------------

def test_split_and_join_units_roundtrip():
    text = "Menu\nHome\n\nA paragraph here.\n\nLast one."
    units = split_units(text)
    assert [(u.block, u.line) for u in units] == [(0, 0), (0, 1), (1, 0), (2, 0)]
    assert join_units(units) == text


@pytest.mark.parametrize("text, expected", [
    ("Work is expected to begin in the autumn.", True),
    ("“It’s the first thing sailors see,” he said.", True),
    ("Home", False),
    ("Related stories", False),
    ("Sign up", False),
])
def test_is_sentence_like(text, expected):
    assert is_sentence_like(text) is expected


def test_word_count_counts_cjk():
    assert word_count("two words") == 2
    assert word_count("简体中文简体中文") == 4


# --- line rules -----------------------------------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("Advertisement", R.ADVERTISEMENT),
    ("By Jane Q. Doe", R.BYLINE),
    ("Jan 17, 2020", R.DATE_LINE),
    ("Published 11:26 pm EST, Tuesday, November 19, 2019", R.DATE_LINE),
    ("soleimani funeral iran.jpg", R.IMAGE_CAPTION),
    ("A crowd gathers in the square. REUTERS/Jane Doe", R.IMAGE_CAPTION),
    ("The square at dusk (Photo: City Archive)", R.IMAGE_CAPTION),
    ("Image Credit: Example Corp", R.IMAGE_CAPTION),
    ("Sign up for our daily newsletter", R.NEWSLETTER),
    ("Subscribe now to our weekly round-up", R.NEWSLETTER),
    ("We use cookies to improve your browsing experience.", R.BOILERPLATE),
    ("© 2019 Example Media. All rights reserved.", R.FOOTER),
    ("Share this on Facebook", R.SHARE),
    ("Facebook Twitter Email", R.SHARE),
    ("Related stories", R.TEASER),
    ("You might also like", R.TEASER),
    ("Top Rated Comments", R.COMMENTS),
    ("Back to Top", R.FOOTER),
    ("Analysis | Middle East", R.SECTION_LABEL),
])
def test_line_label(text, reason):
    label = line_label(text)
    assert label is not None and label.reason == reason


@pytest.mark.parametrize("text", [
    para(1),
    "A spokesperson for the agency declined to comment.",
    "(Reuters) — The state attorney general is investigating the company, according to two people familiar with the matter.",
    "Both HIV/AIDS programmes and tuberculosis clinics lost funding in the new budget, officials said.",
    "Work is expected to begin in the autumn.",
])
def test_line_label_leaves_prose_alone(text):
    assert line_label(text) is None


@pytest.mark.parametrize("text, expected", [
    ("Jan 17, 2020", True),
    ("Nov. 19, 2019 8:03 am ET", True),
    ("2018-09-16", True),
    ("On Jan. 8, Iran launched 16 missiles at U.S. military installations in Iraq in retaliation.", False),
    ("Home", False),
])
def test_is_date_line(text, expected):
    assert is_date_line(text) is expected


@pytest.mark.parametrize("lines, expected", [
    (["Home", "News", "Sport", "Weather"], True),
    (["Business", "Culture", "Gear", "Ideas", para(1)], True),
    ([para(1), para(2), "Home"], False),
    (["Home", "News"], False),
])
def test_is_menu_block(lines, expected):
    assert is_menu_block(lines) is expected


def test_byline_context_names_and_affiliation():
    units = split_units("Jan 17, 2020\n• Jane Example\n\nSenior Fellow, Institute of Examples\n\n" + para(1))
    label_units(units)
    assert [u.reason for u in units] == [R.DATE_LINE, R.BYLINE, R.BYLINE, None]


# --- context rules ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Ferry Timetable Changes Announced For The Winter", True),
    ("Why Are the Prices Going Up in the Harbour", True),
    ("Work is expected to begin in the autumn.", False),
    (para(1), False),
])
def test_is_headline(text, expected):
    assert is_headline(text) is expected


def test_headline_blurb_and_table_row():
    assert is_headline_blurb("Ferry Timetable Changes Announced For The Winter The operator said on Monday that "
                             "boats will run less often between November and March.")
    assert not is_headline_blurb(para(1))
    assert is_table_row("1 Kyle Example 5040 5 1 17 27")
    assert not is_table_row("Home News Sport")


def test_teaser_list_after_marker_is_removed():
    text = "\n\n".join([para(1), para(2), para(3), "Related stories",
                       "Ferry Timetable Changes Announced For Winter", "Fish Market Reopens After Long Refit"])
    result = clean_text(text)
    assert result.body == "\n\n".join([para(1), para(2), para(3)])
    assert {r.reason for r in result.removed} == {R.TEASER}


# --- segmentation ---------------------------------------------------------------

@pytest.mark.parametrize("scores, span", [
    ([], (0, 0)),
    ([-1, -2], (0, 0)),
    ([-3, 5, -1, 4, -10, 2], (1, 4)),
    ([1, 1, -1000, 5], (3, 4)),
])
def test_best_run(scores, span):
    assert best_run(scores) == span


def test_short_paragraph_inside_article_is_kept():
    text = "\n\n".join(["Home\nNews\nSport", "A Title For The Test Page", "By Jane Example",
                       para(1), "Work is expected to begin in the autumn.", para(2), para(3),
                       "Sign up for our newsletter", "© 2020 Example. All rights reserved."])
    result = clean_text(text)
    assert result.body.split("\n\n") == [para(1), "Work is expected to begin in the autumn.", para(2), para(3)]
    assert result.title == "A Title For The Test Page"
    assert result.author == "Jane Example"


def test_deck_under_title_is_removed():
    deck = "The town has argued over the building for years, and the vote settles the matter for now."
    text = "\n\n".join(["Harbour Town Votes to Restore Lighthouse", deck, "News | Local",
                        para(1), para(2), para(3)])
    result = clean_text(text)
    assert result.body.split("\n\n") == [para(1), para(2), para(3)]
    assert RemovedBlock(deck, R.DECK) in result.removed


def test_caption_block_with_credit_line():
    text = "\n\n".join([para(1), "Crowds gather by the water at dusk.\nJane Doe/Example Agency/Getty Images",
                        para(2), para(3)])
    result = clean_text(text)
    assert "Crowds gather" not in result.body
    assert any(r.reason == R.IMAGE_CAPTION for r in result.removed)


# --- metadata -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Jan 17, 2020", dt.date(2020, 1, 17)),
    ("Published: Nov. 19, 2019 at 8:03 am", dt.date(2019, 11, 19)),
    ("19 NOV 2019", dt.date(2019, 11, 19)),
    ("By admin - 2018-09-16", dt.date(2018, 9, 16)),
    ("February 30, 2020", None),
    ("no date here", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Harbour Town Votes - The Coastal Ledger", "Harbour Town Votes"),
    ("Harbour Town Votes | Ledger", "Harbour Town Votes"),
    ("Harbour Town Votes", "Harbour Town Votes"),
])
def test_strip_site_suffix(text, expected):
    assert strip_site_suffix(text) == expected


def test_find_title_prefers_repeated_line():
    units = split_units("Some Page Title - Site\n\nHome\nNews\nSport\n\nSome Page Title\n\n" + para(1))
    label_units(units)
    title, same = find_title(units, 5)
    assert title == "Some Page Title"
    assert same == [0, 4]


# --- contract -------------------------------------------------------------------

def test_reason_vocabulary_is_fixed():
    assert len(set(R.REASONS)) == len(R.REASONS)
    for name in ("navigation", "section label", "repeated title", "deck", "byline", "date line",
                 "image caption", "related-article teaser", "newsletter/subscribe", "footer", "boilerplate"):
        assert name in R.REASONS


@pytest.mark.parametrize("raw", ["", "   \n\n  ", "Home", "\x00\x01", "a\n\nb"])
def test_degenerate_inputs(raw):
    result = clean_text(raw)
    assert isinstance(result, CleanedText)
    assert all(r.reason in R.REASONS for r in result.removed)


def test_to_dict_shape():
    result = clean_text((SEEDS / "004_e6e3561ab3eac563.txt").read_text(encoding="utf-8"))
    d = result.to_dict()
    assert list(d) == ["title", "author", "date", "body", "removed", "paywall"]
    assert d["paywall"] is None
    assert d["date"] == "2020-01-17"
    assert json.loads(json.dumps(d)) == d
    assert all(r["reason"] in R.REASONS for r in d["removed"])


# --- seeds ----------------------------------------------------------------------

SEED_EXPECTATIONS = [
    ("000_5bbd669c0e0ac039", 14, "The Trump administration’s strategic miscalculation",
     "to solve regional and bilateral problems.",
     "The Assassination of Qassem Soleimani Institutionalizes Anti-American Sentiment in Iran", None, None),
    ("004_e6e3561ab3eac563", 17, "On Jan. 8, Iran launched 16 missiles",
     "steps will have to be taken to diminish the hate.",
     "US-Iran Relations after Soleimani", "Jin Liangxiang", dt.date(2020, 1, 17)),
]


@pytest.mark.parametrize("name, count, first, last, title, author, date", SEED_EXPECTATIONS)
def test_seed(name, count, first, last, title, author, date):
    path = SEEDS / f"{name}.txt"
    if not path.exists():
        pytest.skip("seed corpus not present")
    result = clean_text(path.read_text(encoding="utf-8"))
    paragraphs = result.body.split("\n\n")
    assert len(paragraphs) == count
    assert paragraphs[0].startswith(first)
    assert paragraphs[-1].endswith(last)
    assert "\n\n\n" not in result.body
    assert result.title == title
    assert result.author == author
    assert result.date == date
    assert all(r.reason in R.REASONS for r in result.removed)


def test_seed_removal_reasons():
    result = clean_text((SEEDS / "004_e6e3561ab3eac563.txt").read_text(encoding="utf-8"))
    by_reason = {r.reason for r in result.removed}
    assert {R.TITLE, R.DATE_LINE, R.BYLINE, R.IMAGE_CAPTION}.issubset(by_reason)


# --- HTML path ------------------------------------------------------------------

def test_clean_html_fixture():
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    result = clean_html(html)
    paragraphs = result.body.split("\n\n")
    assert paragraphs[0].startswith("After three years of debate")
    assert paragraphs[-1].endswith("before the summer.")
    assert "Work is expected to begin in the autumn." in paragraphs
    assert "“It’s the first thing sailors see when they come home,”" in result.body
    for junk in ("Related stories", "Privacy policy", "Ferry timetable", "All rights reserved"):
        assert junk not in result.body
    assert result.title == "Harbour Town Votes to Restore Its Old Lighthouse"
    assert result.author == "Maria Okafor"
    assert result.date == dt.date(2021, 3, 14)
    assert clean_html(html.encode("utf-8")).body == result.body


def test_clean_html_degenerate():
    assert clean_html("").body == ""
    assert isinstance(clean_html("<html><body></body></html>"), CleanedText)


# --- quality gate -----------------------------------------------------------------

def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_cleaning", REPO / "benchmarks" / "cleaning.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not DEV.is_dir(), reason="dev benchmark split not present beside the repo")
def test_quality_gate_dev_split():
    bench = _bench_module()
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    pred = bench.predict(DEV, sorted(truth), html=False)
    metrics, _ = bench.score(truth, pred)
    assert metrics["pages"] == len(truth)
    assert metrics["f1"] >= 0.95, metrics


def test_grouped_cv_keeps_each_site_on_one_side(tmp_path, monkeypatch):
    bench = _bench_module()
    monkeypatch.setattr(bench, "GRID", dict(list(bench.GRID.items())[:1]))  # one threshold, to stay fast
    (tmp_path / "text").mkdir()
    body = ("The council voted on Tuesday to restore the old lighthouse at the mouth of the bay.\n\n"
            "Residents will be asked to contribute through a voluntary levy on harbour moorings.")
    truth = {}
    for i, host in enumerate(["https://www.a.example/x", "https://a.example/y", "https://b.example/z",
                              "https://c.example/w"]):
        key = f"page{i}"
        (tmp_path / "text" / f"{key}.txt").write_text(f"Home\n\nNews\n\n{body}\n\nCopyright 2020", encoding="utf-8")
        truth[key] = {"articleBody": body, "url": host}
    assert bench.site(truth["page0"], "page0") == bench.site(truth["page1"], "page1") == "a.example"
    cv = bench.grouped_cv(truth, tmp_path, html=False, single_newline=False, k=3)
    assert cv["sites"] == 3 and len(cv["fold_f1"]) == 3 and len(cv["chosen"]) == 3
    assert cv["f1"] == pytest.approx(1.0)
    assert set(cv["chosen"][0]) == {name for _, name in bench.GRID}


def test_group_folds_partition_pages_by_site():
    bench = _bench_module()
    groups = ["a", "a", "a", "b", "b", "c", "d", "e"]
    folds = bench.group_folds(groups, 3)
    assert sorted(i for _, test in folds for i in test) == list(range(len(groups)))
    for train, test in folds:
        assert not {groups[i] for i in train} & {groups[i] for i in test}
        assert sorted(train + test) == list(range(len(groups)))
