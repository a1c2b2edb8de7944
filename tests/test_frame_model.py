"""The packaged case-frame model (encoder + lexicon), its training data and its place in the tagger."""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from textcompare.errors import InputError
from textcompare.framing import frame_ids
from textcompare.framing.encoder_model import (PACKAGED_MODEL, EncoderFrameModel, load_encoder_frame_model,
                                               train_encoder_frame_model)
from textcompare.framing.lexicons import CASE_FRAMES_FILE
from textcompare.paths import data_file

REPO = Path(__file__).resolve().parents[1]
TRAINING = REPO / "training" / "case_frames" / "sentences.jsonl"
sys.path.insert(0, str(TRAINING.parent))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_packaged_model_is_well_formed_and_trained_on_the_current_data_and_lexicon():
    model = load_encoder_frame_model()
    assert model.frames == frame_ids("case")
    assert model.encoders == ["all-mpnet-base-v2"]
    assert model.coef.shape == (len(model.frames), 768 + len(model.frames))
    assert np.all((model.thresholds > 0) & (model.thresholds < 1))
    # retrain (training/case_frames/train.py) after changing the sentences or the lexicon
    assert model.meta["training_sha256"] == _sha(TRAINING), "sentences.jsonl changed: retrain the model"
    assert model.meta["lexicon_sha256"] == _sha(data_file(CASE_FRAMES_FILE)), "lexicon changed: retrain the model"
    assert PACKAGED_MODEL.stat().st_size < 1_000_000
    # the saved bytes are what to_json writes (sorted, rounded): a load-save round trip changes nothing
    assert model.to_json() == PACKAGED_MODEL.read_text(encoding="utf-8")


def test_training_sentences_are_valid_and_share_no_long_phrase_with_the_seeds():
    from train import read_training

    frames = frame_ids("case")
    texts, codes, groups = read_training(TRAINING, frames)
    assert len(texts) == len(set(texts)) and len(set(groups)) >= 100
    assert all(set(c) <= set(frames) for c in codes)
    for frame in frames:  # every frame has real support
        assert sum(frame in c for c in codes) >= 100, frame
    seeds = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in (REPO / "corpus" / "raw").iterdir())
    seed_words = re.findall(r"[a-z]+", seeds.lower())
    seed_grams = {" ".join(seed_words[i:i + 7]) for i in range(len(seed_words) - 6)}
    copied = []
    for text in texts:
        words = re.findall(r"[a-z]+", text.lower())
        if any(" ".join(words[i:i + 7]) in seed_grams for i in range(len(words) - 6)):
            copied.append(text)
    assert not copied, f"training sentences share a 7-word phrase with a seed: {copied[:3]}"


