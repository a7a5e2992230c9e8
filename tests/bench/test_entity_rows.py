"""The "newsnlp.extract_entities" rows of the public NER tables (benchmarks.quality.ner_blocks)."""

from types import SimpleNamespace

from benchmarks import entity_spans, quality
from newsnlp.types import Entities, Mention

RECORDS = [
    {"text": "李谦在宁波市海曙区工作", "entities": [{"type": "name", "start": 0, "end": 2}, {"type": "address", "start": 3, "end": 9}]},
    {"text": "法国总统访华", "entities": [{"type": "LOC", "start": 0, "end": 2}]},
]


class Extractor:
    """Two place layers, as with place_head="msra": LOC parts and the ADDRESS the news head read."""

    place_head = "msra"

    def extract_many(self, texts):
        found = {
            "李谦在宁波市海曙区工作": Entities(mentions=(
                Mention("李谦", "PERSON", 0, 2), Mention("宁波市", "LOC", 3, 6), Mention("宁波市海曙区", "ADDRESS", 3, 9),
                Mention("海曙区", "LOC", 6, 9))),
            "法国总统访华": Entities(mentions=(Mention("法国", "LOC", 0, 2), Mention("法国", "ADDRESS", 0, 2))),
        }
        return [found[t] for t in texts]


class Tagger:
    domains = ["cluener", "msra"]

    def predict(self, texts, domain=None):
        return [[SimpleNamespace(start=0, end=2, label="PERSON", subtype=None)], []]


def test_extract_entities_row_scores_each_corpus_on_its_place_layer():
    f1, pr = quality.ner_blocks("entities-cluener", "Tiny", RECORDS[:1], quality.CLUENER_MAP, quality.CLUENER_LABELS,
                                domain=None, short="tiny", tagger_loader=Tagger, extractor_loader=Extractor)
    rows = {r.system: r for r in f1.rows}
    assert list(rows)[:2] == ["newsnlp.extract_entities", "NER model, news head"]
    # CLUENER: the ADDRESS mention is the address; the two LOC parts are not scored
    assert rows["newsnlp.extract_entities"].values["address"] == 1.0
    assert rows["newsnlp.extract_entities"].values["name"] == 1.0
    assert pr.rows[0].system == "newsnlp.extract_entities" and pr.rows[0].values["address"] == "100.0 / 100.0"
    f1, _ = quality.ner_blocks("entities-msra", "Tiny", RECORDS[1:], quality.MSRA_MAP, quality.MSRA_LABELS,
                               domain="msra", short="tiny", tagger_loader=Tagger, extractor_loader=Extractor)
    assert f1.rows[0].system == "newsnlp.extract_entities"
    assert f1.rows[0].values["LOC"] == 1.0 and f1.rows[0].values["LOC_p"] == 1.0  # ADDRESS not counted twice


def test_no_extractor_row_for_a_test_tagger_and_news_places_map_loc_to_address():
    f1, _ = quality.ner_blocks("entities-cluener", "Tiny", RECORDS[:1], quality.CLUENER_MAP, quality.CLUENER_LABELS,
                               domain=None, short="tiny", tagger_loader=Tagger)
    assert "newsnlp.extract_entities" not in [r.system for r in f1.rows]
    assert entity_spans.mention_map("cluener", "news")[("LOC", None)] == "address"
    assert entity_spans.mention_map("cluener", "msra")[("LOC", None)] is None
    assert ("ADDRESS", None) not in entity_spans.mention_map("msra", "msra")


def test_a_failing_extractor_is_a_row_with_a_note():
    def broken():
        raise RuntimeError("no model here")

    f1, _ = quality.ner_blocks("entities-msra", "Tiny", RECORDS[1:], quality.MSRA_MAP, quality.MSRA_LABELS,
                               domain="msra", short="tiny", tagger_loader=Tagger, extractor_loader=broken)
    assert f1.rows[0].system == "newsnlp.extract_entities" and f1.rows[0].values == {}
    assert "no model here" in f1.rows[0].note


def test_label_mapping_lists_the_address_layer():
    assert ("ADDRESS (extract_entities mentions; LOC is then not scored on CLUENER)", "address", "-", "-") in \
        quality.label_mapping_rows()
