#!/usr/bin/env python3
"""Score the case-frame tagger against a coded benchmark (three coding passes, majority gold).

usage: python benchmarks/framing.py [DIR] [--cache CACHE] [--folds 5] [--resamples 1000] [--seed 0]
                                    [--min-hits 3] [--min-precision 0.4] [--errors FRAME]

DIR (default ``../shared/benchmarks/framing-dev`` relative to the repository) holds
``labels.csv`` (nn, sent_id, frames, coder1..3; frames ``|``-separated) and
``sentence_hashes.csv`` (nn, sent_id, sha1). CACHE (default ``.cache/framing-dev``, git-ignored)
holds ``sentences.csv`` (nn, sent_id, sentence): the third-party texts, which are never
committed. A labelled sentence whose text is missing or fails its hash counts as missed (no
frame predicted).

Matching: every labelled sentence's own text is parsed by the real spaCy model
(``textcompare.load_nlp()``) and tagged with ``extract_doc_frames``, so the project's cleaner and
sentence splitter play no part and no sentence is lost to segmentation.

First, **the default tagger held out**: the packaged case-frame model
(``textcompare.framing.encoder_model``), trained only on the project's codebook sentences
(``training/case_frames``), scored on every sentence, with its macro-F1 difference from the
lexicon (paired bootstrap over excerpts). ``--lexicon-only`` skips it. Variants trained on the
benchmark itself are compared by nested grouped CV in ``benchmarks/frame_embeddings.py``.

Then three sets of figures for the lexicon alone, never mixed:

- **cross-validated**: the only tuning (dropping lexicon rows that fire in ``--min-hits`` or more
  training sentences with precision below ``--min-precision``) is done on the training excerpts
  of each of ``--folds`` folds split by excerpt, and scored on the held-out excerpts;
- **whole set, as shipped**: the packaged lexicon, no tuning;
- **whole set, tuned on itself**: rows selected on all excerpts and scored on the same ones
  (optimistic; shown only to measure how much tuning flatters).

Intervals: 95% percentile bootstrap resampling excerpts. Ceiling: mean F1 of one coder against
another, per frame. The last line printed is JSON.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MAX_BYTES = 20_000_000


def default_labels_dir() -> Path:
    """``../shared/benchmarks/framing-dev`` next to the repository (or next to the main checkout
    when this is a git worktree)."""
    candidates = [ROOT.parent / "shared" / "benchmarks" / "framing-dev"]
    git = ROOT / ".git"
    if git.is_file():  # a worktree: ".git" names the main repository's git directory
        text = git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            main = Path(text.split(":", 1)[1].strip()).resolve().parents[2]
            candidates.append(main.parent / "shared" / "benchmarks" / "framing-dev")
    return next((c for c in candidates if c.is_dir()), candidates[0])


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    if not path.is_file():
        fail(f"{path}: not found")
    if path.stat().st_size > MAX_BYTES:
        fail(f"{path}: larger than {MAX_BYTES} bytes")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = [c for c in columns if rows and c not in rows[0]] or ([] if rows else ["(no rows)"])
    if missing:
        fail(f"{path}: missing column(s) {', '.join(missing)}")
    return rows


def parse_codes(cell: str, frames: list[str], path: Path) -> set[str]:
    codes = {c.strip() for c in cell.split("|") if c.strip()}
    unknown = codes - set(frames)
    if unknown:
        fail(f"{path}: unknown frame(s) {', '.join(sorted(unknown))}")
    return codes


def load_benchmark(labels_dir: Path, cache: Path, frames: list[str]) -> dict:
    labels_path = labels_dir / "labels.csv"
    labels = read_csv(labels_path, ["nn", "sent_id", "frames", "coder1", "coder2", "coder3"])
    hashes = {(r["nn"], r["sent_id"]): r["sha1"]
              for r in read_csv(labels_dir / "sentence_hashes.csv", ["nn", "sent_id", "sha1"])}
    sentences_path = cache / "sentences.csv"
    if not sentences_path.is_file():
        fail(f"{sentences_path}: the excerpt cache is missing; fetch the excerpts as {labels_dir / 'README.md'} "
             f"says, or pass --cache DIR")
    texts = {(r["nn"], r["sent_id"]): r["sentence"] for r in read_csv(sentences_path, ["nn", "sent_id", "sentence"])}
    data = {"key": [], "group": [], "text": [], "gold": [], "coders": [[], [], []], "missing": 0}
    for row in labels:
        key = (row["nn"], row["sent_id"])
        text = texts.get(key)
        if text is None or hashlib.sha1(text.encode("utf-8")).hexdigest() != hashes.get(key):
            data["missing"] += 1
            text = None
        data["key"].append(key)
        data["group"].append(row["nn"])
        data["text"].append(text)
        data["gold"].append(parse_codes(row["frames"], frames, labels_path))
        for i in range(3):
            data["coders"][i].append(parse_codes(row[f"coder{i + 1}"], frames, labels_path))
    return data


def tag(texts: list[str | None], frames: list[str], *, tagger: str = "lexicon") -> list[set[tuple[str, str]]]:
    """Counted case-frame hits per sentence as (frame, row) keys under ``tagger``
    (``tag_doc_frames``); a missing text gets none."""
    from textcompare.framing.frames import tag_doc_frames
    from textcompare.nlp import load_nlp

    nlp = load_nlp()
    present = [t for t in texts if t is not None]
    docs = iter(nlp.pipe(present, batch_size=64))
    out = []
    allowed = set(frames)
    for text in texts:
        if text is None:
            out.append(set())
            continue
        hits = tag_doc_frames(next(docs), tagger=tagger)
        hits = hits[hits["counted"] & hits["frame"].isin(allowed)]
        out.append({(f, f"{r}|{p}" if r else p) for f, p, r in zip(hits["frame"], hits["pattern"], hits["rule"])})
    return out


def fmt(x: float) -> str:
    return "  -  " if x != x else f"{x:.3f}"


def print_table(title: str, table, ceiling) -> None:
    print(f"\n{title}")
    print(f"{'frame':22} {'n':>4} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}  {'95% CI (excerpts)':>17}  {'ceiling F1':>10}")
    ceil = dict(zip(ceiling["frame"], ceiling["f1"]))
    for r in table.itertuples(index=False):
        ci = f"[{fmt(r.f1_low)}, {fmt(r.f1_high)}]"
        print(f"{r.frame:22} {r.support:>4} {r.predicted:>5} {fmt(r.precision):>6} {fmt(r.recall):>6} {fmt(r.f1):>6}  "
              f"{ci:>17}  {fmt(ceil.get(r.frame, float('nan'))):>10}")


def summary(table) -> dict:
    t = table.set_index("frame")
    return {"macro_f1": round(float(t.loc["macro", "f1"]), 4),
            "macro_f1_ci": [round(float(t.loc["macro", "f1_low"]), 4), round(float(t.loc["macro", "f1_high"]), 4)],
            "micro_f1": round(float(t.loc["micro", "f1"]), 4),
            "micro_f1_ci": [round(float(t.loc["micro", "f1_low"]), 4), round(float(t.loc["micro", "f1_high"]), 4)],
            "per_frame": {f: {"p": None if t.loc[f, "precision"] != t.loc[f, "precision"] else round(float(t.loc[f, "precision"]), 4),
                              "r": round(float(t.loc[f, "recall"]), 4), "f1": round(float(t.loc[f, "f1"]), 4)}
                          for f in t.index if f not in ("macro", "micro")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python benchmarks/framing.py ../shared/benchmarks/framing-dev")
    parser.add_argument("dir", nargs="?", default=str(default_labels_dir()),
                        help="folder with labels.csv and sentence_hashes.csv")
    parser.add_argument("--cache", default=str(ROOT / ".cache" / "framing-dev"), help="folder with sentences.csv")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-hits", type=int, default=3)
    parser.add_argument("--min-precision", type=float, default=0.4)
    parser.add_argument("--errors", metavar="FRAME", help="also print this frame's cross-validated errors (sentence ids only)")
    parser.add_argument("--lexicon-only", action="store_true", help="skip the packaged model (no sentence encoder needed)")
    args = parser.parse_args(argv)
    if args.folds < 2 or args.resamples < 100:
        fail("--folds must be at least 2 and --resamples at least 100")

    from textcompare.framing import frame_ids
    from textcompare.framing.evaluation import cross_validate_rows, predict_frames, score_coders, score_frames, select_rows

    started = time.perf_counter()
    frames = frame_ids("case")
    data = load_benchmark(Path(args.dir), Path(args.cache), frames)
    hits = tag(data["text"], frames)
    gold, groups = data["gold"], data["group"]
    opts = {"n_resamples": args.resamples, "seed": args.seed}
    ceiling = score_coders(data["coders"], groups, frames, **opts)
    cv_pred, dropped = cross_validate_rows(hits, gold, groups, n_folds=args.folds, seed=args.seed,
                                           min_hits=args.min_hits, min_precision=args.min_precision)
    cv = score_frames(gold, cv_pred, groups, frames, **opts)
    shipped = score_frames(gold, predict_frames(hits), groups, frames, **opts)
    self_dropped = select_rows(hits, gold, min_hits=args.min_hits, min_precision=args.min_precision)
    self_fit = score_frames(gold, predict_frames(hits, self_dropped), groups, frames, **opts)

    model_table = model_diff = None
    if not args.lexicon_only:
        from frame_embeddings import paired_difference

        from textcompare.framing.encoder_model import load_encoder_frame_model

        model_pred = predict_frames(tag(data["text"], frames, tagger="model"))
        model_table = score_frames(gold, model_pred, groups, frames, **opts)
        model_diff = paired_difference(gold, model_pred, predict_frames(hits), groups, frames, **opts)
        model_version = load_encoder_frame_model().version

    n_groups = len(set(groups))
    print(f"{len(gold)} labelled sentences in {n_groups} excerpts; {data['missing']} missing or failing their hash "
          f"(counted as missed); each sentence parsed on its own by the real model")
    if model_table is not None:
        print_table(f"PACKAGED MODEL, the default tagger (case_frame_model {model_version}; trained only on the "
                    f"project's codebook sentences, so every sentence here is held out)", model_table, ceiling)
        print(f"macro-F1, model minus lexicon as shipped: {model_diff[0]:+.3f} [{model_diff[1]:+.3f}, "
              f"{model_diff[2]:+.3f}] (paired bootstrap over excerpts)")
    print_table(f"LEXICON ALONE, CROSS-VALIDATED ({args.folds} folds by excerpt; rows with >= {args.min_hits} training hits and "
                f"precision < {args.min_precision} dropped per fold)", cv, ceiling)
    print_table("LEXICON ALONE, WHOLE SET, as shipped (no tuning)", shipped, ceiling)
    print_table(f"LEXICON ALONE, WHOLE SET, tuned on itself ({len(self_dropped)} rows dropped; in-sample, optimistic)", self_fit, ceiling)
    print("\nrows dropped on the whole set: " + ", ".join(sorted(f"{f}:{r}" for f, r in self_dropped)) if self_dropped else "")
    c = ceiling.set_index("frame")
    print(f"ceiling (coder vs coder): macro F1 {c.loc['macro', 'f1']:.3f}, micro F1 {c.loc['micro', 'f1']:.3f}")
    if args.errors:
        if args.errors not in frames:
            fail(f"--errors: unknown frame {args.errors!r}")
        for label, idx in (("missed", [i for i, (g, p) in enumerate(zip(gold, cv_pred)) if args.errors in g - p]),
                           ("false", [i for i, (g, p) in enumerate(zip(gold, cv_pred)) if args.errors in p - g])):
            print(f"{label} {args.errors}: " + " ".join("-".join(data["key"][i]) for i in idx))
    result = {"sentences": len(gold), "excerpts": n_groups, "missing": data["missing"], "folds": args.folds,
              "seed": args.seed, "cv": summary(cv), "whole_set_shipped": summary(shipped),
              "whole_set_self_tuned": summary(self_fit),
              "ceiling": {"macro_f1": round(float(c.loc["macro", "f1"]), 4), "micro_f1": round(float(c.loc["micro", "f1"]), 4),
                          "per_frame": {f: round(float(c.loc[f, "f1"]), 4) for f in frames}},
              "rows_dropped_per_fold": [len(d) for d in dropped], "seconds": round(time.perf_counter() - started, 1)}
    if model_table is not None:
        result["model_held_out"] = summary(model_table) | {"version": model_version}
        result["model_minus_lexicon_macro_f1"] = [round(v, 4) for v in model_diff]
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
