"""Metrics: hand-computed cases, and agreement with rouge-score given a character tokenizer."""

from __future__ import annotations

import pytest

from newsnlp.metrics import (
    PRF,
    char_tokenizer,
    keyword_prf,
    mean_keyword_prf,
    mean_rouge,
    normalize_programme,
    normalize_term,
    official_key,
    programme_key,
    rouge,
    rouge_tokens,
    set_prf,
    span_prf,
)
from newsnlp.types import Official

# --------------------------------------------------------------------------- ROUGE, by hand


def _triple(score):
    return (round(score.precision, 6), round(score.recall, 6), round(score.fmeasure, 6))


def test_rouge_prefix_candidate_by_hand():
    s = rouge("宁波市总工会召开会议", "宁波市总工会")
    # 10 candidate chars, 6 reference chars, all 6 shared.
    assert _triple(s["rouge1"]) == (0.6, 1.0, 0.75)
    # 9 candidate bigrams, 5 reference bigrams, 5 shared: F = 2*(5/9)/(5/9+1) = 10/14.
    assert _triple(s["rouge2"]) == (round(5 / 9, 6), 1.0, round(10 / 14, 6))
    assert _triple(s["rougeL"]) == (0.6, 1.0, 0.75)


def test_rouge_clips_repeated_ngrams():
    s = rouge("甲甲甲乙", "甲乙乙")
    # unigrams: min(3,1) 甲 + min(1,2) 乙 = 2 of 4 candidate, 3 reference.
    assert _triple(s["rouge1"]) == (0.5, round(2 / 3, 6), round(4 / 7, 6))
    # bigrams: candidate {甲甲: 2, 甲乙: 1}, reference {甲乙: 1, 乙乙: 1} -> 1 shared.
    assert _triple(s["rouge2"]) == (round(1 / 3, 6), 0.5, 0.4)
    # LCS 甲乙 = 2.
    assert _triple(s["rougeL"]) == (0.5, round(2 / 3, 6), round(4 / 7, 6))


def test_rouge_l_depends_on_order_rouge1_does_not():
    s = rouge("乙丙甲", "甲乙丙")
    assert s["rouge1"].fmeasure == 1.0
    assert _triple(s["rougeL"]) == (round(2 / 3, 6),) * 3


def test_rouge_drops_punctuation_and_space_and_folds_width():
    assert rouge("会议 。", "会议！")["rouge2"].fmeasure == 1.0
    kept = rouge("会议。", "会议！", keep_punctuation=True)
    assert _triple(kept["rouge1"]) == (round(2 / 3, 6),) * 3
    assert rouge("ＧＤＰ", "gdp")["rougeL"].fmeasure == 1.0
    assert rouge_tokens("ＧＤＰ增长5%，好！") == ["g", "d", "p", "增", "长", "5", "%", "好"]


def test_rouge_empty_candidate_scores_zero():
    s = rouge("", "宁波")
    assert all(_triple(v) == (0.0, 0.0, 0.0) for v in s.values())
    assert rouge("。", "")["rouge1"].fmeasure == 0.0


def test_rouge_rejects_non_text():
    with pytest.raises(TypeError, match="takes a str, not bytes"):
        rouge(b"x", "y")  # type: ignore[arg-type]


def test_mean_rouge_averages_per_pair_scores():
    m = mean_rouge([("甲乙", "甲乙"), ("丙", "丁")])
    assert _triple(m["rougeL"]) == (0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="no \\(candidate, reference\\) pairs"):
        mean_rouge([])


# --------------------------------------------------------------------------- ROUGE vs rouge-score

# Written for these tests (not taken from any corpus).
_PAIRS = [
    ("宁波市总工会召开全委会议，部署全年工作。", "宁波市总工会部署2024年工作"),
    ("沪指高开0.32%，半导体板块涨幅居前。", "A股三大指数集体高开 半导体领涨"),
    ("市人大常委会副主任、市总工会主席李谦出席会议并讲话。", "李谦出席会议"),
    ("央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。", "央行降准0.5个百分点释放资金1万亿元"),
    ("这是一条与参考摘要毫无关系的句子", "股市今日大涨"),
    ("工会工会工会", "工会经费"),
]


@pytest.fixture(scope="module")
def rouge_score_module():
    return pytest.importorskip("rouge_score.rouge_scorer")


@pytest.mark.parametrize("candidate,reference", _PAIRS)
def test_rouge_agrees_with_rouge_score_to_4_decimals(rouge_score_module, candidate, reference):
    scorer = rouge_score_module.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=char_tokenizer())
    theirs = scorer.score(reference, candidate)  # rouge-score takes (target, prediction)
    ours = rouge(candidate, reference)
    for name in ("rouge1", "rouge2", "rougeL"):
        for field in ("precision", "recall", "fmeasure"):
            assert round(getattr(ours[name], field), 4) == round(getattr(theirs[name], field), 4), (name, field)


def test_rouge_score_default_tokenizer_scores_chinese_zero(rouge_score_module):
    """Why we pass a tokenizer: rouge-score's default keeps only [a-z0-9] and drops all Chinese."""
    scorer = rouge_score_module.RougeScorer(["rouge1", "rougeL"])
    default = scorer.score("宁波市总工会召开会议", "宁波市总工会召开会议")
    assert default["rouge1"].fmeasure == 0.0 and default["rougeL"].fmeasure == 0.0
    assert rouge("宁波市总工会召开会议", "宁波市总工会召开会议")["rouge1"].fmeasure == 1.0


# --------------------------------------------------------------------------- keywords


def test_normalize_term_folds_width_case_and_space():
    assert normalize_term(" ＡＩ芯片 ") == "ai芯片"
    assert normalize_term("Open  AI") == "open ai"
    assert normalize_term("５Ｇ") == "5g"


