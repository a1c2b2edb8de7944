"""Actors: spaCy entities merged into canonical actors through an editable alias table.

Two sources of mentions are combined, never double-counted:

1. **Alias matches** (``source="alias"``). Every alias of ``data/actors.csv`` (plus a corpus's own
   ``actors.csv``) is searched in the document text, case-sensitively, longest alias first and
   leftmost first, so matches never overlap ("President Donald Trump" is one mention, "anti-U.S."
   is a demonym and not a "U.S." mention). The search runs over characters rather than tokens
   because spaCy keeps compounds such as "U.S.-Iranian" or "U.S.—Russia" as single tokens, which
   a token-level ``PhraseMatcher`` or ``EntityRuler`` cannot look inside. An alias must not touch
   a letter or digit on either side; a hyphen or dash is fine ("Iran-U.S.", "post-Soleimani"), and
   possessives count ("Soleimani’s"). The table's label wins over the model's, which fixes the
   small model's mislabels ("Trump" as ORG, "Soleimani" as GPE).
2. **NER entities** (``source="ner"``) labelled PERSON, ORG, GPE (actors) or NORP (demonyms)
   that overlap no alias match. Their text (without a leading "the" or a trailing possessive) is
   looked up case-insensitively in the alias table; unknown names become their own actor.

Rows of kind ``ignore`` in the table (e.g. "Washington, D.C." the city, "JCPOA" the agreement)
consume their text so that neither source reports it. Demonyms and attitudes ("Iranians",
"anti-American") are kept with ``kind="demonym"`` and counted separately (:func:`count_demonyms`).
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import InputError
from .paths import corpus_root, data_file
from .words import word_mask

if TYPE_CHECKING:
    from spacy.tokens import Doc

ALIAS_FILE = "actors.csv"
ALIAS_COLUMNS = ("alias", "actor", "label", "kind", "state", "rationale")
KINDS = ("actor", "demonym", "ignore")
ACTOR_LABELS = ("PERSON", "ORG", "GPE")
DEMONYM_LABELS = ("NORP",)
MENTION_COLUMNS = [
    "doc_id", "sent_id", "start", "end", "start_char", "end_char", "text",
    "actor", "label", "kind", "source", "sentence",
]
COUNT_COLUMNS = ["group", "actor", "label", "mentions", "per_1k", "n_docs", "first_position", "words"]
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


# Heads that make a country name or demonym stand for the state ("the Iranian government",
# "U.S. forces", "Iran's leadership") or for its people ("the Iranian public", "American people").
STATE_HEADS = frozenset({
    "government", "regime", "leadership", "leaders", "authorities", "administration", "state", "officials",
    "military", "army", "navy", "forces", "troops", "soldiers", "diplomats", "embassy", "base", "bases",
    "strike", "strikes", "airstrike", "airstrikes", "missiles", "drones", "proxies", "negotiators",
    "delegation", "establishment", "parliament", "ministry", "judiciary", "commanders", "generals",
    "militias", "intelligence",
})
PUBLIC_HEADS = frozenset({
    "public", "people", "peoples", "population", "citizens", "citizenry", "society", "civilians",
    "protesters", "protestors", "demonstrators", "voters", "youth", "students", "masses", "street",
})
_NOUN_POS = ("NOUN", "PROPN")
_MODIFIER_DEPS = ("amod", "compound", "poss", "nmod")
_EVENT_NAME = re.compile(r"^(?:Operation|Op\.)\s", re.IGNORECASE)


def _plausible_name(name: str) -> bool:
    """Whether an NER entity's text, absent from the alias table, can name an actor.

    Dropped, whatever the model's label: empty or one-character names, names that do not start
    with a capital letter or digit (truncated or mis-split tokens such as "politica"), spans with
    unbalanced parentheses (cut inside one), and named
    military operations ("Operation Ajax"), which are events.
    """
    if len(name) < 2 or not (name[0].isupper() or name[0].isdigit()):
        return False
    if name.count("(") != name.count(")"):  # a span cut inside a parenthesis: "Karabakh (Artsakh"
        return False
    return not _EVENT_NAME.match(name)


def _public_name(demonym: str) -> str:
    return f"{demonym} public"


def _singular_demonym(text: str) -> str:
    """"Venezuelans" -> "Venezuelan" (demonyms found by NER alone, with no alias row)."""
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def _refine_mentions(doc: "Doc", rows: list[dict[str, Any]], by_lower: dict[str, Any],
                     sentences: list[Any], sent_of: np.ndarray) -> list[dict[str, Any]]:
    """State versus public, and demonyms that are not actors (module docstring, "State and public").

    A country name or demonym that modifies a head of :data:`STATE_HEADS` becomes a mention of the
    state, spanning the head ("the Iranian government" -> the ``state`` of the "Iranian" row, i.e.
    Iran); one that modifies a head of :data:`PUBLIC_HEADS`, or a plural demonym used as a noun
    ("Iranians"), becomes the distinct actor "<Demonym> public". Any other demonym stays
    ``kind="demonym"`` ("Iranian airliner", "anti-American sentiment"): it is not an actor.
    Hand-written because no library maps demonyms to states and publics in context.
    """
    out = []
    for row in rows:
        span = doc[row["start"]:row["end"]]
        last = doc[row["end"] - 1]
        head = last.head if last.dep_ in _MODIFIER_DEPS and last.head.i >= row["end"] else None
        head = head if head is not None and head.pos_ in _NOUN_POS else None
        lemma = head.lower_ if head is not None else ""
        alias_row = by_lower.get(row["text"].lower().replace("’", "'"))
        attitude = row["actor"].lower().startswith("anti")
        if row["kind"] == "actor" and row["label"] in ("GPE", "ORG") and lemma in STATE_HEADS:
            row = _extend(doc, row, head, sentences, sent_of)
        elif row["kind"] == "demonym" and not attitude:
            demonym = row["actor"] if alias_row is not None else _singular_demonym(_normalise_entity(row["text"]))
            state = str(getattr(alias_row, "state", "") or "") if alias_row is not None else ""
            if lemma in STATE_HEADS:
                row = _extend(doc, row, head, sentences, sent_of)
                row.update(actor=state or f"{demonym} government", label="GPE" if state else "NORP", kind="actor")
            elif lemma in PUBLIC_HEADS:
                row = _extend(doc, row, head, sentences, sent_of)
                row.update(actor=_public_name(demonym), label="NORP", kind="actor")
            elif span.root.pos_ in _NOUN_POS and span.root.dep_ not in _MODIFIER_DEPS + ("npadvmod",) \
                    and span.root.tag_ in ("NNS", "NNPS"):
                row = dict(row, actor=_public_name(demonym), label="NORP", kind="actor")
        out.append(row)
    return out


def _extend(doc: "Doc", row: dict[str, Any], head: "Any", sentences: list[Any], sent_of: np.ndarray) -> dict[str, Any]:
    end = max(row["end"], head.i + 1)
    end_char = doc[end - 1].idx + len(doc[end - 1].text)
    return dict(row, end=end, end_char=end_char, text=doc.text[row["start_char"]:end_char])


def _root_of(corpus: Any) -> os.PathLike[str] | str:
    return corpus.root if hasattr(corpus, "manifest") else corpus_root(corpus)


def _read_alias_file(path: os.PathLike[str] | str) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("alias", "actor", "label", "kind") if c not in table.columns]
    if missing:
        raise InputError(f"alias table lacks column(s) {', '.join(missing)}", path=path,
                         fix="columns must be: " + ", ".join(ALIAS_COLUMNS))
    if "rationale" not in table.columns:
        table["rationale"] = table["note"] if "note" in table.columns else ""
    if "state" not in table.columns:
        table["state"] = ""
    table = table[list(ALIAS_COLUMNS)].map(str.strip)
    bad = sorted(set(table["kind"]) - set(KINDS))
    if bad:
        raise InputError(f"unknown kind(s) {', '.join(map(repr, bad))} in the alias table", path=path,
                         fix="kind must be one of: " + ", ".join(KINDS))
    if (table["alias"] == "").any():
        raise InputError("an alias table row has an empty alias", path=path, fix="fill in or delete the row")
    return table


def load_alias_table(corpus: Any = None) -> pd.DataFrame:
    """The alias table: the packaged ``data/actors.csv`` updated by ``<corpus>/actors.csv`` if present.

    A corpus row replaces the packaged row with the same alias and adds new aliases; set its kind
    to ``ignore`` to stop an alias from counting.

    Returns
    -------
    DataFrame with columns alias, actor, label, kind, rationale, source (``package`` or
    ``corpus``), one row per alias, sorted by actor then alias.
    """
    table = _read_alias_file(data_file(ALIAS_FILE)).assign(source="package")
    local = os.path.join(_root_of(corpus), ALIAS_FILE)
    if os.path.exists(local):
        extra = _read_alias_file(local).assign(source="corpus")
        table = pd.concat([table[~table["alias"].isin(extra["alias"])], extra], ignore_index=True)
    table = table.drop_duplicates("alias", keep="last")
    return table.sort_values(["actor", "alias"], kind="stable").reset_index(drop=True)


def _alias_regex(aliases: pd.DataFrame) -> re.Pattern[str] | None:
    names = sorted(set(aliases["alias"]), key=lambda a: (-len(a), a))
    if not names:
        return None
    alternatives = [re.escape(a).replace("'", "['’]") for a in names]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")


def _normalise_entity(text: str) -> str:
    text = _LEADING_THE.sub("", text.strip())
    return _POSSESSIVE.sub("", text).strip()


def extract_doc_mentions(doc: "Doc", *, aliases: pd.DataFrame, doc_id: str = "") -> pd.DataFrame:
    """Actor and demonym mentions in one parsed doc (see the module docstring for the rules).

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A parsed document (its entities are used as the second source of mentions).
    aliases : DataFrame
        An alias table as returned by :func:`load_alias_table`.
    doc_id : str
        Written into the ``doc_id`` column.

    Returns
    -------
    DataFrame with columns ``MENTION_COLUMNS``, one row per mention, in text order.
    """
    text = doc.text
    by_alias = {row.alias: row for row in aliases.itertuples(index=False)}
    by_lower = {a.lower().replace("’", "'"): r for a, r in by_alias.items()}
    sent_of = np.zeros(len(doc), dtype=int)
    # A doc without sentence boundaries (e.g. built by hand) is one sentence.
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else ([doc[:]] if len(doc) else [])
    for k, sent in enumerate(sentences):
        sent_of[sent.start:sent.end] = k
    taken: list[tuple[int, int]] = []
    rows: list[dict[str, Any]] = []

    def add(start_char: int, end_char: int, row_text: str, actor: str, label: str, kind: str, source: str) -> None:
        span = doc.char_span(start_char, end_char, alignment_mode="expand")
        if span is None or kind == "ignore":
            return
        sent_id = int(sent_of[span.start])
        rows.append({
            "doc_id": doc_id, "sent_id": sent_id, "start": span.start, "end": span.end,
            "start_char": start_char, "end_char": end_char, "text": row_text, "actor": actor,
            "label": label, "kind": kind, "source": source,
            "sentence": sentences[sent_id].text if sentences else text,
        })

    pattern = _alias_regex(aliases)
    for match in pattern.finditer(text) if pattern else ():
        alias = match.group(0)
        row = by_alias.get(alias) or by_lower[alias.lower().replace("’", "'")]
        taken.append(match.span())
        add(match.start(), match.end(), alias, row.actor, row.label, row.kind, "alias")
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS + DEMONYM_LABELS:
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in taken):
            continue
        name = _normalise_entity(ent.text)
        known = by_lower.get(name.lower().replace("’", "'")) if name else None
        if known is None and not _plausible_name(name):
            continue
        if known is not None:
            add(ent.start_char, ent.end_char, ent.text, known.actor, known.label, known.kind, "ner")
        else:
            kind = "demonym" if ent.label_ in DEMONYM_LABELS else "actor"
            add(ent.start_char, ent.end_char, ent.text, name, ent.label_, kind, "ner")
    rows = _refine_mentions(doc, rows, by_lower, sentences, sent_of)
    table = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    table = table.sort_values(["start_char", "end_char"], kind="stable").reset_index(drop=True)
    return table.astype({c: "int64" for c in ("sent_id", "start", "end", "start_char", "end_char")})


def extract_mentions(corpus: Any = None, *, aliases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per actor or demonym mention in every document of the corpus.

    Parameters
    ----------
    corpus : Corpus, path or None
        The corpus (built on demand).
    aliases : DataFrame, optional
        Alias table; default :func:`load_alias_table` of the corpus.

    Returns
    -------
    DataFrame with columns doc_id, sent_id, start, end (token indices, end exclusive),
    start_char, end_char (offsets into the cleaned body), text, actor, label, kind
    (``actor`` or ``demonym``), source (``alias`` or ``ner``), sentence.

    Examples
    --------
    >>> mentions = extract_mentions("corpus")            # doctest: +SKIP
    >>> count_actors(mentions, "corpus", by="outlet")    # doctest: +SKIP
    """
    from .corpus import load_corpus
    from .parsing import load_docs

    corpus = load_corpus(corpus)
    aliases = load_alias_table(corpus) if aliases is None else aliases
    tables = [extract_doc_mentions(doc, aliases=aliases, doc_id=doc_id) for doc_id, doc in load_docs(corpus)]
    if not tables:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    return pd.concat(tables, ignore_index=True)


