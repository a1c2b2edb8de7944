"""remove and update: locked, all checks before any write, raw files and derived entries handled."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import SEEDS
from test_add import tree_state
from textcompare import ingest
from textcompare.cli import main
from textcompare.corpus import check_corpus, load_corpus
from textcompare.corpus_edit import remove_articles, update_article
from textcompare.errors import CorpusError, InputError

SEED_A, SEED_B = sorted(SEEDS)


def _fake_derived(corpus: Path, doc_id: str) -> list[Path]:
    files = [corpus / "derived" / "clean" / f"{doc_id}.json", corpus / "derived" / "keys" / f"{doc_id}.json",
             corpus / "derived" / "tables" / "tokens" / f"{doc_id}.parquet"]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"{}")
    return files


# --- remove ----------------------------------------------------------------------------------

def test_remove_drops_the_row_the_raw_file_and_the_derived_entries(corpus_copy: Path) -> None:
    gone, kept = _fake_derived(corpus_copy, SEED_A), _fake_derived(corpus_copy, SEED_B)
    raw = corpus_copy / load_corpus(corpus_copy).row(SEED_A)["path"]
    removed = remove_articles([SEED_A], corpus=corpus_copy)
    assert removed["id"].tolist() == [SEED_A]
    assert load_corpus(corpus_copy).ids == [SEED_B]
    assert not raw.exists() and not any(p.exists() for p in gone) and all(p.exists() for p in kept)
    assert check_corpus(corpus_copy) == []


@pytest.mark.parametrize("ids", [["no_such_id"], [SEED_A, "no_such_id"], []])
def test_remove_with_a_bad_id_changes_nothing(ids, corpus_copy: Path) -> None:
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(InputError, match="no_such_id|no id given"):
        remove_articles(ids, corpus=corpus_copy)
    assert tree_state(corpus_copy, include_derived=True) == before


def test_a_remove_killed_after_the_manifest_write_is_finished_by_the_next_edit(corpus_copy: Path,
                                                                               monkeypatch) -> None:
    raw = corpus_copy / load_corpus(corpus_copy).row(SEED_A)["path"]
    real_unlink = ingest._unlink

    def die_on_raw(path):
        if Path(path) == raw:
            raise KeyboardInterrupt
        return real_unlink(path)

    monkeypatch.setattr(ingest, "_unlink", die_on_raw)
    with pytest.raises(KeyboardInterrupt):
        remove_articles([SEED_A], corpus=corpus_copy)
    monkeypatch.undo()
    assert raw.exists() and load_corpus(corpus_copy).ids == [SEED_B]
    assert any("interrupted" in p for p in check_corpus(corpus_copy))
    update_article(SEED_B, fields={"title": "Another title"}, corpus=corpus_copy)  # any locked edit finishes it
    assert not raw.exists() and check_corpus(corpus_copy) == []


def test_cli_remove_prints_what_it_removed(corpus_copy: Path, capsys) -> None:
    assert main(["remove", SEED_B, "--corpus", str(corpus_copy), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "id,author,outlet,title,date,path" and SEED_B in out
    assert main(["remove", SEED_B, "--corpus", str(corpus_copy)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and f"no article with id '{SEED_B}'" in err


# --- update ----------------------------------------------------------------------------------

def test_update_changes_manifest_fields_only(corpus_copy: Path) -> None:
    raw_before = {p.name: p.read_bytes() for p in (corpus_copy / "raw").iterdir()}
    changes = update_article(SEED_A, fields={"title": " New\ntitle ", "date": "2020-01-08", "url": ""},
                             set_columns={"region": "west"}, corpus=corpus_copy)
    row = load_corpus(corpus_copy).row(SEED_A)
    assert row["title"] == "New title" and row["date"] == "2020-01-08" and row["url"] == "" and row["region"] == "west"
    assert set(changes) == {"title", "date", "url", "region"} and changes["region"] == ("", "west")
    assert load_corpus(corpus_copy).row(SEED_B)["region"] == ""
    assert {p.name: p.read_bytes() for p in (corpus_copy / "raw").iterdir()} == raw_before
    assert check_corpus(corpus_copy) == []


@pytest.mark.parametrize("doc_id, kwargs, message", [
    ("no_such_id", {"fields": {"title": "x"}}, "no article with id 'no_such_id'"),
    (SEED_A, {"fields": {"date": "2020-02-30"}}, "invalid date"),
    (SEED_A, {"fields": {"author": "  "}}, "cannot be blank"),
    (SEED_A, {"fields": {"sha256": "0" * 64}}, "cannot update 'sha256'"),
    (SEED_A, {"set_columns": {"Bad Name": "x"}}, "invalid column name"),
    (SEED_A, {"set_columns": {"path": "x"}}, "standard manifest column"),
    (SEED_A, {"set_columns": {"region": ""}}, "blank value"),
    (SEED_A, {}, "nothing to update"),
])
def test_bad_updates_change_nothing(doc_id, kwargs, message, corpus_copy: Path) -> None:
    before = tree_state(corpus_copy, include_derived=True)
    with pytest.raises(InputError, match=message):
        update_article(doc_id, corpus=corpus_copy, **kwargs)
    assert tree_state(corpus_copy, include_derived=True) == before


def test_rehash_records_the_restored_raw_files_sha256(corpus_copy: Path) -> None:
    raw = corpus_copy / load_corpus(corpus_copy).row(SEED_A)["path"]
    os.chmod(raw, 0o644)
    raw.write_bytes(raw.read_bytes() + b"\n")  # re-saved with a trailing newline
    assert any("does not match the manifest" in p for p in check_corpus(corpus_copy))
    changes = update_article(SEED_A, rehash=True, corpus=corpus_copy)
    assert changes["sha256"][1] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert check_corpus(corpus_copy) == []
    raw.unlink()
    with pytest.raises(CorpusError, match="missing"):
        update_article(SEED_A, rehash=True, corpus=corpus_copy)


def test_cli_update_prints_the_changes(corpus_copy: Path, capsys) -> None:
    code = main(["update", SEED_A, "--author", "A. Writer", "--set", "region=west", "--corpus", str(corpus_copy),
                 "--format", "csv"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines() == ["id,column,old,new", f"{SEED_A},author,unknown,A. Writer", f"{SEED_A},region,,west"]
    assert main(["update", SEED_A, "--date", "tomorrow", "--corpus", str(corpus_copy)]) == 2
    assert "invalid date 'tomorrow'" in capsys.readouterr().err


@pytest.mark.model
def test_a_metadata_update_never_triggers_a_reparse(corpus_copy: Path) -> None:
    from textcompare import build_corpus

    first = build_corpus(corpus_copy, progress=False)
    assert first.parsed == 2
    update_article(SEED_A, fields={"title": "A different title", "outlet": "Another Outlet"},
                   set_columns={"region": "west"}, corpus=corpus_copy)
    again = build_corpus(corpus_copy, progress=False)
    assert again.parsed == 0
    remove_articles([SEED_B], corpus=corpus_copy)
    assert not list((corpus_copy / "derived").rglob(f"{SEED_B}.*"))
    assert build_corpus(corpus_copy, progress=False).parsed == 0


def test_rehash_refuses_a_raw_symlink_leading_outside_raw(corpus_copy: Path) -> None:
    raw = corpus_copy / load_corpus(corpus_copy).row(SEED_A)["path"]
    outside = corpus_copy / "elsewhere.txt"  # inside the corpus, but not in raw/
    outside.write_bytes(raw.read_bytes())
    os.chmod(raw, 0o644)
    raw.unlink()
    raw.symlink_to(outside)
    before = (corpus_copy / "manifest.csv").read_bytes()
    with pytest.raises(CorpusError, match="outside raw/"):
        update_article(SEED_A, rehash=True, corpus=corpus_copy)
    assert (corpus_copy / "manifest.csv").read_bytes() == before
