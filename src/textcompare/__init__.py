"""textcompare: compare how different authors frame the same event.

Importing the package loads no model and has no side effects: public names are re-exported
lazily from the module that defines them (see ``_EXPORTS``).

    import textcompare as tc
    corpus = tc.load_corpus("corpus")
    tc.build_corpus(corpus)
    tc.score_keyness(...)
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it. Each section is owned by one module's author.
_EXPORTS: dict[str, str] = {
    # --- errors, paths, model -------------------------------------------------------------
    "TextcompareError": "errors",
    "InputError": "errors",
    "CorpusError": "errors",
    "ModelNotFoundError": "errors",
    "load_nlp": "nlp",
    "model_info": "nlp",
    "resolve_model_name": "nlp",
    # --- cleaning -------------------------------------------------------------------------
    "CleanedText": "cleaning",
    "RemovedBlock": "cleaning",
    "clean_text": "cleaning",
    "clean_html": "cleaning",
    # --- corpus (manifest, ingestion) -----------------------------------------------------
    "Corpus": "corpus",
    "load_corpus": "corpus",
    "clean_article": "corpus",
    "load_cleaned_texts": "corpus",
    "extract_removed_blocks": "corpus",
    "read_raw_text": "corpus",
    "read_raw_bytes": "corpus",
    "SkippedDocumentWarning": "corpus",
    "document_groups": "corpus",
    "check_corpus": "corpus",
    "list_articles": "corpus",
    "MANIFEST_COLUMNS": "manifest",
    "read_manifest": "manifest",
    "write_manifest": "manifest",
    "validate_id": "manifest",
    "resolve_raw_path": "manifest",
    "verify_sha256": "manifest",
    "read_bounded": "fileio",
    "clean_for_terminal": "sanitize",
    "neutralise_formulas": "sanitize",
    "read_article_bytes": "encoding",
    "decode_article": "encoding",
    "detect_language": "language",
    "AddResult": "ingest",
    "add_article": "ingest",
    "BatchResult": "ingest_batch",
    "BatchError": "ingest_batch",
    "add_articles": "ingest_batch",
    "remove_articles": "corpus_edit",
    "update_article": "corpus_edit",
    "find_near_duplicates": "near_duplicates",
    # --- parsing, cache, tables -----------------------------------------------------------
    "BuildSummary": "parsing",
    "CacheWarning": "parsing",
    "build_corpus": "parsing",
    "extract_tables": "parsing",
    "iter_tables": "parsing",
    "load_docs": "parsing",
    "load_tokens": "parsing",
    "load_sentences": "parsing",
    "load_noun_chunks": "parsing",
    "load_entities": "parsing",
    "load_provenance": "parsing",
    "paragraph_spans": "parsing",
    # --- actors, terms, keyness, concordance ----------------------------------------------
    "load_alias_table": "entities",
    "extract_doc_mentions": "entities",
    "extract_mentions": "entities",
    "count_actors": "entities",
    "count_alias_matches": "entities",
    "count_demonyms": "entities",
    "doc_lengths": "entities",
    "extract_key_terms": "terms",
    "extract_noun_phrases": "terms",
    "score_tfidf_terms": "terms",
    "score_textrank_terms": "terms",
    "score_noun_phrase_terms": "terms",
    "count_terms": "keyness",
    "score_keyness": "keyness",
    "compare_keyness": "keyness",
    "score_prior_sensitivity": "keyness",
    "score_dispersion": "keyness",
    "score_g2": "keyness",
    "score_log_ratio": "keyness",
    "score_lrc": "keyness",
    "score_fightin_words": "keyness",
    "load_background_prior": "keyness",
    "count_doc_terms": "keyness",
    "score_background_prior": "keyness",
    "kwic": "concordance",
    "kwic_terms": "concordance",
    "collect_evidence": "evidence",
    "browse_concordance": "widgets",
    "browse_evidence": "widgets",
    "mark_matches": "evidence",
    "score_collocations": "concordance",
    # --- framing, agency, stance, alignment, statistics -----------------------------------
    "LexiconMatcher": "framing",
    "EncoderFrameModel": "framing",
    "load_encoder_frame_model": "framing",
    "tag_doc_frames": "framing",
    "train_encoder_frame_model": "framing",
    "align_sentences": "framing",
    "compare_frames": "framing",
    "compare_functions": "framing",
    "compare_rates": "framing",
    "compare_stance": "framing",
    "count_agency": "framing",
    "extract_agency": "framing",
    "extract_doc_agency": "framing",
    "extract_doc_frames": "framing",
    "extract_doc_functions": "framing",
    "extract_doc_stance": "framing",
    "extract_frames": "framing",
    "extract_functions": "framing",
    "extract_sentence_sentiment": "framing",
    "extract_stance": "framing",
    "force_restraint": "framing",
    "frame_ids": "framing",
    "is_negated_in_scope": "framing",
    "load_frame_annotations": "framing",
    "load_frame_definitions": "framing",
    "load_frame_lexicon": "framing",
    "load_verb_classes": "framing",
    "score_actor_sentiment": "framing",
    "score_frame_tagger": "framing",
    "score_frames": "framing",
    "block_bootstrap": "stats",
    "compare_sides": "stats",
    "exact_rate_test": "stats",
    "permutation_test_documents": "stats",
    "poisson_rate_ci": "stats",
    "fdr_bh": "stats",
    "quasi_poisson_test": "stats",
    "quasi_poisson_score_documents": "stats",
    "render_findings": "findings",
    "render_caveats": "findings",
    "write_readme_findings": "findings",
    "simulate_null": "calibration",
    "summarise_calibration": "calibration",
    # --- validation: coding sheets, scores, corrected estimates, trained classifier ---------
    "build_coding_sheet": "validation",
    "load_coding_sheet": "validation",
    "load_coding_sheets": "validation",
    "apply_frame_codes": "validation",
    "score_coding_sheets": "validation",
    "summarize_validation": "validation",
    "train_from_sheets": "validation",
    "compare_corrected_frames": "validation",
    "estimate_frame_prevalence": "validation",
    "ppi_mean": "validation",
    "CodingSession": "validation",
    "build_coding_widget": "validation",
    "ValidationResult": "validation",
    "FrameClassifier": "framing.classifier",
    "train_frame_classifier": "framing.classifier",
    "load_frame_classifier": "framing.classifier",
    "extract_model_frames": "framing.classifier",
    # --- sentence embeddings (all-mpnet-base-v2 feeds the default case-frame model) -----------
    "embed_sentences": "framing.embeddings",
    "score_prototypes": "framing.embeddings",
    # --- figures and report ---------------------------------------------------------------
    "plot_actor_salience": "plots",
    "plot_agency": "plots",
    "plot_alignment": "plots",
    "plot_alignment_pairs": "plots",
    "plot_cleaning_summary": "plots",
    "plot_fightin_words": "plots",
    "plot_frame_functions": "plots",
    "plot_frame_profile": "plots",
    "plot_frame_trajectory": "plots",
    "plot_keyness": "plots",
    "plot_keyness_panels": "plots",
    "plot_fightin_words_panels": "plots",
    "plot_panels": "plots",
    "plot_stance": "plots",
    "save_figure": "plots",
    "figure_provenance": "plots",
    "provenance_caption": "plots",
    "add_caption": "plots",
    "OKABE_ITO": "plots",
    "group_colors": "plots",
    "build_report": "reproduce",
    "build_explorer": "report.explorer",
    "save_explorer": "report.explorer",
    "build_cleaning_table": "report.tables",
    "build_trajectory_table": "report.tables",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'textcompare' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
