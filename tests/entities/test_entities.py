"""Tests for the entity rules: officials, organisation short forms, programmes, offsets.

The rules are tested on a fake tagger that tags a fixed lexicon, so each test says exactly
what the model found; one test runs the shipped model when ``models/ner`` holds one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsnlp.article import Article
from newsnlp.entities.extractor import EntityExtractor, entity_labels, score_entity_labels, short_form_of
from newsnlp.entities.backends.bilstm_crf import NERSpan
from newsnlp.types import Entities, Official, Span

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "ner"


class FakeTagger:
    """Tags every occurrence of the given words (longest first), like a perfect small model."""

    def __init__(self, words: dict[str, tuple[str, str | None]] | None = None):
        self.words = words or {}
        self.calls: list[list[str]] = []

    def predict(self, texts, batch_size: int = 64):
        self.calls.append(list(texts))
        out = []
        for text in texts:
            taken = [False] * len(text)
            spans = []
            for word, (label, subtype) in sorted(self.words.items(), key=lambda kv: -len(kv[0])):
                for m in re.finditer(re.escape(word), text):
                    if any(taken[m.start() : m.end()]):
                        continue
                    taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                    spans.append(NERSpan(m.start(), m.end(), label, subtype, word))
            out.append(sorted(spans, key=lambda s: s.start))
        return out


def persons(*names: str) -> dict[str, tuple[str, None]]:
    return {n: ("PERSON", None) for n in names}


def extract(text: str, words: dict | None = None) -> Entities:
    return EntityExtractor(FakeTagger(words))(text)


def officials(e: Entities) -> list[tuple[str, str, str | None]]:
    return [(o.name, o.title, o.organisation) for o in e.officials]


def assert_offsets(text: str, e: Entities) -> None:
    for m in e.mentions:
        assert text[m.start : m.end] == m.text, m
    groups = list(e.organisations) + list(e.programmes) + list(e.persons) + list(e.places)
    for entity in groups:
        assert entity.mentions, entity
        for span in entity.mentions:
            assert text[span.start : span.end] == span.text, (entity, span)
    for o in e.officials:
        for span in o.mentions:
            assert text[span.start : span.end] == span.text == o.name


# --- officials ------------------------------------------------------------------


def test_compound_title_takes_the_organisation_of_the_last_title():
    text = "宁波市人大常委会副主任、市总工会主席李谦出席会议并讲话。"
    e = extract(text, persons("李谦"))
    assert officials(e) == [("李谦", "宁波市人大常委会副主任、市总工会主席", "宁波市总工会")]
    # Both organisations of the chain are listed; the short form is listed under the full name.
    assert [(o.name, [(m.text, m.start, m.end) for m in o.mentions]) for o in e.organisations] == [
        ("宁波市人大常委会", [("宁波市人大常委会", 0, 8)]),
        ("宁波市总工会", [("市总工会", 12, 16)]),
    ]
    assert [(m.text, m.label) for m in e.mentions] == [
        ("宁波市人大常委会", "ORG"), ("副主任", "TITLE"), ("市总工会", "ORG"), ("主席", "TITLE"), ("李谦", "PERSON"),
    ]
    assert_offsets(text, e)


def test_organisation_before_and_title_after_the_name():
    text = "浙江省委袁家军书记在宁波调研。袁家军强调，要抓好落实。"
    e = extract(text, {**persons("袁家军"), "宁波": ("LOC", None)})
    # Split around the name: the title is what follows the name, the organisation what precedes it.
    assert officials(e) == [("袁家军", "书记", "浙江省委")]
    assert [(s.start, s.end) for s in e.officials[0].mentions] == [(4, 7), (15, 18)]
    assert [p.name for p in e.places] == ["宁波"]


def test_split_title_exact_official_with_mention_offsets():
    text = "浙江省委袁家军书记批示"
    e = extract(text, persons("袁家军"))
    assert e.officials == (
        Official(name="袁家军", title="书记", organisation="浙江省委", mentions=(Span("袁家军", 4, 7),)),
    )
    assert [(m.text, m.label, m.start, m.end) for m in e.mentions] == [
        ("浙江省委", "ORG", 0, 4), ("袁家军", "PERSON", 4, 7), ("书记", "TITLE", 7, 9),
    ]


def test_split_title_short_organisation_resolves_to_the_full_name():
    text = "中共宁波市委召开常委会。市委王立平副书记主持会议。"
    e = extract(text, persons("王立平"))
    # The title stays as written after the name; the short form 市委 resolves to the article's name.
    assert officials(e) == [("王立平", "副书记", "中共宁波市委")]
    assert_offsets(text, e)


def test_title_in_brackets_after_the_name_resolves_the_short_form():
    text = "宁波市发展和改革委员会牵头推进改革。会后，汤建民（市发改委主任）接受了采访。"
    e = extract(text, persons("汤建民"))
    assert officials(e) == [("汤建民", "市发改委主任", "宁波市发展和改革委员会")]
    org = e.organisations[0]
    assert org.name == "宁波市发展和改革委员会"
    assert [(m.text, m.start) for m in org.mentions] == [("宁波市发展和改革委员会", 0), ("市发改委", 25)]
    assert len(e.organisations) == 1


def test_company_title_with_and_without_the_company():
    text = "宁波恒达科技股份有限公司（以下简称“恒达股份”）今日公告。恒达股份董事长张某表示，公司将加大研发投入。"
    e = extract(text, persons("张某"))
    assert officials(e) == [("张某", "恒达股份董事长", "宁波恒达科技股份有限公司")]
    assert [o.name for o in e.organisations] == ["宁波恒达科技股份有限公司"]
    assert [m.text for m in e.organisations[0].mentions] == ["宁波恒达科技股份有限公司", "恒达股份", "恒达股份"]
    assert e.organisations[0].subtype == "company"

    # A company title with no organisation written belongs to the story's company.
    text = "宁波恒达科技股份有限公司今日公告。董事长张某表示，公司将加大研发投入。"
    assert officials(extract(text, persons("张某"))) == [("张某", "董事长", "宁波恒达科技股份有限公司")]


def test_title_without_organisation_is_a_person_not_an_official():
    text = "一家德国企业的中国区总裁王强说，政府服务效率很高。"
    e = extract(text, persons("王强"))
    assert e.officials == ()
    assert [p.name for p in e.persons] == ["王强"]


def test_honours_and_non_titles_make_no_official():
    e = extract("全国劳动模范冯建军和带教师傅马国强参加了活动。", persons("冯建军", "马国强"))
    assert e.officials == ()


def test_title_chain_stops_at_function_words_and_keeps_departments():
    text = "据参与全程的深圳市快递外卖行业工会联合会主席黄志成介绍，浙江大学民营经济研究中心研究员郑丽华认为可行。"
    e = extract(text, persons("黄志成", "郑丽华"))
    assert officials(e) == [
        ("黄志成", "深圳市快递外卖行业工会联合会主席", "深圳市快递外卖行业工会联合会"),
        ("郑丽华", "浙江大学民营经济研究中心研究员", "浙江大学民营经济研究中心"),
    ]


def test_model_title_that_carries_its_organisation_is_split():
    text = "嘉善县总工会副主席陆文彬介绍了情况。"
    e = extract(text, {**persons("陆文彬"), "嘉善县总工会副主席": ("TITLE", None)})
    assert officials(e) == [("陆文彬", "嘉善县总工会副主席", "嘉善县总工会")]
    assert [(m.text, m.label) for m in e.mentions][:2] == [("嘉善县总工会", "ORG"), ("副主席", "TITLE")]


# --- organisations --------------------------------------------------------------


def test_short_forms_are_listed_once_under_the_full_name():
    text = (
        "浙江省发展和改革委员会发布措施。省发改委表示将加强督查。"
        "贵州茅台酒股份有限公司发布年报，贵州茅台营收增长。嘉兴市总工会召开会议，市总工会将推进改革。"
    )
    e = extract(text, {"贵州茅台": ("ORG", "company"), "贵州茅台酒股份有限公司": ("ORG", "company")})
    names = [o.name for o in e.organisations]
    assert names == ["浙江省发展和改革委员会", "贵州茅台酒股份有限公司", "嘉兴市总工会"]
    by_name = {o.name: [m.text for m in o.mentions] for o in e.organisations}
    assert by_name["浙江省发展和改革委员会"] == ["浙江省发展和改革委员会", "省发改委"]
    assert by_name["贵州茅台酒股份有限公司"] == ["贵州茅台酒股份有限公司", "贵州茅台"]
    assert by_name["嘉兴市总工会"] == ["嘉兴市总工会", "市总工会"]
    assert_offsets(text, e)


def test_rules_add_organisations_the_model_missed_but_not_phrases():
    text = (
        "嘉善县总工会联合江苏省人力资源和社会保障厅开展培训。今年市总工会在全市布局实训基地，"
        "杭州两级法院也参与。依托市政府与联合市财政局出台办法。"
    )
    # 嘉善 is not in the gazetteer: the model's place span lets the rule start there.
    e = extract(text, {"嘉善": ("LOC", None)})
    assert [o.name for o in e.organisations] == ["嘉善县总工会", "江苏省人力资源和社会保障厅"]
    assert [o.subtype for o in e.organisations] == ["organisation", "gov"]
    # 市总工会 has no full name and no place in the article: a mention, not a listed organisation.
    assert "市总工会" in [m.text for m in e.mentions if m.label == "ORG"]


def test_place_inside_an_organisation_is_not_a_place():
    text = "宁波市总工会在宁波召开会议。"
    e = extract(text, {"宁波": ("LOC", None)})
    assert [o.name for o in e.organisations] == ["宁波市总工会"]
    assert [(p.name, [m.start for m in p.mentions]) for p in e.places] == [("宁波", [7])]


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("市总工会", "宁波市总工会", True),
        ("省发改委", "浙江省发展和改革委员会", True),
        ("市市场监管局", "宁波市市场监督管理局", True),
        ("市人社局", "嘉兴市人力资源和社会保障局", True),
        ("杭州市经信局", "杭州市经济和信息化局", True),
        ("恒川股份", "宁波恒川汽车零部件股份有限公司", True),
        ("行业工会联合会", "深圳市快递外卖行业工会联合会", True),
        ("市委", "宁波市发展和改革委员会", False),
        ("华屹证券", "华屹证券研究所", False),
        ("浙江大学", "浙江大学民营经济研究中心", False),
        ("公司", "宁波恒川汽车零部件股份有限公司", False),
        ("省总工会", "宁波市总工会", False),
    ],
)
def test_short_form_of(short, full, expected):
    assert short_form_of(short, full) is expected


# --- programmes -----------------------------------------------------------------


def test_programmes_quoted_names_documents_and_schemes():
    text = (
        "市总工会启动“聚焦八大员集中抓组建”专项行动，推进“十件实事”项目，推出“工惠保”，"
        "并印发《关于进一步做好新就业形态劳动者入会工作的通知》。各方“破冰”，覆盖“多领域”，"
        "探索“法院+工会”的联动机制。“十件实事”进展顺利。"
    )
    e = extract(text)
    assert [(p.name, [(m.text, m.start, m.end) for m in p.mentions]) for p in e.programmes] == [
        ("聚焦八大员集中抓组建专项行动", [("“聚焦八大员集中抓组建”专项行动", 6, 22)]),
        ("十件实事项目", [("“十件实事”项目", 25, 33), ("“十件实事”", 100, 106)]),
        ("工惠保", [("“工惠保”", 36, 41)]),
        ("关于进一步做好新就业形态劳动者入会工作的通知", [("《关于进一步做好新就业形态劳动者入会工作的通知》", 45, 69)]),
    ]
    assert_offsets(text, e)


def test_document_names_drop_inner_quotes_and_newspapers_are_not_programmes():
    text = "宁波发布《宁波市优化营商环境“一件事”集成改革实施方案》，《甬江日报》作了报道。"
    e = extract(text)
    assert [p.name for p in e.programmes] == ["宁波市优化营商环境一件事集成改革实施方案"]


def test_phased_projects_without_quotes():
    e = extract("安徽加快推进引江济淮二期工程，合肥轨道交通6号线一期工程同步开工。")
    assert [p.name for p in e.programmes] == ["引江济淮二期工程"]


# --- result shape ---------------------------------------------------------------


def test_entities_in_order_of_first_mention_and_listed_once():
    text = "李明在杭州调研。王芳陪同。李明说，杭州和宁波都要抓落实。"
    e = extract(text, {**persons("李明", "王芳"), "杭州": ("LOC", None), "宁波": ("LOC", None)})
    assert [p.name for p in e.persons] == ["李明", "王芳"]
    assert [len(p.mentions) for p in e.persons] == [2, 1]
    assert [p.name for p in e.places] == ["杭州", "宁波"]
    assert [m.start for m in e.mentions] == sorted(m.start for m in e.mentions)
    assert_offsets(text, e)


def test_one_character_persons_from_the_model_are_dropped():
    e = extract("李说，王明到了。", {"李": ("PERSON", None), "王明": ("PERSON", None)})
    assert [p.name for p in e.persons] == ["王明"]


def test_article_input_and_empty_text():
    tagger = FakeTagger(persons("李谦"))
    extractor = EntityExtractor(tagger)
    article = Article(text="市总工会主席李谦讲话。", title="标题不参与")
    e = extractor(article)
    assert tagger.calls == [["市总工会主席李谦讲话。"]]
    assert [p.name for p in e.persons] == ["李谦"]
    assert extractor("") == Entities()
    assert extractor("  \n ") == Entities()
    assert len(tagger.calls) == 1  # empty text never reaches the model


def test_tagger_without_predict_is_a_type_error():
    with pytest.raises(TypeError, match="predict"):
        EntityExtractor(object())


def test_to_dict_and_label_helpers_match_the_sample_corpus_shape():
    text = "宁波市人大常委会副主任、市总工会主席李谦宣布启动“十件实事”项目。"
    e = extract(text, persons("李谦"))
    labels = entity_labels(e)
    assert labels == {
        "organisations": ["宁波市人大常委会", "宁波市总工会"],
        "officials": [{"name": "李谦", "title": "宁波市人大常委会副主任、市总工会主席", "organisation": "宁波市总工会"}],
        "programmes": ["十件实事项目"],
        "persons": ["李谦"],
        "places": [],
    }
    d = e.to_dict()
    assert d["officials"][0]["mentions"] == [{"text": "李谦", "start": 18, "end": 20}]
    assert {m["label"] for m in d["mentions"]} == {"ORG", "TITLE", "PERSON", "PROGRAMME"}


def test_score_entity_labels_hand_computed():
    pred = [{"organisations": ["甲", "乙"], "officials": [{"name": "张", "title": "主任", "organisation": "甲"}]}]
    gold = [{"organisations": ["甲", "丙", "丁"], "officials": [{"name": "张", "title": "副主任", "organisation": "甲"}]}]
    s = score_entity_labels(pred, gold)
    assert (s["organisations"]["precision"], s["organisations"]["recall"], s["organisations"]["f1"]) == (50.0, 33.3, 40.0)
    assert s["officials"]["f1"] == 100.0 and s["officials_org"]["f1"] == 100.0
    assert s["officials_full"]["f1"] == 0.0
    with pytest.raises(ValueError, match="one per article"):
        score_entity_labels(pred, [])


# --- the shipped model ----------------------------------------------------------


@pytest.mark.skipif(not (SHIPPED / "model.pt").is_file(), reason="models/ner has no trained model")
def test_shipped_model_end_to_end_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    extractor = EntityExtractor.load()
    text = "宁波市人大常委会副主任、市总工会主席李谦出席会议。李谦表示，市总工会将实施“十件实事”项目。"
    e = extractor(text)
    assert_offsets(text, e)
    assert "李谦" in [p.name for p in e.persons]
    assert ("李谦", "宁波市总工会") in [(o.name, o.organisation) for o in e.officials]
    assert "十件实事项目" in [p.name for p in e.programmes]


def test_model_organisation_that_swallowed_a_title_is_split():
    text = "宁波市总工会主席李谦讲话。"
    e = extract(text, {**persons("李谦"), "宁波市总工会主席": ("ORG", "organisation")})
    assert officials(e) == [("李谦", "宁波市总工会主席", "宁波市总工会")]
    assert [(m.text, m.label, m.subtype) for m in e.mentions][:2] == [
        ("宁波市总工会", "ORG", "organisation"), ("主席", "TITLE", None),
    ]


def test_model_organisation_spans_are_repaired():
    text = (
        "云岫科技董事会主席兼首席执行官周景川说，华屹证券汽车行业首席分析师邵楠认为，"
        "美国能源信息署（EIA）发布数据，法院和董事会均未回应，嘉兴经济技术开发区一家企业，"
        "某配送服务公司被诉，青岛市机械制造行业工会与行业协会签约。"
    )
    words = {
        **persons("周景川", "邵楠"),
        "云岫科技董事会": ("ORG", "company"), "华屹证券汽车行业": ("ORG", "company"),
        "美国能源信息署（EIA": ("ORG", "gov"), "法院": ("ORG", "gov"), "董事会": ("ORG", None),
        "嘉兴经济技术开发区": ("ORG", None), "服务公司": ("ORG", "company"),
        "青岛市机械制造行业工会与行业协会": ("ORG", None),
    }
    e = extract(text, words)
    assert [o.name for o in e.organisations] == ["云岫科技", "华屹证券", "美国能源信息署", "青岛市机械制造行业工会"]
    assert [p.name for p in e.places] == ["嘉兴经济技术开发区"]
    assert officials(e) == [
        ("周景川", "云岫科技董事会主席兼首席执行官", "云岫科技"),
        ("邵楠", "华屹证券汽车行业首席分析师", "华屹证券"),
    ]
    assert_offsets(text, e)


def test_model_spans_with_a_verb_or_a_name_inside():
    text = "浙江省委袁家军书记作出批示，要求联合市财政局出台办法。浙江省发展和改革委员会党组书记邵振宇说。"
    words = {**persons("邵振宇"), "浙江省委袁家军": ("ORG", "gov"), "联合市财政局": ("ORG", "gov"),
             "浙江省发展和改革委员会": ("ORG", "gov")}
    e = extract(text, words)
    assert [p.name for p in e.persons] == ["袁家军", "邵振宇"]
    assert officials(e) == [
        ("袁家军", "书记", "浙江省委"),
        ("邵振宇", "浙江省发展和改革委员会党组书记", "浙江省发展和改革委员会"),
    ]
    assert [m.text for m in e.mentions if m.label == "ORG"] == ["浙江省委", "市财政局", "浙江省发展和改革委员会"]


def test_more_short_forms_from_model_spans():
    text = "杭州市中级人民法院审结此案。杭州中院表示，浙江省发展和改革委员会和发改委派员旁听。"
    e = extract(text, {"杭州中院": ("ORG", "gov"), "发改委": ("ORG", "gov")})
    assert [(o.name, [m.text for m in o.mentions]) for o in e.organisations] == [
        ("杭州市中级人民法院", ["杭州市中级人民法院", "杭州中院"]),
        ("浙江省发展和改革委员会", ["浙江省发展和改革委员会", "发改委"]),
    ]


def test_implausible_person_spans_from_the_model_are_dropped():
    text = "推进智能化改造。嘉兴市民张伟和Emily Carter及欧阳娜娜出席，嘉兴发展很快。"

    class SpanTagger:
        def predict(self, texts, batch_size=64):
            t = texts[0]
            spans = [("智能化", "PERSON", 0), ("嘉兴", "PERSON", 0), ("市民", "PERSON", 0), ("张伟", "PERSON", 0),
                     ("Emily Carter", "PERSON", 0), ("欧阳娜娜", "PERSON", 0), ("嘉兴", "LOC", 1)]
            out = []
            for word, label, nth in spans:
                start = [m.start() for m in re.finditer(word, t)][nth]
                out.append(NERSpan(start, start + len(word), label, None, word))
            return [sorted(out, key=lambda s: s.start)]

    e = EntityExtractor(SpanTagger())(text)
    # 智能化 ends like an adjective, 市民 has no surname, 嘉兴 is a place elsewhere in the article.
    assert [p.name for p in e.persons] == ["张伟", "Emily Carter", "欧阳娜娜"]
    assert [p.name for p in e.places] == ["嘉兴"]


def test_unresolved_short_form_of_an_official_is_still_listed_and_districts_resolve():
    e = extract("据省人社厅副厅长王立新介绍，培训将扩面。", persons("王立新"))
    assert officials(e) == [("王立新", "省人社厅副厅长", "省人社厅")]
    assert [o.name for o in e.organisations] == ["省人社厅"]
    e = extract("温州市鹿城区人民法院与区总工会联合推出服务。")
    assert [(o.name, [m.text for m in o.mentions]) for o in e.organisations] == [
        ("温州市鹿城区人民法院", ["温州市鹿城区人民法院"]),
        ("温州市鹿城区总工会", ["区总工会"]),
    ]


def test_only_policy_documents_in_book_title_marks_are_programmes():
    text = "他读过《一九四二》和《纸牌屋》，也研究了《上海市停车场（库）管理办法》和《嘉兴市三年行动方案（2023—2025年）》。"
    assert [p.name for p in extract(text).programmes] == ["上海市停车场（库）管理办法", "嘉兴市三年行动方案（2023—2025年）"]


def test_rule_organisations_are_names_not_descriptions():
    text = "国际奥委会表示，中国移动董事长王某和苹果公司签约，珠海成立一合资公司，美国大学和中国公司参与，中国银行放贷。"
    e = extract(text)
    assert [o.name for o in e.organisations] == ["国际奥委会", "中国银行"]


def test_persons_latin_names_romanisations_and_anonymised_parties():
    text = "外卖骑手王某通过某配送服务公司接单，向配送服务公司主张赔偿。Emily Carter和沈立刚（Shen Ligang）出席，EIA发布数据。内蒙古金禾乳业股份有限公司总裁说，金禾乳业将扩产。"
    words = {"Emily": ("PERSON", None), "Carter": ("PERSON", None), "沈立刚": ("PERSON", None),
             "Shen Ligang": ("PERSON", None), "EIA": ("PERSON", None), "配送服务公司": ("ORG", "company"),
             "内蒙古金禾乳业股份有限公司": ("ORG", "company"), "金禾": ("PERSON", None)}
    e = extract(text, words)
    # 王某 is found by rule; 某配送服务公司 is unnamed everywhere; Emily + Carter is one person;
    # the romanisation, the acronym and 金禾 (inside a company name) are not persons.
    assert [p.name for p in e.persons] == ["王某", "Emily Carter", "沈立刚"]
    assert [o.name for o in e.organisations] == ["内蒙古金禾乳业股份有限公司"]
    assert_offsets(text, e)


def test_departments_and_offices_belong_to_their_parent():
    text = "深圳市人力资源和社会保障局劳动关系处和宁波市政府督查部门参加，立法机关应加快立法。"
    words = {"深圳市人力资源和社会保障局劳动关系处": ("ORG", "gov"), "宁波市政府督查部门": ("ORG", "gov"),
             "立法机关": ("ORG", "gov")}
    assert [o.name for o in extract(text, words).organisations] == ["深圳市人力资源和社会保障局", "宁波市政府"]


def test_two_titles_joined_by_jian_and_district_courts():
    text = "苏州汇川精工股份有限公司发布公告。公司副总经理兼董事会秘书钱丽说，原告李某系某科技公司员工。"
    e = extract(text, persons("钱丽"))
    assert officials(e) == [("钱丽", "副总经理兼董事会秘书", "苏州汇川精工股份有限公司")]
    assert [p.name for p in e.persons] == ["钱丽", "李某"]
    assert short_form_of("江宁区法院", "南京市江宁区人民法院")
    assert short_form_of("江宁区政府", "南京市江宁区人民政府")
    assert not short_form_of("江宁区法院", "南京市鼓楼区人民法院")


def test_occupations_are_not_positions():
    text = "网约车司机张某向法院起诉。"
    e = extract(text, {**persons("张某"), "网约车": ("ORG", "company"), "司机": ("TITLE", None)})
    assert e.officials == ()
    assert ("司机", "TITLE") in [(m.text, m.label) for m in e.mentions]


# ---------------------------------------------------------------------------
# Layout (issue 11): one module per job, the 0.1 names still reachable, any NERTagger


def test_the_01_private_names_of_the_entities_module_still_resolve():
    import newsnlp.entities as entities
    from newsnlp.entities import candidates, organisations, rules

    assert entities._generic_org is organisations.generic_org
    assert entities.extractor._level_split("市发改委") == ("市", "发改委")
    assert entities._Cand is candidates.Candidate
    assert entities._SURNAMES is rules.SURNAMES
    assert entities._is_cjk("中") and not entities._is_cjk("a")
    with pytest.raises(AttributeError, match="has no attribute '_no_such_name'"):
        entities._no_such_name


def test_any_ner_tagger_gives_typed_spans_and_the_extractor_treats_them_alike():
    from newsnlp.entities.backends import bilstm_crf
    from newsnlp.protocols import NERTagger
    from newsnlp.types import NERSpan as TypedSpan

    class OnePerson:
        def predict(self, texts, batch_size=None):
            return [[TypedSpan(t.index("李谦"), t.index("李谦") + 2, "PERSON", None, "李谦")] for t in texts]

    assert bilstm_crf.NERSpan is TypedSpan and NERSpan is TypedSpan
    assert isinstance(OnePerson(), NERTagger) and isinstance(FakeTagger(), NERTagger)
    text = "宁波市总工会主席李谦出席会议。"
    extractor = EntityExtractor(OnePerson())
    assert officials(extractor(text)) == [("李谦", "宁波市总工会主席", "宁波市总工会")]
    assert extractor.pipe([text, ""]) == extractor.extract_many([text, ""]) == [extractor(text), Entities()]
