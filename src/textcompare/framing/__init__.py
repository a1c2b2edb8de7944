"""Framing: frame lexicons, Entman's functions, agency, stance, sentence alignment, group comparison.

Every ``extract_*`` function takes a corpus (built on demand) or ``(doc_id, Doc)`` pairs and
returns a long table (one row per hit, with the sentence as evidence); every ``compare_*``
function returns per-group rates with intervals, effect sizes and tests under the rule of
:mod:`textcompare.stats`.
"""
from __future__ import annotations

from .agency import count_agency, extract_agency, extract_doc_agency, load_verb_classes
from .alignment import align_sentences
from .compare import compare_frames, compare_rates, load_sentence_units
from .encoder_model import EncoderFrameModel, load_encoder_frame_model, train_encoder_frame_model
from .frames import (extract_doc_frames, extract_frames, frame_ids, load_frame_annotations, score_frame_tagger,
                     tag_doc_frames, tag_sentences)
from .evaluation import cross_validate_rows, score_frames
from .functions import compare_functions, extract_doc_functions, extract_functions
from .lexicons import LexiconMatcher, frame_matcher, is_negated, load_frame_definitions, load_frame_lexicon
from .scope import force_restraint, is_negated_in_scope
from .stance import (compare_stance, extract_doc_stance, extract_sentence_sentiment, extract_stance, modal_reading,
                     score_actor_sentiment)

__all__ = [
    "EncoderFrameModel", "load_encoder_frame_model", "tag_doc_frames", "train_encoder_frame_model",
    "LexiconMatcher", "align_sentences", "compare_frames", "compare_functions", "compare_rates", "compare_stance",
    "count_agency", "cross_validate_rows", "extract_agency", "extract_doc_agency", "extract_doc_frames", "extract_doc_functions",
    "extract_doc_stance", "extract_frames", "extract_functions", "extract_sentence_sentiment", "extract_stance",
    "force_restraint", "frame_ids", "frame_matcher", "is_negated", "is_negated_in_scope", "load_frame_annotations", "load_frame_definitions",
    "load_frame_lexicon", "load_sentence_units", "load_verb_classes", "modal_reading", "score_actor_sentiment",
    "score_frame_tagger", "score_frames", "tag_sentences",
]
