"""Places from the MSRA head (the default), the news head's addresses, and heads decoded in one pass."""

import pytest

from newsnlp.entities.extractor import ADDRESS, EntityExtractor
from newsnlp.types import NERSpan

TEXTS = [
    "国家主席访问法国，在巴黎会见法国总统。",
    "记者从浙江省宁波市海曙区中山西路138号了解到，宁波市总工会主席李谦出席会议。",
    "",
    "日本政府宣布，东京将举办博览会。",
    "李谦",
    "嘉兴市南湖区人民政府与上海市松江区签订协议，" * 12,  # longer than one window
]


def _spans(tagger, texts, **kwargs):
    return [[(s.start, s.end, s.label, s.subtype, s.text) for s in spans] for spans in tagger.predict(texts, **kwargs)]


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_heads_in_one_pass_equal_separate_predicts(shipped_ner, batch_size):
    heads = shipped_ner.predict_heads(TEXTS, batch_size=batch_size, domains=(None, "msra", "resume"))
    assert list(heads) == [None, "msra", "resume"]
    for domain, spans in heads.items():
        assert [[(s.start, s.end, s.label, s.subtype, s.text) for s in x] for x in spans] == \
            _spans(shipped_ner, TEXTS, batch_size=batch_size, domain=domain)


def test_default_predict_is_unchanged(shipped_ner):
    # The spans the shipped model gave before predict_heads existed (same code path for one head).
    assert _spans(shipped_ner, TEXTS[1:2]) == [[
        (0, 2, "TITLE", None, "记者"), (3, 20, "LOC", None, "浙江省宁波市海曙区中山西路138号"),
        (24, 30, "ORG", "gov", "宁波市总工会"), (30, 32, "TITLE", None, "主席"), (32, 34, "PERSON", None, "李谦"),
    ]]
    assert [s.text for s in shipped_ner.predict(TEXTS[1:2], domain="msra")[0] if s.label == "LOC"] == [
        "浙江省", "宁波市", "海曙区", "中山西路138号"]


def test_predict_heads_keys_as_given_and_validation(shipped_ner):
    heads = shipped_ner.predict_heads(iter(TEXTS[:2]), domains=("cluener", None))
    assert list(heads) == ["cluener", None] and heads["cluener"] == heads[None] == shipped_ner.predict(TEXTS[:2])
    with pytest.raises(ValueError, match=r"unknown domain 'weibo'; valid: cluener, msra, resume"):
        shipped_ner.predict_heads(TEXTS, domains=(None, "weibo"))
    with pytest.raises(ValueError, match="domains must name at least one head"):
        shipped_ner.predict_heads(TEXTS, domains=())
    with pytest.raises(TypeError, match="got one str"):
        shipped_ner.predict_heads("国家主席访问法国。")


@pytest.mark.slow
def test_torch_backend_heads_equal_separate_predicts():
    from newsnlp.entities.backends.bilstm_crf import NERTagger

    tagger = NERTagger.load(backend="torch")
    heads = tagger.predict_heads(TEXTS, batch_size=3)
    assert heads[None] == tagger.predict(TEXTS, batch_size=3)
    assert heads["msra"] == tagger.predict(TEXTS, batch_size=3, domain="msra")


def test_default_places_follow_msra(shipped_entities):
    assert shipped_entities.place_head == "msra"
    e = shipped_entities(TEXTS[1])
    # every province, city and district is a place; the news head's whole address is an ADDRESS mention
    assert [p.name for p in e.places] == ["浙江省", "宁波市", "海曙区", "中山西路138号"]
    assert [(m.text, m.start, m.end) for m in e.mentions if m.label == ADDRESS] == [("浙江省宁波市海曙区中山西路138号", 3, 20)]
    assert [o.name for o in e.organisations] == ["宁波市总工会"] and [p.name for p in e.persons] == ["李谦"]
    e = shipped_entities(TEXTS[0])
    assert [(p.name, [m.start for m in p.mentions]) for p in e.places] == [("法国", [6, 14]), ("巴黎", [10])]
    # a country stays a place under its own government (日本政府 is also an organisation)
    e = shipped_entities(TEXTS[3])
    assert [p.name for p in e.places] == ["日本", "东京"] and [o.name for o in e.organisations] == ["日本政府"]


def test_news_places_stay_available(shipped_ner):
    e = EntityExtractor(shipped_ner, place_head="news")(TEXTS[1])
    assert [p.name for p in e.places] == ["浙江省宁波市海曙区中山西路138号"]
    assert not [m for m in e.mentions if m.label == ADDRESS]


class NewsAndMsraTagger:
    """Two heads and only ``predict``: the news head reads a whole address, MSRA its parts."""

    domains = ["cluener", "msra"]

    def __init__(self):
        self.calls = []

    def predict(self, texts, batch_size=64, *, domain=None):
        self.calls.append(domain)
        out = []
        for text in texts:
            i = text.find("杭州市西湖区")
            if i < 0:
                out.append([])
            elif domain == "msra":
                out.append([NERSpan(i, i + 3, "LOC", None, "杭州市"), NERSpan(i + 3, i + 6, "LOC", None, "西湖区")])
            else:
                out.append([NERSpan(i, i + 6, "LOC", None, "杭州市西湖区")])
        return out


class OneCallTagger(NewsAndMsraTagger):
    def predict_heads(self, texts, batch_size=64, *, domains=(None, "msra")):
        self.calls.append(tuple(domains))
        return {d: NewsAndMsraTagger.predict(self, texts, domain=d) for d in domains}


