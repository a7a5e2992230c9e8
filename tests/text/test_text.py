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


# ------------------------------------------------------------------ news boilerplate (newsnlp.text.news)


def test_news_outlet_lists_share_one_core():
    from newsnlp.text import news

    assert set(news.WIRE_AGENCIES) <= set(news.DATELINE_OUTLETS)
    assert set(news.WIRE_AGENCIES) <= set(news.NON_TAG_MEDIA_NAMES)
    assert set(news.WIRE_AGENCIES) - set(news.MEDIA_NAMES) == {"央广网"}
    assert set(news.PAPER_SUFFIXES) <= set(news.OUTLET_SUFFIXES)
    assert set(news.CREDIT_ROLES) <= set(news.CREDIT_PAREN_ROLES) & set(news.LEADING_CREDIT_ROLES)


def test_news_datelines_exact_cases():
    from newsnlp.text.news import strip_dateline, strip_paragraph_datelines

    assert strip_dateline("本报讯（记者 张三 通讯员 李四）市总工会召开会议。") == ("市总工会召开会议。", True)
    assert strip_dateline("【快讯】新华社杭州3月5日电（记者 王五）会议召开。") == ("会议召开。", True)
    assert strip_dateline("证券时报e公司讯，公司发布公告。") == ("公司发布公告。", True)
    assert strip_dateline("杭州3月5日电 会议召开。") == ("会议召开。", True)
    assert strip_dateline("会议于3月5日召开。") == ("会议于3月5日召开。", False)
    # The paragraph variant keeps what the sentence variant cuts beyond the common forms.
    assert strip_paragraph_datelines("【快讯】会议召开。") == "【快讯】会议召开。"
    assert strip_paragraph_datelines("第一段。\n本报讯 第二段。") == "第一段。\n第二段。"


def test_news_credit_lines_and_names():
    from newsnlp.text.news import NON_TAG_MEDIA, is_caption, is_credit_line, remove_inline_credits

    assert [is_credit_line(s) for s in ("新华社记者 王五 摄", "（李四 摄）", "编辑：赵六", "（完）", "张三说。")] == [
        True, True, True, True, False,
    ]
    assert is_caption("图1：会议现场") and not is_caption("图书馆开馆。")
    assert remove_inline_credits("会议现场（图片来源：临江日报）。") == "会议现场。"
    assert [bool(NON_TAG_MEDIA.match(n)) for n in ("证券时报", "证券时报网", "WIND", "证券时报社")] == [True, True, True, False]
