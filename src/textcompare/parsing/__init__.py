"""Parsing the corpus and caching the results: docs, long tables, provenance.

- :mod:`.tables` — ``extract_tables(doc, doc_id, body)``: tokens, sentences, noun chunks, entities;
- :mod:`.cache` — the layout of ``corpus/derived/`` and its cache keys;
- :mod:`.build` — ``build_corpus``: clean and parse what is missing (processes or Dask);
- :mod:`.load` — ``load_docs``, ``load_tokens``, ... and ``iter_tables`` (build first, quietly).
"""
from __future__ import annotations

from .build import BuildSummary, CacheWarning, build_corpus
from .load import (iter_tables, load_docs, load_entities, load_noun_chunks, load_provenance, load_sentences,
                   load_tokens)
from .tables import TABLE_NAMES, extract_tables, paragraph_spans

__all__ = [
    "BuildSummary", "CacheWarning", "TABLE_NAMES", "build_corpus", "extract_tables", "iter_tables",
    "load_docs", "load_entities", "load_noun_chunks", "load_provenance", "load_sentences", "load_tokens",
    "paragraph_spans",
]
