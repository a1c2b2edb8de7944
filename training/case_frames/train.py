#!/usr/bin/env python3
"""Train the packaged case-frame model from the project's codebook sentences.

usage: python training/case_frames/train.py [--data sentences.jsonl] [--out MODEL.json] [--C 1.0]

Reads ``sentences.jsonl`` (this folder: sentences written from the codebook, each with its
frames; README.md says how they were made), parses each sentence alone with the project's spaCy
pipeline, counts the lexicon's hits, embeds it with all-mpnet-base-v2, and fits one logistic
regression per frame (:func:`textcompare.framing.encoder_model.train_encoder_frame_model`).
Thresholds come from 5-fold cross-validation grouped by excerpt *of this training set*; no
benchmark sentence is read. Writes ``src/textcompare/data/frames/case_frame_model.json``
(sorted JSON: the same bytes from the same inputs on the same environment).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "src"))

MAX_BYTES = 5_000_000
MAX_SENTENCE_CHARS = 2_000


def read_training(path: Path, frames: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
    """Validated (texts, frames per text, excerpt ids) from a JSON Lines file."""
    from textcompare.errors import InputError
    from textcompare.fileio import read_bounded

    data = read_bounded(path, max_bytes=MAX_BYTES)
    texts, codes, groups, seen = [], [], [], set()
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            doc, text, found = str(row["doc"]), str(row["text"]).strip(), [str(f) for f in row["frames"]]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"line {number}: not a training row ({exc})", path=path) from exc
        unknown = set(found) - set(frames)
        if unknown or not text or len(text) > MAX_SENTENCE_CHARS:
            raise InputError(f"line {number}: unknown frame(s) {sorted(unknown)} or empty/overlong text", path=path)
        if text in seen:
            raise InputError(f"line {number}: duplicate sentence", path=path)
        seen.add(text)
        texts.append(text); codes.append(sorted(set(found))); groups.append(doc)
    return texts, codes, groups


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python training/case_frames/train.py")
    parser.add_argument("--data", default=str(HERE / "sentences.jsonl"))
    parser.add_argument("--out", default=None, help="default: the packaged model file")
    parser.add_argument("--C", type=float, default=1.0)
    args = parser.parse_args(argv)

    import numpy as np

    from textcompare.errors import InputError
    from textcompare.framing import frame_ids
    from textcompare.framing.embeddings import MPNET, embed_sentences
    from textcompare.framing.encoder_install import WEIGHTS_SHA256
    from textcompare.framing.encoder_model import PACKAGED_MODEL, lexicon_counts, train_encoder_frame_model
    from textcompare.framing.lexicons import CASE_FRAMES_FILE
    from textcompare.nlp import load_nlp, model_info
    from textcompare.paths import data_file

    frames = frame_ids("case")
    data = Path(args.data)
    try:
        texts, codes, groups = read_training(data, frames)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    nlp = load_nlp()
    docs = list(nlp.pipe(texts, batch_size=64))
    counts = lexicon_counts(docs, frames)
    encoders = [MPNET]
    print(f"{len(texts)} sentences in {len(set(groups))} excerpts; embedding with {' and '.join(encoders)} …", flush=True)
    emb = np.hstack([embed_sentences(texts, name=name, progress=True) for name in encoders])
    y = np.array([[int(f in c) for f in frames] for c in codes])
    info = model_info(nlp)
    meta = {"training_data": data.name, "training_sha256": sha256(data),
            "lexicon_sha256": sha256(data_file(CASE_FRAMES_FILE)), "mpnet_weights_sha256": WEIGHTS_SHA256,
            "spacy_model": f"{info['model']} {info['model_version']}"}
    model = train_encoder_frame_model(emb, counts, y, groups, frames, encoders=encoders, C=args.C, meta=meta)
    out = model.save(Path(args.out) if args.out else PACKAGED_MODEL)
    print(model.cv.to_string(index=False))
    print(f"wrote {out} (version {model.version}, {out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
