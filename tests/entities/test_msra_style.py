"""Persons and organisations of People's Daily-style text through the rules (issue 13).

Each test is one rule family that lost MSRA spans the model had found, or added spans the
model had not. Texts are invented; the fake tagger of test_entities says what the model found.
"""

from __future__ import annotations

import pytest

from newsnlp.entities.candidates import cut_at_punctuation
from newsnlp.entities.extractor import EntityExtractor
from newsnlp.entities.persons import anonymised_persons, person_in_context, person_relabel, plausible_name

from test_entities import FakeTagger, persons


def mentions(text: str, words: dict | None = None, label: str | None = None) -> list[tuple[str, str]]:
    e = EntityExtractor(FakeTagger(words))(text)
    return [(m.text, m.label) for m in e.mentions if label is None or m.label == label]


# --------------------------------------------------------------------------- persons


@pytest.mark.parametrize(
    "text, name",
    [
        ("出版社社长旺堆在会上发言。", "旺堆"),  # a title before the name
        ("小说的作者铁丹今年四十岁。", "铁丹"),
        ("集团首席执行官威尔宣布合并。", "威尔"),
        ("樱田会长为两国友好作出了贡献。", "樱田"),  # a title after the name
    ],
)
def test_a_name_without_a_common_surname_kept_next_to_a_title(text, name):
    assert mentions(text, persons(name), "PERSON") == [(name, "PERSON")]


def test_a_doubted_name_with_no_context_is_still_dropped():
    assert mentions("市民纷纷前来观看。", persons("市民"), "PERSON") == []
    assert not person_in_context("作者说市民很多。", 3, 5)  # 说 stands between the title and the word


def test_surname_and_given_name_ending_in_tu_or_shu():
    assert plausible_name("龙永图") and plausible_name("方德书")
    # words ending like a document or a picture are still not names
    assert not plausible_name("白皮书") and not plausible_name("蓝皮书") and not plausible_name("宏蓝图")
    assert not plausible_name("智能化") and not plausible_name("白书")


def test_a_family_an_elder_or_a_clan_is_no_name():
    assert not plausible_name("吕家") and not plausible_name("杜氏") and not plausible_name("朱老")
    assert plausible_name("吕强") and plausible_name("吕家明")
    assert mentions("当年吕家在村里开了一家店。", persons("吕家"), "PERSON") == []


def test_anonymised_persons_not_inside_a_word():
    text = "在确定中国某种产品时，北方某机场、出于某种需要，文物和某业务，王某与郭某某到场，专门从事于某一方面。"
    assert [text[a:b] for a, b in anonymised_persons(text)] == ["王某", "郭某某"]
    assert mentions("北方某机场借入贷款。", {}, "PERSON") == []


def test_a_foreign_leader_name_ends_before_the_verb():
    words = persons("金正元")
    assert mentions("韩国总统金正元开始对美国进行国事访问。", words, "PERSON") == [("金正元", "PERSON")]
    assert mentions("美国总统克拉克即将访华。", {}, "PERSON") == [("克拉克", "PERSON")]
    # a function word after the title is no name (外长就…), nor is anything after 领导人
    assert mentions("与乌干达外长就中国援助问题交换意见。", {}, "PERSON") == []
    assert mentions("印度领导人继续一意孤行。", {}, "PERSON") == []
    assert mentions("法国领导人曾明确地表示反对。", {}, "PERSON") == []
    assert mentions("科威特驻华大使日前会见记者。", {}, "PERSON") == []
    assert mentions("法国总理与他通了电话。", {}, "PERSON") == []
    assert mentions("伊拉克副总统拉希德最近在开罗表示。", {}, "PERSON") == [("拉希德", "PERSON")]


# --------------------------------------------------------------------------- organisations


def test_words_before_an_organisation_in_a_title_chain_are_not_part_of_it():
    words = {"东方中央银行": ("ORG", "company"), "特里斯": ("PERSON", None), "行长": ("TITLE", None)}
    text = "两人突然联名提出东方中央银行行长特里斯为候选人。"
    e = EntityExtractor(FakeTagger(words))(text)
    assert [(m.text, m.label) for m in e.mentions if m.label == "ORG"] == [("东方中央银行", "ORG")]
    assert [(o.name, o.title, o.organisation) for o in e.officials] == [("特里斯", "东方中央银行行长", "东方中央银行")]


def test_a_title_is_no_part_of_an_anchored_name():
    # 兼 joins two offices: 日本自治大臣兼国家公安委员会 is no name
    words = {"国家公安委员会": ("ORG", "gov"), "日本": ("LOC", None), "上杉正": ("PERSON", None)}
    assert mentions("日本自治大臣兼国家公安委员会委员长上杉正来访。", words, "ORG") == [("国家公安委员会", "ORG")]


