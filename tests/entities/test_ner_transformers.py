"""Tests for the transformers NER back-end with a tiny BERT built from a config.

The tiny model has no transformer layers and hand-set weights, so each character's tag depends
only on the character: the expected spans of any text are known exactly, wherever the window
boundaries fall. Nothing is downloaded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsnlp.errors import ModelLoadError, ModelNotFoundError
from newsnlp.entities.backends.transformer_tagger import LABEL_TYPES, TransformersNER, map_entity_type, parse_label

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

LABELS = [
    "O", "B-name", "I-name", "B-company", "I-company", "E-company", "S-position",
    "B-government", "I-government", "B-address", "I-address", "B-book", "I-book", "B-position", "I-position",
]
# Each character always gets this tag; every other token is O.
CHAR_TAGS = {
    "张": "B-name", "三": "I-name",
    "甲": "B-company", "乙": "I-company", "司": "E-company",
    "长": "S-position",
    "宁": "B-government", "局": "I-government",
    "北": "B-address", "京": "I-address",
    "书": "B-book", "本": "I-book",
    "主": "B-position", "任": "I-position",
}
FILLER = "的是在了和说要。，"
# What the model must find, as (regex, label, subtype); 书本 (a book) is dropped by the mapping.
EXPECTED = [("张三", "PERSON", None), ("甲乙司", "ORG", "company"), ("长", "TITLE", None), ("主任", "TITLE", None),
            ("宁局", "ORG", "gov"), ("北京", "LOC", None)]


@pytest.fixture(scope="session")
def tiny_ner_dir(tmp_path_factory) -> Path:
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    directory = tmp_path_factory.mktemp("tiny_token_classifier")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *CHAR_TAGS, *FILLER]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    n_labels = len(LABELS)
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=2 * n_labels, num_hidden_layers=0, num_attention_heads=2,
        intermediate_size=8, max_position_embeddings=64,
        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)},
    )
    model = BertForTokenClassification(config)
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.word_embeddings.weight.zero_()
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        for token_id, token in enumerate(vocab):
            k = LABELS.index(CHAR_TAGS.get(token, "O"))
            # After LayerNorm the hidden state is positive only at dimension k ...
            emb.word_embeddings.weight[token_id, k] = 1.0
            emb.word_embeddings.weight[token_id, n_labels + k] = -1.0
        # ... and the classifier reads label k from dimension k.
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        for k in range(n_labels):
            model.classifier.weight[k, k] = 1.0
    model.save_pretrained(directory)
    # from_pretrained reads vocab.txt in transformers 4 and 5 alike.
    BertTokenizer.from_pretrained(str(directory)).save_pretrained(directory)
    return directory


def expected_spans(text: str) -> list[tuple[int, int, str, str | None, str]]:
    out = []
    for pattern, label, subtype in EXPECTED:
        out += [(m.start(), m.end(), label, subtype, m.group()) for m in re.finditer(pattern, text)]
    return sorted(out)


def as_tuples(spans) -> list[tuple[int, int, str, str | None, str]]:
    return [(s.start, s.end, s.label, s.subtype, s.text) for s in spans]


# --- label parsing and mapping --------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [("B-name", ("B", "name")), ("I_company", ("I", "company")), ("S-position", ("S", "position")),
     ("M-ORG", ("I", "ORG")), ("E-LOC", ("E", "LOC")), ("O", ("O", "")), ("PER", ("I", "PER"))],
)
def test_parse_label(label, expected):
    assert parse_label(label) == expected


def test_documented_mapping_table():
    assert map_entity_type("name") == ("PERSON", None)
    assert map_entity_type("position") == ("TITLE", None)
    assert map_entity_type("company") == ("ORG", "company")
    assert map_entity_type("government") == ("ORG", "gov")
    assert map_entity_type("organization") == ("ORG", "organisation")
    assert map_entity_type("address") == ("LOC", None)
    assert [map_entity_type(t) for t in ("PER", "LOC", "ORG")] == [("PERSON", None), ("LOC", None), ("ORG", None)]
    assert [map_entity_type(t) for t in ("NAME", "TITLE")] == [("PERSON", None), ("TITLE", None)]
    assert map_entity_type("book") is None and map_entity_type("unheard_of") is None
    assert map_entity_type("book", {"book": ("ORG", None)}) == ("ORG", None)
    assert LABEL_TYPES["scene"] is None


# --- the tiny model -------------------------------------------------------------


def test_short_text_labels_and_offsets(tiny_ner_dir):
    ner = TransformersNER(tiny_ner_dir, device="cpu")
    text = "张三是甲乙司的长，北京宁局说书本。"
    spans = ner.predict([text])[0]
    assert as_tuples(spans) == [
        (0, 2, "PERSON", None, "张三"),
        (3, 6, "ORG", "company", "甲乙司"),
        (7, 8, "TITLE", None, "长"),
        (9, 11, "LOC", None, "北京"),
        (11, 13, "ORG", "gov", "宁局"),
    ]


def test_long_text_windows_map_offsets_back_to_the_text(tiny_ner_dir):
    ner = TransformersNER(tiny_ner_dir, device="cpu", max_length=16, stride=4, batch_size=3)
    pieces = []
    for i in range(40):
        pieces.append(FILLER[: i % 7] + ["张三", "甲乙司", "长", "宁局", "北京", "书本", "主任"][i % 7])
        if i % 9 == 0:
            pieces.append(" \n  x1 ")  # whitespace and an unknown word shift the offsets
    text = "".join(pieces)
    windows = ner._preprocess([text])
    assert len(windows) > 10  # the text really is read in many windows
    window_ends = [max(end for (_, end), special in zip(w["offsets"], w["special"]) if not special) for w in windows]
    spans = ner.predict([text, "", "长"])
    assert as_tuples(spans[0]) == expected_spans(text)
    # Some entities straddle the end of a window and still come back whole.
    assert any(s.start < end < s.end for s in spans[0] for end in window_ends)
    for s in spans[0]:
        assert text[s.start : s.end] == s.text
    assert spans[1] == [] and as_tuples(spans[2]) == [(0, 1, "TITLE", None, "长")]


def test_predict_rejects_a_single_string(tiny_ner_dir):
    ner = TransformersNER(tiny_ner_dir, device="cpu")
    with pytest.raises(TypeError, match=r"wrap it: predict\(\[text\]\)"):
        ner.predict("张三")
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        ner.predict(["张三", 3])


def test_stride_must_leave_room_in_the_window(tiny_ner_dir):
    with pytest.raises(ValueError, match="stride must be at most half the window"):
        TransformersNER(tiny_ner_dir, device="cpu", max_length=16, stride=12)


def test_model_without_entity_labels_is_refused(tiny_ner_dir, tmp_path):
    from transformers import BertConfig, BertForTokenClassification, BertTokenizer

    config = BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=0, num_attention_heads=2,
                        intermediate_size=8, max_position_embeddings=32, num_labels=3)
    BertForTokenClassification(config).save_pretrained(tmp_path)
    BertTokenizer.from_pretrained(str(tiny_ner_dir)).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="label_map="):
        TransformersNER(tmp_path, device="cpu")
    ner = TransformersNER(tmp_path, device="cpu", label_map={"LABEL_1": ("ORG", None)})
    assert ner.tags[1] == ("I", ("ORG", None))


def test_entity_extractor_on_the_transformers_backend(tiny_ner_dir):
    from newsnlp.entities.extractor import EntityExtractor

    extractor = EntityExtractor.load(str(tiny_ner_dir), device="cpu")
    e = extractor("甲乙司主任张三说，宁局在北京开展“书本”活动。")
    assert [p.name for p in e.persons] == ["张三"]
    assert [(o.name, o.subtype) for o in e.organisations] == [("甲乙司", "company"), ("宁局", "gov")]
    assert [p.name for p in e.places] == ["北京"]
    assert [p.name for p in e.programmes] == ["书本活动"]
    assert [(o.name, o.title, o.organisation) for o in e.officials] == [("张三", "甲乙司主任", "甲乙司")]


# --- errors ---------------------------------------------------------------------


def test_missing_directory_says_what_was_tried(tmp_path):
    missing = tmp_path / "no_such_model"
    with pytest.raises(ModelNotFoundError, match="does not exist") as info:
        TransformersNER(str(missing))
    assert str(missing) in str(info.value)


def test_directory_without_config(tmp_path):
    with pytest.raises(ModelNotFoundError, match="has no config.json"):
        TransformersNER(tmp_path)


def test_hub_id_not_cached_is_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)  # so the id cannot resolve to a directory here
    with pytest.raises(ModelNotFoundError) as info:
        TransformersNER("newsnlp-test/definitely-not-a-cached-model")
    message = str(info.value)
    assert "'newsnlp-test/definitely-not-a-cached-model' is not available offline" in message
    assert "Tried a local directory" in message and "local_files_only=True" in message
    assert "hf download newsnlp-test/definitely-not-a-cached-model" in message
    assert "local_files_only=False" in message


def test_bad_arguments():
    with pytest.raises(TypeError, match="model must be a directory path or a hub id"):
        TransformersNER(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_length must be an int >= 8"):
        TransformersNER("x", max_length=2)
    with pytest.raises(TypeError, match="local_files_only must be True or False"):
        TransformersNER("x", local_files_only="yes")  # type: ignore[arg-type]


def test_public_api_takes_a_transformers_model(tiny_ner_dir):
    from newsnlp import Analyzer

    nlp = Analyzer(device="cpu")
    e = nlp.extract_entities("甲乙司主任张三说。", model=str(tiny_ner_dir))
    assert [(o.name, o.title, o.organisation) for o in e.officials] == [("张三", "甲乙司主任", "甲乙司")]
    # The loaded back-end is cached per model.
    assert nlp._entity_extractor(str(tiny_ner_dir)) is nlp._entity_extractor(str(tiny_ner_dir))
