"""The analysis commands end to end on the built seed corpus (in-process, through ``main``)."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from textcompare.cli import main

pytestmark = pytest.mark.model
SEED_A, SEED_B = "000_5bbd669c0e0ac039", "004_e6e3561ab3eac563"
REQUIRED_KEYNESS = ["term", "group_a", "group_b", "count_a", "count_b", "total_a", "total_b", "g2", "p_value",
                    "log_ratio", "pct_diff", "fw_z"]


def _csv(capsys, argv):
    assert main(argv + ["--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False, na_values=[""])


def test_keyness_csv_has_one_row_per_tested_term(built_corpus, capsys):
    table = _csv(capsys, ["keyness", "--by", "outlet", "--corpus", str(built_corpus)])
    assert all(c in table.columns for c in REQUIRED_KEYNESS)
    assert len(table) == table["n_tested"].iloc[0] and table["term"].is_unique
    assert set(table["group_a"]) == {"China-US Focus"} and set(table["group_b"]) == {"Responsible Statecraft"}


def test_keyness_groups_order_and_table_top(built_corpus, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for the whole comparison label
    table = _csv(capsys, ["keyness", "--corpus", str(built_corpus), "--groups", "Responsible Statecraft", "China-US Focus"])
    assert set(table["group_a"]) == {"Responsible Statecraft"}
    assert main(["keyness", "--corpus", str(built_corpus), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "n_tested" in out and out.count("China-US Focus vs Responsible Statecraft") == 6


def test_unknown_group_or_doc_id_lists_valid_values(built_corpus, capsys):
    assert main(["keyness", "--corpus", str(built_corpus), "--groups", "Nope", "China-US Focus"]) == 2
    err = capsys.readouterr().err
    assert "Nope" in err and "Responsible Statecraft" in err and "Traceback" not in err
    assert main(["terms", "nope", "--corpus", str(built_corpus)]) == 2
    assert SEED_A in capsys.readouterr().err
    assert main(["entities", "--by", "colour", "--corpus", str(built_corpus)]) == 2
    assert "outlet" in capsys.readouterr().err


def test_entities_csv(built_corpus, capsys):
    table = _csv(capsys, ["entities", "--by", "outlet", "--corpus", str(built_corpus)])
    assert list(table.columns)[:6] == ["group", "actor", "label", "mentions", "per_1k", "n_docs"]
    top = table.sort_values("mentions", ascending=False).groupby("group").head(1)
    assert set(top["actor"]) <= {"Iran", "United States"}
    demonyms = _csv(capsys, ["entities", "--kind", "demonym", "--corpus", str(built_corpus)])
    assert "anti-American" in set(demonyms["actor"])


def test_terms_kwic_collocations(built_corpus, capsys):
    terms = _csv(capsys, ["terms", SEED_B, "--method", "noun_phrases", "--top", "5", "--corpus", str(built_corpus)])
    assert len(terms) == 5 and set(terms["doc_id"]) == {SEED_B}
    hits = _csv(capsys, ["kwic", "maximum pressure", "--unit", "lower", "--sentence", "--corpus", str(built_corpus)])
    assert len(hits) >= 3 and list(hits.columns)[:7] == ["group", "doc_id", "paragraph_id", "sent_id", "left", "match",
                                                         "right"]
    coll = _csv(capsys, ["collocations", "pressure", "--window", "3", "--corpus", str(built_corpus)])
    assert coll.iloc[0]["collocate"] == "maximum"


def test_help_shows_examples(capsys):
    for command in ("entities", "keyness", "terms", "kwic", "collocations"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "example:" in out and "--corpus" in out and "--format" in out


def test_kwic_by_group_filter_and_sort(built_corpus, capsys):
    lines = _csv(capsys, ["kwic", "iran", "--corpus", str(built_corpus), "--groups", "China-US Focus", "--sort", "right",
                              "--raw-csv"])
    assert len(lines) >= 3 and set(lines["group"]) == {"China-US Focus"}
    rights = lines["right"].fillna("").str.lower().tolist()
    assert rights == sorted(rights)
    lefts = _csv(capsys, ["kwic", "iran", "--corpus", str(built_corpus), "--sort", "left"])["left"].fillna("")
    nearest = [" ".join(reversed(t.lower().split())) for t in lefts]
    assert nearest == sorted(nearest) and set(lefts) != set()


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("argv", [["list"], ["kwic", "iran"], ["entities", "--mentions"], ["keyness"]])
def test_table_output_fits_the_terminal(built_corpus, capsys, monkeypatch, argv, width):
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(argv + ["--corpus", str(built_corpus)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 3 and max(len(line) for line in lines) <= width


def test_columns_option_chooses_and_checks_columns(built_corpus, capsys):
    assert main(["kwic", "iran", "--corpus", str(built_corpus), "--columns", "doc_id,match"]) == 0
    assert capsys.readouterr().out.split("\n")[0].split() == ["doc_id", "match"]
    assert main(["kwic", "iran", "--corpus", str(built_corpus), "--columns", "nope"]) == 2
    assert "unknown column(s) nope" in capsys.readouterr().err