def test_extract_many_with_a_tagger_lacking_predict_heads():
    tagger = NewsAndMsraTagger()
    found = EntityExtractor(tagger).extract_many(["他在杭州市西湖区工作。", "", "会议结束。"])
    assert tagger.calls == [None, "msra"]  # one call per head, for all the texts at once
    assert [p.name for p in found[0].places] == ["杭州市", "西湖区"]
    assert [(m.text, m.label) for m in found[0].mentions] == [("杭州市", "LOC"), ("杭州市西湖区", ADDRESS), ("西湖区", "LOC")]
    assert found[1].places == () and found[2].places == ()


def test_a_tagger_with_predict_heads_is_called_once():
    tagger = OneCallTagger()
    e = EntityExtractor(tagger).extract_many(["他在杭州市西湖区工作。"])[0]
    assert tagger.calls == [(None, "msra"), None, "msra"]  # the one predict_heads call made the other two
    assert [p.name for p in e.places] == ["杭州市", "西湖区"]


def test_place_head_validation():
    class NewsOnly:
        def predict(self, texts, batch_size=64):
            return [[] for _ in texts]

    assert EntityExtractor(NewsOnly()).place_head == "news"  # auto: no msra head
    assert EntityExtractor(NewsAndMsraTagger()).place_head == "msra"
    with pytest.raises(ValueError, match=r"place_head 'msra' is not a head of this model \(heads: none\); "
                                         r"use 'auto', 'news' or one of those"):
        EntityExtractor(NewsOnly(), place_head="msra")
    with pytest.raises(ValueError, match=r"place_head 'weibo' is not a head of this model \(heads: cluener, msra\)"):
        EntityExtractor(NewsAndMsraTagger(), place_head="weibo")


def test_places_inside_a_name_are_no_places():
    class Tagger(NewsAndMsraTagger):
        def predict(self, texts, batch_size=64, *, domain=None):
            text = texts[0]
            if domain == "msra":  # 宁波 inside the union's name, 李谦 misread as a place
                return [[NERSpan(0, 2, "LOC", None, "宁波"), NERSpan(8, 10, "LOC", None, "李谦")]]
            return [[NERSpan(0, 6, "ORG", "gov", text[:6]), NERSpan(8, 10, "PERSON", None, "李谦")]]

    e = EntityExtractor(Tagger())("宁波市总工会主席李谦出席会议。")
    assert e.places == () and [p.name for p in e.persons] == ["李谦"]
    assert [o.name for o in e.organisations] == ["宁波市总工会"]


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_a_shared_encoder_keeps_the_first_head_and_runs_the_lstm_once(shipped_ner, batch_size, monkeypatch):
    separate = shipped_ner.predict_heads(TEXTS, batch_size=batch_size, domains=(None, "msra"))
    network = shipped_ner.network
    runs = []
    encode = network._encode
    monkeypatch.setattr(network, "_encode", lambda batch, d: runs.append((d, batch["mask"].shape[0])) or encode(batch, d))
    shared = shipped_ner.predict_heads(TEXTS, batch_size=batch_size, domains=(None, "msra"), shared_encoder=True)
    # one LSTM run per batch, with the news vector, for both heads: each window encoded once
    news = network.domains.index("cluener")
    assert runs and all(isinstance(d, int) and d == news for d, _ in runs)
    rows_shared = sum(n for _, n in runs)
    assert shared[None] == separate[None] == shipped_ner.predict(TEXTS, batch_size=batch_size)
    runs.clear()
    shipped_ner.predict_heads(TEXTS, batch_size=batch_size, domains=(None, "msra"))
    assert sum(n for _, n in runs) == 2 * rows_shared  # without it, every window once per head
    # the MSRA head reads the news run: same convention (parts of the address), maybe other spans
    assert [s.text for s in shared["msra"][1] if s.label == "LOC"][:3] == ["浙江省", "宁波市", "海曙区"]


def test_the_extractor_asks_for_the_shared_encoder_only_when_the_tagger_takes_it(shipped_ner, monkeypatch):
    seen = []

    class Takes(OneCallTagger):
        def predict_heads(self, texts, batch_size=64, *, domains=(None, "msra"), shared_encoder=False):
            seen.append(shared_encoder)
            return OneCallTagger.predict_heads(self, texts, batch_size, domains=domains)

    EntityExtractor(Takes()).extract_many(["他在杭州市西湖区工作。"])
    EntityExtractor(OneCallTagger()).extract_many(["他在杭州市西湖区工作。"])  # no such keyword: not passed
    assert seen == [True]
    calls = []
    original = shipped_ner.predict_heads
    monkeypatch.setattr(shipped_ner, "predict_heads", lambda texts, **kw: calls.append(kw) or original(texts, **kw))
    EntityExtractor(shipped_ner).extract_many([TEXTS[1]])
    assert calls == [{"domains": (None, "msra"), "shared_encoder": True}]


@pytest.mark.slow
def test_torch_backend_shared_encoder_equals_numpy(shipped_ner):
    from newsnlp.entities.backends.bilstm_crf import NERTagger

    tagger = NERTagger.load(backend="torch")
    torch_heads = tagger.predict_heads(TEXTS, batch_size=3, shared_encoder=True)
    numpy_heads = shipped_ner.predict_heads(TEXTS, batch_size=3, shared_encoder=True)
    assert torch_heads == numpy_heads


def test_another_heads_places_outside_the_text_are_ignored():
    from newsnlp.entities.extractor import place_candidates

    text = "他在杭州市工作。"
    spans = [NERSpan(2, 5, "LOC", None, "杭州市"), NERSpan(5, 40, "LOC", None, "?"), NERSpan(-3, 2, "LOC", None, "?")]
    assert [(c.start, c.end) for c in place_candidates(text, spans)] == [(2, 5)]
