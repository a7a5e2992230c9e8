"""Tests for the NER tagger: span decoding, windows, loading, and the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsnlp.errors import ModelNotFoundError, NewsNLPError
from newsnlp.entities.backends.bilstm_crf import (
    NERSpan,
    NERTagger,
    spans_to_tags,
    split_windows,
    tags_to_spans,
)

torch = pytest.importorskip("torch")

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "ner"


# --- pure functions -----------------------------------------------------------


def test_bioes_round_trip():
    spans = [(0, 6, "ORG"), (6, 8, "TITLE"), (8, 10, "PERSON"), (12, 13, "LOC")]
    tags = spans_to_tags(14, spans)
    assert tags[:3] == ["B-ORG", "I-ORG", "I-ORG"]
    assert tags[5] == "E-ORG"
    assert tags[12] == "S-LOC"
    assert tags_to_spans(tags) == spans


def test_broken_tag_fragments_are_dropped():
    tags = ["I-ORG", "E-ORG", "B-PERSON", "E-ORG", "B-LOC", "I-LOC", "E-LOC", "B-PERSON"]
    assert tags_to_spans(tags) == [(4, 7, "LOC")]


def test_split_windows_prefers_sentence_ends():
    text = "第一句话。" * 3 + "长" * 12
    windows = split_windows(text, max_len=12)
    assert windows == [(0, 10), (10, 15), (15, 27)]


def test_split_windows_cuts_runs_without_punctuation():
    text = "长" * 25
    assert split_windows(text, max_len=10) == [(0, 10), (10, 20), (20, 25)]
    assert split_windows("", max_len=10) == []


# --- tiny random model built from a config ----------------------------------


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    from newsnlp.entities.backends.bilstm_crf import build_network

    directory = tmp_path_factory.mktemp("tiny_ner")
    vocab = {
        "chars": ["<pad>", "<unk>", *"宁波市总工会主席李谦出席。，"],
        "bigrams": ["<pad>", "<unk>", "宁波", "李谦"],
        "pos": ["<pad>", "<unk>", "nr", "ns", "n", "x"],
    }
    config = {
        "format": 1,
        "n_chars": len(vocab["chars"]),
        "n_bigrams": len(vocab["bigrams"]),
        "n_pos": len(vocab["pos"]),
        "dims": {"char": 8, "bigram": 4, "seg": 2, "pos": 2, "domain": 2, "hidden": 6},
        "layers": 1,
        "dropout": 0.0,
        "domains": {
            "news": {
                "labels": ["name", "government"],
                "output": {"name": ["PERSON", None], "government": ["ORG", "gov"]},
            }
        },
        "default_domain": "news",
    }
    torch.manual_seed(0)
    network = build_network(config)
    # Make every character's emission favour S-name or S-government so spans appear.
    with torch.no_grad():
        head = network.heads["news"]
        head.bias.copy_(torch.tensor([0.0, 0, 0, 0, 3.0, 0, 0, 0, 2.0]))
    torch.save(network.state_dict(), directory / "model.pt")
    (directory / "config.json").write_text(json.dumps(config), encoding="utf-8")
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def tiny_tagger(tiny_model_dir) -> NERTagger:
    return NERTagger.load(tiny_model_dir)


def test_long_text_offsets_map_back(tiny_tagger):
    sentence = "宁波市总工会主席李谦出席。"
    text = sentence * 60 + "李" * 600  # 1380 characters, the tail without punctuation
    (spans,) = tiny_tagger.predict([text], batch_size=4)
    assert spans, "the tiny model tags every character"
    assert all(text[s.start : s.end] == s.text for s in spans)
    assert max(s.end for s in spans) > 1300  # the last window was tagged too
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert {(s.label, s.subtype) for s in spans} <= {("PERSON", None), ("ORG", "gov")}


def test_batches_keep_input_order(tiny_tagger):
    texts = ["李谦", "", "宁波市总工会主席李谦出席。" * 30, "谦"]
    together = tiny_tagger.predict(texts, batch_size=2)
    alone = [tiny_tagger.predict([t])[0] for t in texts]
    assert together == alone
    assert together[1] == []


def test_empty_inputs(tiny_tagger):
    assert tiny_tagger.predict([]) == []
    assert tiny_tagger.predict([""]) == [[]]


def test_bad_inputs_raise(tiny_tagger):
    with pytest.raises(TypeError, match="wrap it"):
        tiny_tagger.predict("宁波")
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        tiny_tagger.predict(["宁波", 3])
    with pytest.raises(ValueError, match="valid: news"):
        tiny_tagger.predict(["宁波"], domain="msra")


def test_missing_model_dir_error(tmp_path):
    missing = tmp_path / "no_such_model"
    with pytest.raises(ModelNotFoundError) as info:
        NERTagger.load(missing)
    message = str(info.value)
    assert str(missing) in message
    assert "config.json" in message and "newsnlp.train.ner" in message
    assert isinstance(info.value, NewsNLPError) and isinstance(info.value, FileNotFoundError)


def test_span_to_dict():
    span = NERSpan(8, 10, "PERSON", None, "李谦")
    assert span.to_dict() == {"start": 8, "end": 10, "label": "PERSON", "subtype": None, "text": "李谦"}


# --- the shipped model ---------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> NERTagger:
    if not (SHIPPED / "model.pt").is_file():
        pytest.fail(f"shipped NER model missing in {SHIPPED}")
    return NERTagger.load()  # path=None: found through newsnlp.resources


def test_shipped_model_loads_from_models_dir(shipped):
    assert shipped.path is not None and shipped.path.resolve() == SHIPPED.resolve()
    assert shipped.default_domain == "cluener"
    assert set(shipped.domains) == {"cluener", "msra", "resume"}


def test_shipped_model_finds_official(shipped):
    text = "宁波市总工会主席李谦在会上讲话，浙江省人民政府副省长王文序出席。"
    (spans,) = shipped.predict([text])
    found = {(s.start, s.end, s.label) for s in spans}
    assert (8, 10, "PERSON") in found
    assert (6, 8, "TITLE") in found
    assert (26, 29, "PERSON") in found
    orgs = [s for s in spans if s.label == "ORG"]
    assert any(s.text == "宁波市总工会" and s.start == 0 for s in orgs)
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_shipped_model_long_article_offsets(shipped):
    paragraph = "新华社北京电，国务院总理李强主持召开国务院常务会议，研究部署经济工作。"
    text = "\n".join([paragraph] * 20)  # longer than one window
    (spans,) = shipped.predict([text])
    assert all(text[s.start : s.end] == s.text for s in spans)
    persons = [s for s in spans if s.label == "PERSON" and s.text == "李强"]
    assert len(persons) == 20
