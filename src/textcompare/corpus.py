"""A corpus on disk: the manifest, the raw articles it indexes, and read-only views of them.

``load_corpus`` reads the manifest; ``clean_article`` decodes and cleans one stored article;
``document_groups`` labels documents by a manifest column; ``check_corpus`` lists problems;
``list_articles`` is the table behind ``textcompare list``. The only writer of a corpus is
:func:`textcompare.ingest.add_article`.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .cleaning import CleanedText, clean_html, clean_text
from .encoding import HTML_SUFFIXES, decode_article
from .errors import CorpusError, InputError, TextcompareError
from .manifest import MANIFEST_COLUMNS, UNKNOWN_AUTHOR, check_manifest_rows, read_manifest
from .paths import DERIVED_DIR, MANIFEST_NAME, RAW_DIR, corpus_root

@dataclass(eq=False)
class Corpus:
    """A corpus directory and its manifest (one row per article, sorted by id, all values str)."""

    root: Path
    manifest: pd.DataFrame

    @property
    def ids(self) -> list[str]:
        """Document ids in manifest (sorted) order."""
        return self.manifest["id"].tolist()

    @property
    def derived(self) -> Path:
        """The disposable folder for cleaned text, parsed docs and tables."""
        return self.root / DERIVED_DIR

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST_NAME

    def row(self, doc_id: str) -> pd.Series:
        """The manifest row of ``doc_id``; :class:`CorpusError` if there is none."""
        rows = self.manifest.loc[self.manifest["id"] == doc_id]
        if rows.empty:
            raise CorpusError(f"no article with id {doc_id!r}", path=self.manifest_path,
                              fix="see `textcompare list` for the ids")
        return rows.iloc[0]

    def raw_path(self, doc_id: str) -> Path:
        """Where the raw bytes of ``doc_id`` are stored."""
        return self.root / self.row(doc_id)["path"]

    def __len__(self) -> int:
        return len(self.manifest)

    def __repr__(self) -> str:
        return f"Corpus(root={str(self.root)!r}, articles={len(self)})"


def load_corpus(corpus_dir: Corpus | str | os.PathLike[str] | None = None) -> Corpus:
    """Read the corpus at ``corpus_dir`` (default ``$TEXTCOMPARE_CORPUS`` or ``./corpus``).

    Passing a :class:`Corpus` returns it unchanged.

    Raises
    ------
    CorpusError
        The directory or its manifest is missing or unreadable.

    Examples
    --------
    >>> corpus = load_corpus("corpus")  # doctest: +SKIP
    >>> corpus.ids[:1]  # doctest: +SKIP
    ['000_5bbd669c0e0ac039']
    """
    if isinstance(corpus_dir, Corpus):
        return corpus_dir
    root = corpus_root(corpus_dir)
    if not root.is_dir():
        raise CorpusError("no corpus directory here", path=root,
                          fix=f"`textcompare add FILE --outlet NAME ... --corpus {root}` creates one")
    return Corpus(root=root, manifest=read_manifest(root / MANIFEST_NAME))


def read_raw_text(corpus: Corpus | str | os.PathLike[str] | None, doc_id: str) -> tuple[str, str]:
    """The decoded raw text of ``doc_id`` and the encoding used."""
    corpus = load_corpus(corpus)
    path = corpus.raw_path(doc_id)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read raw article {doc_id!r}: {exc.strerror or exc}", path=path,
                          fix="restore it from a backup; `textcompare check` lists every problem") from exc
    return decode_article(data, path)


def clean_article(corpus: Corpus | str | os.PathLike[str] | None, doc_id: str) -> CleanedText:
    """Decode and clean one stored article (``clean_html`` for .html/.htm, else ``clean_text``)."""
    corpus = load_corpus(corpus)
    text, _ = read_raw_text(corpus, doc_id)
    if corpus.raw_path(doc_id).suffix.lower() in HTML_SUFFIXES:
        return clean_html(text)
    return clean_text(text)


def document_groups(corpus: Corpus | str | os.PathLike[str] | None, by: str = "outlet") -> pd.Series:
    """Group label of every document: the value of manifest column ``by``.

    A missing or ``"unknown"`` author falls back to the outlet, so an anonymous piece is labelled
    by where it appeared rather than guessed. Any other blank value is an :class:`InputError`
    naming the ids (never a group called ``""``).

    Returns
    -------
    pandas.Series
        Index ``doc_id`` (manifest order), values the group labels, named ``by``.
    """
    corpus = load_corpus(corpus)
    table = corpus.manifest
    if by not in table.columns:
        allowed = ", ".join(c for c in table.columns if c not in ("path", "sha256"))
        raise InputError(f"cannot group by {by!r}: not a manifest column", path=corpus.manifest_path,
                         fix=f"use one of {allowed}")
    labels = table[by].astype(str).str.strip()
    if by == "author":
        unknown = labels.eq("") | labels.str.casefold().eq(UNKNOWN_AUTHOR)
        labels = labels.where(~unknown, table["outlet"].astype(str).str.strip())
    blank = table.loc[labels.eq("").to_numpy(), "id"].tolist()
    if blank:
        shown = ", ".join(blank[:5]) + (f" and {len(blank) - 5} more" if len(blank) > 5 else "")
        raise InputError(f"cannot group by {by!r}: {len(blank)} article(s) have no value ({shown})",
                         path=corpus.manifest_path,
                         fix=f"set it with `textcompare update ID --set {by}=VALUE`" if by not in MANIFEST_COLUMNS
                         else f"set it with `textcompare update ID --{by} VALUE`")
    return pd.Series(labels.to_numpy(), index=pd.Index(table["id"].to_numpy(), name="doc_id"), name=by)


def check_corpus(corpus: Corpus | str | os.PathLike[str] | None = None) -> list[str]:
    """Problems with a corpus, one line each (empty list: all good).

    Checks duplicate ids, empty required fields, bad ids and dates, missing raw files, paths
    outside the corpus, sha256 mismatches, raw files the manifest does not list, and an
    interrupted add that the next add will roll back.
    """
    corpus = load_corpus(corpus)
    root = corpus.root
    problems = check_manifest_rows(corpus.manifest, path=corpus.manifest_path)
    listed: set[Path] = set()
    resolved_root = root.resolve()
    for row in corpus.manifest.itertuples(index=False):
        if not row.path:
            continue
        path = root / row.path
        if resolved_root not in path.resolve().parents:
            problems.append(f"{corpus.manifest_path}: row {row.id!r}: path {row.path!r} is outside the corpus")
            continue
        listed.add(path.resolve())
        if not path.is_file():
            problems.append(f"{path}: missing raw file for {row.id!r}")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if row.sha256 and digest != row.sha256:
            problems.append(f"{path}: sha256 {digest[:16]}... does not match the manifest ({row.sha256[:16]}...)")
    raw = root / RAW_DIR
    if raw.is_dir():
        for path in sorted(raw.iterdir()):
            if path.is_file() and path.resolve() not in listed:
                problems.append(f"{path}: raw file not listed in the manifest")
    from .ingest import pending_add

    pending = pending_add(root)
    if pending:
        problems.append(f"{root}: an interrupted add of {pending!r} was not finished (the next add rolls it back)")
    return problems


def list_articles(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per article: id, author, outlet, title, date, url, path, words_raw, words_clean.

    ``path`` is relative to the current directory when the file lies inside it, else absolute.
    ``words_raw`` and ``words_clean`` count whitespace-separated words in the decoded raw text and
    in the cleaned body (``<NA>`` when the raw file cannot be read).
    """
    corpus = load_corpus(corpus)
    cwd = Path.cwd().resolve()
    rows = []
    for row in corpus.manifest.itertuples(index=False):
        path = (corpus.root / row.path).resolve()
        shown = path.relative_to(cwd) if cwd in path.parents else path
        words_raw = words_clean = pd.NA
        try:
            text, _ = read_raw_text(corpus, row.id)
            words_raw = len(text.split())
            cleaned = clean_html(text) if path.suffix.lower() in HTML_SUFFIXES else clean_text(text)
            words_clean = len(cleaned.body.split())
        except TextcompareError:
            pass
        rows.append({
            "id": row.id, "author": row.author, "outlet": row.outlet, "title": row.title, "date": row.date,
            "url": row.url, "path": str(shown), "words_raw": words_raw, "words_clean": words_clean,
        })
    columns = ["id", "author", "outlet", "title", "date", "url", "path", "words_raw", "words_clean"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"words_raw": "Int64", "words_clean": "Int64"})


