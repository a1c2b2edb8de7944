"""``textcompare entities | keyness | terms | kwic | collocations``: thin wrappers over the library."""
from __future__ import annotations

import argparse

import pandas as pd

from .options import DEFAULT_COLUMNS, add_by_option, add_command, add_corpus_option, add_format_option, emit

KEYNESS_TABLE_COLUMNS = ["comparison", "side", "term", "count_a", "count_b", "docs_a", "docs_b", "rate_a", "rate_b",
                         "g2", "log_ratio", "lrc", "fw_z", "fw_q", "n_paragraphs_a", "n_paragraphs_b", "scope"]


def register(subparsers) -> None:
    """Add this module's subcommands to ``subparsers``."""
    p = add_command(subparsers, "entities", help="actor mentions per group (alias table + spaCy NER)",
                    example="textcompare entities --by outlet --format csv > actors.csv")
    add_corpus_option(p)
    add_by_option(p)
    p.add_argument("--kind", choices=("actor", "demonym"), default="actor",
                   help="count actors, or demonyms/attitudes such as 'Iranians', 'anti-American' (default: actor)")
    p.add_argument("--mentions", action="store_true", help="list every mention instead of counting them")
    add_format_option(p, columns=DEFAULT_COLUMNS["entities"])
    p.set_defaults(func=run_entities)

    p = add_command(subparsers, "keyness", help="terms one group uses more than another (G2, log ratio, Fightin' Words)",
                    example="textcompare keyness --by outlet --top 20")
    add_corpus_option(p)
    add_by_option(p)
    p.add_argument("--groups", nargs="+", metavar="GROUP",
                   help="compare only these groups (two: first is group_a; more: one-vs-rest and pairwise)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="table format: terms shown per side (default: 20)")
    p.add_argument("--unit", choices=("lemma", "lower"), default="lemma", help="term unit (default: lemma)")
    p.add_argument("--drop-stop", action="store_true", help="leave stop words out of the terms tested")
    p.add_argument("--min-count", type=int, default=2, metavar="N",
                   help="test only terms with count_a + count_b >= N (default: 2)")
    p.add_argument("--background", metavar="DIR",
                   help="a built background corpus for the Fightin' Words prior (default: wordfreq English)")
    add_format_option(p, columns=DEFAULT_COLUMNS["keyness"])
    p.set_defaults(func=run_keyness)

    p = add_command(subparsers, "terms", help="key terms of one document (TF-IDF over paragraphs, TextRank, noun phrases)",
                    example="textcompare terms 004_e6e3561ab3eac563 --method noun_phrases --top 15")
    add_corpus_option(p)
    p.add_argument("doc_id", metavar="DOC_ID", help="a manifest id (see `textcompare list`)")
    p.add_argument("--method", choices=("tfidf", "textrank", "noun_phrases"), default="tfidf",
                   help="scoring method (default: tfidf)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="number of terms (default: 20)")
    add_format_option(p, columns=DEFAULT_COLUMNS["terms"])
    p.set_defaults(func=run_terms)

    p = add_command(subparsers, "kwic", help="keyword in context for a word, lemma or phrase",
                    example='textcompare kwic "maximum pressure" --unit lower --by outlet --sort left')
    add_corpus_option(p)
    p.add_argument("pattern", metavar="PATTERN", help="word, lemma or space-separated phrase")
    p.add_argument("--unit", choices=("lemma", "lower", "text"), default="lemma",
                   help="match lemmas, lower-cased forms or exact text (default: lemma)")
    add_by_option(p)
    p.add_argument("--groups", nargs="+", metavar="GROUP", help="only lines from these groups")
    p.add_argument("--sort", choices=("position", "left", "right"), default="position",
                   help="corpus order, or alphabetical by the left context (nearest word first) or the right "
                        "context (default: position)")
    p.add_argument("--sentence", action="store_true", help="keep the context inside the sentence")
    p.add_argument("--window", type=int, default=7, metavar="N", help="words of context per side (default: 7)")
    add_format_option(p, columns=DEFAULT_COLUMNS["kwic"])
    p.set_defaults(func=run_kwic)

    p = add_command(subparsers, "collocations", help="collocates of a word (PMI, t-score, G2)",
                    example="textcompare collocations iran --window 5")
    add_corpus_option(p)
    p.add_argument("word", metavar="WORD", help="node word (a lemma unless --unit lower/text)")
    p.add_argument("--unit", choices=("lemma", "lower", "text"), default="lemma", help="token unit (default: lemma)")
    p.add_argument("--window", type=int, default=5, metavar="N", help="words on each side (default: 5)")
    p.add_argument("--min-count", type=int, default=2, metavar="N", help="minimum co-occurrences (default: 2)")
    p.add_argument("--keep-stop", action="store_true", help="report stop words as collocates too")
    add_format_option(p, columns=DEFAULT_COLUMNS["collocations"])
    p.set_defaults(func=run_collocations)


def run_entities(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..entities import count_actors, extract_mentions

    corpus = load_corpus(args.corpus)
    mentions = extract_mentions(corpus)
    if args.mentions:
        emit(mentions[mentions["kind"] == args.kind], args, key="entities --mentions")
    else:
        emit(count_actors(mentions, corpus, by=args.by, kind=args.kind), args)
    return 0


def keyness_top(table: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` terms by G² on each side of each comparison, with counts beside the scores."""
    parts = []
    for comparison, part in table.groupby("comparison", sort=False):
        for side, mask in (("a", part["log_ratio"] > 0), ("b", part["log_ratio"] < 0)):
            chosen = part[mask].sort_values(["g2", "term"], ascending=[False, True], kind="stable").head(top)
            label = chosen["group_a"] if side == "a" else chosen["group_b"]
            parts.append(chosen.assign(side=label.to_numpy()))
    if not parts:
        return pd.DataFrame(columns=KEYNESS_TABLE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[KEYNESS_TABLE_COLUMNS]


def run_keyness(args: argparse.Namespace) -> int:
    from ..corpus import load_corpus
    from ..keyness import compare_keyness

    corpus = load_corpus(args.corpus)
    background = None if args.background is None else load_corpus(args.background)
    table = compare_keyness(corpus, by=args.by, groups=args.groups, unit=args.unit, drop_stop=args.drop_stop,
                            min_count=args.min_count, background=background)
    if args.format == "csv":
        emit(table, args)
    else:
        import textwrap

        from .options import terminal_width

        print(textwrap.fill(f"n_tested = {table['n_tested'].iloc[0] if len(table) else 0} terms per comparison; "
                            f"BH family: all {table['m_tests'].iloc[0] if len(table) else 0} rows; "
                            "sorted by g2 within each side; counts beside the scores", terminal_width()))
        emit(keyness_top(table, args.top), args)
    return 0


def run_terms(args: argparse.Namespace) -> int:
    from ..terms import extract_key_terms

    emit(extract_key_terms(args.corpus, args.doc_id, method=args.method, top=args.top), args)
    return 0


def run_kwic(args: argparse.Namespace) -> int:
    from ..concordance import kwic
    from ..corpus import load_corpus

    table = kwic(load_corpus(args.corpus), args.pattern, unit=args.unit, window=args.window,
                 sentence_bounded=args.sentence, by=args.by, groups=args.groups, sort=args.sort)
    if args.format == "table" and not table.empty:  # the left context ends at the match: cut it from the left
        from .options import TEXT_MIN_WIDTH, terminal_width

        shown = [c for c in (args.columns or DEFAULT_COLUMNS["kwic"]) if c in table.columns and c not in ("left", "right")]
        others = sum(min(max(len(c), int(table[c].astype(str).str.len().max())), max(len(c), TEXT_MIN_WIDTH))
                     for c in shown) + 2 * (len(shown) + 1)
        side = max(TEXT_MIN_WIDTH, (terminal_width() - others) // 2)
        table = table.assign(left=table["left"].map(lambda t: t if len(t) <= side else "…" + t[-side + 1:]),
                             right=table["right"].map(lambda t: t if len(t) <= side else t[:side - 1] + "…"))
    emit(table, args, right=("left",))
    return 0


def run_collocations(args: argparse.Namespace) -> int:
    from ..concordance import score_collocations
    from ..corpus import load_corpus

    table = score_collocations(load_corpus(args.corpus), args.word, unit=args.unit, window=args.window,
                               min_count=args.min_count, drop_stop=not args.keep_stop)
    emit(table, args)
    return 0
