"""The sentence splitter (exact offsets) and the segmenter."""

from __future__ import annotations

import pytest

from newsnlp.text import Segmenter, split_sentences


def spans(text):
    return [(s.text, s.start, s.end, s.paragraph) for s in split_sentences(text)]


def test_exact_offsets_on_chinese_punctuation():
    t = "利率下调0.25个百分点。市场反应积极！投资者怎么看？"
    assert spans(t) == [
        ("利率下调0.25个百分点。", 0, 13, 0),
        ("市场反应积极！", 13, 20, 0),
        ("投资者怎么看？", 20, 27, 0),
    ]


def test_closing_quotes_and_brackets_stay_with_sentence():
    t = "他说：“今年新增驿站20家。”会议结束（全文完。）『好！』下一句"
    assert [s.text for s in split_sentences(t)] == [
        "他说：“今年新增驿站20家。”",
        "会议结束（全文完。）",
        "『好！』",
        "下一句",
    ]


def test_semicolon_and_ellipsis_split():
    t = "一是抓落实；二是抓服务……三是抓保障"
    assert [s.text for s in split_sentences(t)] == ["一是抓落实；", "二是抓服务……", "三是抓保障"]


def test_text_after_last_punctuation_is_kept():
    t = "第一句。没有句号的结尾"
    assert spans(t)[-1] == ("没有句号的结尾", 4, 11, 0)


def test_decimals_times_and_abbreviations_do_not_split():
    t = "上涨3.5%，9:30开盘。Dr. Smith met U.S. officials at 9.30 a.m. today. Then he left."
    assert [s.text for s in split_sentences(t)] == [
        "上涨3.5%，9:30开盘。",
        "Dr. Smith met U.S. officials at 9.30 a.m. today.",
        "Then he left.",
    ]


def test_paragraph_breaks_split_and_count():
    t = "第一段第一句。第一段第二句\n\n第二段。\n第三段"
    assert spans(t) == [
        ("第一段第一句。", 0, 7, 0),
        ("第一段第二句", 7, 13, 0),
        ("第二段。", 15, 19, 1),
        ("第三段", 20, 23, 2),
    ]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "。", "……", "“”", "a. b. c", "价格1.2元。\n\n\n  空白  \n", "！！！？？。。。"],
)
def test_lossless_every_visible_char_in_exactly_one_sentence(text):
    sents = split_sentences(text)
    covered = [False] * len(text)
    for s in sents:
        assert text[s.start : s.end] == s.text and s.text == s.text.strip() and s.text
        for i in range(s.start, s.end):
            assert not covered[i]
            covered[i] = True
    for i, ch in enumerate(text):
        assert covered[i] or ch.isspace()


def test_splitter_rejects_non_text():
    with pytest.raises(TypeError, match="not bytes"):
        split_sentences(b"abc")


def test_segmenter_offsets_and_pos():
    seg = Segmenter()
    text = "宁波市总工会召开会议"
    toks = seg.pos_tag(text)
    assert "".join(t.text for t in toks) == text
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert all(t.pos for t in toks)
    assert [t.text for t in seg.tokenize(text)] == seg.cut(text)


def test_user_words_and_dictionary(tmp_path):
    d = tmp_path / "dict.txt"
    d.write_text("工惠保 100 nz\n", encoding="utf-8")
    seg = Segmenter(user_dict=d, words=["新就业形态"])
    assert "新就业形态" in seg.cut("新就业形态劳动者")
    assert "工惠保" in seg.cut("参加工惠保保障", hmm=False)
    # The private tokenizer does not leak into jieba's global one.
    import jieba

    assert "工惠保" not in jieba.lcut("参加工惠保保障", HMM=False)


def test_missing_user_dictionary_is_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="user dictionary .*does not exist"):
        Segmenter(user_dict=tmp_path / "none.txt")
