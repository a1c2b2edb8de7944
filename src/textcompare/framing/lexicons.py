"""Lexicons (frames, stance markers, verb classes) as documented data files, and a lemma matcher.

A lexicon file is a CSV with columns ``pattern``, a category column (``frame``, ``category`` ...),
``kind``, optional ``pos`` and ``rationale``:

- ``kind=lemma``: one token, matched on its lower-cased lemma *or* lower-cased form, so
  "institutionalize" hits "institutionalized"/"institutionalizes" and a mis-lemmatized
  capitalised word still hits on its form. ``pos`` (``|``-separated UPOS tags) restricts it.
- ``kind=phrase``: several tokens, matched with spaCy's :class:`~spacy.matcher.PhraseMatcher`
  on the lower-cased lemma sequence or on the lower-cased form sequence ("cool down" hits
  "cooled down", "maximum pressure" hits "Maximum Pressure").
- ``kind=pattern``: a spaCy :class:`~spacy.matcher.Matcher` token pattern as JSON (no REGEX),
  for gaps or part-of-speech constraints.
- ``kind=dep``: a spaCy :class:`~spacy.matcher.DependencyMatcher` pattern as JSON, for words
  linked in the parse however far apart ("violated Iraq's hard-won sovereignty"); the hit spans
  from the first to the last matched token.

An optional ``source`` column says where each row comes from (frame lexicons require it).

Negation (:func:`is_negated`): a hit is negated when a negator (not, no, never, n't, without,
neither, nor, cannot) is among the three tokens before it, or is a ``neg`` child of the hit's
root or of the root's head (the verb governing it).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import InputError
from ..paths import data_file

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

KINDS = ("lemma", "phrase", "pattern", "dep")
NEGATORS = frozenset({"not", "no", "never", "n't", "without", "neither", "nor", "cannot", "nobody", "none", "nothing"})
NEGATION_WINDOW = 3
CASE_FRAMES_FILE = "frames/case_frames.csv"
POLICY_FRAMES_FILE = "frames/policy_frames.csv"
FRAME_DEFINITIONS_FILE = "frames/frames.csv"


def read_lexicon(path: str | Path, *, category: str, require_source: bool = False) -> pd.DataFrame:
    """Read and check one lexicon CSV; returns columns pattern, <category>, kind, pos, source, rationale."""
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except FileNotFoundError as exc:
        raise InputError("lexicon file not found", path=path, fix="reinstall textcompare or pass an existing file") from exc
    required = ["pattern", category, "kind", "rationale"]
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise InputError(f"lexicon lacks column(s) {', '.join(missing)}", path=path,
                         fix="columns must be: pattern, " + category + ", kind, pos (optional), rationale")
    if "pos" not in table.columns:
        table["pos"] = ""
    if require_source and "source" not in table.columns:
        raise InputError("lexicon lacks column source", path=path,
                         fix="say for every row where it comes from (codebook term, synonym of X, inflection of X, pattern for X)")
    if "source" not in table.columns:
        table["source"] = ""
    table = table[["pattern", category, "kind", "pos", "source", "rationale"]].map(str.strip)
    if require_source and (table["source"] == "").any():
        raise InputError("every lexicon row needs a source", path=path, fix="say where the pattern comes from")
    bad = sorted(set(table["kind"]) - set(KINDS))
    if bad:
        raise InputError(f"unknown kind(s) {', '.join(map(repr, bad))}", path=path, fix="kind must be one of " + ", ".join(KINDS))
    if (table["pattern"] == "").any() or (table[category] == "").any():
        raise InputError("a row has an empty pattern or " + category, path=path, fix="fill in or delete the row")
    if (table["rationale"] == "").any():
        raise InputError("every lexicon row needs a rationale", path=path, fix="say where the pattern comes from")
    for p in table.loc[table["kind"].isin(["pattern", "dep"]), "pattern"]:
        try:
            spec = json.loads(p)
        except json.JSONDecodeError as exc:
            raise InputError(f"pattern {p!r} is not valid JSON", path=path, fix="write a spaCy Matcher token pattern") from exc
        if not isinstance(spec, list) or not all(isinstance(t, dict) for t in spec):
            raise InputError(f"pattern {p!r} is not a list of token objects", path=path, fix="write a spaCy Matcher token pattern")
        if "REGEX" in json.dumps(spec):
            raise InputError(f"pattern {p!r} uses REGEX", path=path, fix="use LOWER/LEMMA/POS token attributes")
    return table.drop_duplicates(["pattern", category, "kind", "pos"]).reset_index(drop=True)


def load_frame_definitions() -> pd.DataFrame:
    """The frames: frame, frame_type (``case`` or ``policy``), label, definition, source."""
    return pd.read_csv(data_file(FRAME_DEFINITIONS_FILE), dtype=str, keep_default_na=False)


def load_frame_lexicon(frame_type: str | None = None) -> pd.DataFrame:
    """The packaged frame lexicon: pattern, frame, kind, pos, source, rationale, frame_type.

    Parameters
    ----------
    frame_type : {"case", "policy"} or None
        Only the case frames or only the Policy Frames Codebook dimensions; None for both.
    """
    parts = []
    if frame_type not in (None, "case", "policy"):
        raise InputError(f"unknown frame_type {frame_type!r}", fix="use 'case', 'policy' or None")
    if frame_type in (None, "case"):
        parts.append(read_lexicon(data_file(CASE_FRAMES_FILE), category="frame", require_source=True).assign(frame_type="case"))
    if frame_type in (None, "policy"):
        parts.append(read_lexicon(data_file(POLICY_FRAMES_FILE), category="frame", require_source=True).assign(frame_type="policy"))
    table = pd.concat(parts, ignore_index=True)
    known = set(load_frame_definitions()["frame"])
    unknown = sorted(set(table["frame"]) - known)
    if unknown:
        raise InputError(f"frame(s) {', '.join(unknown)} are not defined", path=data_file(FRAME_DEFINITIONS_FILE),
                         fix="add a definition row for each frame")
    return table


def is_negated(doc: "Doc", start: int, end: int) -> bool:
    """Whether the tokens ``doc[start:end]`` are negated (see the module docstring for the rule)."""
    for tok in doc[max(0, start - NEGATION_WINDOW):start]:
        if tok.lower_ in NEGATORS:
            return True
    root = doc[start:end].root
    for node in (root, root.head):
        for child in node.children:
            inside = start <= child.i < end  # a negator that is part of the pattern ("no casualties")
            if not inside and (child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no")):
                return True
    return False


@dataclass(frozen=True)
class Hit:
    """One lexicon match: the token span, its category and the pattern that matched."""

    start: int
    end: int
    category: str
    pattern: str


class LexiconMatcher:
    """Match a lexicon against docs on lower-cased lemmas and forms (see the module docstring).

    Parameters
    ----------
    lexicon : DataFrame
        Rows with pattern, kind, pos and the category column.
    category : str
        Name of the category column (``frame``, ``category``, ``verb_class`` ...).
    nlp : Language
        Used to tokenize and lemmatize the phrase patterns (and for its vocab).
    """

    def __init__(self, lexicon: pd.DataFrame, *, category: str, nlp: "Language"):
        from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher

        self.category = category
        self.vocab = nlp.vocab
        self._single: dict[str, list[tuple[str, frozenset[str], str]]] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._patterns = Matcher(nlp.vocab)
        self._deps = DependencyMatcher(nlp.vocab)
        self._keys: dict[int, tuple[str, str]] = {}
        phrase_rows = lexicon[lexicon["kind"] == "phrase"]
        phrase_docs = list(nlp.pipe(phrase_rows["pattern"].tolist())) if len(phrase_rows) else []
        for row in lexicon.itertuples(index=False):
            cat = getattr(row, category)
            if row.kind == "lemma":
                pos = frozenset(p for p in row.pos.split("|") if p)
                self._single.setdefault(row.pattern.lower(), []).append((cat, pos, row.pattern))
            elif row.kind == "pattern":
                key = self._key(cat, row.pattern)
                self._patterns.add(key, [json.loads(row.pattern)])
            elif row.kind == "dep":
                key = self._key(cat, row.pattern)
                self._deps.add(key, [json.loads(row.pattern)])
        for row, pdoc in zip(phrase_rows.itertuples(index=False), phrase_docs):
            cat = getattr(row, category)
            key = self._key(cat, row.pattern)
            variants = {tuple(t.lower_ for t in pdoc), tuple((t.lemma_ or t.text).lower() for t in pdoc)}
            from spacy.tokens import Doc

            self._phrases.add(key, [Doc(nlp.vocab, words=list(v)) for v in sorted(variants)])

    def _key(self, cat: str, pattern: str) -> str:
        key = f"{cat}\t{pattern}"
        self._keys[self.vocab.strings.add(key)] = (cat, pattern)
        return key

    def __call__(self, doc: "Doc") -> list[Hit]:
        """All hits in ``doc``; overlapping hits of one category keep the longest (then leftmost)."""
        from spacy.tokens import Doc

        hits: list[Hit] = []
        lemmas = [(t.lemma_ or t.text).lower() for t in doc]
        lowers = [t.lower_ for t in doc]
        for i, tok in enumerate(doc):
            seen: set[tuple[str, str]] = set()
            for form in (lemmas[i], lowers[i]):
                for cat, pos, pattern in self._single.get(form, ()):
                    if (cat, pattern) in seen or (pos and tok.pos_ not in pos):
                        continue
                    seen.add((cat, pattern))
                    hits.append(Hit(i, i + 1, cat, pattern))
        if len(doc):
            for words in (lemmas, lowers):
                for key, start, end in self._phrases(Doc(self.vocab, words=words)):
                    cat, pattern = self._keys[key]
                    hits.append(Hit(start, end, cat, pattern))
            for key, start, end in (self._patterns(doc) if len(self._patterns) else ()):
                cat, pattern = self._keys[key]
                hits.append(Hit(start, end, cat, pattern))
            for key, token_ids in (self._deps(doc) if len(self._deps) else ()):
                cat, pattern = self._keys[key]
                hits.append(Hit(min(token_ids), max(token_ids) + 1, cat, pattern))
        return _longest_per_category(hits)


def _longest_per_category(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    by_cat: dict[str, list[Hit]] = {}
    for hit in hits:
        by_cat.setdefault(hit.category, []).append(hit)
    for cat in sorted(by_cat):
        taken: list[Hit] = []
        for hit in sorted(set(by_cat[cat]), key=lambda h: (-(h.end - h.start), h.start, h.pattern)):
            if all(hit.end <= t.start or hit.start >= t.end for t in taken):
                taken.append(hit)
        kept.extend(taken)
    return sorted(kept, key=lambda h: (h.start, h.end, h.category, h.pattern))


def frame_matcher(nlp: "Language" | None = None, *, lexicon: pd.DataFrame | None = None) -> LexiconMatcher:
    """A :class:`LexiconMatcher` for the frame lexicon (the packaged one unless ``lexicon`` is given).

    The packaged matcher is cached per pipeline.
    """
    from ..nlp import load_nlp

    nlp = nlp or load_nlp()
    if lexicon is not None:
        return LexiconMatcher(lexicon, category="frame", nlp=nlp)
    return _packaged_frame_matcher(nlp)


_MATCHERS: dict[tuple[str, int], LexiconMatcher] = {}


def _packaged_frame_matcher(nlp: "Language") -> LexiconMatcher:
    key = ("frames", id(nlp))
    if key not in _MATCHERS:
        _MATCHERS[key] = LexiconMatcher(load_frame_lexicon(), category="frame", nlp=nlp)
    return _MATCHERS[key]


def packaged_matcher(name: str, file: str, category: str, nlp: "Language") -> LexiconMatcher:
    """A cached matcher over a packaged lexicon file (used by the stance and functions modules)."""
    key = (name, id(nlp))
    if key not in _MATCHERS:
        _MATCHERS[key] = LexiconMatcher(read_lexicon(data_file(file), category=category), category=category, nlp=nlp)
    return _MATCHERS[key]
