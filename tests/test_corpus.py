"""Reading a corpus: manifest I/O, decoding, language, groups, checks and the article list."""
from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from conftest import CORPUS, SEEDS
from textcompare.corpus import (
    Corpus, check_corpus, clean_article, document_groups, list_articles, load_corpus, read_raw_text,
)
from textcompare.encoding import decode_article, is_html, read_article_bytes
from textcompare.errors import CorpusError, InputError
from textcompare.language import check_language, detect_language
from textcompare.manifest import (
    MANIFEST_COLUMNS, manifest_bytes, next_numbered_id, read_manifest, validate_date, validate_id, write_manifest,
)

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
SEED_IDS = sorted(SEEDS)


# --- load_corpus -----------------------------------------------------------------------------

def test_load_corpus_reads_the_seed_manifest_as_strings_sorted_by_id(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    assert corpus.ids == SEED_IDS
    assert tuple(corpus.manifest.columns) == MANIFEST_COLUMNS
    assert all(isinstance(v, str) for v in corpus.manifest.to_numpy().ravel())
    assert corpus.raw_path(SEED_IDS[0]) == corpus_copy / "raw" / f"{SEED_IDS[0]}.txt"
    assert corpus.derived == corpus_copy / "derived"


def test_load_corpus_returns_a_corpus_unchanged(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    assert load_corpus(corpus) is corpus


def test_load_corpus_uses_the_environment_default(corpus_copy: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEXTCOMPARE_CORPUS", str(corpus_copy))
    assert load_corpus().root == corpus_copy


def test_load_corpus_sorts_rows_by_id(corpus_copy: Path) -> None:
    text = (corpus_copy / "manifest.csv").read_text(encoding="utf-8").splitlines()
    (corpus_copy / "manifest.csv").write_text("\n".join([text[0], text[2], text[1]]) + "\n", encoding="utf-8")
    assert load_corpus(corpus_copy).ids == SEED_IDS


def test_missing_corpus_directory_is_a_corpus_error_telling_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"textcompare add .*--corpus") as info:
        load_corpus(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)


def test_missing_manifest_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="manifest not found"):
        load_corpus(tmp_path)


def test_manifest_missing_a_column_is_a_corpus_error(corpus_copy: Path) -> None:
    table = pd.read_csv(corpus_copy / "manifest.csv", dtype=str).drop(columns=["sha256"])
    table.to_csv(corpus_copy / "manifest.csv", index=False)
    with pytest.raises(CorpusError, match="sha256"):
        load_corpus(corpus_copy)


def test_unknown_id_is_a_corpus_error(corpus_copy: Path) -> None:
    with pytest.raises(CorpusError, match="no article with id 'nope'"):
        load_corpus(corpus_copy).raw_path("nope")


# --- manifest --------------------------------------------------------------------------------

def test_manifest_round_trip_is_byte_identical() -> None:
    original = (CORPUS / "manifest.csv").read_bytes()
    assert manifest_bytes(read_manifest(CORPUS / "manifest.csv")) == original


def test_manifest_round_trip_keeps_commas_quotes_unicode_and_extra_columns(tmp_path: Path) -> None:
    table = pd.DataFrame([{
        "id": "001_x", "author": "Zoë O'Brien", "outlet": 'The "Quoted" Review, Weekly', "title": "Iran, Iraq and the US",
        "date": "2020-01-09", "url": "", "path": "raw/001_x.txt", "sha256": "a" * 64, "language": "en", "note": "extra",
    }])
    path = tmp_path / "manifest.csv"
    write_manifest(table, path)
    data = path.read_bytes()
    assert b"\r\n" not in data and not data.startswith(codecs.BOM_UTF8)
    again = read_manifest(path)
    assert again.to_dict("records") == table.to_dict("records")
    write_manifest(again, path)
    assert path.read_bytes() == data


def test_manifest_saved_by_a_spreadsheet_with_bom_and_crlf_is_read(corpus_copy: Path) -> None:
    original = (corpus_copy / "manifest.csv").read_bytes()
    (corpus_copy / "manifest.csv").write_bytes(codecs.BOM_UTF8 + original.replace(b"\n", b"\r\n"))
    table = read_manifest(corpus_copy / "manifest.csv")
    assert manifest_bytes(table) == original


@pytest.mark.parametrize("existing,expected", [
    ([], "000_0123456789abcdef"),
    (["000_aa", "004_bb"], "005_0123456789abcdef"),
    (["manual-id", "012_cc"], "013_0123456789abcdef"),
])
def test_next_numbered_id_follows_the_highest_number(existing: list[str], expected: str) -> None:
    assert next_numbered_id(existing, "0123456789abcdef" + "0" * 48) == expected


@pytest.mark.parametrize("value", ["2020-02-29", "1999-12-31"])
def test_valid_dates_pass(value: str) -> None:
    assert validate_date(value) == value


@pytest.mark.parametrize("value", ["2019-02-29", "2020-13-01", "2020-1-9", "09/01/2020", "yesterday", ""])
def test_invalid_dates_are_input_errors(value: str) -> None:
    with pytest.raises(InputError, match="invalid date"):
        validate_date(value, path="a.txt")


@pytest.mark.parametrize("value", ["a/b", "..", "a..b", ".hidden", "sp ace", "ümlaut", "a\\b", ""])
def test_unsafe_ids_are_input_errors(value: str) -> None:
    with pytest.raises(InputError, match="invalid id"):
        validate_id(value, path="a.txt")


def test_safe_ids_pass() -> None:
    assert validate_id("007_Doe-2020.v2") == "007_Doe-2020.v2"


# --- decoding and language -------------------------------------------------------------------

def test_utf8_is_decoded_and_a_bom_dropped() -> None:
    assert decode_article("Zoë’s café".encode("utf-8")) == ("Zoë’s café", "utf-8")
    assert decode_article(codecs.BOM_UTF8 + "Zoë".encode("utf-8")) == ("Zoë", "utf-8")


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_article("Zoë’s café".encode("utf-16")) == ("Zoë’s café", "utf-16")


def test_cp1252_file_is_detected_and_reported() -> None:
    data = (ARTICLES / "rail_strike_cp1252.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = decode_article(data, "rail.txt")
    assert encoding == "cp1252"
    assert "café" in text and "“a last resort”" in text and "Workers’" in text


def test_latin1_text_is_decoded_correctly() -> None:
    original = ("The naïve café owner in Zürich said the façade would be repaired before the summer season. " * 3)
    text, encoding = decode_article(original.encode("latin-1"))
    assert text == original
    assert encoding == "cp1252"  # identical to latin-1 for printable bytes; the WHATWG default


@pytest.mark.parametrize("data,problem", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"hello \x01\x02\x03\x04 world " * 10, "binary"),
    (bytes(range(0x80, 0x100)) * 3, "cannot decode"),
    (b"\xfe\xfd\xfc" * 70, "cannot decode"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "not valid utf-16"),
])
def test_binary_and_undecodable_input_are_input_errors_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as info:
        decode_article(data, "some/file.bin")
    assert str(info.value).startswith("some/file.bin: ")


