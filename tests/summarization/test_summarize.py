"""The shipped extractive summariser and the Lead/TextRank baselines: exact behaviours."""

from __future__ import annotations

import json

import pytest

from newsnlp.article import Article
from newsnlp.baselines import lead_summary, textrank_summary
from newsnlp.errors import ModelLoadError
from newsnlp.summarization.extractive import (
    DEFAULT_MAX_CHARS,
    ExtractiveSummarizer,
    clause_spans,
    clean_sentences,
    trim_to_clauses,
)
from newsnlp.text import get_segmenter, split_sentences

# Articles written for these tests.
FEATURE = (
    "本报讯（记者 张晓明 通讯员 李华）3月5日，临江市总工会召开全市职工技能提升大会，发布《临江市职工技能提升三年行动方案》，"
    "提出到2026年底全市高技能人才占比达到35%以上。\n"
    "临江市总工会主席王建国在会上介绍，方案围绕培训平台、技能竞赛、薪酬激励三个方面提出18条举措。"
    "今年全市将新建职工技能实训基地20个，开展培训5万人次。\n"
    "“工人有了技术，收入和尊严都会提高。”一位参加培训的焊工说。\n"
    "记者 赵六 摄\n"
    "据了解，临江市去年共有1.2万名职工取得职业技能等级证书，同比增长18%。"
)
WIRE = (
    "新华社杭州3月5日电（记者 王五）浙江省发展和改革委员会5日发布促进民营经济发展的若干措施，共32条。"
    "措施明确省级重大项目向民间资本推介的比例不低于30%。"
)
FLASH = "【快讯】3月5日9:30，A股三大指数集体高开，上证指数涨0.32%报3049.12点，深证成指涨0.41%，创业板指涨0.55%。"
BOILERPLATE = ("本报讯", "新华社", "记者", "通讯员", "快讯", "摄", "责任编辑", "编辑：", "【", "】")


@pytest.fixture
def summ(shipped_summarizer) -> ExtractiveSummarizer:
    return shipped_summarizer  # loaded once per session (tests/conftest.py)


def _positions(summary: str, text: str) -> list[int]:
    """Offsets in ``text`` of each sentence of ``summary`` (every one must be found)."""
    out = []
    for s in split_sentences(summary):
        core = s.text.rstrip("。")
        pos = text.find(core)
        assert pos >= 0, f"{s.text!r} is not taken from the article"
        out.append(pos)
    return out


def _is_clause_selection(out: str, sentence: str) -> bool:
    """``out`` is ``sentence`` or some of its clauses in order, closed with 。."""
    spans = clause_spans(sentence)
    pieces = [sentence[a:b] for a, b in spans]

    def rec(i: int, rest: str) -> bool:
        if rest == "":
            return True
        for j in range(i, len(pieces)):
            p = pieces[j]
            if rest.startswith(p) and rec(j + 1, rest[len(p):]):
                return True
            closed = p.rstrip("，,；;：:") + "。"
            if rest == closed:
                return True
        return False

    return rec(0, out)


# --------------------------------------------------------------------------- loading

def test_model_loads_offline_from_models_dir(summ):
    from newsnlp.resources import models_dir

    folder = models_dir() / "summarizer"
    assert (folder / "config.json").is_file() and (folder / "weights.npz").is_file()
    assert (folder / "MODEL_CARD.md").is_file() and (folder / "metrics.json").is_file()
    assert isinstance(summ, ExtractiveSummarizer)


def test_load_from_a_folder_without_weights_names_the_missing_file(tmp_path):
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"no weights\.npz.*newsnlp\.train\.summarizer"):
        ExtractiveSummarizer.load(tmp_path)


def test_load_rejects_a_model_built_for_other_features(tmp_path):
    from newsnlp.resources import models_dir

    src = models_dir() / "summarizer"
    (tmp_path / "weights.npz").write_bytes((src / "weights.npz").read_bytes())
    config = json.loads((src / "config.json").read_text(encoding="utf-8"))
    config["features"] = config["features"][:-1]
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="rebuild it"):
        ExtractiveSummarizer.load(tmp_path)


