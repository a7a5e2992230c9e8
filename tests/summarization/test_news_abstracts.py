"""Abstracts of real-style news (issue 14): length by article size, boilerplate and code trimming."""

from __future__ import annotations

import pytest

from newsnlp.article import Article
from newsnlp.summarization.extractive import DEFAULT_MAX_CHARS, ExtractiveSummarizer, clean_sentences, strip_attributions

# Articles written for these tests.
FLASH_TITLE = "临江科技午后涨幅扩大"
FLASH = "临江科技(01234.HK)午后涨幅扩大至7.5%，现报39.75港元。(中证网)"

LONG_TITLE = "临江市推进制造业数字化转型 今年新建智能工厂40家"
LONG_PARAGRAPHS = [
    "央视网消息（新闻联播）：临江市委书记陈建华强调，要把数字化转型作为制造业高质量发展的关键一招。",
    "今年以来，临江市加快推进制造业数字化转型，全市新建智能工厂40家、数字化车间120个，规模以上工业企业关键工序数控化率达到68%。",
    "在临江经济开发区，一条新投产的汽车零部件生产线上，机器人正在有序作业。企业负责人介绍，生产线改造后，生产效率提高了35%，产品不良率下降了一半。",
    "临江市工业和信息化局负责人介绍，全市已建成工业互联网平台15个，接入设备超过12万台，服务中小企业3000多家。",
    "为降低企业转型成本，临江市设立了总规模20亿元的数字化转型专项资金，对完成改造的企业给予最高500万元奖励。",
    "与此同时，临江市还与多所高校合作，培养数字化技能人才，今年已培训企业员工2.6万人次。",
    "在临江港，智能调度系统让集装箱周转时间缩短了四分之一。港口负责人说，数字化让港口跑出了加速度。",
    "业内专家认为，临江的做法为传统制造业城市的转型提供了可借鉴的经验。",
    "下一步，临江市将继续推进重点产业链数字化改造，力争到明年底实现规模以上工业企业数字化改造全覆盖。",
    "全市还将新建5G基站3000个，推动工业互联网标识解析二级节点建设，打造一批数字化转型标杆企业。",
    "临江市有关负责人表示，将持续优化营商环境，让更多企业愿转、敢转、会转。",
    "据统计，今年前三季度，临江市规模以上工业增加值同比增长8.2%，高于全省平均水平1.5个百分点。",
    "其中，高技术制造业增加值增长15.6%，占规模以上工业的比重提高到31%。",
    "数字经济核心产业增加值达到860亿元，同比增长12.3%。",
    "在临江高新区，一家电子元器件企业通过引入智能仓储系统，库存周转天数从45天减少到28天，每年节约物流成本1200万元。",
    "企业技术总监说，过去靠人工记账，现在每一个零件从入库到出库都有数据可查，管理更精细了。",
    "临江市还推动龙头企业开放数字化能力，带动上下游中小企业“链式”转型，已有300多家配套企业接入龙头企业的供应链平台。",
    "一家为汽车企业配套的小型模具厂负责人告诉记者，接入平台后，订单信息实时共享，交货周期缩短了三分之一。",
    "为解决中小企业“不会转”的问题，临江市组建了由120名专家组成的数字化转型服务队，免费为企业开展诊断。",
    "截至目前，服务队已走访企业1800家，提出改造建议4000多条，帮助企业制定转型方案600多个。",
    "临江市统计部门的数据显示，完成数字化改造的企业平均生产效率提高28%，运营成本降低17%，产品研制周期缩短30%。",
    "记者在采访中了解到，越来越多的企业开始把数字化投入当作长期投资，而不是一次性支出。",
    "专家建议，下一步应加强数据安全保障，完善工业数据流通规则，让数据要素更好地服务实体经济。",
]


@pytest.fixture
def summ(shipped_summarizer) -> ExtractiveSummarizer:
    return shipped_summarizer  # loaded once per session (tests/conftest.py)


def test_stock_codes_source_tags_and_attributions_are_trimmed():
    assert strip_attributions("记者从临江科技（600028）获悉，临江科技建成第100座充电站。(中证网)") == "临江科技建成第100座充电站。"
    assert strip_attributions("临江科技(01234.HK)午后涨幅扩大至7.5%。") == "临江科技午后涨幅扩大至7.5%。"
    assert strip_attributions("临江汽车（股票代码：000913）发布公告。（证券时报网）") == "临江汽车发布公告。"
    assert strip_attributions("据央视新闻报道，临江港吞吐量创新高。") == "临江港吞吐量创新高。"
    assert strip_attributions("【新思想引领新征程】临江港吞吐量创新高。") == "临江港吞吐量创新高。"
    # A bracket that is not a code or a source stays.
    assert strip_attributions("临江市工业和信息化局（临江市数据局）发布通知。") == "临江市工业和信息化局（临江市数据局）发布通知。"
    # An attribution with nothing after it worth keeping is left alone.
    assert strip_attributions("据悉，如此。") == "据悉，如此。"


def test_clean_sentences_drop_repeated_paragraphs_and_quote_markers():
    text = "> 临江汽车(000913)公告，净利润增长12%。（财联社）\n临江汽车(000913)公告，净利润增长12%。\n公司订单充足。"
    assert [s.text for s in clean_sentences(text)] == ["临江汽车公告，净利润增长12%。", "公司订单充足。"]


def test_a_titled_flash_stays_one_clean_sentence(summ):
    out = summ(Article(text=FLASH, title=FLASH_TITLE))
    assert out == "临江科技午后涨幅扩大至7.5%，现报39.75港元。"


def test_budget_follows_the_article_length(summ):
    assert summ.budget_for(40, titled=True) == 40  # a flash is kept whole
    assert summ.budget_for(110, titled=True) == 110
    for n in (1000, 2500, 5000):
        assert 80 <= summ.budget_for(n, titled=True) <= DEFAULT_MAX_CHARS


def test_a_long_story_gets_an_editors_length_and_leads_with_what_happened(summ):
    text = "\n".join(LONG_PARAGRAPHS)
    assert 1000 <= len(text) <= 5000
    out = summ(Article(text=text, title=LONG_TITLE))
    assert 80 <= len(out) <= DEFAULT_MAX_CHARS, out
    assert "强调" not in out  # the remark that opens the story is not what happened
    assert "央视网" not in out
    # It says what happened: the figure of the story.
    assert "40家" in out


def test_untitled_short_posts_keep_the_headline_budget(summ):
    # LCSTS-style posts (no title) keep their own, shorter budget.
    assert summ.budget_for(110, titled=False) < summ.budget_for(110, titled=True)
