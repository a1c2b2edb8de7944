"""``textcompare sample | validate | train``: thin wrappers over :mod:`textcompare.validation`
and :mod:`textcompare.framing.classifier`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from .options import add_command, add_corpus_option, add_format_option, print_table

VALIDATE_SECTIONS = ("scores", "errors", "agreement", "provenance", "all")


def register(subparsers) -> None:
    """Add this module's subcommands to ``subparsers``."""
    p = add_command(subparsers, "sample", help="write a blind coding sheet: sentences stratified by group and predicted frame",
                    example="textcompare sample --n 200 --by outlet --seed 1 --out sheet.csv")
    add_corpus_option(p)
    p.add_argument("--n", type=int, default=200, help="sentences to draw (default: 200)")
    p.add_argument("--by", default="outlet", metavar="COLUMN", help="manifest column to group by (default: outlet)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--model", metavar="DIR", help="stratify on a trained classifier's predictions (textcompare train)")
    p.add_argument("--out", required=True, metavar="FILE", help="the sheet to write (CSV; provenance in FILE.meta.json)")
    p.add_argument("--force", action="store_true", help="overwrite an existing sheet (coded rows would be lost)")
    p.set_defaults(func=run_sample)

    p = add_command(subparsers, "validate", help="score the frame tagger against coded sheets: P/R/F1 with intervals, errors, agreement",
                    example="textcompare validate sheet.csv sheet_coder2.csv --show all")
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="coded sheet(s) from `textcompare sample`")
    add_corpus_option(p)
    p.add_argument("--model", metavar="DIR", help="score a trained classifier instead of the default tagger")
    p.add_argument("--show", choices=VALIDATE_SECTIONS, default="scores",
                   help="scores (default), errors (the sentences the tagger got wrong), agreement (between coders), "
                        "provenance, or all (sections separated by a blank line; with csv, a 'table' column)")
    p.add_argument("--resamples", type=int, default=2_000, metavar="N", help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    add_format_option(p)
    p.set_defaults(func=run_validate)

    p = add_command(subparsers, "train", help="train a per-frame classifier on coded sheets (grouped CV by document)",
                    example="textcompare train sheet.csv --out model && textcompare frames --model model")
    p.add_argument("sheets", nargs="+", metavar="SHEET", help="coded sheet(s); every 0/1 column between 'after' and 'coder' is a frame")
    p.add_argument("--out", required=True, metavar="DIR", help="directory for model.json")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds, grouped by document (default: 5)")
    add_format_option(p)
    p.set_defaults(func=run_train)


def run_sample(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..validation import build_coding_sheet

    out = Path(args.out)
    if out.exists() and not args.force:
        raise InputError("sheet exists (it may hold codes)", path=out, fix="choose another --out, or add --force")
    sheet = build_coding_sheet(load_corpus(args.corpus), out, n=args.n, by=args.by, seed=args.seed, model=args.model)
    counts = sheet.groupby("group").size()
    print(f"wrote {len(sheet)} sentences to {out} (" + ", ".join(f"{g}: {k}" for g, k in counts.items())
          + f"); provenance in {out.name}.meta.json", file=sys.stderr)
    return 0


def sheet_frames(path: str | Path) -> list[str]:
    """Frame columns of a sheet: those between ``after`` and ``coder`` (user-defined frames work)."""
    from ..validation.sheet import read_sheet_csv

    path = Path(path)
    header = read_sheet_csv(path, nrows=0).columns.tolist()
    if "after" not in header or "coder" not in header or header.index("coder") <= header.index("after") + 1:
        raise InputError("no frame columns between 'after' and 'coder'", path=path,
                         fix="use a sheet written by `textcompare sample`")
    return header[header.index("after") + 1:header.index("coder")]


def run_validate(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..corpus import load_corpus
    from ..validation import case_frames, load_coding_sheets, score_coding_sheets

    coded = load_coding_sheets(args.sheets, frames=case_frames())  # a bad sheet fails before any parsing
    result = score_coding_sheets(coded, load_corpus(args.corpus), model=args.model,
                                 n_resamples=args.resamples, seed=args.seed)
    sections = [s for s in VALIDATE_SECTIONS[:-1] if args.show in (s, "all")]
    if args.format == "csv" and len(sections) > 1:
        tables = [getattr(result, s).astype(object).assign(table=s) for s in sections]
        print_table(pd.concat(tables, ignore_index=True), "csv")
        return 0
    for k, section in enumerate(sections):
        if len(sections) > 1:
            print(("\n" if k else "") + f"# {section}")
        print_table(getattr(result, section), args.format)
    return 0


def run_train(args: argparse.Namespace) -> int:
    from ..validation import gold_codes, load_coding_sheets, train_from_sheets

    frames = sheet_frames(args.sheets[0])
    for other in args.sheets[1:]:
        if sheet_frames(other) != frames:
            raise InputError("sheets code different frames", path=other, fix="train on sheets with the same frame columns")
    gold = gold_codes(load_coding_sheets(args.sheets, frames=frames), frames)
    model = train_from_sheets(args.sheets, frames=frames, n_splits=args.folds)
    path = model.save(args.out)
    print(f"wrote {path} (model {model.version}; {len(gold)} sentences, {gold['doc_id'].nunique()} documents); "
          "grouped cross-validation by document:", file=sys.stderr)
    print_table(model.cv, args.format)
    return 0
