"""Turning one parsed doc into the bytes of its cache files.

The same functions run in the building process, in pool workers and on Dask workers, so every
route writes byte-identical tables.
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


# DocBin string attributes whose values DocBin.add collects token by token.
_DOCBIN_STRING_ATTRS = ("ORTH", "TAG", "LEMMA", "NORM", "MORPH", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")


def docbin_bytes(doc: "Doc") -> bytes:
    """The bytes of a ``DocBin`` holding ``doc`` (identical to ``DocBin().add(doc)``, computed faster).

    ``DocBin.add`` gathers the strings it stores with nine attribute lookups per token; here the
    same strings come from one ``Doc.to_array`` of their hashes. A test checks the bytes are equal.
    """
    import numpy as np
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=False)
    if doc.spans or not len(doc):
        docbin.add(doc)
        return docbin.to_bytes()
    hashes = doc.to_array(list(_DOCBIN_STRING_ATTRS))
    store = doc.vocab.strings
    morph = _DOCBIN_STRING_ATTRS.index("MORPH")
    strings = {store[h] for h in np.unique(np.delete(hashes, morph, axis=1)).tolist()}
    # str(token.morph) is "" for no features, while its hash is that of "_"
    strings.update("" if store[h] == "_" else store[h] for h in np.unique(hashes[:, morph]).tolist())
    array = doc.to_array(docbin.attrs)
    docbin.tokens.append(array.reshape((array.shape[0], -1)))
    docbin.spaces.append(np.asarray(doc.to_array("SPACY").reshape((-1, 1)), dtype=bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    docbin.strings.update(strings)
    docbin.cats.append(doc.cats)
    docbin.span_groups.append(doc.spans.to_bytes())
    return docbin.to_bytes()


def docbin_bytes_reference(doc: "Doc") -> bytes:
    """``DocBin.add`` as spaCy implements it (what :func:`docbin_bytes` must reproduce)."""
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


def split_long_text(body: str, limit: int) -> list[str]:
    """Consecutive pieces of ``body``, each at most ``limit`` characters, that join back to ``body``.

    Pieces end at a paragraph break (a blank line) where one falls inside the limit, else after
    the last whitespace, else at the limit itself (a single "word" longer than the limit).
    """
    if limit < 2:
        raise ValueError("limit must be at least 2 characters")
    pieces: list[str] = []
    start = 0
    while len(body) - start > limit:
        end = start + limit
        cut = body.rfind("\n\n", start + 1, end)
        if cut > start:
            cut += 2
        else:
            cut = max(body.rfind(ws, start + 1, end) for ws in (" ", "\n", "\t")) + 1
            if cut <= start + 1:
                cut = end
        pieces.append(body[start:cut])
        start = cut
    pieces.append(body[start:])
    return pieces


def parse_text(nlp: "Language", body: str) -> "Doc":
    """Parse ``body`` whole, or, when it is longer than ``nlp.max_length``, in paragraph pieces joined into one doc.

    The pieces (:func:`split_long_text`) are parsed one by one and joined with
    :meth:`spacy.tokens.Doc.from_docs`, so the doc's text is exactly ``body`` and the sentence
    and token tables keep their character offsets; a sentence never spans two pieces, as it
    never spans two paragraphs. Memory stays bounded by the piece size, which is what spaCy's
    ``max_length`` guards.
    """
    from spacy.tokens import Doc

    if len(body) <= nlp.max_length:
        return nlp(prepare_doc(nlp, body))
    pieces = split_long_text(body, nlp.max_length)
    docs = list(nlp.pipe(prepare_doc(nlp, piece) for piece in pieces))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != body:  # pragma: no cover - Doc.from_docs keeps every character
        raise ValueError("joined pieces do not reproduce the text")
    return doc
