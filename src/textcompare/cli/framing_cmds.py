"""``textcompare frames | evidence | functions | agency | stance | align``: thin wrappers over
:mod:`textcompare.framing`."""
from __future__ import annotations

import argparse

from ..errors import InputError
from .options import DEFAULT_COLUMNS, add_by_option, add_command, add_corpus_option, add_format_option, emit

FRAMES_TABLE_COLUMNS = [
    "group", "frame", "frame_type", "scope", "n_docs", "n_docs_versus", "sentences", "per_1k", "ci_low", "ci_high",
    "p_value", "q_value", "hits", "share", "n_sentences", "words", "versus", "rate_diff", "rate_diff_ci_low",
    "rate_diff_ci_high", "log2_ratio", "log2_ratio_ci_low", "log2_ratio_ci_high", "unbounded", "test", "family",
    "m_tests", "caveat",
]
# Added by --validation (prediction-powered shares of sentences, textcompare.validation).
CORRECTED_COLUMNS = ["n_coded", "raw_share", "corrected_share", "corrected_ci_low", "corrected_ci_high", "ci_width"]
CORRECTED_READABLE_COLUMNS = ["n_coded", "raw_share", "corrected_share", "corrected_ci_low", "corrected_ci_high"]


def _add_group_options(p: argparse.ArgumentParser, command: str, *, stats: bool = True) -> None:
    add_corpus_option(p)
    add_by_option(p)
    if stats:
        p.add_argument("--pairwise", action="store_true", help="with more than two groups: every pair instead of one-vs-rest")
        p.add_argument("--resamples", type=int, default=9_999, metavar="N",
                       help="bootstrap and permutation resamples (default: 9999)")
        p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    add_format_option(p, columns=DEFAULT_COLUMNS[command])


def _add_tagger_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tagger", choices=("model", "lexicon"), default="model",
                   help="who decides case frames: the packaged model (default; held-out figures in docs/framing.md) "
                        "or the lexicon alone (faster: no sentence encoder)")


def register(subparsers) -> None:
    """Add this module's subcommands to ``subparsers``."""
    p = add_command(subparsers, "frames", help="frames per group: rate per 1,000 words with interval, effect sizes, p and q (scope: texts or groups)",
                    example="textcompare frames --by outlet --format csv > frames.csv")
    _add_group_options(p, "frames")
    p.add_argument("--frame-type", choices=("case", "policy"), help="only case frames or only Policy Frames Codebook dimensions")
    p.add_argument("--include-negated", action="store_true", help="count negated hits too")
    _add_tagger_option(p)
    p.add_argument("--model", metavar="DIR", help="count a trained classifier's frames (textcompare train) instead")
    p.add_argument("--validation", nargs="+", metavar="SHEET",
                   help="coded sheet(s): add each group's frame share corrected for the tagger's errors (PPI)")
    p.set_defaults(func=run_frames)

    p = add_command(subparsers, "evidence", help="the sentences behind a frame's numbers",
                    example="textcompare evidence institutionalization --group 'China-US Focus'")
    p.add_argument("frame", metavar="FRAME", help="a frame id (e.g. enmity, deescalation, pfc_security_defense)")
    p.add_argument("--group", metavar="G", help="only this group")
    p.add_argument("--include-negated", action="store_true", help="list uncounted hits too (negated, or rejected by the model)")
    _add_tagger_option(p)
    _add_group_options(p, "evidence", stats=False)
    p.set_defaults(func=run_evidence)

    p = add_command(subparsers, "functions", help="Entman's framing functions per group (problem, cause, moral, treatment)",
                    example="textcompare functions --by outlet")
    _add_group_options(p, "functions")
    p.add_argument("--rows", action="store_true", help="list every cue with its sentence instead of comparing groups")
    p.add_argument("--include-negated", action="store_true", help="keep negated events/hits (left out by default)")
    p.set_defaults(func=run_functions)

    p = add_command(subparsers, "agency", help="who does what to whom: actor x role (agent/patient) per group and verb class",
                    example="textcompare agency --by outlet --verb-class coerce_attack")
    _add_group_options(p, "agency", stats=False)
    p.add_argument("--verb-class", default="all", metavar="CLASS",
                   help="coerce_attack, cooperate_restrain, speak_claim, other or all (default: all)")
    p.add_argument("--rows", action="store_true", help="list every agent-verb-patient row instead of counting")
    p.add_argument("--include-negated", action="store_true", help="keep negated events/hits (left out by default)")
    p.set_defaults(func=run_agency)

    p = add_command(subparsers, "stance", help="hedges, boosters, modality, epistemic distance per group; or actor sentiment",
                    example="textcompare stance --by outlet --actors")
    _add_group_options(p, "stance")
    p.add_argument("--actors", action="store_true", help="VADER tone of the sentences mentioning each actor instead")
    p.add_argument("--rows", action="store_true", help="list every stance marker with its sentence")
    p.add_argument("--include-negated", action="store_true", help="keep negated events/hits (left out by default)")
    p.set_defaults(func=run_stance)

    p = add_command(subparsers, "align", help="sentences of different documents making the same point (TF-IDF cosine)",
                    example="textcompare align --aligned-only --format csv")
    _add_group_options(p, "align", stats=False)
    p.add_argument("--threshold", type=float, default=0.2, help="cosine at which a pair is aligned (default: 0.2)")
    p.add_argument("--aligned-only", action="store_true", help="only pairs at or above the threshold")
    p.set_defaults(func=run_align)