def test_read_training_names_the_bad_line(tmp_path):
    from train import read_training

    bad = tmp_path / "s.jsonl"
    bad.write_text('{"doc": "a", "sent": 0, "text": "Fine.", "frames": []}\n'
                   '{"doc": "a", "sent": 1, "text": "Bad.", "frames": ["war"]}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_training(bad, frame_ids("case"))


@pytest.mark.parametrize("payload, message", [
    ("not json", "not a JSON model"),
    (json.dumps({"format": "other"}), "not a textcompare-encoder-frame-model"),
    (json.dumps({"format": "textcompare-encoder-frame-model/1", "frames": ["enmity"], "encoders": ["x"],
                 "coef": {"enmity": [1.0, 2.0]}, "intercept": {"enmity": 0.0},
                 "thresholds": {"enmity": 1.5}}), "malformed model"),
])
def test_a_bad_model_file_is_a_clear_error(tmp_path, payload, message):
    path = tmp_path / "model.json"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_encoder_frame_model(path)


def test_training_picks_thresholds_out_of_fold_and_learns_a_separable_frame():
    rng = np.random.default_rng(0)
    n, dim = 300, 8
    emb = rng.normal(size=(n, dim))
    y = np.stack([(emb[:, 0] > 0.5), (emb[:, 1] > 0)], axis=1).astype(int)
    counts = np.zeros((n, 2))
    groups = [f"g{i // 10}" for i in range(n)]
    model = train_encoder_frame_model(emb, counts, y, groups, ["a", "b"], encoders=["toy"], n_folds=5)
    proba = model.proba_from_features(emb, counts)
    pred = proba >= model.thresholds
    assert (pred == y.astype(bool)).mean() > 0.9
    assert list(model.cv["frame"]) == ["a", "b"] and model.cv["f1"].min() > 0.8
    again = EncoderFrameModel(**{k: getattr(model, k) for k in ("frames", "encoders", "coef", "intercept", "thresholds",
                                                                  "cv", "meta")})
    assert again.to_json() == model.to_json()
    with pytest.raises(InputError, match="groups"):
        train_encoder_frame_model(emb[:20], counts[:20], y[:20], ["g"] * 20, ["a", "b"], encoders=["toy"])


def test_unknown_tagger_is_refused():
    from textcompare.framing.frames import check_tagger

    with pytest.raises(InputError, match="unknown frame tagger"):
        check_tagger("bert")


# --- the real encoder and the real spaCy pipeline -------------------------------------------

@pytest.fixture(scope="module")
def tagged(nlp):
    from textcompare.framing.frames import tag_doc_frames

    def run(text: str, tagger: str = "model"):
        hits = tag_doc_frames(nlp(text), tagger=tagger)
        return hits, set(hits.loc[hits["counted"], "frame"])
    return run


@pytest.mark.model
@pytest.mark.parametrize("text, present, absent", [
    ("Neither Washington nor Tehran wants a war, and both have quietly signalled restraint.",
     {"deescalation"}, {"escalation"}),
    ("The Treasury announced sweeping new sanctions on the country's oil exports and central bank.",
     {"pressure"}, {"escalation", "mediation"}),
    ("Oman quietly carried messages between the two capitals and offered to host talks.",
     {"mediation"}, {"pressure"}),
    ("Missiles struck the air base overnight, and the militia vowed further attacks on American troops.",
     {"escalation"}, {"deescalation", "mediation"}),
    ("The ministry published its annual statistics on rainfall in the northern provinces.",
     set(), set(frame_ids("case"))),
])
def test_model_tags_hand_built_sentences(tagged, text, present, absent):
    _, frames = tagged(text)
    assert present <= frames, frames
    assert not (absent & frames), frames


@pytest.mark.model
def test_model_rows_and_rejected_lexicon_hits_are_marked(tagged, nlp):
    from textcompare.framing.frames import extract_doc_frames

    text = ("Decades of mutual suspicion have hardened into a hostility that schoolbooks and state television "
            "hand down from one generation to the next.")
    hits, frames = tagged(text)
    lexicon = extract_doc_frames(nlp(text))
    lexicon_frames = set(lexicon.loc[lexicon["counted"], "frame"])
    for row in hits.itertuples():
        if row.pattern == "model":
            assert row.counted and row.frame not in lexicon_frames and row.rule.startswith("model: p=")
            assert row.match == "" and row.sentence == text
        elif row.frame in frame_ids("case") and not row.counted and "model:" in row.rule:
            assert row.frame not in frames
    assert frames & {"enmity", "institutionalization"}
    # the lexicon tagger is extract_doc_frames unchanged
    lex_hits, _ = tagged(text, tagger="lexicon")
    assert lex_hits.equals(lexicon)


@pytest.mark.model
def test_encoder_is_assembled_and_verified():
    from textcompare.framing.encoder_install import WEIGHTS_SHA256, mpnet_dir

    folder = mpnet_dir(check=True)
    assert (folder / ".textcompare-verified").read_text(encoding="utf-8").strip() == WEIGHTS_SHA256


@pytest.mark.model
def test_cli_evidence_takes_the_tagger_option(built_corpus, capsys):
    from textcompare.cli import main

    argv = ["evidence", "escalation", "--corpus", str(built_corpus), "--format", "csv"]
    assert main([*argv, "--tagger", "lexicon"]) == 0
    lexicon = capsys.readouterr().out
    assert main(argv) == 0
    model = capsys.readouterr().out
    assert lexicon.startswith("group,") and model.startswith("group,")
    assert " model: p=" not in lexicon
    with pytest.raises(SystemExit):
        main([*argv, "--tagger", "bert"])
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.model
@pytest.mark.slow
def test_training_script_writes_the_same_bytes_twice(tmp_path):
    """train.py on a slice of the training data (real parser, real encoder), run twice."""
    from train import main as train_main

    lines = TRAINING.read_text(encoding="utf-8").splitlines()
    groups = []
    for line in lines:
        doc = json.loads(line)["doc"]
        if doc not in groups:
            groups.append(doc)
    keep = set(groups[:12])
    data = tmp_path / "slice.jsonl"
    data.write_text("\n".join(l for l in lines if json.loads(l)["doc"] in keep) + "\n", encoding="utf-8")
    outputs = [tmp_path / "a.json", tmp_path / "b.json"]
    for out in outputs:
        assert train_main(["--data", str(data), "--out", str(out)]) == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    model = load_encoder_frame_model(outputs[0])
    assert model.meta["training_sha256"] == _sha(data) and model.meta["n_groups"] == 12
