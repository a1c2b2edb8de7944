"""Reading the cache: parsed docs, the long tables and the provenance record.

Every ``load_*`` function first builds whatever is missing (quietly), so analysis code can be
called on a corpus that was never built. Tables are stored per document; ``iter_tables``
streams them one document at a time, the ``load_*`` table functions concatenate them.
"""
from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import CorpusError
from .build import build_corpus
from .cache import PROVENANCE, doc_relpath, table_relpath
from .tables import SCHEMAS, TABLE_NAMES

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

REBUILD_FIX = "run `textcompare build --force` to rebuild the derived data"


def _provenance_model(corpus: Any) -> str | None:
    path = corpus.derived / PROVENANCE
    try:
        model = json.loads(path.read_bytes()).get("model")
    except (OSError, ValueError, AttributeError):
        return None
    return model if isinstance(model, str) and importlib.util.find_spec(model) is not None else None


def _built(corpus: Any) -> Any:
    """The corpus, after building quietly whatever is missing (with the model it was built with)."""
    from ..corpus import load_corpus

    corpus = load_corpus(corpus)
    build_corpus(corpus, progress=False, model=_provenance_model(corpus))
    return corpus


def _select(corpus: Any, ids: Iterable[str] | None) -> list[str]:
    if ids is None:
        return list(corpus.ids)
    if isinstance(ids, str):
        raise TypeError("ids must be a list of document ids, not a single str")
    ids = list(ids)
    unknown = sorted(set(ids) - set(corpus.ids))
    if unknown:
        raise CorpusError(f"no article with id {unknown[0]!r}", path=corpus.manifest_path,
                          fix="see `textcompare list` for the ids")
    return ids


def _read_table(corpus: Any, name: str, doc_id: str) -> pa.Table:
    path = corpus.derived / table_relpath(name, doc_id)
    try:
        return pq.read_table(path, schema=SCHEMAS[name])
    except (OSError, pa.ArrowException) as exc:
        raise CorpusError(f"cannot read cached table: {exc}", path=path, fix=REBUILD_FIX) from exc


def iter_tables(corpus: Any = None, name: str = "tokens", *, ids: Iterable[str] | None = None
                ) -> Iterator[tuple[str, "pd.DataFrame"]]:
    """Stream one table document by document: ``(doc_id, DataFrame)`` in manifest order.

    Parameters
    ----------
    corpus : Corpus, str or path, optional
    name : {"tokens", "sentences", "noun_chunks", "entities"}
    ids : list of str, optional
        Only these documents (default: all).
    """
    if name not in TABLE_NAMES:
        raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLE_NAMES)}")
    corpus = _built(corpus)
    for doc_id in _select(corpus, ids):
        yield doc_id, _read_table(corpus, name, doc_id).to_pandas()


def _load_table(corpus: Any, name: str, ids: Iterable[str] | None) -> "pd.DataFrame":
    corpus = _built(corpus)
    tables = [_read_table(corpus, name, doc_id) for doc_id in _select(corpus, ids)]
    table = pa.concat_tables(tables) if tables else SCHEMAS[name].empty_table()
    return table.to_pandas()


def load_tokens(corpus: Any = None, *, ids: Iterable[str] | None = None) -> "pd.DataFrame":
    """One row per token of every document (columns: see :mod:`textcompare.parsing.tables`).

    Sorted by manifest order, then token index ``i``; ``start_char``/``end_char`` index into
    the cleaned body.
    """
    return _load_table(corpus, "tokens", ids)


def load_sentences(corpus: Any = None, *, ids: Iterable[str] | None = None) -> "pd.DataFrame":
    """One row per sentence: doc_id, sent_id, paragraph_id, start, end, start_char, end_char, n_words, text.

    ``text`` and its char offsets exclude surrounding whitespace; ``start``/``end`` are the
    sentence's token range (end exclusive). ``n_words`` counts tokens that are neither
    punctuation nor space. Sentences never cross a paragraph break.
    """
    return _load_table(corpus, "sentences", ids)


def load_noun_chunks(corpus: Any = None, *, ids: Iterable[str] | None = None) -> "pd.DataFrame":
    """One row per spaCy noun chunk, with ``lemma`` (lower-cased, leading determiners dropped) and ``root_lemma``."""
    return _load_table(corpus, "noun_chunks", ids)


def load_entities(corpus: Any = None, *, ids: Iterable[str] | None = None) -> "pd.DataFrame":
    """One row per named entity found by spaCy's NER (raw labels, no alias merging)."""
    return _load_table(corpus, "entities", ids)


def load_docs(corpus: Any = None, ids: Iterable[str] | None = None) -> Iterator[tuple[str, "Doc"]]:
    """Stream the parsed docs ``(doc_id, Doc)`` in manifest order, one at a time."""
    from spacy.tokens import DocBin

    from ..nlp import load_nlp

    corpus = _built(corpus)
    selected = _select(corpus, ids)
    vocab = load_nlp(_provenance_model(corpus)).vocab
    for doc_id in selected:
        path = corpus.derived / doc_relpath(doc_id)
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(vocab))
        except Exception as exc:  # noqa: BLE001 - any decoding failure means a corrupt file
            raise CorpusError(f"cannot read cached doc: {exc}", path=path, fix=REBUILD_FIX) from exc
        yield doc_id, docs[0]


def load_provenance(corpus: Any = None) -> dict[str, Any]:
    """The build's provenance (manifest_sha256, documents, model, model_version, spacy_version,
    textcompare_version) and the case-frame model the analyses use (``frame_model``)."""
    from ..framing.encoder_model import frame_model_label

    corpus = _built(corpus)
    return json.loads((corpus.derived / PROVENANCE).read_bytes()) | {"frame_model": frame_model_label()}