def test_read_article_bytes_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article_bytes(tmp_path / "missing.txt")
    assert read_article_bytes(b"abc") == (b"abc", "<bytes>")


@pytest.mark.parametrize("data,name,expected", [
    (b"<!DOCTYPE html><html><body>x</body></html>", None, True),
    (b"  \n<html lang='en'>", None, True),
    (b"plain text mentioning <html> later", None, False),
    (b"plain", "page.HTM", True),
])
def test_is_html_sniffs_content_and_extension(data: bytes, name: str | None, expected: bool) -> None:
    assert is_html(data, name) is expected


def test_english_fixtures_are_detected_as_english() -> None:
    for name in ("harbor_bridge.txt", "library_hours.txt", "river_cleanup.txt"):
        assert detect_language((ARTICLES / name).read_text(encoding="utf-8"))[0] == "en"


def test_non_english_is_refused_unless_allowed() -> None:
    text = (ARTICLES / "german_article.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="'de'.*--allow-language"):
        check_language(text, path="g.txt")
    assert check_language(text, allow_language=True) == "de"


# --- reading articles, groups ----------------------------------------------------------------

def test_clean_article_cleans_the_stored_raw_text(corpus_copy: Path) -> None:
    corpus = load_corpus(corpus_copy)
    for doc_id in corpus.ids:
        text, encoding = read_raw_text(corpus, doc_id)
        cleaned = clean_article(corpus, doc_id)
        assert encoding == "utf-8"
        assert cleaned.body.strip()
        assert len(cleaned.body.split()) < len(text.split())


def test_document_groups_by_outlet(corpus_copy: Path) -> None:
    groups = document_groups(corpus_copy)
    assert groups.to_dict() == {SEED_IDS[0]: "Responsible Statecraft", SEED_IDS[1]: "China-US Focus"}
    assert groups.index.name == "doc_id" and groups.name == "outlet"


def test_document_groups_by_author_falls_back_to_outlet_for_unknown_or_missing(tmp_path: Path) -> None:
    table = pd.DataFrame({
        "id": ["a", "b", "c", "d"], "author": ["unknown", "", "Jane Doe", "Unknown"],
        "outlet": ["Outlet A", "Outlet B", "Outlet C", "Outlet D"],
        "title": "t", "date": "2020-01-01", "url": "", "path": "raw/x.txt", "sha256": "0" * 64, "language": "en",
    })
    corpus = Corpus(root=tmp_path, manifest=table)
    assert document_groups(corpus, by="author").tolist() == ["Outlet A", "Outlet B", "Jane Doe", "Outlet D"]
    assert document_groups(corpus, by="date").tolist() == ["2020-01-01"] * 4


def test_document_groups_by_a_missing_column_is_an_input_error(corpus_copy: Path) -> None:
    with pytest.raises(InputError, match="cannot group by 'party'"):
        document_groups(corpus_copy, by="party")


# --- check_corpus ----------------------------------------------------------------------------

def test_check_corpus_finds_nothing_wrong_with_the_seeds(corpus_copy: Path) -> None:
    assert check_corpus(corpus_copy) == []


def test_check_corpus_reports_each_kind_of_problem(corpus_copy: Path) -> None:
    os.chmod(corpus_copy / "raw" / f"{SEED_IDS[1]}.txt", 0o644)
    (corpus_copy / "raw" / f"{SEED_IDS[1]}.txt").write_bytes(b"tampered")
    (corpus_copy / "raw" / "stray.txt").write_text("not listed")
    table = read_manifest(corpus_copy / "manifest.csv")
    extra = table.iloc[[0]].assign(path="raw/missing.txt", date="2020-02-30")
    write_manifest(pd.concat([table, extra]), corpus_copy / "manifest.csv")
    problems = "\n".join(check_corpus(corpus_copy))
    assert f"duplicate id '{SEED_IDS[0]}'" in problems
    assert "invalid date '2020-02-30'" in problems
    assert "missing.txt: missing raw file" in problems
    assert f"{SEED_IDS[1]}.txt: sha256" in problems and "does not match" in problems
    assert "stray.txt: raw file not listed" in problems


# --- list_articles ---------------------------------------------------------------------------

def test_list_articles_counts_raw_and_clean_words(corpus_copy: Path, monkeypatch) -> None:
    monkeypatch.chdir(corpus_copy.parent)
    table = list_articles(corpus_copy)
    assert list(table.columns) == ["id", "author", "outlet", "title", "date", "url", "path", "words_raw", "words_clean"]
    assert table["id"].tolist() == SEED_IDS
    for row in table.itertuples():
        raw = (corpus_copy / "raw" / f"{row.id}.txt").read_text(encoding="utf-8")
        assert row.path == f"corpus/raw/{row.id}.txt"  # relative: inside the current directory
        assert row.words_raw == len(raw.split())
        assert row.words_clean == len(clean_article(corpus_copy, row.id).body.split())
        assert 0 < row.words_clean < row.words_raw


def test_list_articles_shows_absolute_paths_outside_the_current_directory(corpus_copy: Path, monkeypatch,
                                                                         tmp_path_factory) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    paths = list_articles(corpus_copy)["path"]
    assert all(Path(p).is_absolute() and Path(p).is_file() for p in paths)


def test_seed_raw_files_still_match_their_manifest_hashes() -> None:
    for row in read_manifest(CORPUS / "manifest.csv").itertuples():
        assert hashlib.sha256((CORPUS / row.path).read_bytes()).hexdigest() == row.sha256


def test_removed_blocks_and_cleaned_texts_account_for_every_article(corpus_copy):
    from textcompare.corpus import extract_removed_blocks, load_cleaned_texts

    cleaned = load_cleaned_texts(corpus_copy)
    removed = extract_removed_blocks(corpus_copy)
    assert list(cleaned.columns) == ["doc_id", "title", "author", "date", "words", "body"]
    assert list(removed.columns) == ["doc_id", "block", "reason", "words", "chars", "text"]
    corpus = load_corpus(corpus_copy)
    assert list(cleaned["doc_id"]) == corpus.ids
    for doc_id in corpus.ids:
        article = clean_article(corpus, doc_id)
        mine = removed[removed["doc_id"] == doc_id]
        assert list(mine["text"]) == [b.text for b in article.removed]
        assert list(mine["block"]) == list(range(len(article.removed)))
        assert cleaned.set_index("doc_id").loc[doc_id, "body"] == article.body
    assert (removed["chars"] == removed["text"].str.len()).all()


def test_row_lookup_follows_a_replaced_or_changed_manifest(corpus_copy: Path) -> None:
    from dataclasses import replace

    corpus = load_corpus(corpus_copy)
    first, second = corpus.ids[:2]
    assert corpus.row(first)["id"] == first and corpus.row(second)["id"] == second
    # a new manifest object (what load_corpus(..., skip_bad=True) does) is looked up afresh
    fewer = replace(corpus, manifest=corpus.manifest[corpus.manifest["id"] != first].reset_index(drop=True))
    with pytest.raises(CorpusError, match="no article with id"):
        fewer.row(first)
    assert fewer.row(second)["id"] == second
    # the same object grown in place is looked up afresh too
    corpus.manifest.loc[len(corpus.manifest)] = corpus.manifest.iloc[0].replace(first, "added-id")
    assert corpus.row("added-id")["id"] == "added-id"
