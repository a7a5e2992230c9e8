"""FastPOSTokenizer.lcut_pairs and FeatureExtractor.encode: faster, and exactly jieba's / the old output."""

from __future__ import annotations

import pickle
import random

import pytest

# Written for these tests: names the dictionary lacks (HMM runs), Latin letters, digits,
# decimals, full-width forms, whitespace, CR/LF and symbols, so every block type is cut.
SENTENCES = [
    "宁波市总工会主席李谦出席会议并讲话。",
    "鄞州区姜山镇党委书记王晓峰带队走访了12家企业，了解用工需求。",
    "欧阳娜娜和司马相如在2024年3月15日参加了ABC公司的发布会！",
    "市发改委副主任汤建民介绍，今年计划投资３．５亿元，增长12.5%。",
    "记者 张三 报道\r\n第二段：“共富工坊”带动村民增收20％。\t完",
    "嘿嘿嘿哈哈哈啦啦啦，蔡徐坤坤坤在杭州西湖边上跑步。",
    "C++与C#、a.b_c&d、x-y+z#1 都不是中文。",
    "",
    " ",
    "坤",
]


def _random_texts(n: int, seed: int) -> list[str]:
    alphabet = "宁波市总工会李谦出席会议。年月日坤徐蔡2024.5%-+#&_ abcXYZ\r\n\t，、（）０１ａｂⅡ①·“”《》"
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(n)]


@pytest.fixture(scope="module")
def jieba_pair():
    import jieba
    import jieba.posseg

    from newsnlp.text.posseg import fast_pos_tokenizer

    tok = jieba.Tokenizer()
    return jieba.posseg.POSTokenizer(tok), fast_pos_tokenizer(tok)


def test_lcut_pairs_exact_small_cases():
    from newsnlp.text.posseg import fast_pos_tokenizer

    tok = fast_pos_tokenizer()
    assert tok.lcut_pairs("宁波市总工会李谦出席会议。") == [
        ("宁波市", "ns"), ("总工会", "n"), ("李谦", "nr"), ("出席会议", "l"), ("。", "x"),
    ]
    assert tok.lcut_pairs("ABC公司 12.5%") == [("ABC", "eng"), ("公司", "n"), (" ", "x"), ("12.5", "m"), ("%", "x")]
    assert tok.lcut_pairs("宁波２０人") == [("宁波", "ns"), ("２", "x"), ("０", "x"), ("人", "n")]
    assert tok.lcut_pairs("") == []


def test_lcut_pairs_equals_jiebas_posseg(jieba_pair):
    slow, fast = jieba_pair
    for text in SENTENCES + _random_texts(400, seed=3):
        assert fast.lcut_pairs(text) == [(p.word, p.flag) for p in slow.cut(text)], repr(text)


def test_lcut_pairs_sees_added_words_like_jieba():
    import jieba
    import jieba.posseg

    from newsnlp.text.posseg import default_tokenizer, fast_pos_tokenizer

    own, shared = jieba.Tokenizer(), default_tokenizer()
    for tok in (own, shared):
        tok.add_word("坤坤坤", 50, "nr")
        tok.add_word("共富工坊", 10, "nz")
    slow, fast = jieba.posseg.POSTokenizer(own), fast_pos_tokenizer(shared)
    assert ("坤坤坤", "nr") in fast.lcut_pairs(SENTENCES[5])
    for text in SENTENCES + _random_texts(200, seed=4):
        assert fast.lcut_pairs(text) == [(p.word, p.flag) for p in slow.cut(text)], repr(text)
    # The words went to the copy-on-write copy only: a fresh tokenizer does not have them.
    assert ("坤坤坤", "nr") not in fast_pos_tokenizer().lcut_pairs(SENTENCES[5])


def test_lcut_pairs_falls_back_to_cut_without_hmm_or_with_a_custom_dag():
    from newsnlp.text.posseg import default_tokenizer, fast_pos_tokenizer

    tok = fast_pos_tokenizer()
    text = SENTENCES[2]
    assert tok.lcut_pairs(text, HMM=False) == [(p.word, p.flag) for p in tok.cut(text, HMM=False)]
    assert tok.lcut_pairs(text, HMM=False) != tok.lcut_pairs(text)

    base = default_tokenizer()

    class OneCharDAG(type(base)):
        def get_DAG(self, sentence):  # every character a word of its own
            return {k: [k] for k in range(len(sentence))}

    odd = OneCharDAG()
    odd.FREQ, odd.total, odd.initialized = base.FREQ, base.total, True
    custom = fast_pos_tokenizer(odd)
    pairs = custom.lcut_pairs("宁波市总工会")
    assert pairs == [(p.word, p.flag) for p in custom.cut("宁波市总工会")]
    assert pairs != tok.lcut_pairs("宁波市总工会")


