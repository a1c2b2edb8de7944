"""What a cached parse depends on: the pipeline's identity and settings, and the cleaning code.

Both are computed without loading the model or importing spaCy, so a fully cached build stays fast.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import json
from pathlib import Path
from typing import Any

from ..nlp import resolve_model_name
from .tables import TABLES_VERSION

# The parse is run with paragraph starts preset as sentence starts (see tables.mark_paragraph_breaks).
PARSE_OPTIONS: dict[str, Any] = {"paragraph_sentence_starts": True, "tables_version": TABLES_VERSION}


def _model_dir(name: str) -> Path | None:
    path = Path(name)
    if path.is_dir():
        return path
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@functools.lru_cache(maxsize=8)
def parse_settings(model: str | None = None) -> dict[str, Any]:
    """The cache key's parse part for pipeline ``model``: name, version, spaCy version, pipeline, options.

    Read from the pipeline's ``meta.json`` (as :func:`textcompare.nlp.model_info` reports it once loaded).
    """
    name = resolve_model_name(model)
    folder = _model_dir(name)
    meta_file = folder / "meta.json" if folder else None
    if meta_file is not None and meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        disabled = list(meta.get("disabled", []))
        info = {
            "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
            "model_version": str(meta.get("version", "unknown")),
            "spacy_version": importlib.metadata.version("spacy"),
            "pipeline": [p for p in meta.get("pipeline", []) if p not in disabled],
        }
    else:  # no readable meta.json: ask the loaded pipeline
        from ..nlp import load_nlp, model_info

        nlp = load_nlp(name)
        info = model_info(nlp)
        disabled = list(nlp.disabled)
    return {**info, "disabled": disabled, **PARSE_OPTIONS}


def settings_of(nlp: Any) -> dict[str, Any]:
    """The same settings, read from a loaded pipeline (to check the meta.json reading)."""
    from ..nlp import model_info

    return {**model_info(nlp), "disabled": list(nlp.disabled), **PARSE_OPTIONS}


@functools.lru_cache(maxsize=1)
def cleaner_fingerprint() -> str:
    """sha256 over the source of the cleaning code (the cleaning package, decoding and clean_article).

    When it changes, cleaned texts are recomputed; parses are kept if the cleaned body is unchanged.
    """
    package = Path(__file__).resolve().parents[1]
    files = sorted(p for p in (package / "cleaning").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [package / name for name in ("corpus.py", "encoding.py") if (package / name).is_file()]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