# --------------------------------------------------------------------------- behaviour

@pytest.mark.parametrize("text", ["", "   \n\t ", "\n\n", "记者 赵六 摄"])
def test_empty_or_boilerplate_only_gives_empty(summ, text):
    assert summ(text) == ""
    assert summ(Article(text=text, title="标题")) == ""


def test_sentences_come_back_in_document_order(summ):
    for kwargs in ({"max_sentences": 3}, {"max_chars": 200}, {"max_sentences": 4, "max_chars": 300}, {}):
        out = summ(FEATURE, **kwargs)
        pos = _positions(out, FEATURE)
        assert pos == sorted(pos), (kwargs, out)
        assert len(pos) >= 1


@pytest.mark.parametrize("budget", [8, 15, 25, 40, 60, 90, 120, 200])
def test_character_budget_is_respected(summ, budget):
    for text in (FEATURE, WIRE, FLASH):
        out = summ(text, max_chars=budget)
        assert 0 < len(out) <= budget, (budget, out)


def test_default_budget_adapts_and_stays_within_120(summ):
    long_text = "\n".join(FEATURE for _ in range(8))
    out_long = summ(Article(text=long_text, title="临江市总工会发布职工技能提升行动方案"))
    assert 0 < len(out_long) <= DEFAULT_MAX_CHARS
    assert summ.budget_for(10_000) <= DEFAULT_MAX_CHARS
    assert summ.budget_for(10_000, titled=True) <= DEFAULT_MAX_CHARS
    assert summ.budget_for(60) <= summ.budget_for(400)


def test_max_sentences_is_respected(summ):
    for n in (1, 2, 3):
        out = summ(FEATURE, max_sentences=n)
        assert 1 <= len(split_sentences(out)) <= n
    # max_sentences alone returns whole sentences
    assert summ(WIRE, max_sentences=2) == (
        "浙江省发展和改革委员会5日发布促进民营经济发展的若干措施，共32条。措施明确省级重大项目向民间资本推介的比例不低于30%。"
    )


def test_boilerplate_never_appears(summ):
    text = FEATURE + "\n（完）\n责任编辑：孙七"
    for kwargs in ({}, {"max_sentences": 10}, {"max_chars": 400}, {"max_chars": 30}):
        out = summ(Article(text=text, title="临江市发布职工技能提升方案"), **kwargs)
        for marker in BOILERPLATE:
            assert marker not in out, (kwargs, marker, out)
        assert "完）" not in out


def test_dateline_prefix_is_stripped_and_the_rest_kept(summ):
    out = summ(WIRE, max_sentences=1)
    assert out == "浙江省发展和改革委员会5日发布促进民营经济发展的若干措施，共32条。"
    first = summ(FEATURE, max_sentences=1, max_chars=500)
    assert not first.startswith(("本报讯", "（", "记者"))


@pytest.mark.parametrize("budget", [None, 200, 70, 45, 30, 20])
def test_flash_item_comes_back_whole_or_cut_at_clauses(summ, budget):
    cleaned = clean_sentences(FLASH)
    assert len(cleaned) == 1
    sentence = cleaned[0].text
    assert sentence.startswith("3月5日9:30，A股")
    out = summ(FLASH, max_chars=budget)
    assert out == sentence or _is_clause_selection(out, sentence), out
    if budget is not None:
        assert len(out) <= budget
    if budget == 200:
        assert out == sentence


def test_a_single_overlong_clause_is_cut_at_a_word_boundary(summ):
    text = "国家统计局今天发布的数据显示全国居民消费价格指数同比上涨零点二个百分点"
    out = summ(text, max_chars=12)
    assert out.endswith("…") and len(out) <= 12
    words = get_segmenter().cut(text)
    prefix = out[:-1]
    joined = ""
    for w in words:
        if len(joined) >= len(prefix):
            break
        joined += w
    assert joined == prefix, (out, words)