def _corpus(args: argparse.Namespace):
    from ..corpus import load_corpus

    return load_corpus(args.corpus)


def run_frames(args: argparse.Namespace) -> int:
    from ..framing import compare_frames

    table = compare_frames(_corpus(args), by=args.by, frame_type=args.frame_type, include_negated=args.include_negated,
                           pairwise=args.pairwise, n_resamples=args.resamples, seed=args.seed, model=args.model,
                           validation=args.validation, tagger=args.tagger)
    columns = [*FRAMES_TABLE_COLUMNS, *(CORRECTED_COLUMNS if args.validation else [])]
    if args.validation:  # the corrected shares join the default table columns
        args.default_columns = [*DEFAULT_COLUMNS["frames"], *CORRECTED_READABLE_COLUMNS]
    emit(table[columns], args)
    return 0


def run_evidence(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..evidence import collect_evidence
    from ..framing import extract_frames, frame_ids
    from ..framing._docs import resolve_groups

    valid = frame_ids()
    if args.frame not in valid:
        raise InputError(f"unknown frame {args.frame!r}", fix="valid frames: " + ", ".join(valid))
    corpus = _corpus(args)
    groups = resolve_groups(corpus, corpus.ids, by=args.by)
    if args.group is not None and args.group not in set(groups):
        raise InputError(f"unknown group {args.group!r} for --by {args.by}",
                         fix="valid groups: " + ", ".join(sorted(set(groups))))
    hits = extract_frames(corpus, include_negated=args.include_negated, tagger=args.tagger)
    chosen = hits[hits["frame"] == args.frame]
    sentences = chosen[["doc_id", "sent_id"]].drop_duplicates()
    # every frame hit in those sentences is marked, not only the chosen frame's (which lead `frames`)
    around = hits.merge(sentences, on=["doc_id", "sent_id"])
    around = pd.concat([chosen, around[around["frame"] != args.frame]], ignore_index=True)
    table = collect_evidence(around, groups)
    if args.group is not None:
        table = table[table["group"] == args.group].reset_index(drop=True)
    if args.format == "table":  # the marked sentence is what people read
        table = table.assign(sentence=table["marked"])
    emit(table, args, wrap=("sentence",))
    return 0


def run_functions(args: argparse.Namespace) -> int:
    from ..framing import compare_functions, extract_functions

    corpus = _corpus(args)
    if args.rows:
        table = extract_functions(corpus, include_negated=args.include_negated)
        emit(table[["doc_id", "sent_id", "function", "match", "agent", "target", "negated", "sentence"]], args,
             key="functions --rows")
        return 0
    emit(compare_functions(corpus, by=args.by, pairwise=args.pairwise, n_resamples=args.resamples, seed=args.seed,
                           include_negated=args.include_negated),
         args)
    return 0


def run_agency(args: argparse.Namespace) -> int:
    from ..framing import count_agency, extract_agency
    from ..framing.agency import VERB_CLASSES

    valid = (*VERB_CLASSES, "all")
    if args.verb_class not in valid:
        raise InputError(f"unknown verb class {args.verb_class!r}", fix="valid: " + ", ".join(valid))
    corpus = _corpus(args)
    agency = extract_agency(corpus, include_negated=args.include_negated)
    if args.rows:
        table = agency if args.verb_class == "all" else agency[agency["verb_class"] == args.verb_class]
        emit(table.drop(columns=["verb_i"]).reset_index(drop=True), args, key="agency --rows")
        return 0
    table = count_agency(agency, corpus, by=args.by, include_negated=args.include_negated)
    emit(table[table["verb_class"] == args.verb_class].reset_index(drop=True), args)
    return 0


def run_stance(args: argparse.Namespace) -> int:
    from ..framing import compare_stance, extract_stance, score_actor_sentiment

    corpus = _corpus(args)
    key = None
    if args.actors:
        table = score_actor_sentiment(corpus, by=args.by, n_resamples=args.resamples, seed=args.seed)
        key = "stance --actors"
    elif args.rows:
        key = "stance --rows"
        table = extract_stance(corpus, include_negated=args.include_negated)[
            ["doc_id", "sent_id", "category", "marker", "reading", "subject", "verb", "match", "negated", "sentence"]]
    else:
        table = compare_stance(corpus, by=args.by, pairwise=args.pairwise, n_resamples=args.resamples, seed=args.seed,
                               include_negated=args.include_negated)
    emit(table, args, key=key)
    return 0


def run_align(args: argparse.Namespace) -> int:
    from ..framing import align_sentences

    table = align_sentences(_corpus(args), by=args.by, threshold=args.threshold)
    if args.aligned_only:
        table = table[table["aligned"]]
    emit(table.reset_index(drop=True), args)
    return 0
