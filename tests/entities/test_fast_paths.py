"""The speed-ups keep results exact: numpy POS HMM, numpy CRF Viterbi, batched entities and analysis."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from newsnlp.entities.backends.bilstm_crf import NERSpan, bioes_tags

# Sentences written for these tests: names the dictionary lacks, Latin letters, digits,
# full-width forms, whitespace and line breaks, so the HMM and every block type run.
SENTENCES = [
    "宁波市总工会主席李谦出席会议并讲话。",
    "鄞州区姜山镇党委书记王晓峰带队走访了12家企业，了解用工需求。",
    "欧阳娜娜和司马相如在2024年3月15日参加了ABC公司的发布会！",
    "浙江大学医学院附属第一医院（浙大一院）开通5G远程会诊。",
    "记者 张三 报道\n第二段：“共富工坊”带动村民增收20％。",
    "市发改委副主任汤建民介绍，今年计划投资３．５亿元。",
    "嘿嘿嘿哈哈哈啦啦啦，蔡徐坤坤坤在杭州西湖边上跑步。",
    "",
]


def test_fast_posseg_gives_jiebas_words_and_tags():
    import jieba
    import jieba.posseg

    from newsnlp.text.posseg import fast_pos_tokenizer

    tok = jieba.Tokenizer()
    slow = jieba.posseg.POSTokenizer(tok)
    fast = fast_pos_tokenizer(tok)
    assert type(fast).__name__ == "FastPOSTokenizer"
    for text in SENTENCES:
        expected = [(p.word, p.flag) for p in slow.cut(text)]
        assert [(p.word, p.flag) for p in fast.cut(text)] == expected, text


def test_fast_viterbi_equals_jiebas_on_random_character_runs():
    from jieba import posseg

    from newsnlp.text.posseg import _hmm

    chars = sorted(set("".join(SENTENCES)) - set("\n 。，！：“”（）"))
    rng = random.Random(7)
    hmm = _hmm()
    for _ in range(300):
        obs = "".join(rng.choice(chars) for _ in range(rng.randint(1, 10)))
        expected = posseg.viterbi(obs, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
        assert hmm.viterbi(obs) == expected, obs


def _brute_force(crf, emissions, length):
    """Best tag path by enumerating every path (tiny sizes only)."""
    trans, start, end = (x.detach() for x in crf._scores())
    k = emissions.shape[-1]
    best, best_path = None, None
    for path in itertools.product(range(k), repeat=length):
        score = start[path[0]] + emissions[0, path[0]]
        for a, b, t in zip(path, path[1:], range(1, length)):
            score = score + trans[a, b] + emissions[t, b]
        score = score + end[path[-1]]
        if best is None or score > best:
            best, best_path = score, list(path)
    return best_path


def test_crf_decode_finds_the_best_path_of_each_padded_row():
    import torch

    from newsnlp.entities.backends.bilstm_crf import build_network

    torch.manual_seed(3)
    config = {
        "n_chars": 4, "n_bigrams": 4, "n_pos": 3, "layers": 1, "dropout": 0.0,
        "dims": {"char": 2, "bigram": 2, "seg": 2, "pos": 2, "domain": 2, "hidden": 2},
        "domains": {"d": {"labels": ["A"], "output": {"A": ["ORG", None]}}},
    }
    crf = build_network(config).crfs["d"]
    with torch.no_grad():
        crf.transitions.normal_()
        crf.start.normal_()
        crf.end.normal_()
    k = len(bioes_tags(["A"]))
    lengths = [5, 1, 3, 4, 2]
    emissions = torch.randn(len(lengths), max(lengths), k) * 2
    mask = torch.tensor([[t < n for t in range(max(lengths))] for n in lengths])
    paths = crf.decode(emissions, mask)
    assert [len(p) for p in paths] == lengths
    for row, n in enumerate(lengths):
        assert paths[row] == _brute_force(crf, emissions[row], n), row


class _FakeTagger:
    def __init__(self, words):
        self.words = words
        self.calls: list[list[str]] = []

    def predict(self, texts, batch_size: int = 64):
        self.calls.append(list(texts))
        out = []
        for text in texts:
            spans = []
            for word, label in self.words.items():
                for m in re.finditer(re.escape(word), text):
                    spans.append(NERSpan(m.start(), m.end(), label, None, word))
            out.append(sorted(spans, key=lambda s: s.start))
        return out


def test_extract_many_equals_one_by_one_in_one_model_call():
    from newsnlp.article import Article
    from newsnlp.entities.extractor import EntityExtractor

    words = {"李谦": "PERSON", "宁波市总工会": "ORG", "主席": "TITLE"}
    items = ["宁波市总工会主席李谦出席会议。", "", Article(text="李谦讲话。", title="标题"), "  \n"]
    tagger = _FakeTagger(words)
    many = EntityExtractor(tagger).extract_many(items)
    # Empty texts never reach the model; the rest go in a single call.
    assert tagger.calls == [["宁波市总工会主席李谦出席会议。", "李谦讲话。"]]
    single = EntityExtractor(_FakeTagger(words))
    assert many == [single(x) for x in items]
    assert [o.name for o in many[0].officials] == ["李谦"]
    assert EntityExtractor(tagger).extract_many([]) == []


@pytest.fixture(scope="module")
def nlp():
    import newsnlp

    return newsnlp.Analyzer()


def test_analyze_many_and_pipe_equal_one_by_one(nlp):
    texts = ["第一篇：宁波市总工会主席李谦出席会议。", "", "第三篇：杭州市中级人民法院开庭审理一起案件。", "标题\n正文很短。"]
    expected = [nlp(t) for t in texts]
    assert nlp.analyze_many(texts) == expected
    assert list(nlp.pipe(texts, batch_size=3)) == expected
    assert nlp.analyze_many([]) == []


def test_pipe_raises_at_the_bad_item_after_yielding_the_good_ones(nlp):
    out = nlp.pipe(["宁波市总工会召开会议。", 42, "第三篇。"], batch_size=8)
    first = next(out)
    assert first.summary == "宁波市总工会召开会议。"
    with pytest.raises(TypeError, match="int"):
        next(out)


def test_lstm_run_by_direction_gives_the_packed_emissions(monkeypatch):
    import torch

    from newsnlp.entities.backends import bilstm_crf as ner_model

    torch.manual_seed(5)
    config = {
        "n_chars": 6, "n_bigrams": 6, "n_pos": 4, "layers": 1, "dropout": 0.0,
        "dims": {"char": 4, "bigram": 2, "seg": 2, "pos": 2, "domain": 2, "hidden": 3},
        "domains": {"d": {"labels": ["A"], "output": {"A": ["ORG", None]}}},
    }
    network = ner_model.build_network(config).eval()
    encoded = []
    for n in (5, 2, 7, 1):
        encoded.append({"chars": [1 + i % 5 for i in range(n)], "bigrams": [1 + (i * 2) % 5 for i in range(n + 1)],
                        "seg": [4] * n, "pos": [1 + i % 3 for i in range(n)]})
    batch = ner_model.collate(encoded)
    with torch.inference_mode():
        by_direction = network.emissions(batch, "d")
        monkeypatch.setattr(ner_model, "_BY_DIRECTION", False)
        packed = network.emissions(batch, "d")
    torch.testing.assert_close(by_direction, packed)
    # A row alone gives what it gives in the batch (padding never leaks into real steps).
    with torch.inference_mode():
        monkeypatch.setattr(ner_model, "_BY_DIRECTION", True)
        alone = network.emissions(ner_model.collate([encoded[0]]), "d")
    torch.testing.assert_close(alone[0], by_direction[0, :5])