def test_deterministic(summ):
    a = [summ(FEATURE), summ(WIRE), summ(FLASH, max_chars=30)]
    fresh = ExtractiveSummarizer.load()
    b = [fresh(FEATURE), fresh(WIRE), fresh(FLASH, max_chars=30)]
    assert a == b
    assert a == [summ(FEATURE), summ(WIRE), summ(FLASH, max_chars=30)]


@pytest.mark.parametrize("kwargs", [{"max_chars": 0}, {"max_chars": -5}, {"max_sentences": 0}, {"max_chars": 1.5}])
def test_invalid_limits_raise_value_error(summ, kwargs):
    with pytest.raises(ValueError, match="pass an int >= 1"):
        summ(FEATURE, **kwargs)


def test_non_text_raises_type_error(summ):
    with pytest.raises(TypeError):
        summ(42)


# --------------------------------------------------------------------------- parts

def test_clean_sentences_drops_credits_and_datelines():
    text = "【快讯】沪指收涨1.2%。\n（记者 李四 摄）\n本报北京3月5日电（记者 王五）国务院召开会议。\n编辑：赵六\n（完）"
    got = [(s.text, s.had_dateline) for s in clean_sentences(text)]
    assert got == [("沪指收涨1.2%。", True), ("国务院召开会议。", True)]


@pytest.mark.parametrize(
    "raw, kept",
    [
        ("央视网消息（新闻联播）：国务院召开常务会议。", "国务院召开常务会议。"),
        ("每经AI快讯，沪指收涨0.5%。", "沪指收涨0.5%。"),
        ("财联社3月5日讯，沪指高开。", "沪指高开。"),
        ("中新经纬3月5日电 央行发布数据。", "央行发布数据。"),
        ("本报记者 张三 报道 市政府召开会议。", "市政府召开会议。"),
        ("会议通过了方案（记者 张三 摄）。", "会议通过了方案。"),
    ],
)
def test_outlet_tags_and_inline_credits_are_removed(raw, kept):
    assert [s.text for s in clean_sentences(raw)] == [kept]


@pytest.mark.parametrize("line", ["原标题：市政府召开会议", "编者按：本文是系列报道之一。", "图为会议现场。", "（张三摄）", "责任编辑：孙七"])
def test_credit_and_caption_lines_are_dropped(line):
    assert clean_sentences(line) == []


def test_clean_sentences_keeps_prose_that_looks_like_a_dateline():
    text = "春节档3月5日电影票房创新高。\n记者9月2日从市总工会获悉，援助案件增加。\n大家都在拍摄。\n根据公司年报，营收增长。"
    assert [s.text for s in clean_sentences(text)] == [
        "春节档3月5日电影票房创新高。",
        "记者9月2日从市总工会获悉，援助案件增加。",
        "大家都在拍摄。",
        "根据公司年报，营收增长。",
    ]


def test_trim_to_clauses_exact():
    s = "市总工会召开会议，部署全年工作，提出“稳就业，促增收”等十项举措。"
    assert trim_to_clauses(s, 100) == s
    assert trim_to_clauses(s, 16) == "市总工会召开会议，部署全年工作。"
    assert trim_to_clauses(s, 9) == "市总工会召开会议。"
    # the comma inside the quotation is not a clause boundary
    assert clause_spans(s) == [(0, 9), (9, 16), (16, len(s))]


# --------------------------------------------------------------------------- baselines

