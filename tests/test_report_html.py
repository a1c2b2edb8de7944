"""report.html parts that need no corpus: design caveats, the table of contents, figure links."""
from __future__ import annotations

import pandas as pd

from textcompare.report.html import FIGURE_SOURCES, _toc, fallback_design_caveats


def _articles(authors: list[str], outlets: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    ids = [f"d{k}" for k in range(len(authors))]
    return (pd.DataFrame({"id": ids, "author": authors, "outlet": outlets}),
            pd.Series(outlets, index=ids, dtype=str))


def test_design_caveats_name_single_document_groups_and_confounding():
    articles, groups = _articles(["Ann", "Ann", "Bo", "Cy"], ["P", "P", "Q", "R"])
    text = " ".join(fallback_design_caveats(articles, groups, "outlet"))
    assert "4 documents in 3 groups by outlet (P: 2, Q: 1, R: 1)" in text
    assert "2 of 3 groups have a single document (Q, R)" in text
    assert "confounded with author" in text


def test_design_caveats_stay_quiet_when_groups_mix_authors():
    articles, groups = _articles(["Ann", "Bo", "Ann", "Bo"], ["P", "P", "Q", "Q"])
    text = " ".join(fallback_design_caveats(articles, groups, "outlet"))
    assert "single document" not in text and "confounded" not in text


def test_contents_list_every_figure_and_every_figure_has_a_table():
    toc = _toc({name: [] for name in FIGURE_SOURCES})
    assert all(f'href="#fig-{name}"' in toc for name in FIGURE_SOURCES)
    assert all(table for table, _ in FIGURE_SOURCES.values())
