"""Scoring against a coded benchmark: counts, excerpt bootstrap, row selection, grouped CV, and the
benchmark script's handling of a missing cache and of a tiny hand-built benchmark."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textcompare.framing.evaluation import (cross_validate_rows, predict_frames, score_coders, score_frames,
                                            select_rows, split_groups)

ROOT = Path(__file__).resolve().parents[1]
FRAMES = ["a", "b"]


def test_score_frames_counts_match_a_hand_table():
    gold = [{"a"}, {"a", "b"}, set(), {"b"}]
    pred = [{"a"}, {"a"}, {"b"}, {"b"}]
    table = score_frames(gold, pred, ["x", "x", "y", "y"], FRAMES, n_resamples=200).set_index("frame")
    assert table.loc["a", ["tp", "fp", "fn"]].tolist() == [2, 0, 0]
    assert table.loc["b", ["tp", "fp", "fn"]].tolist() == [1, 1, 1]
    assert table.loc["b", "f1"] == pytest.approx(0.5)
    assert table.loc["macro", "f1"] == pytest.approx(0.75)
    assert table.loc["micro", "f1"] == pytest.approx(2 * 3 / (2 * 3 + 1 + 1))
    for frame in ("a", "b", "macro", "micro"):
        assert table.loc[frame, "f1_low"] <= table.loc[frame, "f1"] + 1e-9 <= table.loc[frame, "f1_high"] + 2e-9


def test_bootstrap_resamples_excerpts_not_sentences():
    """With one excerpt the interval collapses to the point: sentences of an excerpt move together."""
    gold = [{"a"}, set(), {"a"}, set()]
    pred = [{"a"}, {"a"}, set(), set()]
    one = score_frames(gold, pred, ["x"] * 4, ["a"], n_resamples=200).set_index("frame")
    assert one.loc["a", "f1_low"] == one.loc["a", "f1_high"] == pytest.approx(0.5)
    many = score_frames(gold, pred, ["w", "x", "y", "z"], ["a"], n_resamples=200).set_index("frame")
    assert many.loc["a", "f1_low"] < many.loc["a", "f1_high"]


def test_select_rows_drops_only_frequent_imprecise_rows():
    hits = [{("a", "good")}] * 4 + [{("a", "bad")}] * 4 + [{("a", "rare")}]
    gold = [{"a"}] * 4 + [set()] * 3 + [{"a"}] + [set()]
    assert select_rows(hits, gold, min_hits=3, min_precision=0.4) == {("a", "bad")}
    assert predict_frames(hits, {("a", "bad")})[4] == set()


def test_split_groups_keeps_each_excerpt_in_one_fold():
    groups = ["g1", "g1", "g2", "g3", "g3", "g3", "g4", "g5"]
    folds = split_groups(groups, 3, seed=1)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(groups)))
    for fold in folds:
        inside = {groups[i] for i in fold}
        assert all(groups[i] not in inside for other in folds if other is not fold for i in other)


def test_cross_validation_never_tunes_on_the_scored_excerpt():
    """Row 'r' is wrong only in excerpt 'e1'. When e1 is scored, it was selected on the others, where
    'r' is right, so it is kept; in-sample selection would have dropped it."""
    hits = [{("a", "r")}] * 10
    gold = [set()] * 6 + [{"a"}] * 4
    groups = ["e1"] * 6 + ["e2", "e3", "e4", "e5"]
    predicted, dropped = cross_validate_rows(hits, gold, groups, n_folds=5, seed=0, min_hits=3, min_precision=0.5)
    assert select_rows(hits, gold, min_hits=3, min_precision=0.5) == {("a", "r")}
    assert all(p == {"a"} for p, g in zip(predicted, groups) if g == "e1")
    assert sum(bool(d) for d in dropped) == 4


def test_score_coders_is_one_when_coders_agree():
    coder = [{"a"}, {"b"}, set()]
    table = score_coders([coder, coder, coder], ["x", "y", "z"], FRAMES, n_resamples=100).set_index("frame")
    assert table.loc["macro", "f1"] == pytest.approx(1.0)


def _run(*args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "framing.py"), *args],
                          capture_output=True, text=True, env=env, timeout=300)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _hand_benchmark(tmp_path: Path) -> tuple[Path, Path]:
    sentences = [("01", "0", "Iran vowed revenge and fired missiles.", "escalation"),
                 ("01", "1", "The two governments returned to the negotiating table.", "diplomacy"),
                 ("02", "0", "Sanctions squeezed the economy.", "pressure"),
                 ("02", "1", "The weather was mild.", ""),
                 ("03", "0", "Oman offered to mediate between them.", "mediation"),
                 ("03", "1", "Neither side wants war.", "deescalation")]
    labels, cache = tmp_path / "labels", tmp_path / "cache"
    labels.mkdir()
    cache.mkdir()
    _write(labels / "labels.csv", ["nn", "sent_id", "frames", "coder1", "coder2", "coder3"],
           [[nn, k, f, f, f, f] for nn, k, _, f in sentences])
    _write(labels / "sentence_hashes.csv", ["nn", "sent_id", "sha1", "words"],
           [[nn, k, hashlib.sha1(t.encode()).hexdigest(), str(len(t.split()))] for nn, k, t, _ in sentences])
    _write(cache / "sentences.csv", ["nn", "sent_id", "sentence"], [[nn, k, t] for nn, k, t, _ in sentences[:-1]])
    return labels, cache


def test_benchmark_fails_with_one_line_when_the_cache_is_missing(tmp_path):
    labels, _ = _hand_benchmark(tmp_path)
    result = _run(str(labels), "--cache", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "cache is missing" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.model
def test_benchmark_on_a_hand_built_set_ends_with_json(tmp_path):
    labels, cache = _hand_benchmark(tmp_path)
    result = _run(str(labels), "--cache", str(cache), "--folds", "3", "--resamples", "100")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["sentences"] == 6 and summary["excerpts"] == 3
    assert summary["missing"] == 1  # the last sentence is not in the cache: counted as missed
    assert summary["ceiling"]["macro_f1"] == 1.0
    assert summary["whole_set_shipped"]["per_frame"]["deescalation"]["r"] == 0.0
    assert summary["whole_set_shipped"]["per_frame"]["escalation"]["f1"] == 1.0
    assert "CROSS-VALIDATED" in result.stdout
