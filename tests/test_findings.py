"""Findings are generated from tables: README's block, notebook prose and report caveats."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from textcompare import findings
from textcompare.errors import InputError

REPO = Path(__file__).resolve().parents[1]


def _articles(outlets: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": [f"d{k}" for k in range(len(outlets))], "outlet": outlets,
                         "words_clean": [1000 + 100 * k for k in range(len(outlets))]})


def _frames(scope: str = "texts") -> pd.DataFrame:
    rows = []
    for group, versus, rates in (("A", "B", (9.0, 2.0)), ("B", "A", (1.3, 5.0))):
        for frame, rate, p in zip(("calm", "war"), rates, (0.004, 0.6)):
            rows.append({"group": group, "versus": versus, "frame": frame, "scope": scope, "hits": int(rate),
                         "per_1k": rate, "log2_ratio": 2.79 if group == "A" else -2.79, "log2_ratio_ci_low": 0.5,
                         "log2_ratio_ci_high": float("inf"), "unbounded": "high", "test": "exact_conditional_binomial",
                         "p_value": p, "q_value": min(1.0, 2 * p), "family": "frames", "m_tests": 2})
    return pd.DataFrame(rows)


def test_render_formats_numbers_from_the_tables():
    text = findings.render({"articles": _articles(["A", "B"]), "frames": _frames()})
    assert "calm: 9.0 vs 1.3 per 1,000 words" in text
    assert "log₂ ratio +2.79 [+0.50, ∞], interval unbounded (high), p = 0.004, q = 0.008" in text
    assert "q ≤ 0.05: calm (a difference between the texts)" in text
    changed = _frames().assign(per_1k=lambda t: t["per_1k"] * 2)
    assert "calm: 18.0 vs 2.6 per 1,000 words" in findings.render({"frames": changed})


def test_scope_sentence_follows_the_documents_per_group():
    one = findings.render({"articles": _articles(["A", "B"])})
    assert "A 1 document (1,000 words)" in one and "scope = texts" in one
    many = findings.render({"articles": _articles(["A", "A", "B", "B", "B"])})
    assert "A 2 documents" in many and "B 3 documents" in many and "scope = groups" in many
    caveats = findings.render_caveats({"articles": _articles(["A", "A", "B"])})
    assert caveats[0].startswith("Documents per group: A 2 documents") and "scope = texts" in caveats[0]


def test_write_readme_findings_replaces_only_the_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n\n{findings.START}\nold 6.5\n{findings.END}\n\nafter\n", encoding="utf-8")
    assert findings.write_readme_findings(readme, "new 6.09\n")
    text = readme.read_text(encoding="utf-8")
    assert "old 6.5" not in text and "new 6.09" in text and text.startswith("# Title\n\nbefore")
    assert text.endswith("after\n") and findings.extract_readme_block(text) == "new 6.09\n"
    assert not findings.write_readme_findings(readme, "new 6.09\n")  # unchanged


def test_readme_without_markers_is_an_input_error_and_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no block\n", encoding="utf-8")
    with pytest.raises(InputError, match="no findings block"):
        findings.write_readme_findings(readme, "x\n")
    assert readme.read_text(encoding="utf-8") == "# no block\n"


def test_readme_block_equals_render_of_the_committed_tables():
    tables = findings.load_tables(REPO / "reports" / "tables")
    if "scope" not in tables.get("frames", pd.DataFrame()).columns:
        pytest.skip("reports/tables predate the scope column: run make reproduce (it rewrites README's block too)")
    block = findings.extract_readme_block((REPO / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "README.md has no findings block"
    assert block == findings.render(tables)
