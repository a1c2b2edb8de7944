"""The corpus commands: clean, add, list, check (errors: one stderr line naming the file, exit 2)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS
from textcompare.cli import main
from textcompare.corpus import load_corpus

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
HARBOR = ARTICLES / "harbor_bridge.txt"
SEED_IDS = sorted(SEEDS)
META = ["--author", "Jane Doe", "--outlet", "Example Review", "--title", "A Title", "--date", "2021-03-03"]


def tree_state(root: Path) -> dict[str, tuple[str, int] | None]:
    """Every file and directory under ``root`` (derived/ included): path -> (sha256, mode) or None."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): None if p.is_dir()
        else (hashlib.sha256(p.read_bytes()).hexdigest(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(root.rglob("*"))
    }


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _meta_without(*names: str) -> list[str]:
    pairs = list(zip(META[::2], META[1::2]))
    return [x for flag, value in pairs if flag.lstrip("-") not in names for x in (flag, value)]


# --- add: refusals ---------------------------------------------------------------------------

BAD = {
    "empty": (b"", META, "is empty"),
    "whitespace": (b"   \n\n \t\n", META, "is empty"),
    "binary": (b"GIF89a\x01\x00\x01\x00\x00\xff\x00" * 20, META, "binary file"),
    "undecodable": (bytes(range(0x80, 0x100)) * 3, META, "cannot decode"),
    "not_english": ((ARTICLES / "german_article.txt").read_bytes(), META, "not English"),
    "nothing_left": (b"Share this article\n\nSubscribe to our newsletter\n\nFollow us on social\n", META,
                     "nothing is left after cleaning"),
    "invalid_date": (HARBOR.read_bytes(), _meta_without("date") + ["--date", "2021-04-31"], "invalid date"),
    "id_dotdot": (HARBOR.read_bytes(), META + ["--id", ".."], "invalid id"),
    "id_path": (HARBOR.read_bytes(), META + ["--id", "sub/dir"], "invalid id"),
    "id_chars": (HARBOR.read_bytes(), META + ["--id", "naïve"], "invalid id"),
    "id_clash": (HARBOR.read_bytes(), META + ["--id", SEED_IDS[0]], "already used"),
    "duplicate": ((Path(__file__).resolve().parents[1] / "corpus" / "raw" / f"{SEED_IDS[0]}.txt").read_bytes(),
                  META, f"same content as existing article '{SEED_IDS[0]}'"),
    "no_outlet": (HARBOR.read_bytes(), _meta_without("outlet"), "no outlet given"),
    "no_author": ((ARTICLES / "library_hours.txt").read_bytes(), _meta_without("author"), "--author unknown"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_add_refuses_bad_input_with_one_line_naming_the_file(case: str, corpus_copy: Path, tmp_path: Path,
                                                             capsys) -> None:
    data, meta, problem = BAD[case]
    source = tmp_path / f"{case}.txt"
    source.write_bytes(data)
    before = tree_state(corpus_copy)
    code, out, err = run(["add", str(source), *meta, "--corpus", str(corpus_copy)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"textcompare add: error: {source}: ")
    assert problem in err and "Traceback" not in err + out
    assert tree_state(corpus_copy) == before


def test_add_from_stdin_names_stdin_in_errors(corpus_copy: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    before = tree_state(corpus_copy)
    code, _, err = run(["add", "-", *META, "--corpus", str(corpus_copy)], capsys)
    assert code == 2 and "<stdin>: is empty" in err
    assert tree_state(corpus_copy) == before


def test_add_of_a_missing_file_is_one_line(corpus_copy: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(["add", str(tmp_path / "nope.txt"), *META, "--corpus", str(corpus_copy)], capsys)
    assert code == 2 and err.strip() == f"textcompare add: error: {tmp_path / 'nope.txt'}: no such file (check the path)"


def test_errors_in_a_real_process_have_no_traceback(corpus_copy: Path, tmp_path: Path) -> None:
    source = tmp_path / "image.png"
    source.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    before = tree_state(corpus_copy)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from textcompare.cli import main; sys.exit(main(sys.argv[1:]))",
         "add", str(source), *META, "--corpus", str(corpus_copy)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"textcompare add: error: {source}: looks like a binary file "
                                        "(contains NUL bytes), not a text or HTML article"]
    assert tree_state(corpus_copy) == before


# --- add: success ----------------------------------------------------------------------------

def test_add_prints_a_preview_of_what_cleaning_kept(corpus_copy: Path, capsys) -> None:
    code, out, err = run(["add", str(HARBOR), "--outlet", "Example Review", "--url", "https://example.org/h",
                          "--corpus", str(corpus_copy)], capsys)
    assert code == 0, err
    assert "title:    The Harbor Bridge Vote Shows How Cities Borrow Against the Future" in out
    assert "author:   Jane Doe" in out and "date:     2021-03-03" in out
    assert "kept:     4 paragraphs" in out
    assert "first:    The city council voted" in out and "last:     The vote is an illustration" in out
    assert "removed:  " in out and "byline 1" in out
    assert len(load_corpus(corpus_copy).ids) == 3


def test_add_says_which_encoding_it_used(corpus_copy: Path, capsys) -> None:
    path = ARTICLES / "rail_strike_cp1252.txt"
    code, out, err = run(["add", str(path), "--author", "Sam Lee", "--outlet", "Example Review",
                          "--date", "2021-06-01", "--corpus", str(corpus_copy)], capsys)
    assert code == 0, err
    assert "encoding: cp1252" in out and "decoded as cp1252" in err


def test_add_creates_a_missing_corpus_directory(tmp_path: Path, capsys) -> None:
    root = tmp_path / "fresh"
    code, out, _ = run(["add", str(HARBOR), "--outlet", "Example Review", "--corpus", str(root)], capsys)
    assert code == 0 and "(new corpus)" in out
    assert len(load_corpus(root).ids) == 1


# --- clean -----------------------------------------------------------------------------------

def test_clean_prints_the_body_then_the_removal_report(capsys) -> None:
    code, out, err = run(["clean", str(HARBOR)], capsys)
    assert code == 0
    body, _, report = out.partition("\n--- found:")
    assert body.startswith("The city council voted on Tuesday") and "Share this article" not in body
    assert "[byline] By Jane Doe" in report and "[newsletter/subscribe] Subscribe to our newsletter" in report
    assert err == ""


def test_clean_body_only_prints_just_the_body(capsys) -> None:
    code, out, _ = run(["clean", str(HARBOR), "--body-only"], capsys)
    assert code == 0 and out.startswith("The city council voted on Tuesday")
    assert "--- removed" not in out and "[byline]" not in out


def test_clean_json_has_the_documented_keys(capsys) -> None:
    code, out, _ = run(["clean", str(HARBOR), "--json"], capsys)
    data = json.loads(out)
    assert code == 0
    assert list(data) == ["title", "author", "date", "body", "removed", "paywall"]
    assert data["paywall"] is None
    assert (data["author"], data["date"]) == ("Jane Doe", "2021-03-03")
    assert {"text": "By Jane Doe", "reason": "byline"} in data["removed"]


def test_clean_reports_a_non_utf8_encoding(capsys) -> None:
    code, out, err = run(["clean", str(ARTICLES / "rail_strike_cp1252.txt")], capsys)
    assert code == 0 and "café" in out and "decoded as cp1252" in err


def test_clean_of_a_binary_file_is_one_line(tmp_path: Path, capsys) -> None:
    source = tmp_path / "x.bin"
    source.write_bytes(b"\x00\x01\x02")
    code, _, err = run(["clean", str(source)], capsys)
    assert code == 2 and err.count("\n") == 1 and str(source) in err


# --- list and check --------------------------------------------------------------------------

def test_list_csv_has_one_row_per_article(corpus_copy: Path, capsys) -> None:
    code, out, _ = run(["list", "--corpus", str(corpus_copy), "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [r["id"] for r in rows] == SEED_IDS
    assert list(rows[0]) == ["id", "author", "outlet", "title", "date", "url", "path", "words_raw", "words_clean"]
    raw = (corpus_copy / "raw" / f"{SEED_IDS[1]}.txt").read_text(encoding="utf-8")
    assert int(rows[1]["words_raw"]) == len(raw.split())
    assert 0 < int(rows[1]["words_clean"]) < int(rows[1]["words_raw"])


def test_list_table_is_aligned_text(corpus_copy: Path, capsys) -> None:
    code, out, _ = run(["list", "--corpus", str(corpus_copy)], capsys)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 4  # header, rule, two rows
    assert lines[0].split()[:3] == ["id", "outlet", "author"]
    assert lines[2].lstrip().startswith(SEED_IDS[0]) and "Jin Liangxiang" in lines[3]


def test_list_of_a_missing_corpus_says_how_to_create_one(tmp_path: Path, capsys) -> None:
    code, _, err = run(["list", "--corpus", str(tmp_path / "none")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert str(tmp_path / "none") in err and "textcompare add" in err


def test_check_exits_1_and_lists_problems(corpus_copy: Path, capsys) -> None:
    code, out, _ = run(["check", "--corpus", str(corpus_copy)], capsys)
    assert code == 0 and "2 articles, no problems" in out
    (corpus_copy / "raw" / f"{SEED_IDS[0]}.txt").unlink()
    code, out, _ = run(["check", "--corpus", str(corpus_copy)], capsys)
    assert code == 1 and f"missing raw file for '{SEED_IDS[0]}'" in out