def test_lead_summary_exact():
    text = "央行宣布降准。释放资金一万亿元！\n市场反应积极。"
    assert lead_summary(text, 1) == "央行宣布降准。"
    assert lead_summary(text, 2) == "央行宣布降准。释放资金一万亿元！"
    assert lead_summary(text, 5) == "央行宣布降准。释放资金一万亿元！市场反应积极。"
    assert lead_summary("", 3) == ""
    with pytest.raises(ValueError, match="n >= 1"):
        lead_summary(text, 0)
    with pytest.raises(TypeError):
        lead_summary(None, 1)  # type: ignore[arg-type]


def test_textrank_summary_budget_and_order():
    text = (
        "央行宣布下调存款准备金率0.5个百分点。此次降准释放长期资金约一万亿元。"
        "天气晴朗。降准后金融机构加权平均存款准备金率约为7.0%。央行表示降准将降低银行资金成本。"
    )
    out = textrank_summary(text, max_chars=60)
    assert 0 < len(out) <= 60
    pos = _positions(out, text)
    assert pos == sorted(pos)
    assert "天气晴朗" not in out  # unconnected to the rest of the graph
    assert textrank_summary(text, max_chars=1000) == text
    assert textrank_summary("", 50) == ""
    with pytest.raises(ValueError, match="max_chars >= 1"):
        textrank_summary(text, 0)


def test_quotations_questions_and_scraps_are_not_added_after_the_lead(summ):
    out = summ(FEATURE, max_chars=400)
    assert "工人有了技术" not in out and "焊工说" not in out
    assert len(split_sentences(out)) >= 2  # the budget is used for reporting sentences


def test_public_function_uses_the_shipped_model_and_stays_a_function():
    import types

    import newsnlp
    import newsnlp.summarization.extractive  # noqa: F401  (a submodule import must not shadow newsnlp.summarize)

    first = newsnlp.summarize(WIRE, max_sentences=1)
    assert isinstance(newsnlp.summarize, types.FunctionType)
    assert first == newsnlp.summarize(WIRE, max_sentences=1) == ExtractiveSummarizer.load()(WIRE, max_sentences=1)


# ------------------------------------------------------------------ the user dictionary reaches the trimmer (issue 11)
# One clause too long for the budget: the trimmer cuts at a word boundary, and the words are
# the Analyzer's segmenter's, so a word of the user's dictionary is never cut in two.
USER_WORD = "惠工暖心保障计划"
ONE_CLAUSE = "临江市总工会今天正式启动惠工暖心保障计划宣传月活动。"


@pytest.fixture()
def user_dict(tmp_path):
    path = tmp_path / "user.dict"
    path.write_text(f"{USER_WORD} 100000 nz\n", encoding="utf-8")
    return path


def test_user_dictionary_word_stays_whole_in_a_trimmed_summary(user_dict):
    import newsnlp

    assert "惠工暖心" in get_segmenter().cut(ONE_CLAUSE)  # the shared segmenter cuts the word in two
    plain = newsnlp.Analyzer().summarize(ONE_CLAUSE, max_chars=18)
    assert plain == "临江市总工会今天正式启动惠工暖心…"
    nlp = newsnlp.Analyzer(user_dict=user_dict)
    assert nlp.summarize(ONE_CLAUSE, max_chars=18) == "临江市总工会今天正式启动…"
    assert nlp.summarize(ONE_CLAUSE, max_chars=22) == "临江市总工会今天正式启动惠工暖心保障计划…"


def test_extractive_summarizer_takes_a_segmenter(user_dict):
    from newsnlp.text import Segmenter

    seg = Segmenter(user_dict=user_dict)
    summ = ExtractiveSummarizer.load(segmenter=seg)
    assert summ.segmenter is seg and ExtractiveSummarizer.load().segmenter is get_segmenter()
    assert summ(ONE_CLAUSE, max_chars=18) == "临江市总工会今天正式启动…"
    assert trim_to_clauses(ONE_CLAUSE, 18, segmenter=seg) == "临江市总工会今天正式启动…"
    assert trim_to_clauses(ONE_CLAUSE, 18) == "临江市总工会今天正式启动惠工暖心…"
