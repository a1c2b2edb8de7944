"""build_report: every table and figure is byte-identical between two runs; report.html is self-contained."""
from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_reports(built_corpus, tmp_path_factory):
    """Two reports of one private copy of the built corpus, into different directories."""
    import matplotlib

    matplotlib.use("Agg")
    from textcompare.reproduce import build_report

    corpus = tmp_path_factory.mktemp("reproduce") / "corpus"
    shutil.copytree(built_corpus, corpus)
    out = tmp_path_factory.mktemp("reports")
    first = build_report(corpus, out / "one", execute_notebooks=False)
    second = build_report(corpus, out / "two", execute_notebooks=False)
    return out / "one", out / "two", first, second


def test_tables_and_figures_are_byte_identical_between_runs(two_reports):
    one, two, first, _ = two_reports
    hashes_one, hashes_two = _hashes(one), _hashes(two)
    assert hashes_one == hashes_two
    assert first["build"]["parsed"] == 0  # the copied cache was used
    names = set(hashes_one)
    for table in ("articles", "cleaning_removed", "actors", "demonyms", "keyness", "keyness_content", "frames",
                  "frame_evidence", "functions", "agency", "stance", "actor_sentiment", "alignment"):
        assert f"tables/{table}.csv" in names and f"tables/{table}.provenance.json" in names
    assert sum(1 for n in names if n.startswith("tables/key_terms_")) == 2 * 2  # CSV + provenance per document
    assert len(first["figures"]) == 11
    for paths in first["figures"].values():
        assert {p.suffix for p in paths} == {".png", ".svg"}


def test_table_provenance_names_corpus_and_model_without_timestamps(two_reports):
    import json

    one, _, first, _ = two_reports
    meta = json.loads((one / "tables" / "actors.provenance.json").read_text())
    assert sorted(meta) == ["documents", "frame_model", "manifest_sha256", "model", "model_version",
                            "spacy_version", "textcompare_version"]
    assert meta == first["provenance"]
    assert len(meta["manifest_sha256"]) == 64


def test_report_is_self_contained_with_provenance_and_caveats(two_reports):
    one, _, first, _ = two_reports
    html = (one / "report.html").read_text(encoding="utf-8")
    assert first["provenance"]["manifest_sha256"] in html
    assert first["provenance"]["model"] in html
    assert "confounded" in html and "not independent" in html
    sources = re.findall(r"""<(?:img|script|link|iframe)\b[^>]*?(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert len(sources) == 11 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert not re.search(r"(?:src|href)\s*=\s*[\"']https?:", html)
    assert html.count("<blockquote>") >= 4  # evidence sentences


def test_parameters_are_injected_after_the_parameters_cell():
    import nbformat

    from textcompare.report.notebooks import inject_parameters

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Q"),
        nbformat.v4.new_code_cell('CORPUS_DIR = "../corpus"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(CORPUS_DIR)"),
    ])
    inject_parameters(nb, {"CORPUS_DIR": "/data/other corpus"})
    assert nb.cells[2].metadata["tags"] == ["injected-parameters"]
    namespace: dict = {}
    exec(nb.cells[1].source + "\n" + nb.cells[2].source, namespace)
    assert namespace["CORPUS_DIR"] == "/data/other corpus"