CLEANED_COLUMNS = ["doc_id", "title", "author", "date", "words", "body"]
REMOVED_COLUMNS = ["doc_id", "block", "reason", "words", "chars", "text"]


def load_cleaned_texts(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """What cleaning kept of every article: ``doc_id, title, author, date, words, body``.

    ``title``, ``author`` and ``date`` are what the cleaner found in the page (the manifest may
    say otherwise); ``words`` counts whitespace-separated words of the body.
    """
    corpus = load_corpus(corpus)
    rows = []
    for doc_id in corpus.ids:
        cleaned = clean_article(corpus, doc_id)
        rows.append({"doc_id": doc_id, "title": cleaned.title, "author": cleaned.author,
                     "date": cleaned.date.isoformat() if cleaned.date else None,
                     "words": len(cleaned.body.split()), "body": cleaned.body})
    return pd.DataFrame(rows, columns=CLEANED_COLUMNS)


def extract_removed_blocks(corpus: Corpus | str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """One row per block cleaning removed: ``doc_id, block, reason, words, chars, text``.

    ``block`` numbers the removed blocks of a document in page order (from 0).
    """
    corpus = load_corpus(corpus)
    rows = [
        {"doc_id": doc_id, "block": i, "reason": block.reason, "words": len(block.text.split()),
         "chars": len(block.text), "text": block.text}
        for doc_id in corpus.ids
        for i, block in enumerate(clean_article(corpus, doc_id).removed)
    ]
    return pd.DataFrame(rows, columns=REMOVED_COLUMNS).astype({"block": "int64", "words": "int64", "chars": "int64"})


__all__ = [
    "Corpus", "MANIFEST_COLUMNS", "load_corpus", "clean_article", "read_raw_text", "document_groups",
    "check_corpus", "list_articles", "load_cleaned_texts", "extract_removed_blocks",
]