def doc_lengths(tokens: pd.DataFrame) -> pd.DataFrame:
    """Per document: ``n_words`` (tokens that are neither punctuation nor space) and ``n_chars``."""
    words = tokens[word_mask(tokens)]
    out = pd.DataFrame({
        "n_words": words.groupby("doc_id").size(),
        "n_chars": tokens.groupby("doc_id")["end_char"].max(),
    }).fillna(0).astype("int64")
    out.index.name = "doc_id"
    return out


def stream_doc_lengths(corpus: Any = None) -> pd.DataFrame:
    """:func:`doc_lengths` of every document, reading one stored token table at a time."""
    from .parsing import iter_tables

    parts = [doc_lengths(tokens) for _, tokens in iter_tables(corpus, "tokens")]
    if not parts:
        return doc_lengths(pd.DataFrame(columns=["doc_id", "is_punct", "is_space", "end_char"]))
    return pd.concat(parts).sort_index(kind="stable")


def count_actors(
    mentions: pd.DataFrame,
    corpus: Any = None,
    *,
    by: str = "outlet",
    kind: str = "actor",
    groups: pd.Series | None = None,
    lengths: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Mentions of each actor per group, with rate and first position.

    Parameters
    ----------
    mentions : DataFrame
        From :func:`extract_mentions`.
    corpus : Corpus, path or None
        Supplies ``groups`` and ``lengths`` when they are not given.
    by : str
        Manifest column defining the groups (see ``document_groups``).
    kind : {"actor", "demonym"}
        Which mentions to count.
    groups : Series, optional
        doc_id -> group label (overrides ``by``).
    lengths : DataFrame, optional
        Indexed by doc_id with columns ``n_words`` and ``n_chars`` (see :func:`doc_lengths`);
        default :func:`stream_doc_lengths` of the corpus (token tables read one at a time).

    Returns
    -------
    DataFrame with columns group, actor, label, mentions, per_1k (mentions per 1,000 words of the
    group), n_docs (documents of the group mentioning the actor), first_position (where the actor
    is first mentioned, as a fraction 0..1 of the document's characters, averaged over the group's
    documents that mention it), words (words in the group). Sorted by group, then mentions
    descending, then actor.
    """
    if kind not in ("actor", "demonym"):
        raise InputError(f"unknown kind {kind!r}", fix="use 'actor' or 'demonym'")
    if groups is None:
        from .corpus import document_groups

        groups = document_groups(corpus, by=by)
    if lengths is None:
        lengths = stream_doc_lengths(corpus)
    groups = groups.astype(str)
    words = lengths["n_words"].reindex(groups.index).fillna(0).groupby(groups).sum()
    # only the columns counted: copies below then do not duplicate the evidence sentences
    sel = mentions.loc[mentions["kind"] == kind, ["doc_id", "actor", "label", "start_char"]]
    sel = sel[sel["doc_id"].isin(groups.index)].assign(group=lambda t: t["doc_id"].map(groups))
    if sel.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    n_chars = lengths["n_chars"].reindex(sel["doc_id"]).to_numpy(dtype=float)
    sel = sel.assign(position=sel["start_char"].to_numpy() / np.where(n_chars > 0, n_chars, 1.0))
    label = sel.groupby(["actor"])["label"].agg(lambda s: s.value_counts().sort_index().idxmax())
    first = sel.groupby(["group", "actor", "doc_id"])["position"].min().groupby(["group", "actor"])
    out = pd.DataFrame({
        "mentions": sel.groupby(["group", "actor"]).size(),
        "n_docs": first.size(),
        "first_position": first.mean(),
    }).reset_index()
    out["label"] = out["actor"].map(label)
    out["words"] = out["group"].map(words).astype("int64")
    out["per_1k"] = 1000.0 * out["mentions"] / out["words"].where(out["words"] > 0)
    out = out.sort_values(["group", "mentions", "actor"], ascending=[True, False, True], kind="stable")
    return out[COUNT_COLUMNS].reset_index(drop=True)


def count_demonyms(mentions: pd.DataFrame, corpus: Any = None, *, by: str = "outlet", **kwargs: Any) -> pd.DataFrame:
    """Like :func:`count_actors` for demonyms and attitudes ("Iranians", "anti-American")."""
    return count_actors(mentions, corpus, by=by, kind="demonym", **kwargs)


ALIAS_MATCH_COLUMNS = ["actor", "kind", "label", "text", "rule", "table", "matches", "n_docs"]


def count_alias_matches(mentions: pd.DataFrame, aliases: pd.DataFrame, *, unmatched: bool = False) -> pd.DataFrame:
    """Which alias rows (or other rules) produced each actor, with how often each text matched.

    Parameters
    ----------
    mentions : DataFrame
        From :func:`extract_mentions` (actors and demonyms).
    aliases : DataFrame
        The alias table used (:func:`load_alias_table`).
    unmatched : bool
        Also list alias rows that matched nothing (``matches`` 0).

    Returns
    -------
    DataFrame with columns actor, kind, label, text (the surface form, possessive and leading
    "the" removed), rule (``alias``: an alias row; ``state``/``public``: the state-versus-public
    rule applied to a demonym or country name; ``ner``: an entity absent from the table;
    ``ignore``: an ignore row), table (``package`` or ``corpus`` for alias rows, else empty),
    matches, n_docs. Sorted by actor, matches descending, text.
    """
    lookup = {a.lower().replace("’", "'"): r for a, r in zip(aliases["alias"], aliases.itertuples(index=False))}
    rows = []
    for m in mentions.itertuples(index=False):
        text = _normalise_entity(str(m.text))
        row = lookup.get(text.lower().replace("’", "'"))
        if row is not None and row.actor == m.actor:
            rule, table = "alias", row.source
        elif m.kind == "actor" and str(m.actor).endswith(" public") and (row is not None or m.label == "NORP"):
            rule, table = "public", ""
        elif m.kind == "actor" and text.split()[-1].lower() in STATE_HEADS | PUBLIC_HEADS and len(text.split()) > 1:
            rule, table = "state", ""
        else:
            rule, table = "ner", ""
        rows.append((m.actor, m.kind, m.label, text, rule, table, m.doc_id))
    long = pd.DataFrame(rows, columns=["actor", "kind", "label", "text", "rule", "table", "doc_id"])
    keys = ["actor", "kind", "label", "text", "rule", "table"]
    out = (long.groupby(keys, dropna=False).agg(matches=("doc_id", "size"), n_docs=("doc_id", "nunique")).reset_index()
           if len(long) else pd.DataFrame(columns=ALIAS_MATCH_COLUMNS))
    if unmatched:
        seen = set(out.loc[out["rule"] == "alias", "text"].str.lower().str.replace("’", "'"))
        rest = aliases[~aliases["alias"].str.lower().str.replace("’", "'").isin(seen)]
        extra = pd.DataFrame({
            "actor": rest["actor"], "kind": rest["kind"], "label": rest["label"], "text": rest["alias"],
            "rule": rest["kind"].map(lambda k: "ignore" if k == "ignore" else "alias"), "table": rest["source"],
            "matches": 0, "n_docs": 0,
        })
        out = pd.concat([out, extra], ignore_index=True)
    out = out.astype({"matches": "int64", "n_docs": "int64"})
    out = out.sort_values(["actor", "matches", "text"], ascending=[True, False, True], kind="stable")
    return out[ALIAS_MATCH_COLUMNS].reset_index(drop=True)
