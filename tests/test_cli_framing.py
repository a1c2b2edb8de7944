"""The framing commands: columns, evidence, clear errors for unknown frames and groups."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from textcompare.cli import main

pytestmark = pytest.mark.model


def _csv(capsys, argv):
    assert main(argv) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_frames_csv_has_one_row_per_group_and_frame(built_corpus, capsys):
    table = _csv(capsys, ["frames", "--corpus", str(built_corpus), "--format", "csv", "--resamples", "199"])
    for column in ("group", "frame", "sentences", "per_1k", "ci_low", "ci_high", "p_value", "frame_type", "share",
                   "n_sentences", "words", "log2_ratio", "caveat"):
        assert column in table.columns
    assert len(table) == 2 * table["frame"].nunique()
    assert set(table["frame_type"]) == {"case", "policy"}
    assert set(table["group"]) == {"Responsible Statecraft", "China-US Focus"}
    assert (table["per_1k"] == 1000 * table["hits"] / table["words"]).all()


def test_evidence_lists_the_sentences_behind_a_frame(built_corpus, capsys):
    table = _csv(capsys, ["evidence", "deescalation", "--corpus", str(built_corpus), "--group", "China-US Focus",
                          "--format", "csv"])
    assert list(table.columns) == ["group", "doc_id", "sent_id", "frames", "matches", "sentence", "marked"]
    assert set(table["group"]) == {"China-US Focus"} and len(table) >= 3
    assert not table.duplicated(["doc_id", "sent_id"]).any()  # each sentence once
    assert all("deescalation" in f.split(", ") for f in table["frames"])
    for matches, marked in zip(table["matches"], table["marked"]):  # every lexicon hit marked
        segments = [part.split("»")[0].lower() for part in marked.split("«")[1:]]
        words = [m for m in matches.split(", ") if " model: p=" not in m]  # model rows match no words
        assert all(any(m.lower() in seg for seg in segments) for m in words)
        assert marked.count("«") == marked.count("»") >= (1 if words else 0)


@pytest.mark.parametrize("argv, needle", [
    (["evidence", "nosuchframe"], "valid frames: enmity"),
    (["evidence", "enmity", "--group", "Nowhere"], "valid groups: China-US Focus, Responsible Statecraft"),
    (["agency", "--verb-class", "bogus"], "valid: coerce_attack"),
])
def test_unknown_values_give_a_clear_error(built_corpus, capsys, argv, needle):
    assert main(argv + ["--corpus", str(built_corpus)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


@pytest.mark.parametrize("argv, columns", [
    (["functions", "--resamples", "99"], {"group", "function", "per_1k", "p_value"}),
    (["agency"], {"group", "actor", "agent", "patient", "agent_share"}),
    (["stance", "--resamples", "99"], {"group", "marker", "per_1k", "ci_low"}),
    (["stance", "--actors", "--resamples", "99"], {"group", "actor", "compound_mean"}),
    (["align", "--aligned-only"], {"doc_id", "other_doc_id", "similarity", "shared_terms"}),
])
def test_other_commands_print_their_tables(built_corpus, capsys, argv, columns):
    table = _csv(capsys, argv + ["--corpus", str(built_corpus), "--format", "csv"])
    assert columns <= set(table.columns) and len(table) > 0
