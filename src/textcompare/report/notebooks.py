"""Execute the project's notebooks headless (nbclient) into ``reports/build/notebooks/``."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

KERNEL = "python3"


@contextlib.contextmanager
def this_interpreter_kernel() -> Iterator[str]:
    """A ``python3`` kernel spec that runs this interpreter, whatever kernels the user has installed.

    ``ipykernel.kernelspec.install`` writes a spec whose argv is ``sys.executable`` into a temporary
    prefix; putting it first on ``JUPYTER_PATH`` (for the duration of the block) makes it win over
    user-level or system-level ``python3`` specs. Yields the kernel name.
    """
    from ipykernel.kernelspec import install

    with tempfile.TemporaryDirectory(prefix="textcompare-kernel-") as prefix:
        install(prefix=prefix, kernel_name=KERNEL)
        previous = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(Path(prefix) / "share" / "jupyter")] + ([previous] if previous else []))
        try:
            yield KERNEL
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous


def inject_parameters(nb, parameters: dict) -> None:
    """Insert a cell tagged ``injected-parameters`` after the cell tagged ``parameters`` (papermill's convention)."""
    import nbformat

    if not parameters:
        return
    source = "# Parameters injected by textcompare.reproduce\n" + "\n".join(
        f"{name} = {value!r}" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    nb.cells.insert(tagged[0] + 1 if tagged else 0, cell)


def execute_notebooks(
    notebook_dir: Path, out_dir: Path, *, timeout: int = 600, progress: Callable[[str], None] | None = None,
    parameters: dict | None = None,
) -> list[Path]:
    """Run every ``*.ipynb`` in ``notebook_dir`` (working directory = ``notebook_dir``); write executed copies.

    ``parameters`` (e.g. ``{"CORPUS_DIR": "/abs/corpus"}``) override the notebooks' parameters cell.

    Returns the executed notebooks' paths; an empty list (with a message) when there is none.
    A failing cell raises ``nbclient.exceptions.CellExecutionError`` naming the notebook and cell.
    """
    import nbformat
    from nbclient import NotebookClient

    say = progress or (lambda _msg: None)
    notebooks = sorted(Path(notebook_dir).glob("*.ipynb"))
    if not notebooks:
        say(f"no notebooks in {notebook_dir}: skipped")
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with this_interpreter_kernel() as kernel:
        for path in notebooks:
            say(f"notebook {path.name}")
            nb = nbformat.read(path, as_version=4)
            inject_parameters(nb, parameters or {})
            client = NotebookClient(nb, timeout=timeout, kernel_name=kernel,
                                    resources={"metadata": {"path": str(Path(notebook_dir).resolve())}})
            client.execute()
            out = out_dir / path.name
            nbformat.write(nb, out)
            written.append(out)
    return written
