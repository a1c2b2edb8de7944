"""Shared fixtures. Tests marked ``model`` run the real trained spaCy pipeline (never a blank one)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEEDS = {
    "000_5bbd669c0e0ac039": "45fa3cc5c51ad0f2b1def56d590df9364f754053501ec562ce4d363026fb3915",
    "004_e6e3561ab3eac563": "fa37eaaaa054c971c9ad90b9c4cbec141faf19f41c56f0f4b66aa7208beec7de",
}
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    """The real trained pipeline (en_core_web_sm or its repackaging)."""
    from textcompare.nlp import load_nlp

    return load_nlp()


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """A throw-away copy of the seed corpus (raw files and manifest only)."""
    dest = tmp_path / "corpus"
    dest.mkdir()
    shutil.copy2(CORPUS / "manifest.csv", dest / "manifest.csv")
    shutil.copytree(CORPUS / "raw", dest / "raw")
    return dest


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """A copy of the seed corpus, built once per test session (cleaned and parsed with the real model)."""
    from textcompare import build_corpus  # provided by the parsing module

    dest = tmp_path_factory.mktemp("built") / "corpus"
    dest.mkdir()
    shutil.copy2(CORPUS / "manifest.csv", dest / "manifest.csv")
    shutil.copytree(CORPUS / "raw", dest / "raw")
    build_corpus(dest, progress=False)
    return dest


GROUPS_FIXTURE = REPO / "tests" / "fixtures" / "groups"


@pytest.fixture(scope="session")
def four_group_corpus(tmp_path_factory) -> Path:
    """Five invented articles from four outlets (tests/fixtures/groups), added and built once per session."""
    import csv

    from textcompare import build_corpus
    from textcompare.ingest import add_article

    dest = tmp_path_factory.mktemp("groups") / "corpus"
    with (GROUPS_FIXTURE / "groups.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            add_article(GROUPS_FIXTURE / row["file"], author=row["author"], outlet=row["outlet"], title=row["title"],
                        date=row["date"], corpus=dest)
    build_corpus(dest, progress=False)
    return dest
