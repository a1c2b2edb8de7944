"""Cost of frame tagging against bare spaCy parsing of the same texts, in one run.

Usage::

    python benchmarks/frame_tagging.py [DIR] [--limit N]

Texts: DIR's ``.txt`` articles, or by default the cleaning dev split's ground-truth bodies and
the two seeds (as ``benchmarks/throughput.py``). Timed in this order, in one process, with the
pipeline and the case-frame model loaded beforehand:

- parse: bare ``nlp.pipe`` over the texts (the docs are kept);
- lexicon: ``extract_frames(docs, tagger="lexicon")``;
- model: ``extract_frames(docs, tagger="model")``, the embedding cache empty (every sentence
  encoded once, a chunk of about 2,000 sentences at a time, as a first ``frames`` call does);
- model again: the same, every sentence already encoded in this process.

Prints seconds, sentences per second and each step's time as a multiple of the parse time. The
last line is JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: python benchmarks/frame_tagging.py --limit 20")
    parser.add_argument("folder", nargs="?", type=Path, help="folder of .txt articles (default: dev split + seeds)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (default: all)")
    args = parser.parse_args(argv)

    from throughput import default_articles, folder_articles

    from textcompare.framing import encoder_model
    from textcompare.framing.embeddings import load_sentence_encoder
    from textcompare.framing.frames import extract_frames, tag_doc_frames
    from textcompare.nlp import load_nlp

    articles = folder_articles(args.folder) if args.folder else default_articles()
    if args.limit:
        articles = articles[:args.limit]
    texts = [text for _, text in articles]
    nlp = load_nlp()
    model = encoder_model.load_encoder_frame_model()
    for name in model.encoders:
        load_sentence_encoder(name)
    tag_doc_frames(nlp("Both sides said they want to avoid a war."), tagger="model")  # warm up
    encoder_model._EMBEDDINGS.clear()

    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - started
    tokens = sum(len(d) for d in docs)
    sentences = sum(1 for d in docs for _ in d.sents)
    timings = {"parse": parse_s}
    for label, tagger in (("lexicon", "lexicon"), ("model", "model"), ("model_again", "model")):
        started = time.perf_counter()
        extract_frames([(f"d{i}", doc) for i, doc in enumerate(docs)], tagger=tagger)
        timings[label] = time.perf_counter() - started

    print(f"{len(docs)} articles, {tokens:,} tokens, {sentences:,} sentences; encoders {', '.join(model.encoders)}")
    print(f"{'step':14} {'seconds':>8} {'sentences/s':>12} {'x parse':>8}")
    for label, seconds in timings.items():
        print(f"{label:14} {seconds:8.1f} {sentences / seconds:12.1f} {seconds / parse_s:8.2f}")
    print(json.dumps({"articles": len(docs), "tokens": tokens, "sentences": sentences,
                      "seconds": {k: round(v, 2) for k, v in timings.items()},
                      "sentences_per_s": {k: round(sentences / v, 1) for k, v in timings.items()},
                      "ratio_to_parse": {k: round(v / parse_s, 3) for k, v in timings.items()}}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
