"""Every directory textcompare touches, derived from one corpus root.

A corpus directory looks like::

    corpus/
      manifest.csv        one row per article (the only index)
      raw/                articles exactly as received; never modified
      actors.csv          optional: per-corpus alias table overriding the packaged one
      derived/            git-ignored, disposable: cleaned text, parsed docs, tables
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_CORPUS = Path("corpus")
MANIFEST_NAME = "manifest.csv"
RAW_DIR = "raw"
DERIVED_DIR = "derived"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def corpus_root(corpus_dir: str | os.PathLike[str] | None = None) -> Path:
    """The corpus directory: the argument, else ``$TEXTCOMPARE_CORPUS``, else ``./corpus``."""
    if corpus_dir is None:
        corpus_dir = os.environ.get("TEXTCOMPARE_CORPUS", DEFAULT_CORPUS)
    return Path(corpus_dir)


def manifest_path(corpus_dir: str | os.PathLike[str] | None = None) -> Path:
    return corpus_root(corpus_dir) / MANIFEST_NAME


def data_file(name: str) -> Path:
    """A data file shipped inside the package (lexicons, alias tables)."""
    return PACKAGE_DATA / name
