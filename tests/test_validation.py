"""Validation: coding sheets, scoring, agreement, PPI, the coding session, the loop end to end."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textcompare.errors import InputError
from textcompare.validation import (CodingSession, apply_frame_codes, build_sample_sheet, estimate_frame_prevalence,
                                    extract_errors, gold_codes, load_coding_sheet, load_coding_sheets, ppi_mean,
                                    ppi_stratified, save_sheet, score_agreement, score_validation, sheet_columns)
from textcompare.validation.sheet import allocate, meta_path, sample_strata

REPO = Path(__file__).resolve().parents[1]
ILLUSTRATIVE = REPO / "notebooks" / "data" / "validation"
FRAMES = ["alpha_frame", "beta_frame", "rare_frame"]


def _predicted(n_docs: int = 4, n_sent: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(n_docs):
        for s in range(n_sent):
            rows.append({"doc_id": f"doc{d}", "sent_id": s, "sentence": f"Sentence {s} of doc {d}.",
                         "alpha_frame": int(rng.random() < 0.4), "beta_frame": int(rng.random() < 0.3),
                         "rare_frame": int(d == 0 and s == 7)})
    return pd.DataFrame(rows)


def _groups(table: pd.DataFrame) -> pd.Series:
    ids = sorted(table["doc_id"].unique())
    return pd.Series({d: ("left" if k % 2 == 0 else "right") for k, d in enumerate(ids)})


# --- sheets ---------------------------------------------------------------------------------

@pytest.mark.parametrize("sizes, n, expected_total", [
    ({"a": 100, "b": 2, "c": 1}, 10, 10),
    ({"a": 3, "b": 2}, 50, 5),
    ({"a": 10}, 4, 4),
])
def test_allocate_fills_rare_strata_and_respects_sizes(sizes, n, expected_total):
    take = allocate(sizes, n)
    assert sum(take.values()) == expected_total
    assert all(0 <= take[k] <= sizes[k] for k in sizes)
    if n >= len(sizes):
        assert all(take[k] >= 1 for k in sizes)


def test_sample_strata_puts_each_sentence_in_its_rarest_predicted_frame():
    table = pd.DataFrame({"f": [1, 1, 1, 0], "g": [0, 1, 0, 0]})
    assert sample_strata(table, ["f", "g"]).tolist() == ["f", "g", "f", "(none)"]


def test_sample_sheet_is_blind_stratified_and_reproducible():
    predicted = _predicted()
    groups = _groups(predicted)
    sheet = build_sample_sheet(predicted, predicted, groups, n=20, seed=3, frames=FRAMES)
    assert list(sheet.columns) == sheet_columns(FRAMES)
    assert len(sheet) == 20
    assert (sheet[FRAMES + ["coder"]] == "").all().all()  # blind: no predictions, nothing coded
    assert sheet["group"].value_counts().to_dict() == {"left": 10, "right": 10}
    assert "doc0:7" in set(sheet["sent_key"])  # the only rare-frame sentence is drawn
    assert sheet["sent_key"].is_unique
    row = sheet[sheet["sent_key"] == "doc0:7"].iloc[0]
    assert (row["before"], row["after"]) == ("Sentence 6 of doc 0.", "Sentence 8 of doc 0.")
    again = build_sample_sheet(predicted, predicted, groups, n=20, seed=3, frames=FRAMES)
    other = build_sample_sheet(predicted, predicted, groups, n=20, seed=4, frames=FRAMES)
    pd.testing.assert_frame_equal(sheet, again)
    assert not sheet["sent_key"].equals(other["sent_key"])


def test_sheet_roundtrip_with_provenance_sidecar(tmp_path):
    predicted = _predicted()
    sheet = build_sample_sheet(predicted, predicted, _groups(predicted), n=6, seed=0, frames=FRAMES)
    sheet.loc[0, ["alpha_frame", "coder"]] = ["1", "ana"]
    path = save_sheet(sheet, tmp_path / "sheet.csv", meta={"codebook_version": "x1", "tagger_version": "t1"})
    assert json.loads(meta_path(path).read_text())["codebook_version"] == "x1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.csv", "sheet.csv.meta.json"]
    loaded = load_coding_sheet(path, frames=FRAMES)
    assert loaded.loc[0, FRAMES].tolist() == [1, 0, 0]       # empty cells of a coded row mean 0
    assert (loaded.loc[1:, FRAMES] == -1).all().all()        # uncoded rows are marked -1
    assert len(load_coding_sheets([path], frames=FRAMES)) == 1


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.assign(alpha_frame=["2"] + [""] * (len(t) - 1)), "row 2, column alpha_frame"),
    (lambda t: t.drop(columns=["rare_frame"]), "lacks column(s) rare_frame"),
    (lambda t: pd.concat([t.iloc[:1], t.iloc[:1]]).assign(coder="ana"), "coded twice by the same coder"),
    (lambda t: t.assign(sent_key="nocolon"), "bad sent_key"),
])
def test_bad_sheets_fail_with_the_file_and_the_problem(tmp_path, edit, message):
    predicted = _predicted()
    sheet = build_sample_sheet(predicted, predicted, _groups(predicted), n=4, seed=0, frames=FRAMES)
    path = tmp_path / "bad.csv"
    edit(sheet).to_csv(path, index=False)
    with pytest.raises(InputError) as info:
        load_coding_sheet(path, frames=FRAMES)
    assert message in str(info.value) and "bad.csv" in str(info.value)


def test_apply_frame_codes_codes_matching_sentences(tmp_path):
    predicted = _predicted()
    sheet = build_sample_sheet(predicted, predicted, _groups(predicted), n=8, seed=0, frames=FRAMES)
    path = save_sheet(sheet, tmp_path / "sheet.csv")
    first = sheet.loc[0, "sentence"]
    pd.DataFrame({"sentence": ["  " + first.replace(" ", "  "), "Not in the sheet."],
                  "frames": ["alpha_frame|rare_frame", ""]}).to_csv(tmp_path / "codes.csv", index=False)
    assert apply_frame_codes(path, tmp_path / "codes.csv", coder="file", frames=FRAMES) == 1
    coded = load_coding_sheets(path, frames=FRAMES)
    assert coded.loc[0, FRAMES].tolist() == [1, 0, 1] and coded.loc[0, "coder"] == "file"


# --- scores ---------------------------------------------------------------------------------

def _joined() -> pd.DataFrame:
    # gold and predictions for 6 sentences in 2 documents; frame f: tp=2, fp=1, fn=1, tn=2
    return pd.DataFrame({
        "sent_key": [f"d{k // 3}:{k % 3}" for k in range(6)], "doc_id": ["d0"] * 3 + ["d1"] * 3,
        "sentence": [f"s{k}" for k in range(6)],
        "f": [1, 1, 1, 0, 0, 0], "f_pred": [1, 1, 0, 1, 0, 0],
        "g": [0, 0, 0, 0, 0, 0], "g_pred": [0, 0, 0, 0, 0, 0],
    })


def test_score_validation_matches_a_hand_count():
    table = score_validation(_joined(), ["f", "g"], n_resamples=300, seed=1).set_index("frame")
    f = table.loc["f"]
    assert (f["tp"], f["fp"], f["fn"], f["tn"]) == (2, 1, 1, 2)
    assert f["precision"] == pytest.approx(2 / 3) and f["recall"] == pytest.approx(2 / 3)
    assert f["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))
    assert f["f1_ci_low"] <= f["f1"] <= f["f1_ci_high"]
    assert np.isnan(table.loc["g", "precision"]) and np.isnan(table.loc["g", "f1"])  # nothing to find, nothing found
    assert table.loc["micro", "tp"] == 2 and f["n_documents"] == 2
    again = score_validation(_joined(), ["f", "g"], n_resamples=300, seed=1).set_index("frame")
    pd.testing.assert_frame_equal(table, again)


def test_extract_errors_lists_false_positives_and_negatives():
    errors = extract_errors(_joined(), ["f", "g"])
    assert errors[["sent_key", "error"]].values.tolist() == [["d0:2", "false_negative"], ["d1:0", "false_positive"]]


def test_krippendorff_alpha_and_coder_f1_against_hand_computation():
    # coder A: 1 1 0 0, coder B: 1 0 0 0 on four sentences. Coincidences: o11=2, o10=o01=1, o00=4;
    # n=8, n1=3, n0=5: alpha = 1 - (n-1) * (o10+o01) / (2 * n1 * n0) = 1 - 7*2/30.
    coded = pd.DataFrame({
        "sent_key": [f"d:{k}" for k in range(4)] * 2, "coder": ["A"] * 4 + ["B"] * 4,
        "f": [1, 1, 0, 0, 1, 0, 0, 0],
    })
    table = score_agreement(coded, ["f"])
    assert table.loc[0, "alpha"] == pytest.approx(1 - 14 / 30)
    assert table.loc[0, "f1"] == pytest.approx(2 / 3)
    gold = gold_codes(coded.assign(doc_id="d", sentence="x"), ["f"])
    assert gold["f"].tolist() == [1, 1, 0, 0]  # a tie between two coders counts as present
    assert score_agreement(coded[coded["coder"] == "A"], ["f"]).empty


# --- PPI ------------------------------------------------------------------------------------

def test_ppi_mean_against_the_formula():
    rng = np.random.default_rng(0)
    f_all = (rng.random(400) < 0.3).astype(float)
    idx = rng.choice(400, 60, replace=False)
    y = np.where(rng.random(60) < 0.8, f_all[idx], 1 - f_all[idx])
    r = ppi_mean(f_all, f_all[idx], y)
    assert r["estimate"] == pytest.approx(f_all.mean() + (y - f_all[idx]).mean())
    se = np.sqrt(f_all.var(ddof=1) / 400 + (y - f_all[idx]).var(ddof=1) / 60)
    assert r["se"] == pytest.approx(se)
    assert r["ci_high"] - r["ci_low"] == pytest.approx(2 * 1.959964 * se, rel=1e-5)
    assert ppi_mean(f_all, f_all[idx], y, lam=0)["estimate"] == pytest.approx(y.mean())
    tuned = ppi_mean(f_all, f_all[idx], y, lam="tune")
    assert 0 <= tuned["lam"] <= 1 and tuned["se"] <= r["se"] + 1e-12


def test_ppi_stratified_is_the_stratified_mean_when_strata_are_the_predictions():
    f = np.array([1] * 20 + [0] * 80)
    y_in = {1: np.array([1, 1, 0, 1]), 0: np.array([0, 1, 0, 0, 0])}
    pred_lab = np.array([1] * 4 + [0] * 5)
    y_lab = np.concatenate([y_in[1], y_in[0]])
    r = ppi_stratified(f, f, pred_lab, y_lab, pred_lab)
    assert r["estimate"] == pytest.approx(0.2 * 0.75 + 0.8 * 0.2)


def test_corrected_prevalence_recovers_a_census_and_moves_away_from_a_biased_tagger():
    predicted = _predicted(n_docs=2, n_sent=60)
    truth = predicted.copy()
    truth["alpha_frame"] = np.where(np.arange(len(truth)) % 4 == 0, 1, 0)  # the tagger is wrong a lot
    gold = truth.assign(sent_key=[f"{d}:{s}" for d, s in zip(truth["doc_id"], truth["sent_id"])])
    table = estimate_frame_prevalence(predicted, gold, _groups(predicted), frames=FRAMES).set_index(["group", "frame"])
    left = table.loc[("left", "alpha_frame")]
    assert left["corrected_share"] == pytest.approx(truth.loc[truth["doc_id"] == "doc0", "alpha_frame"].mean())
    assert left["raw_share"] == pytest.approx(predicted.loc[predicted["doc_id"] == "doc0", "alpha_frame"].mean())
    assert left["interval"] == "clt" and "fewer than 5 documents" in left["caveat"]
    assert left["corrected_ci_low"] <= left["corrected_share"] <= left["corrected_ci_high"]


def test_corrected_prevalence_resamples_documents_when_a_group_has_five():
    predicted = _predicted(n_docs=10, n_sent=20)
    sample = predicted.sample(80, random_state=0)
    gold = sample.assign(sent_key=[f"{d}:{s}" for d, s in zip(sample["doc_id"], sample["sent_id"])])
    kwargs = dict(frames=["alpha_frame"], n_resamples=200, seed=2)
    table = estimate_frame_prevalence(predicted, gold, _groups(predicted), **kwargs)
    assert set(table["interval"]) == {"document_bootstrap"} and (table["caveat"] == "").all()
    assert (table["ci_width"] > 0).all()
    pd.testing.assert_frame_equal(table, estimate_frame_prevalence(predicted, gold, _groups(predicted), **kwargs))


# --- the coding session (the widget's logic, headless) ---------------------------------------

def test_coding_session_saves_atomically_and_resumes(tmp_path):
    predicted = _predicted()
    sheet = build_sample_sheet(predicted, predicted, _groups(predicted), n=5, seed=0, frames=FRAMES)
    path = save_sheet(sheet, tmp_path / "sheet.csv")
    session = CodingSession(path, coder="ana", frames=FRAMES)
    assert session.position == 0 and session.current()["sentence"] == sheet.loc[0, "sentence"]
    session.record({"alpha_frame"})
    session.record_keys("2 3")
    with pytest.raises(InputError):
        session.record_keys("9")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.csv"]  # no temporary file left behind
    resumed = CodingSession(path, coder="ana", frames=FRAMES)
    assert resumed.position == 2 and resumed.n_coded == 2
    resumed.back()
    assert resumed.current()["codes"] == {"beta_frame", "rare_frame"}
    coded = load_coding_sheets(path, frames=FRAMES)
    assert coded[FRAMES].values.tolist() == [[1, 0, 0], [0, 1, 1]]
    assert set(coded["coder"]) == {"ana"}


def test_coding_widget_drives_the_session(tmp_path):
    pytest.importorskip("ipywidgets")
    from textcompare.validation import build_coding_widget

    predicted = _predicted()
    sheet = build_sample_sheet(predicted, predicted, _groups(predicted), n=3, seed=0, frames=FRAMES)
    path = save_sheet(sheet, tmp_path / "sheet.csv")
    widget = build_coding_widget(path, coder="bo", frames=FRAMES, definitions={f: f"def {f}" for f in FRAMES})
    status, text, grid, controls = widget.children
    assert [box.tooltip for box in grid.children] == [f"def {f}" for f in FRAMES]
    assert sheet.loc[0, "sentence"] in text.value
    controls.children[0].value = "1"          # keyboard: type frame numbers, Enter
    grid.children[2].value = True             # then tick a checkbox and click save
    controls.children[1].click()
    coded = load_coding_sheets(path, frames=FRAMES)
    assert coded[FRAMES].values.tolist() == [[1, 0, 0], [0, 0, 1]]
    assert "<b>2</b> of 3" in status.value


# --- classifier (JSON model) ------------------------------------------------------------------

def _toy_model():
    from textcompare.framing.classifier import FrameClassifier

    return FrameClassifier(frames=["f"], vocabulary=["war", "talk"], lexicon_frames=["f"],
                           coef=np.array([[2.0, -1.0, 0.5]]), intercept=np.array([-1.0]))


def test_classifier_json_is_byte_reproducible_and_loads(tmp_path):
    from textcompare.framing.classifier import load_frame_classifier

    model = _toy_model()
    a = model.save(tmp_path / "a")
    b = _toy_model().save(tmp_path / "b")
    assert a.read_bytes() == b.read_bytes() and a.name == "model.json"
    loaded = load_frame_classifier(tmp_path / "a")
    proba = loaded.predict_proba_features(["war", "talk", "war talk"], np.zeros((3, 1)))
    expected = 1 / (1 + np.exp(-np.array([[1.0], [-2.0], [0.0]])))
    np.testing.assert_allclose(proba, expected)
    assert loaded.version == model.version


@pytest.mark.parametrize("content", ["not json", json.dumps({"format": "other"}), json.dumps([1, 2])])
def test_bad_model_files_fail_cleanly(tmp_path, content):
    from textcompare.framing.classifier import load_frame_classifier

    (tmp_path / "model.json").write_text(content)
    with pytest.raises(InputError, match="model.json"):
        load_frame_classifier(tmp_path)


def test_cli_validate_and_sample_errors(tmp_path, capsys):
    from textcompare.cli import main

    assert main(["validate", str(tmp_path / "missing.csv"), "--corpus", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "missing.csv" in err
    (tmp_path / "taken.csv").write_text("x\n")
    assert main(["sample", "--out", str(tmp_path / "taken.csv"), "--corpus", str(tmp_path)]) == 2
    assert "taken.csv" in capsys.readouterr().err
    assert (tmp_path / "taken.csv").read_text() == "x\n"


# --- the loop end to end, with the real model -------------------------------------------------

@pytest.fixture(scope="module")
def illustrative_corpus(tmp_path_factory) -> Path:
    import textcompare as tc

    root = tmp_path_factory.mktemp("validation") / "corpus"
    for path in sorted(ILLUSTRATIVE.glob("*.txt")):
        outlet = "Harbor Review" if path.name.startswith("harbor") else "Valley Gazette"
        tc.add_article(str(path), author="Illustrative Author", outlet=outlet, date="2020-01-10", title=path.stem,
                       corpus=root)
    tc.build_corpus(root, progress=False)
    return root


@pytest.mark.model
def test_loop_end_to_end_sample_code_validate_correct_train(illustrative_corpus, tmp_path, capsys):
    import textcompare as tc
    from textcompare.cli import main

    corpus = str(illustrative_corpus)
    sheet = tmp_path / "sheet.csv"
    assert main(["sample", "--corpus", corpus, "--n", "24", "--seed", "1", "--out", str(sheet)]) == 0
    meta = json.loads(meta_path(sheet).read_text())
    assert meta["codebook_version"].startswith("definitions-") and meta["tagger_version"].startswith("lexicon-")
    frames = meta["frames"]
    coded = apply_frame_codes(sheet, ILLUSTRATIVE / "illustrative_codes.csv", coder="file", frames=frames)
    assert coded == 24  # every illustrative sentence has a code

    assert main(["validate", str(sheet), "--corpus", corpus, "--format", "csv", "--resamples", "200"]) == 0
    scores = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(scores["frame"][:len(frames)]) == frames
    gold = load_coding_sheets(sheet, frames=frames)
    assert scores.set_index("frame").loc[frames, "support"].sum() == gold[frames].to_numpy().sum()

    second = tmp_path / "second.csv"
    shutil.copy(sheet, second)
    table = pd.read_csv(second, dtype=str, keep_default_na=False)
    table["coder"] = "other"
    table.loc[0, frames] = ["1" if v == "0" else "0" for v in table.loc[0, frames]]  # disagree on one sentence
    table.to_csv(second, index=False)
    result = tc.score_coding_sheets([sheet, second], corpus, n_resamples=100)
    assert len(result.agreement) == len(frames) and (result.agreement["f1"] <= 1).all()
    assert (result.agreement["f1"] < 1).any()

    corrected = tc.compare_frames(corpus, frame_type="case", validation=sheet, n_resamples=99)
    assert {"corrected_share", "corrected_ci_low", "corrected_ci_high", "n_coded"} <= set(corrected.columns)
    assert (corrected["n_coded"] > 0).all()
    assert ((corrected["corrected_ci_low"] <= corrected["corrected_share"] + 1e-12)
            & (corrected["corrected_share"] <= corrected["corrected_ci_high"] + 1e-12)).all()

    model_dir = tmp_path / "model"
    assert main(["train", str(sheet), "--out", str(model_dir), "--folds", "3", "--format", "csv"]) == 0
    cv = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(cv["frame"]) == frames and (cv["n_folds"] == 3).all()
    first = (model_dir / "model.json").read_bytes()
    assert main(["train", str(sheet), "--out", str(model_dir), "--folds", "3"]) == 0
    assert (model_dir / "model.json").read_bytes() == first  # byte-reproducible
    capsys.readouterr()
    assert main(["frames", "--corpus", corpus, "--model", str(model_dir), "--resamples", "99", "--format", "csv"]) == 0
    frames_table = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert set(frames_table["frame"]) == set(frames)

    # per-sentence predictions and the corpus hits come from the same features and threshold
    from textcompare.framing._docs import iter_docs, sentences_of

    model = tc.load_frame_classifier(model_dir)
    hits = tc.extract_model_frames(corpus, model)
    assert not hits.empty
    doc_id, doc = next((d, doc) for d, doc in iter_docs(corpus) if d == hits["doc_id"].iloc[0])
    predicted = model.predict_docs([s.as_doc() for s in sentences_of(doc)])
    expected = {(int(i), model.frames[j]) for i, j in zip(*predicted.to_numpy().nonzero())}
    assert {(r.sent_id, r.frame) for r in hits[hits["doc_id"] == doc_id].itertuples()} == expected
