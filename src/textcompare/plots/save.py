"""Writing figures reproducibly, with a provenance caption.

Saving the same figure twice gives byte-identical PNG and SVG: no timestamps or software
strings in the metadata, a fixed SVG id salt, a fixed dpi and a tight bounding box.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import matplotlib as mpl

from .style import DPI, GREY, RC

CAPTION_GID = "textcompare-provenance"
PNG_METADATA: dict[str, Any] = {"Software": None}
SVG_METADATA: dict[str, Any] = {"Date": None, "Creator": None}
FORMATS: tuple[str, ...] = ("png", "svg")


def _short(sha: Any) -> str:
    return str(sha)[:12] if sha else "unknown"


def provenance_caption(provenance: dict[str, Any]) -> str:
    """One line naming the corpus and model behind a figure or table.

    Examples
    --------
    >>> provenance_caption({"manifest_sha256": "ab" * 32, "documents": 2, "model": "en_core_web_sm",
    ...                     "model_version": "3.8.0", "textcompare_version": "0.1.0"})
    'corpus manifest sha256 abababababab · 2 documents · model en_core_web_sm 3.8.0 · textcompare 0.1.0'
    """
    docs = provenance.get("documents", "?")
    if isinstance(docs, (list, tuple)):  # load_provenance lists the document ids
        docs = len(docs)
    return (
        f"corpus manifest sha256 {_short(provenance.get('manifest_sha256'))} · {docs} documents · "
        f"model {provenance.get('model', 'unknown')} {provenance.get('model_version', '')}".rstrip()
        + f" · textcompare {provenance.get('textcompare_version', 'unknown')}"
        + (f" · frame model {str(provenance['frame_model']).split()[0]}" if provenance.get("frame_model") else "")
    )


def figure_provenance(corpus: Any) -> dict[str, Any]:
    """Provenance for captions: ``textcompare.load_provenance(corpus)``, or a fallback from the manifest.

    ``corpus`` is a :class:`~textcompare.corpus.Corpus` or a directory for ``load_corpus``.
    The fallback (used while no build has recorded provenance, so drawing never triggers a
    build) hashes ``manifest.csv`` and counts its rows; the model is named by
    :func:`textcompare.nlp.resolve_model_name` with its installed package version, without
    loading the pipeline.
    """
    import textcompare

    from ..corpus import Corpus, load_corpus

    corpus = corpus if isinstance(corpus, Corpus) else load_corpus(corpus)
    if (corpus.derived / "provenance.json").is_file():
        prov = dict(textcompare.load_provenance(corpus))
        prov.setdefault("textcompare_version", textcompare.__version__)
        return prov
    manifest = corpus.root / "manifest.csv"
    data = manifest.read_bytes()
    documents = max(0, sum(1 for line in data.decode("utf-8").splitlines() if line.strip()) - 1)
    model, version = "unknown", "unknown"
    try:
        from importlib.metadata import version as _pkg_version

        from ..nlp import resolve_model_name

        model = resolve_model_name()
        version = _pkg_version(model.replace("_", "-"))
    except Exception:  # provenance must never stop a figure from being drawn
        pass
    from ..framing.encoder_model import frame_model_label

    return {
        "manifest_sha256": hashlib.sha256(data).hexdigest(),
        "documents": documents,
        "model": model,
        "model_version": version,
        "textcompare_version": textcompare.__version__,
        "frame_model": frame_model_label(),
    }


def add_caption(fig: Any, text: str) -> None:
    """Put ``text`` under the figure (replacing an earlier caption, so re-saving never stacks them)."""
    for artist in list(fig.texts):
        if artist.get_gid() == CAPTION_GID:
            artist.remove()
    with mpl.rc_context(RC):
        fig.text(0.0, -0.01, text, ha="left", va="top", fontsize=6.5, color=GREY, gid=CAPTION_GID)


def save_figure(
    fig: Any,
    name: str,
    *,
    out_dir: str | os.PathLike[str] = "reports/figures",
    provenance: dict[str, Any] | None = None,
    formats: tuple[str, ...] = FORMATS,
    dpi: int = DPI,
) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.png`` and ``.svg`` reproducibly; return the paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Usually ``ax.figure`` from a ``plot_*`` function.
    name : str
        File stem, e.g. ``"keyness"``.
    out_dir : path, keyword-only
        Created if missing.
    provenance : dict, keyword-only
        From :func:`figure_provenance`; printed as a caption line under the figure.
    formats, dpi : keyword-only
        Output formats (``png``, ``svg``) and raster resolution.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown:
        from ..errors import InputError

        raise InputError(f"unknown figure format(s) {sorted(unknown)}", fix=f"use any of {FORMATS}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if provenance is not None:
        add_caption(fig, provenance_caption(provenance))
    paths = []
    with mpl.rc_context({"svg.hashsalt": RC["svg.hashsalt"], "svg.fonttype": RC["svg.fonttype"],
                         "text.parse_math": RC["text.parse_math"]}):
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            metadata = PNG_METADATA if fmt == "png" else SVG_METADATA
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, bbox_inches="tight", pad_inches=0.08,
                        facecolor="white")
            paths.append(path)
    return paths


__all__ = ["save_figure", "figure_provenance", "provenance_caption", "add_caption"]