def test_single_character_viterbi_is_remembered_but_never_shared_mutably():
    from jieba import posseg

    from newsnlp.text.posseg import _hmm

    hmm = _hmm()
    expected = posseg.viterbi("坤", posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
    first = hmm.viterbi("坤")
    assert first == expected
    first[1].append(("X", "junk"))  # a caller changing its list must not change the next answer
    assert hmm.viterbi("坤") == expected


def _old_encode(fe, text):
    """The encoding as the per-item loop wrote it before (reference for the exactness test)."""
    from newsnlp.entities.backends.features import BOS, EOS, UNK, normalize_char

    norm = [normalize_char(c) for c in text]
    char_ids = [fe.chars.get(c, fe.chars[UNK]) for c in norm]
    padded = [BOS, *norm, EOS]
    bigram_ids = [fe.bigrams.get(a + b, fe.bigrams[UNK]) for a, b in zip(padded, padded[1:])]
    seg, pos = [], []
    for word, flag in fe.words(text):
        tags = ["S"] if len(word) == 1 else ["B"] + ["M"] * (len(word) - 2) + ["E"]
        for tag in tags:
            seg.append(fe.seg[tag])
            pos.append(fe.pos.get(flag, fe.pos[UNK]))
    return {"chars": char_ids, "bigrams": bigram_ids, "seg": seg, "pos": pos}


@pytest.fixture
def tiny_extractor():
    from newsnlp.entities.backends.features import FeatureExtractor

    return FeatureExtractor({
        "chars": ["<pad>", "<unk>", "宁", "波", "0", "a"],
        "bigrams": ["<pad>", "<unk>", "<s>宁", "宁波", "波0", "0</s>"],
        "pos": ["<pad>", "<unk>", "ns", "x"],
    })


def test_encode_exact_small_case(tiny_extractor):
    # 宁波 is one word (ns); the full-width ２ folds to the digit 0, jieba tags it x.
    assert tiny_extractor.words("宁波２") == [("宁波", "ns"), ("２", "x")]
    assert tiny_extractor.encode("宁波２") == {
        "chars": [2, 3, 4],
        "bigrams": [2, 3, 4, 5],
        "seg": [1, 3, 4],
        "pos": [2, 2, 3],
    }
    # Ａ folds to a (jieba: x); 市 is an unknown character; 宁波市 is one word: B M E.
    assert tiny_extractor.words("Ａ宁波市") == [("Ａ", "x"), ("宁波市", "ns")]
    assert tiny_extractor.encode("Ａ宁波市") == {
        "chars": [5, 2, 3, 1],
        "bigrams": [1, 1, 3, 1, 1],
        "seg": [4, 1, 2, 3],
        "pos": [3, 2, 2, 2],
    }


def test_encode_equals_the_per_item_loop(tiny_extractor):
    for text in SENTENCES + _random_texts(300, seed=5):
        assert tiny_extractor.encode(text) == _old_encode(tiny_extractor, text), repr(text)
        assert all(len(v) == len(text) for k, v in tiny_extractor.encode(text).items() if k != "bigrams")


def test_feature_extractor_pickles(tiny_extractor):
    copy = pickle.loads(pickle.dumps(tiny_extractor))  # its memo tables hold no lambda
    assert copy.encode("宁波市２") == tiny_extractor.encode("宁波市２")


def test_shared_tokenizer_cut_equals_jiebas_in_every_mode():
    import jieba

    from newsnlp.text.posseg import default_tokenizer

    ours, theirs = default_tokenizer(), jieba.Tokenizer()
    assert list(ours.cut("宁波市总工会李谦出席会议。")) == ["宁波市", "总工会", "李谦", "出席会议", "。"]
    texts = SENTENCES + _random_texts(400, seed=6)
    for text in texts:
        assert list(ours.cut(text)) == list(theirs.cut(text)), repr(text)
        assert list(ours.cut(text, HMM=False)) == list(theirs.cut(text, HMM=False)), repr(text)
        assert list(ours.cut(text, cut_all=True)) == list(theirs.cut(text, cut_all=True)), repr(text)
    for tok in (ours, theirs):  # a private copy of the table from here on
        tok.add_word("坤坤坤", 50)
        tok.del_word("出席会议")
    assert "坤坤坤" in list(ours.cut(SENTENCES[5]))
    for text in texts:
        assert list(ours.cut(text)) == list(theirs.cut(text)), repr(text)
    assert "坤坤坤" not in list(default_tokenizer().cut(SENTENCES[5]))
