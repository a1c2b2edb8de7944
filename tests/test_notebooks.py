"""The notebooks: stored stripped and thin, and each one runs headless against the real corpus."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
CORPUS = ROOT / "corpus"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
FORBIDDEN = ("def ", "import re", "from re import")


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _corpus_tree_hash(root: Path) -> str:
    """SHA-256 over the manifest and every raw file (name and bytes); derived data is excluded."""
    digest = hashlib.sha256()
    for path in [root / "manifest.csv", *sorted((root / "raw").rglob("*"))]:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_notebooks_exist_in_reading_order():
    assert {"01-", "02-", "03-", "04-"} <= {p.name[:3] for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_valid_and_stripped(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in _code_cells(path):
        assert cell.outputs == [], f"{path.name}: outputs stored in a code cell"
        assert cell.execution_count is None, f"{path.name}: execution count stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_with_question_then_parameters(path):
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and "Question" in cells[0].source
    assert cells[1].cell_type == "code" and "parameters" in cells[1].metadata.get("tags", [])
    assert 'CORPUS_DIR = "../corpus"' in cells[1].source and 'GROUP_BY = "outlet"' in cells[1].source
    assert "GROUPS = None" in cells[1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_code_cells_are_thin(path):
    for cell in _code_cells(path):
        for forbidden in FORBIDDEN:
            assert forbidden not in cell.source, f"{path.name}: {forbidden!r} in a code cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_ends_with_findings(path):
    last = nbformat.read(path, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Findings")
    assert "to be written" not in last.source


@pytest.fixture(scope="session")
def kernel_name():
    """A ``python3`` kernel that runs this interpreter (the one ``make reproduce`` uses too)."""
    from jupyter_client.kernelspec import KernelSpecManager

    from textcompare.report.notebooks import this_interpreter_kernel

    with this_interpreter_kernel() as name:
        spec = KernelSpecManager().get_kernel_spec(name)
        assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve()
        yield name


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_headless(path, kernel_name, tmp_path):
    from nbclient import NotebookClient

    before = _corpus_tree_hash(CORPUS)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    nbformat.write(nb, tmp_path / path.name)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert any(c.outputs for c in nb.cells if c.cell_type == "code")
    assert _corpus_tree_hash(CORPUS) == before, f"{path.name} modified the real corpus"
