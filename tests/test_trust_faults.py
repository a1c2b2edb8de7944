"""Faults (issue 14): a killed parallel build leaves no worker behind, and a rebuild after any kill
gives byte-identical derived tables. Kept small: eight short articles, two kills."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_trust import ARTICLE, make_corpus

SRC = Path(__file__).resolve().parents[1] / "src"
BUILD = "import sys\nfrom textcompare.parsing import build_corpus\nbuild_corpus(sys.argv[1], processes=2, progress=False)\n"


def small_corpus(root: Path) -> Path:
    texts = {f"d{k:02d}": "\n\n".join(ARTICLE.replace("Friday", f"day {k} {j}") for j in range(12)) for k in range(8)}
    return make_corpus(root, texts=texts)


def derived_tables(root: Path) -> dict[str, bytes]:
    base = root / "derived"
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and p.suffix in (".parquet", ".spacy") or p.parent.name == "clean"}


def start_build(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONHASHSEED": "0"}
    return subprocess.Popen([sys.executable, "-c", BUILD, str(root)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for_workers(proc: subprocess.Popen, count: int, timeout: float = 60.0) -> list[int]:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        children = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        if len(children) >= count:
            return children
        time.sleep(0.05)
    return []


def gone(pids: list[int], timeout: float = 10.0) -> bool:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.model
def test_killed_parallel_builds_leave_no_worker_and_rebuild_identically(tmp_path: Path) -> None:
    from textcompare.parsing import build_corpus

    reference = small_corpus(tmp_path / "reference")
    build_corpus(reference, progress=False)
    expected = derived_tables(reference)
    assert len(expected) == 8 * 6

    corpus = small_corpus(tmp_path / "corpus")
    for delay in (0.0, 1.5):  # as the workers start, and mid-parse
        proc = start_build(corpus)
        workers = wait_for_workers(proc, 2)
        if not workers:  # the build finished first: nothing to kill this round
            proc.wait()
            continue
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert gone(workers), "a worker outlived its killed parent"
    build_corpus(corpus, progress=False)
    assert derived_tables(corpus) == expected