def test_joined_names_and_a_new_head_are_not_one_anchored_name():
    words = {"全国妇联": ("ORG", "organisation"), "国家环保总局": ("ORG", "gov")}
    assert mentions("全国妇联和国家环保总局共同发起倡议。", words, "ORG") == [("全国妇联", "ORG"), ("国家环保总局", "ORG")]
    # with no model spans the joined run is no name either
    assert ("全国妇联和国家环保总局", "ORG") not in mentions("全国妇联和国家环保总局共同发起倡议。", {}, "ORG")
    words = {"俄罗斯新任国家税务局": ("ORG", "gov"), "费多罗": ("PERSON", None), "局长": ("TITLE", None)}
    e = EntityExtractor(FakeTagger(words))("俄罗斯新任国家税务局局长费多罗强调改革。")
    assert [(m.text, m.label) for m in e.mentions if m.label == "ORG"] == [("国家税务局", "ORG")]


def test_students_head_teachers_and_the_city_centre_are_no_organisations():
    assert mentions("他不会把自己与上海大学生画上等号。", {"上海": ("LOC", None)}, "ORG") == []
    assert mentions("记者走访了北京市几位中学校长。", {"北京市": ("LOC", None)}, "ORG") == []
    assert mentions("从市中心往东十公里就到了。", {}, "ORG") == []
    # the endings themselves still make names
    assert mentions("上海大学召开会议。", {"上海": ("LOC", None)}, "ORG") == [("上海大学", "ORG")]


def test_a_quoted_name_inside_an_organisation_stays_in_it():
    words = {"台湾“工商建设促进会”考察团": ("ORG", "organisation"), "“光明工程”组委会": ("ORG", "organisation")}
    text = "会见了台湾“工商建设促进会”考察团一行，“光明工程”组委会副主任出席。"
    assert mentions(text, words, "ORG") == [("台湾“工商建设促进会”考察团", "ORG"), ("“光明工程”组委会", "ORG")]
    # a place before a quoted name that ends the span (a newspaper, as MSRA writes it) stays whole
    assert cut_at_punctuation("英国《晨星报》", 0, 7, keep_quoted=True) == (0, 7)
    # a span that is only a quote, or a quote holding punctuation, is still cut
    assert cut_at_punctuation("“挑战”", 0, 4, keep_quoted=True) == (0, 0)
    assert cut_at_punctuation("甲“乙，丙”丁", 0, 7, keep_quoted=True) == (0, 1)
    assert cut_at_punctuation("台湾“促进会”团", 0, 8) == (0, 2)


def test_a_known_body_ending_like_an_organ_is_kept_whole():
    words = {"团中央书记处": ("ORG", "gov"), "姜明": ("PERSON", None), "书记": ("TITLE", None)}
    assert mentions("访团中央书记处书记姜明。", words, "ORG") == [("团中央书记处", "ORG")]
    # an organ of a named body still gives the body
    assert mentions("云岫科技董事会通过决议。", {"云岫科技董事会": ("ORG", "company")}, "ORG") == [("云岫科技", "ORG")]


def test_international_bodies_and_the_army_without_the_model():
    e = EntityExtractor(FakeTagger({}))("北约新构想遭到批评，解放军某部官兵参加了救灾。")
    assert [(o.name, o.subtype) for o in e.organisations] == [("北约", "organisation"), ("解放军", "gov")]


def test_a_country_a_party_or_a_currency_read_as_a_person():
    words = persons("黎巴嫩", "梅雷茨党", "卢布", "苏丹")
    text = "黎巴嫩代表团抵达，梅雷茨党表示反对，卢布继续下跌，苏丹在会上发言。"
    assert mentions(text, words) == [("黎巴嫩", "LOC"), ("梅雷茨党", "ORG"), ("苏丹", "PERSON")]
    assert person_relabel("马克") is None and person_relabel("王芳") is None  # 马克 is also a given name


def test_reporters_in_a_byline():
    text = "本报北京５月２日讯记者于青、通讯员李小刚报道：记者从市政府获悉，会议召开。"
    assert mentions(text, {}, "PERSON") == [("于青", "PERSON"), ("李小刚", "PERSON")]
    # 记者 followed by anything but a name and the end of the byline makes no person
    assert mentions("记者高兴地看到，记者们纷纷提问。", {}, "PERSON") == []


def test_a_place_the_text_says_is_a_person():
    words = {"安南": ("LOC", None), "大西": ("LOC", None), "上海": ("LOC", None)}
    text = "安南秘书长表示欢迎，大西教授认为可行，上海市长出席。"
    assert mentions(text, words) == [("安南", "PERSON"), ("秘书长", "TITLE"), ("大西", "PERSON"), ("教授", "TITLE"),
                                     ("上海", "LOC"), ("市长", "TITLE")]


def test_directions_city_centres_rankings_and_a_conjunction_are_no_names():
    assert mentions("震中在喀布尔以北约２５０公里处。", {}, "ORG") == []
    assert mentions("北约秘书长发表讲话。", {}, "ORG") == [("北约", "ORG")]
    assert mentions("他在罗马市中心附近买了房。", {}, "ORG") == []
    assert mentions("外资抛售国家短期债券和公司债券。", {}, "ORG") == []
    assert mentions("他顾及日本第三大证券公司的面子。", {}, "ORG") == []
