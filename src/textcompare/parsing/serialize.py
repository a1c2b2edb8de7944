"""Turning one parsed doc into the bytes of its cache files, and parsing batches on any worker.

The same functions run in the building process, in spaCy's worker processes and on Dask
workers, so every route writes byte-identical tables.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from .cache import doc_relpath, table_relpath
from .tables import extract_arrow_tables, mark_paragraph_breaks

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


def table_bytes(table: pa.Table) -> bytes:
    """Parquet bytes of one table (snappy, no pandas metadata)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue().to_pybytes()


def docbin_bytes(doc: "Doc") -> bytes:
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=False)
    docbin.add(doc)
    return docbin.to_bytes()


def serialize_parse(doc: "Doc", doc_id: str) -> dict[str, bytes]:
    """``{relative path: bytes}`` of the DocBin and the four Parquet tables of one parsed doc."""
    files = {doc_relpath(doc_id): docbin_bytes(doc)}
    for name, table in extract_arrow_tables(doc, doc_id).items():
        files[table_relpath(name, doc_id)] = table_bytes(table)
    return files


def prepare_doc(nlp: "Language", body: str) -> "Doc":
    """Tokenise ``body`` and preset paragraph starts as sentence starts, ready for the pipeline."""
    return mark_paragraph_breaks(nlp.make_doc(body), body)


def parse_batch(model: str, items: list[tuple[str, str]], batch_size: int = 16) -> list[tuple[str, dict[str, bytes]]]:
    """Parse ``[(doc_id, body), ...]`` with pipeline ``model`` (loaded once per process) into cache files.

    This is the task a Dask worker runs; only bytes travel back.
    """
    from ..nlp import load_nlp

    nlp = load_nlp(model)
    docs = ((prepare_doc(nlp, body), doc_id) for doc_id, body in items)
    return [(doc_id, serialize_parse(doc, doc_id)) for doc, doc_id in nlp.pipe(docs, as_tuples=True, batch_size=batch_size)]
