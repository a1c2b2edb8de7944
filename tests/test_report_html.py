"""report.html parts that need no corpus: design caveats, the table of contents, figure links."""
from __future__ import annotations

import pandas as pd

from textcompare.findings import render_caveats
from textcompare.report.html import FIGURE_SOURCES, _toc


def _articles(authors: list[str], outlets: list[str]) -> pd.DataFrame:
    ids = [f"d{k}" for k in range(len(authors))]
    return pd.DataFrame({"id": ids, "author": authors, "outlet": outlets, "words_clean": [1000] * len(ids)})


def test_design_caveats_name_single_document_groups_and_confounding():
    articles = _articles(["Ann", "Ann", "Bo", "Cy"], ["P", "P", "Q", "R"])
    text = " ".join(render_caveats({"articles": articles}, by="outlet"))
    assert "P 2 documents (2,000 words), Q 1 document (1,000 words), R 1 document (1,000 words)" in text
    assert "A group with one document makes every comparison it is in a description of texts" in text
    assert "confounded with author" in text


def test_design_caveats_stay_quiet_when_groups_mix_authors():
    articles = _articles(["Ann", "Bo", "Ann", "Bo"], ["P", "P", "Q", "Q"])
    text = " ".join(render_caveats({"articles": articles}, by="outlet"))
    assert "one document" not in text and "confounded" not in text


def test_contents_list_every_figure_and_every_figure_has_a_table():
    toc = _toc({name: [] for name in FIGURE_SOURCES})
    assert all(f'href="#fig-{name}"' in toc for name in FIGURE_SOURCES)
    assert all(table for table, _ in FIGURE_SOURCES.values())
