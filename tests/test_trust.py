"""Trust boundaries (issue 14): a manifest is input, reads are bounded, exports are safe.

Each test is one case of the review: a bad manifest row, file or cell gives a clear one-line
error (or a correct result), and nothing outside ``corpus/derived/`` is written.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import pytest

from textcompare.cli import main
from textcompare.corpus import check_corpus, list_articles, load_corpus, read_raw_bytes
from textcompare.errors import CorpusError, InputError
from textcompare.fileio import read_bounded
from textcompare.manifest import (
    MANIFEST_COLUMNS, id_problem, read_manifest, resolve_raw_path, validate_id, verify_sha256, write_manifest,
)

ARTICLE = ("Officials in Baghdad said on Friday that the strike had changed the region. "
           "Analysts in Washington disagreed about what would follow.\n\n"
           "The government of Iran promised a response, while allies urged restraint.\n")


def make_corpus(root: Path, rows: list[dict[str, str]] | None = None, *, texts: dict[str, str] | None = None) -> Path:
    """A corpus whose raw files hold ``texts`` (id -> text) and whose manifest holds ``rows`` (defaults filled in)."""
    texts = texts if texts is not None else {"a1": ARTICLE, "b2": ARTICLE.replace("Friday", "Monday")}
    (root / "raw").mkdir(parents=True)
    table = []
    for doc_id, text in texts.items():
        data = text.encode("utf-8")
        (root / "raw" / f"{doc_id}.txt").write_bytes(data)
        table.append({"id": doc_id, "author": "A. Writer", "outlet": f"Outlet {doc_id}", "title": "A title",
                      "date": "2020-01-09", "url": "", "path": f"raw/{doc_id}.txt",
                      "sha256": hashlib.sha256(data).hexdigest(), "language": "en"})
    for row in rows or []:
        table.append({**table[0], **row})
    write_manifest(pd.DataFrame(table, columns=list(MANIFEST_COLUMNS)), root / "manifest.csv")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except ``corpus/derived`` (what must never change)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "derived" not in p.relative_to(root).parts}


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert "internal error" not in err and "Traceback" not in err
    return err


# --- ids -----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["../../../victim/settings", "CON", "nul", "com1.txt", "Lpt9", "-rf", ".hidden",
                                 "a..b", "ends.", "x" * 101, "x" * 300, "", "a/b", "café", "a b"])
def test_unsafe_ids_are_refused(bad: str) -> None:
    assert id_problem(bad)
    with pytest.raises(InputError, match="invalid id"):
        validate_id(bad, path="x.txt")


@pytest.mark.parametrize("good", ["a", "007_Doe-2020.v2", "x" * 100, "CONtext", "nul1", "a.b-c_d"])
def test_safe_ids_are_accepted(good: str) -> None:
    assert id_problem(good) is None and validate_id(good) == good


def test_an_id_escaping_the_corpus_cannot_make_build_write_outside(tmp_path: Path, capsys) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "settings.json").write_text('{"keep": true}')
    corpus = make_corpus(tmp_path / "work" / "c" / "corpus", [{"id": "../../../victim/settings"}])
    before = snapshot(tmp_path)
    assert main(["build", "--corpus", str(corpus)]) == 2
    err = one_line_error(capsys)
    assert "manifest.csv" in err and "invalid id" in err and "--skip-bad" in err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("doc_id", ["x" * 300, "CON", "-rf"])
def test_add_refuses_long_reserved_and_option_like_ids(tmp_path: Path, doc_id: str, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    code = main(["add", str(article), "--outlet", "O", "--author", "A", "--title", "T", "--date", "2020-01-01",
                 f"--id={doc_id}", "--corpus", str(tmp_path / "c")])
    assert code == 2
    assert "invalid id" in one_line_error(capsys)
    assert not (tmp_path / "c" / "manifest.csv").exists()


# --- paths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["../../../../../etc/passwd", "/etc/os-release", "raw/../manifest.csv",
                                  "raw/sub/x.txt", "derived/clean/a1.json", "C:\\\\x.txt", "raw/.hidden"])
@pytest.mark.parametrize("command", ["build", "list", "keyness"])
def test_a_path_outside_raw_is_refused_before_anything_is_read(tmp_path: Path, path: str, command: str,
                                                               capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", [{"id": "z9", "path": path}])
    before = snapshot(tmp_path)
    assert main([command, "--corpus", str(corpus)]) == 2
    err = one_line_error(capsys)
    assert "'z9'" in err and "path" in err
    assert snapshot(tmp_path) == before
    assert not (corpus / "derived" / "clean").exists()


def test_a_symlink_in_raw_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text(ARTICLE)
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "raw" / "a1.txt").unlink()
    (corpus / "raw" / "a1.txt").symlink_to(outside)
    with pytest.raises(CorpusError, match="leads outside raw/"):
        read_raw_bytes(corpus, "a1")
    assert any("leads outside raw/" in p for p in check_corpus(corpus))


def test_resolve_raw_path_accepts_only_direct_children_of_raw(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    assert resolve_raw_path(tmp_path, "raw/a.txt") == tmp_path / "raw" / "a.txt"
    for bad in ("raw", "raw/", "a.txt", "raw/../a.txt", "/raw/a.txt", "raw/a\x00.txt"):
        with pytest.raises(CorpusError):
            resolve_raw_path(tmp_path, bad)


# --- sha256, duplicates, missing and non-regular files ------------------------------------

def test_an_edited_raw_file_is_refused_with_the_rehash_fix(tmp_path: Path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "raw" / "b2.txt").write_text(ARTICLE + "An edit.\n")
    with pytest.raises(CorpusError, match=r"does not match the manifest .*textcompare update b2 --rehash"):
        read_raw_bytes(corpus, "b2")
    assert main(["build", "--corpus", str(corpus)]) == 2
    assert "textcompare update b2 --rehash" in one_line_error(capsys)
    assert not (corpus / "derived" / "docs").exists()


def test_verify_sha256_returns_the_digest_when_it_matches() -> None:
    digest = hashlib.sha256(b"abc").hexdigest()
    assert verify_sha256(b"abc", digest, doc_id="x", path="raw/x.txt") == digest
    with pytest.raises(CorpusError, match="update x --rehash"):
        verify_sha256(b"abd", digest, doc_id="x", path="raw/x.txt")


def test_a_duplicate_id_is_a_clear_error_not_a_reindex_failure(tmp_path: Path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", [{"id": "a1", "outlet": "Other"}])
    assert main(["keyness", "--corpus", str(corpus)]) == 2
    err = one_line_error(capsys)
    assert "duplicate id 'a1'" in err and "cannot reindex" not in err


@pytest.mark.parametrize("damage", ["missing", "directory", "fifo", "devzero", "too_large"])
def test_a_bad_raw_file_is_named_per_document(tmp_path: Path, damage: str, monkeypatch) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    target = corpus / "raw" / "b2.txt"
    target.unlink()
    if damage == "directory":
        target.mkdir()
    elif damage == "fifo":
        os.mkfifo(target)
    elif damage == "devzero":
        target.symlink_to("/dev/zero")
    elif damage == "too_large":
        target.write_bytes(ARTICLE.encode() * 10)
        monkeypatch.setenv("TEXTCOMPARE_MAX_BYTES", "1000")
    with pytest.raises(CorpusError) as caught:
        read_raw_bytes(corpus, "b2")
    message = str(caught.value)
    assert "b2" in message and "\n" not in message
    assert read_raw_bytes(corpus, "a1")  # the others stay readable
    problems = check_corpus(corpus)
    assert len(problems) == 1 and "b2" in problems[0]
    with pytest.warns(UserWarning, match="skipped 'b2'"):
        assert load_corpus(corpus, skip_bad=True).ids == ["a1"]


def test_list_shows_unreadable_documents_without_failing(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    (corpus / "raw" / "b2.txt").unlink()
    table = list_articles(corpus)
    assert table["id"].tolist() == ["a1", "b2"]
    assert table.loc[0, "words_raw"] > 0 and pd.isna(table.loc[1, "words_raw"])


# --- bounded reads -------------------------------------------------------------------------

def test_read_bounded_refuses_fifos_without_blocking_and_devices(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="FIFO"):
        read_bounded(fifo)
    with pytest.raises(InputError, match="device"):
        read_bounded("/dev/zero")
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="device"):
        read_bounded(link)


def test_read_bounded_stops_at_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2001)
    assert read_bounded(big, max_bytes=2001) == b"x" * 2001
    with pytest.raises(InputError, match="2,001 bytes, over the 2,000-byte input limit.*--max-bytes"):
        read_bounded(big, max_bytes=2000)


def test_add_refuses_a_fifo_and_an_oversized_file(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert main(["add", str(fifo), "--outlet", "O", "--corpus", str(tmp_path / "c")]) == 2
    assert "FIFO" in one_line_error(capsys)
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 30)
    assert main(["add", str(big), "--outlet", "O", "--max-bytes", "1000", "--corpus", str(tmp_path / "c")]) == 2
    assert "input limit" in one_line_error(capsys)
    assert not (tmp_path / "c" / "manifest.csv").exists()
    assert os.environ.get("TEXTCOMPARE_MAX_BYTES") is None  # the option does not leak out of the command


# --- staging files -------------------------------------------------------------------------

def test_a_crafted_pending_marker_cannot_delete_files(tmp_path: Path) -> None:
    import json

    from textcompare.ingest import add_article, pending_add

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    corpus = make_corpus(tmp_path / "corpus")
    kept = corpus / "raw" / "a1.txt"
    staging = corpus / "derived" / ".staging"
    staging.mkdir(parents=True)
    for path, sha in (("../victim.txt", hashlib.sha256(b"precious").hexdigest()),
                      (str(victim), hashlib.sha256(b"precious").hexdigest()),
                      ("raw/a1.txt", hashlib.sha256(kept.read_bytes()).hexdigest()),  # listed: never rolled back
                      ("manifest.csv", hashlib.sha256((corpus / "manifest.csv").read_bytes()).hexdigest())):
        (staging / "pending.json").write_text(json.dumps({"id": "a1", "path": path, "sha256": sha}))
        assert pending_add(corpus) is None
        article = tmp_path / f"new{len(path)}.txt"
        article.write_text(ARTICLE.replace("Friday", f"day {len(path)}"))
        add_article(article, outlet="O", author="A", title="T", date="2020-01-01", corpus=corpus)
        assert victim.read_text() == "precious" and kept.is_file() and (corpus / "manifest.csv").is_file()
        staging.mkdir(parents=True, exist_ok=True)


# --- metadata: NFC, terminal, spreadsheets -------------------------------------------------

def test_nfc_and_nfd_spellings_make_one_group(tmp_path: Path) -> None:
    from textcompare.corpus import document_groups

    corpus = make_corpus(tmp_path / "corpus")
    table = read_manifest(corpus / "manifest.csv")
    table["outlet"] = ["Caf\u00e9", "Cafe\u0301"]
    write_manifest(table, corpus / "manifest.csv")
    assert set(document_groups(corpus)) == {"Caf\u00e9"}


def test_terminal_output_drops_ansi_escapes_and_bidi_overrides(tmp_path: Path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    table = read_manifest(corpus / "manifest.csv")
    table["title"] = ["\x1b[2J\x1b[31mRed", "abc\u202etxt.exe"]
    write_manifest(table, corpus / "manifest.csv")
    assert main(["list", "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "Red" in out and "abctxt.exe" in out


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_csv_output_neutralises_formulas_in_text_cells_only(tmp_path: Path, cell: str, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    table = read_manifest(corpus / "manifest.csv")
    table["title"] = [cell, "Plain"]
    write_manifest(table, corpus / "manifest.csv")
    assert read_manifest(corpus / "manifest.csv")["title"].tolist()[0] == cell  # the manifest round-trips
    assert main(["list", "--corpus", str(corpus), "--format", "csv"]) == 0
    printed = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), dtype={"title": str},
                          keep_default_na=False)
    assert printed["title"].tolist() == ["'" + cell, "Plain"]
    assert (printed["words_raw"] > 0).all()  # numbers untouched
    assert main(["list", "--corpus", str(corpus), "--format", "csv", "--raw-csv"]) == 0
    raw = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), dtype={"title": str}, keep_default_na=False)
    assert raw["title"].tolist() == [cell, "Plain"]


def test_report_csv_tables_neutralise_text_but_not_numbers() -> None:
    from textcompare.report.tables import csv_bytes

    table = pd.DataFrame({"text": ["=1+1", "-x", "ok", None, "\rx"], "value": [-1.5, 2.0, -3.0, 0.0, 1.0]})
    lines = csv_bytes(table).decode().split("\n")
    assert lines[1:] == ["'=1+1,-1.5", "'-x,2", "ok,-3", ",0", "'\rx,1", ""]
    assert csv_bytes(table, raw=True).decode().split("\n")[1] == "=1+1,-1.5"


# --- encodings -----------------------------------------------------------------------------

def test_a_mostly_utf8_file_keeps_utf8_and_counts_the_bad_bytes() -> None:
    from textcompare.encoding import decode_article

    text = "Iran’s “response” to the strike’s aftermath — a café in Zürich. " * 20
    data = bytearray(text.encode("utf-8"))
    positions = [k for k, byte in enumerate(data) if byte == ord(" ")][:4]
    for k in positions:
        data[k] = 0xFF  # four bytes no UTF-8 sequence can contain
    decoded, encoding = decode_article(bytes(data), "damaged.txt")
    assert encoding == "utf-8 with 4 invalid bytes replaced by U+FFFD"
    assert decoded.count("\ufffd") == 4 and "Iran’s" in decoded and "Ō" not in decoded
    assert decoded.replace("\ufffd", " ") == text


def test_a_legacy_code_page_is_used_only_when_the_detector_is_confident() -> None:
    from textcompare.encoding import decode_article

    text = "The naïve café owner in Zürich said the façade would be repaired. " * 5
    assert decode_article(text.encode("cp1252"), "legacy.txt") == (text, "cp1252")
    with pytest.raises(InputError, match="legacy.bin: cannot decode"):
        decode_article(bytes(range(0x80, 0x100)) * 3, "legacy.bin")


# --- long texts ----------------------------------------------------------------------------

def test_split_long_text_joins_back_and_respects_the_limit() -> None:
    from textcompare.parsing.serialize import split_long_text

    body = "\n\n".join(f"Paragraph {k} " + "word " * (k * 7 % 40) for k in range(60)) + "x" * 90
    for limit in (50, 100, 333):
        pieces = split_long_text(body, limit)
        assert "".join(pieces) == body and all(0 < len(p) <= limit for p in pieces)
    assert split_long_text("short", 100) == ["short"]


@pytest.mark.model
def test_a_text_longer_than_max_length_is_parsed_in_paragraph_pieces(tmp_path: Path, nlp, monkeypatch) -> None:
    from textcompare.parsing import build_corpus, load_sentences, load_tokens

    paragraphs = [f"Paragraph {k}: officials in Baghdad said the strike changed the region. "
                  f"Analysts in Washington disagreed about what would follow." for k in range(40)]
    corpus = make_corpus(tmp_path / "corpus", texts={"long1": "\n\n".join(paragraphs) + "\n"})
    monkeypatch.setattr(nlp, "max_length", 1000)  # the article is about 5,000 characters
    summary = build_corpus(corpus, progress=False)
    assert summary.parsed == 1
    body = __import__("json").loads((corpus / "derived" / "clean" / "long1.json").read_bytes())["body"]
    assert len(body) > 4 * nlp.max_length
    sentences = load_sentences(corpus)
    assert sentences["paragraph_id"].nunique() == 40
    assert all(body[s:e] == t for s, e, t in zip(sentences["start_char"], sentences["end_char"], sentences["text"]))
    tokens = load_tokens(corpus)
    assert tokens["i"].tolist() == list(range(len(tokens)))
    assert {"Baghdad", "Washington"} <= set(tokens["text"])


# --- read-only corpora ---------------------------------------------------------------------

@pytest.mark.model
def test_a_built_corpus_is_analysed_without_lock_or_write(tmp_path: Path, monkeypatch, capsys) -> None:
    import filelock

    from textcompare.parsing import build_corpus

    corpus = make_corpus(tmp_path / "corpus")
    build_corpus(corpus, progress=False)
    (corpus / "derived" / ".build.lock").unlink(missing_ok=True)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(corpus.rglob("*")) if p.is_file()}

    def refuse(*_args, **_kwargs):  # what a read-only file system does to the lock
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    assert main(["keyness", "--corpus", str(corpus), "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 1  # a header and rows
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(corpus.rglob("*")) if p.is_file()}
    assert after == before

    (corpus / "raw" / "c3.txt").write_text(ARTICLE.replace("Friday", "Sunday"))  # now something must be built
    table = read_manifest(corpus / "manifest.csv")
    data = (corpus / "raw" / "c3.txt").read_bytes()
    table.loc[len(table)] = {**table.iloc[0].to_dict(), "id": "c3", "path": "raw/c3.txt",
                             "sha256": hashlib.sha256(data).hexdigest()}
    write_manifest(table, corpus / "manifest.csv")
    assert main(["build", "--corpus", str(corpus)]) == 2
    err = one_line_error(capsys)
    assert "cannot build" in err and "read-only" in err


# --- figures -------------------------------------------------------------------------------

@pytest.mark.parametrize("group", [r"$\frac{1}{$", r"$\frac…$", "$5 and $10"])
def test_figure_text_never_goes_through_mathtext(tmp_path: Path, group: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import textcompare as tc

    table = pd.DataFrame({"group": [group, "Plain"], "marker": ["hedge", "hedge"], "per_1k": [1.0, 2.0]})
    ax = tc.plot_stance(table)
    ax.figure.set_size_inches(9, 5)  # more ticks made after plotting still take the setting
    ax.figure.savefig(tmp_path / "f.png")
    tc.save_figure(ax.figure, "g", out_dir=tmp_path, formats=("svg",))
    texts = [t for t in ax.figure.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert texts and not any(t.get_parse_math() for t in texts)
    plt.close("all")


# --- atomic report output ------------------------------------------------------------------

@pytest.fixture()
def quick_report(tmp_path: Path, monkeypatch):
    """build_report on a small corpus, with the analyses replaced by one table per document (no model)."""
    import textcompare.parsing as parsing
    import textcompare.report.figures as figures
    import textcompare.report.html as html
    import textcompare.report.tables as tables
    from textcompare.parsing.build import BuildSummary

    corpus = make_corpus(tmp_path / "corpus")
    monkeypatch.setattr(parsing, "build_corpus", lambda c, **_: BuildSummary(len(c), 0, len(c), 0.0))
    monkeypatch.setattr(parsing, "load_provenance", lambda c: {"documents": load_corpus(c).ids})
    monkeypatch.setattr(tables, "build_tables", lambda c, **_: {f"key_terms_{d}": pd.DataFrame({"term": ["=x"]})
                                                                 for d in c.ids})
    monkeypatch.setattr(figures, "write_figures", lambda t, out, p: {})
    monkeypatch.setattr(html, "render_report", lambda *a, **k: "<html></html>")
    return corpus


def test_a_failed_report_leaves_the_previous_one_intact(quick_report: Path, tmp_path: Path, monkeypatch) -> None:
    import textcompare.report.html as html
    from textcompare.reproduce import build_report

    out = tmp_path / "reports"
    build_report(quick_report, out, execute_notebooks=False)
    before = snapshot(out)
    assert "tables/key_terms_a1.csv" in before and before["tables/key_terms_a1.csv"].endswith(b"'=x\n")

    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(html, "render_report", fail)
    with pytest.raises(RuntimeError):
        build_report(quick_report, out, execute_notebooks=False)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "reports"]  # no staging folder left


def test_a_report_leaves_no_tables_of_removed_documents(quick_report: Path, tmp_path: Path) -> None:
    from textcompare.reproduce import build_report

    out = tmp_path / "reports"
    build_report(quick_report, out, execute_notebooks=False)
    table = read_manifest(quick_report / "manifest.csv")
    write_manifest(table[table["id"] != "b2"], quick_report / "manifest.csv")
    (quick_report / "raw" / "b2.txt").unlink()
    result = build_report(quick_report, out, execute_notebooks=False)
    assert sorted(p.name for p in (out / "tables").glob("*.csv")) == ["key_terms_a1.csv"]
    assert result["report"] == out / "report.html" and result["report"].is_file()


def test_a_report_refuses_a_folder_it_did_not_write(quick_report: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["report", "--corpus", str(quick_report), "--out", str(out), "--no-notebooks"]) == 2
    assert "notes.txt" in one_line_error(capsys)
    assert (out / "notes.txt").read_text() == "keep me"


@pytest.mark.model
def test_build_skip_bad_goes_on_without_the_bad_documents_and_names_them(tmp_path: Path, capsys) -> None:
    corpus = make_corpus(tmp_path / "corpus", texts={"a1": ARTICLE, "b2": ARTICLE.replace("Friday", "Monday"),
                                                       "c3": ARTICLE.replace("Friday", "Sunday")})
    (corpus / "raw" / "b2.txt").unlink()
    (corpus / "raw" / "c3.txt").write_text("edited")
    assert main(["build", "--corpus", str(corpus)]) == 2
    assert "'b2'" in one_line_error(capsys)
    assert main(["build", "--corpus", str(corpus), "--skip-bad"]) == 0
    captured = capsys.readouterr()
    assert "skipped 'b2'" in captured.err and "skipped 'c3'" in captured.err and "update c3 --rehash" in captured.err
    assert sorted(p.stem for p in (corpus / "derived" / "docs").glob("*.spacy")) == ["a1"]
    assert main(["keyness", "--corpus", str(corpus), "--skip-bad", "--format", "csv"]) in (0, 2)  # one group
    assert "internal error" not in capsys.readouterr().err


def test_clean_names_the_replaced_bytes(tmp_path: Path, capsys) -> None:
    page = tmp_path / "damaged.txt"
    page.write_bytes(("Iran’s “response” to the strike’s aftermath. " * 30).encode("utf-8") + b"\xff\xfe")
    assert main(["clean", str(page), "--body-only"]) == 0
    err = capsys.readouterr().err
    assert "is mostly UTF-8; decoded as utf-8 with 2 invalid bytes replaced by U+FFFD" in err
