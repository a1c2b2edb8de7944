"""Corpus commands: ``clean`` (preview cleaning), ``add`` (store an article), ``list``, ``check``.

``add`` creates the corpus directory with an empty manifest when ``--corpus DIR`` does not exist
(or is an empty directory); the other commands need an existing corpus.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings

from ..sanitize import clean_for_terminal
from .options import add_command, add_corpus_option, add_format_option, add_max_bytes_option, emit, print_table


def register(subparsers) -> None:
    """Add ``clean``, ``add``, ``list`` and ``check``."""
    p = add_command(
        subparsers, "clean",
        help="show what cleaning keeps of a scraped page (nothing is stored)",
        description="Decode and clean a scraped page (.txt, or .html/.htm) and print the article body, then "
                    "the removal report (what was found, each dropped block and why). Nothing is stored.",
        example="textcompare clean scraped.txt --json > cleaned.json",
    )
    p.add_argument("file", metavar="FILE", help="the scraped page, or - for standard input")
    p.add_argument("--body-only", action="store_true", help="print only the body (for piping into a file)")
    add_max_bytes_option(p)
    p.add_argument("--json", action="store_true",
                   help='print {"title","author","date","body","removed":[{"text","reason"}],"paywall"} instead')
    p.set_defaults(func=run_clean)

    p = add_command(
        subparsers, "add",
        help="store articles in the corpus and add their manifest rows",
        description="Store articles exactly as received in DIR/raw/ and add their rows to DIR/manifest.csv, "
                    "in one write. SOURCE is a file (.txt, .html), a folder (recursive: .txt, .html, .htm), "
                    "a .csv or .jsonl table (columns text, title, author, outlet, date, url, id are used as "
                    "such, other columns become custom manifest columns), - for standard input, or an "
                    "http(s):// URL (downloaded; url and fetched date recorded). Options such as --outlet "
                    "apply to every item that lacks its own value; --title, --author and --date default to "
                    "what cleaning finds. Near-duplicates of stored articles (cleaned-body shingle Jaccard "
                    ">= 0.9) are refused. If DIR does not exist, a new corpus is created. All or nothing: "
                    "one bad item and nothing is written, unless --skip-bad.",
        example='textcompare add exports/ articles.csv --outlet "Example Review" --set region=west --skip-bad',
    )
    p.add_argument("file", metavar="SOURCE", nargs="+",
                   help="article file, folder, .csv/.jsonl table, URL, or - for standard input")
    p.add_argument("--author", help='author name; "unknown" if not known (default: found in the text)')
    p.add_argument("--outlet", help="where it was published (required)")
    p.add_argument("--title", help="title (default: found in the text)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="publication date (default: found in the text)")
    p.add_argument("--url", help="source address (optional)")
    p.add_argument("--id", dest="doc_id", metavar="ID",
                   help="document id, [A-Za-z0-9_.-] (default: NNN_<first 16 hex of sha256>)")
    p.add_argument("--allow-language", action="store_true", help="accept a text not detected as English")
    p.add_argument("--set", action="append", metavar="COLUMN=VALUE", dest="set_columns",
                   help="custom manifest column for every item lacking its own value (repeatable)")
    p.add_argument("--text-column", metavar="NAME", help="table column holding the text (default: text)")
    p.add_argument("--map", action="append", metavar="COLUMN=FIELD", dest="column_map",
                   help="use table COLUMN as FIELD (title, author, ..., or a custom column); COLUMN= drops it")
    p.add_argument("--skip-bad", action="store_true", help="add the good items and report the bad ones")
    p.add_argument("--allow-duplicate", action="store_true", help="accept near-duplicates of stored articles")
    p.add_argument("--allow-private-urls", action="store_true",
                   help="download from loopback/private addresses too (intranet; refused by default)")
    p.add_argument("--processes", type=int, default=1, metavar="N",
                   help="worker processes for decoding, cleaning and language checks (default: 1)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--allow-partial", action="store_true",
                   help="accept a paywall or login page (only part of the article was saved)")
    add_corpus_option(p, skip_bad=False)
    add_format_option(p)
    p.set_defaults(func=run_add)

    p = add_command(
        subparsers, "list",
        help="list the articles in the corpus with raw and cleaned word counts",
        example="textcompare list --format csv > articles.csv",
    )
    add_corpus_option(p)
    add_format_option(p)
    p.set_defaults(func=run_list)

    p = add_command(
        subparsers, "check",
        help="check the corpus: missing files, sha256 mismatches, duplicate ids, bad dates, near-duplicates",
        description="Check the corpus: missing files, sha256 mismatches, duplicate ids, bad dates or ids, raw "
                    "files not in the manifest, interrupted adds, near-duplicate pairs (cleaned-body shingle "
                    "Jaccard >= 0.9). Prints one problem per line; exits 1 if any.",
        example="textcompare check --corpus corpus",
    )
    add_corpus_option(p)
    p.set_defaults(func=run_check)


def run_clean(args: argparse.Namespace) -> int:
    from ..cleaning import clean_html, clean_text
    from ..encoding import decode_article, is_html, read_article_bytes
    from ..errors import InputError

    data, name = read_article_bytes(args.file)
    if not data.strip():
        raise InputError("is empty (or only whitespace)", path=name)
    text, encoding = decode_article(data, name)
    cleaned = clean_html(text) if is_html(data, None if args.file == "-" else name) else clean_text(text)
    if args.json:
        json.dump(cleaned.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(cleaned.body.rstrip("\n") + "\n")
        if not args.body_only:

            sys.stdout.write("\n" + clean_for_terminal(_removal_report(cleaned)) + "\n")
    if encoding != "utf-8":
        print(f"note: {name} {_encoding_note(encoding)}", file=sys.stderr)
    return 0


def _encoding_note(encoding: str) -> str:
    if encoding.startswith("utf-8 with"):
        return "is mostly UTF-8; decoded as " + encoding
    return f"is not UTF-8; decoded as {encoding}"


def _removal_report(cleaned) -> str:
    meta = ", ".join(f"{k}: {v}" for k, v in (("title", cleaned.title), ("author", cleaned.author),
                                             ("date", cleaned.date)) if v)
    lines = [f"--- found: {meta or 'no title, author or date'}",
             f"--- removed {len(cleaned.removed)} block(s)"]
    if cleaned.paywall:
        lines.insert(1, f"--- partial: a paywall or login page ({cleaned.paywall!r}); add needs --allow-partial")
    for block in cleaned.removed:
        text = " ".join(block.text.split())
        lines.append(f"[{block.reason}] {text if len(text) <= 100 else text[:97] + '...'}")
    return "\n".join(lines)


def run_add(args: argparse.Namespace) -> int:
    from ..corpus_edit import parse_assignments
    from ..ingest_batch import BatchError, add_articles

    try:
        batch = add_articles(
            args.file, author=args.author, outlet=args.outlet, title=args.title, date=args.date, url=args.url,
            doc_id=args.doc_id, set_columns=parse_assignments(args.set_columns), text_column=args.text_column,
            column_map=args.column_map, corpus=args.corpus, allow_language=args.allow_language,
            allow_duplicate=args.allow_duplicate, allow_partial=args.allow_partial, allow_private_urls=args.allow_private_urls, skip_bad=args.skip_bad,
            processes=args.processes, progress=False if args.no_progress else None,
        )
    except BatchError as exc:
        if len(exc.summary) > 1:
            print_table(exc.summary, args.format, out=sys.stderr, wrap=("item", "problem"))
        raise
    if len(batch.summary) == 1:
        result = batch.results[0]
        print(clean_for_terminal(result.preview()))
        if result.encoding != "utf-8":
            print(f"note: {clean_for_terminal(str(args.file[0]))} {_encoding_note(result.encoding)} (stored as received)",
                  file=sys.stderr)
        return 0
    print_table(batch.summary, args.format, wrap=("item", "problem"))
    print(f"added {len(batch.added)} of {len(batch.summary)} article(s)"
          + (f"; {batch.refused} refused (see problem column)" if batch.refused else "")
          + (" (new corpus)" if batch.created_corpus else ""), file=sys.stderr)
    return 1 if batch.refused else 0


def run_list(args: argparse.Namespace) -> int:
    from ..corpus import list_articles

    emit(list_articles(args.corpus), args, key="list")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ..corpus import SkippedDocumentWarning, check_corpus, load_corpus
    from ..near_duplicates import find_near_duplicates

    corpus = load_corpus(args.corpus, validate=False)  # check lists bad rows rather than refusing them
    problems = check_corpus(corpus)
    with warnings.catch_warnings():  # the bad rows are listed above; pairs are sought among the rest
        warnings.simplefilter("ignore", SkippedDocumentWarning)
        usable = load_corpus(args.corpus, skip_bad=True)
    for pair in find_near_duplicates(usable).itertuples(index=False):
        problems.append(f"{corpus.root}: {pair.doc_id!r} and {pair.other_id!r} are near-duplicates "
                        f"(Jaccard {pair.jaccard:.2f}; `textcompare remove ID` drops one)")
    for problem in problems:
        print(clean_for_terminal(problem))
    if not problems:
        print(f"{corpus.root}: {len(corpus)} articles, no problems")
    return 1 if problems else 0
