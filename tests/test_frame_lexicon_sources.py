"""Where every frame-lexicon row comes from: the codebook, general English derived from a codebook
term, never the seed texts it is later run on."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from textcompare.framing import load_frame_definitions, load_frame_lexicon
from textcompare.framing.lexicons import read_lexicon

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "corpus" / "raw"
SOURCE = re.compile(r"^(codebook term|codebook example|synonym of|inflection of|pattern for|idiom for|"
                    r"Policy Frames Codebook definition term)")
DERIVED = re.compile(r"^(synonym of|inflection of|pattern for|idiom for) (?P<term>.+)$")


def _content(nlp, text: str) -> list[tuple[str, str]]:
    return [(t.lemma_.lower(), t.lower_) for t in nlp(text.replace("_", " ")) if not (t.is_stop or t.is_punct or t.is_space)]


def _content_lemmas(nlp, text: str) -> set[str]:
    return {form for pair in _content(nlp, text) for form in pair}


def _made_of(nlp, term: str, allowed: set[str]) -> bool:
    """Every content word of ``term`` is, by lemma or by form, among ``allowed``."""
    return all(lemma in allowed or lower in allowed for lemma, lower in _content(nlp, term))


@pytest.fixture(scope="module")
def codebook_lemmas(nlp) -> dict[str, set[str]]:
    defs = load_frame_definitions().fillna("")
    return {r.frame: _content_lemmas(nlp, " ".join([r.frame, r.label, r.definition, r.include, r.exclude]))
            for r in defs.itertuples(index=False)}


def _words(pattern: str) -> str:
    return pattern if not pattern.startswith("[") else ""


def test_every_row_names_a_known_kind_of_source():
    lexicon = load_frame_lexicon()
    bad = lexicon[~lexicon["source"].str.match(SOURCE)]
    assert bad.empty, bad[["pattern", "frame", "source"]].head().to_string()


def test_read_lexicon_requires_a_source_for_frame_lexicons(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text("pattern,frame,kind,rationale\nhate,enmity,lemma,hostility\n")
    with pytest.raises(Exception, match="source"):
        read_lexicon(path, category="frame", require_source=True)
    path.write_text("pattern,frame,kind,source,rationale\nhate,enmity,lemma,,hostility\n")
    with pytest.raises(Exception, match="source"):
        read_lexicon(path, category="frame", require_source=True)


@pytest.mark.model
def test_codebook_rows_use_only_the_codebook_words_of_their_frame(nlp, codebook_lemmas):
    """A row that claims the codebook as its source must be made of that frame's codebook words;
    a derived row must name a term made of them."""
    lexicon = load_frame_lexicon("case")
    valid: set[tuple[str, str]] = set()
    pending = list(lexicon.itertuples(index=False))
    while True:  # a derived row is valid when its term is codebook words or a valid row of the same frame
        before = len(valid)
        for row in pending:
            if row.source.startswith("codebook"):
                ok = bool(_words(row.pattern)) and _made_of(nlp, row.pattern, codebook_lemmas[row.frame])
            else:
                match = DERIVED.match(row.source)
                term = match.group("term") if match else ""
                ok = bool(term) and ((row.frame, term.lower()) in valid or _made_of(nlp, term, codebook_lemmas[row.frame]))
            if ok:
                valid.add((row.frame, row.pattern.lower()))
        pending = [r for r in pending if (r.frame, r.pattern.lower()) not in valid]
        if len(valid) == before:
            break
    wrong = [(r.frame, r.pattern, r.source) for r in pending]
    assert not wrong, wrong


def _seed_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))]
    assert len(texts) == 2
    return re.sub(r"\s+", " ", " ".join(texts)).lower()


@pytest.mark.model
def test_no_row_is_a_seed_phrase_unless_the_codebook_says_it(nlp, codebook_lemmas):
    """Rows copied from the seeds' wording ("severe revenge", "unlock the door") are kept out: any
    phrase of two or more words found verbatim in a seed text must consist of codebook words of
    its frame (or, for policy dimensions, of the dimension's definition)."""
    seeds = _seed_text()
    lexicon = load_frame_lexicon()
    copied = []
    for row in lexicon[lexicon["kind"] == "phrase"].itertuples(index=False):
        phrase = re.sub(r"\s+", " ", row.pattern.lower())
        if len(phrase.split()) >= 2 and re.search(r"\b" + re.escape(phrase) + r"\b", seeds):
            if not _made_of(nlp, phrase, codebook_lemmas[row.frame]):
                copied.append((row.frame, row.pattern, row.source))
    assert not copied, copied


def test_the_rows_the_method_review_named_are_gone():
    lexicon = load_frame_lexicon()
    named = {"unlock the door", "severe revenge", "global position", "iranian people", "unlock", "untie the knot",
             "oman", "switzerland", "saddam", "saddam hussein", "history", "drone", "china", "chinese", "beijing",
             "1953", "1979", "1988", "base"}
    assert not set(lexicon["pattern"].str.lower()) & named
    assert not lexicon["rationale"].str.contains("post-hoc", case=False).any()
    assert not lexicon["source"].str.contains("seed", case=False).any()


def test_all_fifteen_policy_dimensions_but_other_are_defined():
    policy = set(load_frame_definitions().query("frame_type == 'policy'")["frame"])
    assert len(policy) == 14 and "pfc_other" not in policy
    lexicon = load_frame_lexicon("policy")
    counts = lexicon["frame"].value_counts()
    assert set(counts.index) == policy and counts.min() >= 20


def test_case_definitions_carry_the_codebook_columns():
    defs = load_frame_definitions().query("frame_type == 'case'")
    assert len(defs) == 10
    assert (defs[["definition", "include", "exclude"]] != "").all().all()
    assert pd.Series(defs["source"]).str.contains("codebook").all()