def test_keyword_prf_at_k_by_hand():
    # k=2 keeps 工会, ＡＩ; ＡＩ matches ai. P = 1/2, R = 1/2.
    s = keyword_prf(["工会", "ＡＩ", "会议"], ["ai", "工会经费"], k=2)
    assert (s.precision, s.recall, s.f1, s.tp, s.fp, s.fn) == (0.5, 0.5, 0.5, 1, 1, 1)
    # k=3 adds a miss: P = 1/3, R = 1/2, F1 = 0.4.
    s = keyword_prf(["工会", "ＡＩ", "会议"], ["ai", "工会经费"], k=3)
    assert (round(s.precision, 6), s.recall, round(s.f1, 6)) == (round(1 / 3, 6), 0.5, 0.4)


def test_keyword_prf_does_not_pad_short_lists_and_dedupes():
    # One correct keyword out of one returned: precision 1 although k=5.
    s = keyword_prf(["宁波市总工会"], ["宁波市总工会", "工会经费", "职工"], k=5)
    assert (s.precision, round(s.recall, 6)) == (1.0, round(1 / 3, 6))
    # "AI" and "ａｉ" are one prediction after normalisation, so k=2 also keeps 工会.
    s = keyword_prf(["AI", "ａｉ", "工会"], ["工会"], k=2)
    assert (s.tp, s.fp) == (1, 1)
    assert keyword_prf([], ["工会"]).f1 == 0.0


def test_keyword_prf_rejects_bad_k_and_bare_strings():
    with pytest.raises(ValueError, match="k must be a positive int, got 0"):
        keyword_prf(["a"], ["a"], k=0)
    with pytest.raises(TypeError, match="not a single str"):
        keyword_prf("工会", ["工会"])


def test_mean_keyword_prf_is_a_macro_average():
    s = mean_keyword_prf([(["甲"], ["甲"]), (["乙", "丁"], ["丙"])], k=5)
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    assert (s.tp, s.fp, s.fn) == (1, 2, 1)
    with pytest.raises(ValueError, match="no documents"):
        mean_keyword_prf([])


# --------------------------------------------------------------------------- entities and lists


def test_span_prf_per_label_and_micro_by_hand():
    gold = [("d1", 0, 2, "PER"), ("d1", 5, 8, "ORG"), ("d2", 0, 3, "ORG")]
    pred = [("d1", 0, 2, "PER"), ("d1", 5, 7, "ORG"), ("d2", 0, 3, "ORG"), ("d2", 0, 3, "ORG"), ("d2", 4, 6, "LOC")]
    s = span_prf(gold, pred)
    assert list(s) == ["LOC", "ORG", "PER", "micro"]
    assert (s["PER"].precision, s["PER"].recall) == (1.0, 1.0)
    # ORG: one exact (d2), one boundary error (d1 5-7 vs 5-8).
    assert (s["ORG"].tp, s["ORG"].fp, s["ORG"].fn, s["ORG"].f1) == (1, 1, 1, 0.5)
    assert (s["LOC"].tp, s["LOC"].fp, s["LOC"].fn, s["LOC"].f1) == (0, 1, 0, 0.0)
    # micro: 2 tp, 2 fp, 1 fn -> P 0.5, R 2/3.
    assert (s["micro"].precision, round(s["micro"].recall, 6), round(s["micro"].f1, 6)) == (0.5, round(2 / 3, 6), round(4 / 7, 6))


def test_span_prf_same_span_other_document_or_label_is_wrong_and_labels_filter():
    s = span_prf([("a", 0, 2, "PER")], [("b", 0, 2, "PER"), ("a", 0, 2, "LOC")], labels=["PER"])
    assert list(s) == ["PER", "micro"]
    assert (s["PER"].tp, s["PER"].fp, s["PER"].fn) == (0, 1, 1)
    assert (s["micro"].tp, s["micro"].fp, s["micro"].fn) == (0, 1, 1)


def test_set_prf_organisation_lists_micro_over_documents():
    s = set_prf([(["宁波市总工会", "市总工会"], ["宁波市总工会"]), ([], ["浙江省财政厅", "浙江省委"])])
    assert (s.tp, s.fp, s.fn) == (1, 1, 2)
    assert (s.precision, round(s.recall, 6), round(s.f1, 6)) == (0.5, round(1 / 3, 6), 0.4)
    assert PRF.from_counts(0, 0, 0).f1 == 0.0


def test_officials_match_as_name_title_pairs():
    gold = [{"name": "李谦", "title": "宁波市人大常委会副主任、市总工会主席", "organisation": "宁波市总工会"},
            {"name": "袁家军", "title": "书记", "organisation": "浙江省委"}]
    pred = [Official("李谦", "宁波市人大常委会副主任、市总工会主席", None),  # organisation not compared
            Official("袁家军", "省委书记", "浙江省委")]  # wrong title: a miss
    s = set_prf([(pred, gold)], key=official_key)
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
    assert official_key({"name": "李谦"}) == ("李谦", "")
    with pytest.raises(TypeError, match="not the str"):
        official_key("李谦")


def test_programmes_ignore_quotes_and_book_title_marks():
    assert normalize_programme("“十件实事”项目") == "十件实事项目"
    assert normalize_programme("《浙江省进一步促进民营经济高质量发展的若干措施》") == "浙江省进一步促进民营经济高质量发展的若干措施"
    assert programme_key("「工惠保」") == programme_key("‘工惠保’") == programme_key('"工惠保"') == "工惠保"
    s = set_prf([(["“两节”送温暖活动", "《十件实事》"], ["两节送温暖活动", "聚焦八大员专项行动"])], key=programme_key)
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
