"""``textcompare build``: summary output, --json, warnings on stderr, errors without tracebacks."""
from __future__ import annotations

import json
import shutil

import pytest

from textcompare.cli import main


@pytest.fixture()
def built_copy(built_corpus, tmp_path):
    dest = tmp_path / "corpus"
    shutil.copytree(built_corpus, dest)
    return dest


def test_build_help_shows_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "example:" in out and "textcompare build" in out
    for option in ("--corpus", "--processes", "--dask", "--force", "--json", "--model"):
        assert option in out


@pytest.mark.model
def test_build_json_last_line_is_the_summary(built_copy, capsys):
    assert main(["build", "--corpus", str(built_copy), "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    summary = json.loads(last)
    assert set(summary) == {"documents", "parsed", "cached", "seconds"}
    assert (summary["documents"], summary["parsed"], summary["cached"]) == (2, 0, 2)
    assert isinstance(summary["seconds"], float) and summary["seconds"] >= 0


@pytest.mark.model
def test_build_force_parses_everything_and_prints_a_summary_line(built_copy, capsys):
    assert main(["build", "--corpus", str(built_copy), "--force"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("2 documents: 2 parsed, 0 cached")


@pytest.mark.model
def test_build_reports_a_corrupt_entry_on_stderr_and_rebuilds_it(built_copy, capsys):
    doc_id = sorted(p.stem for p in (built_copy / "derived" / "keys").glob("*.json"))[0]
    (built_copy / "derived" / "tables" / "sentences" / f"{doc_id}.parquet").write_bytes(b"\0" * 10)
    assert main(["build", "--corpus", str(built_copy), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out.strip().splitlines()[-1])["parsed"] == 1
    warning_lines = [line for line in captured.err.splitlines() if "warning:" in line]
    assert len(warning_lines) == 1 and doc_id in warning_lines[0] and "corrupt" in warning_lines[0]


def test_build_on_a_missing_corpus_is_one_line_on_stderr(tmp_path, capsys):
    code = main(["build", "--corpus", str(tmp_path / "nowhere"), "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err


def test_build_rejects_zero_processes(corpus_copy, capsys):
    assert main(["build", "--corpus", str(corpus_copy), "--processes", "0"]) == 2
    assert "processes" in capsys.readouterr().err
