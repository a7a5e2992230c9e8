"""Tags an editor keeps, and archive vocabularies learned from keywords (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsnlp.article import Article
from newsnlp.cli.main import main as cli_main
from newsnlp.keywords.extractor import KeywordExtractor, editor_tag_ok, market_tags
from newsnlp.keywords.vocabulary import TagInfo, TagVocabulary, learn_vocabulary_from_keywords, merge_variants


@pytest.fixture
def kx(shipped_keywords) -> KeywordExtractor:
    return shipped_keywords  # loaded once per session (tests/conftest.py)


def test_editor_tag_filter():
    assert not editor_tag_ok("HK")
    assert not editor_tag_ok("中证网")
    assert not editor_tag_ok("证券时报")
    assert not editor_tag_ok("交易员")
    assert not editor_tag_ok("USDA12")
    assert not editor_tag_ok("临江科技Q3")
    assert not editor_tag_ok("2021")
    assert not editor_tag_ok("临江市数字化转型专项资金管理办法")  # a long title
    for tag in ("美联储", "港股", "5G", "AI", "新能源汽车", "十四五"):
        assert editor_tag_ok(tag), tag


def test_a_fragment_only_ever_seen_inside_a_longer_name_is_not_a_tag():
    text = "申通快递涨停。申通快递成交放量。"
    assert not editor_tag_ok("申通", text=text, longer=["申通快递"])
    assert editor_tag_ok("申通快递", text=text, longer=["申通快递"])
    # Without a longer candidate the text alone proves nothing.
    assert editor_tag_ok("申通", text=text)


def test_market_tags():
    assert market_tags("临江科技(01234.HK)午后涨幅扩大至7.5%。") == ["港股", "个股异动"]
    # 涨停 exists on the mainland exchanges only: the flash is an A-share story.
    assert market_tags("快递股午后拉升，申通快递涨停。") == ["A股", "板块异动"]
    assert market_tags("午后ST板块大幅跳水，ST临江跌停。") == ["A股", "板块异动"]
    assert market_tags("南向资金连续第5日净流入。") == ["港股", "南向资金"]
    # A flow is a tag when the headline (or first sentence) reports it, not when it is mentioned later.
    assert market_tags("北向资金今日净买入52亿元。") == ["A股", "北向资金"]
    assert market_tags("临江银行发布年报。报告期内北向资金增持该行。", title="临江银行发布年报") == ["A股"]
    assert market_tags("港美芯片概念股全线走强。") == ["港股", "美股", "板块异动"]
    # A stock code alone makes company news, not a market story.
    assert market_tags("临江石化（600999）获悉，公司新建充电站投运。") == []
    assert market_tags("沪指收涨0.5%，两市成交额破万亿。") == ["A股"]
    assert market_tags("纳斯达克指数收跌1.2%。") == ["美股"]
    assert market_tags("临江市召开工作会议。") == []


def test_editor_tag_filter_drops_offices_and_media_titles():
    assert not editor_tag_ok("法国总统")
    assert not editor_tag_ok("欧盟委员会主席")
    assert not editor_tag_ok("临江日报")
    assert not editor_tag_ok("在京举行")
    assert editor_tag_ok("总统")  # too short to be a named office: left to the scorer
    assert editor_tag_ok("主席团")


def test_suggest_tags_takes_the_whole_name_a_fragment_is_cut_from(kx):
    # jieba cuts the invented names (佩|斯科娃, 申通快递 -> 申通); the tag is the name as written.
    art = Article(title="佩斯科娃：临江港将扩建码头", text="佩斯科娃表示，临江港将扩建码头。佩斯科娃说，码头扩建明年完工。")
    tags = kx.suggest_tags(art, k=5)
    assert "斯科娃" not in tags


def test_suggest_tags_skips_column_labels_common_words_and_passing_persons(kx):
    art = Article(
        title="【新思想引领新征程】临江新区建设绿色港口",
        text="临江新区建设绿色港口，港口岸电覆盖率达到九成。临江新区港口岸电项目带动资金投入。"
             "会上，冯天佑指出，要推进港口岸电建设。临江新区港口岸电建设继续推进。",
    )
    tags = kx.suggest_tags(art, k=5)
    assert "新征程" not in tags and "新思想" not in tags  # the column, not the story
    assert "资金" not in tags  # a common word names no story
    assert "冯天佑" not in tags  # a person (jieba nrfg) mentioned once, not in the headline


def test_suggest_tags_names_the_person_the_headline_names_by_office(kx):
    # An editor tags the president, not "星海国总统"; the name follows the office in the body.
    art = Article(title="临江市长同星海国总统会谈", text="星海国总统阿尔瓦雷斯抵达临江。双方就港口合作交换意见。")
    tags = kx.suggest_tags(art, k=5)
    assert "阿尔瓦雷斯" in tags
    assert "星海国总统" not in tags and "阿尔瓦雷" not in tags


def test_one_place_one_tag_in_its_short_form(kx):
    text = "浙江省发布民营经济促进措施。浙江民营经济规模扩大，浙江省民营企业数量增长。浙江将继续支持民营经济，浙江民营企业信心增强。"
    tags = kx.suggest_tags(Article(title="浙江省出台民营经济新政", text=text), k=5)
    assert "浙江" in tags and "浙江省" not in tags  # was ['浙江省', '民营经济', '民营企业', '浙江', ...]


def test_suggest_tags_on_a_flash(kx):
    art = Article(title="临江科技午后涨幅扩大至7.5%", text="临江科技(01234.HK)午后涨幅扩大至7.5%，现报39.75港元。(中证网)")
    tags = kx.suggest_tags(art, k=5)
    assert tags[0] == "临江科技"
    assert "港股" in tags and "个股异动" in tags
    assert not {"HK", "hk", "中证网", "涨幅"} & set(tags)
    # extract_keywords stays broader: it still has the words the tagger drops.
    assert [k.text for k in kx.extract(art, top_k=5)] != tags


def test_merge_variants():
    merged = merge_variants({"阿里巴巴": 5, "阿里": 4, "茅台": 3, "贵州茅台": 2, "美联储": 3, "联储": 2,
                             "银行": 2, "工商银行": 1, "建设银行": 1, "基本面": 3, "阿里基本面": 2})
    assert merged["阿里巴巴"] == ["阿里"]  # 阿里基本面 is 阿里 + 基本面, a compound, not a variant
    assert merged["贵州茅台"] == ["茅台"]  # the full name, used at least half as often, is canonical
    assert merged["美联储"] == ["联储"]
    assert merged["银行"] == [] and merged["工商银行"] == [] and merged["建设银行"] == []  # ambiguous


def test_a_short_form_plus_a_common_word_is_a_phrase_not_a_variant():
    freq = {"价格": 11762, "活跃": 2500, "汽车": 10193, "贵州": 1202}
    merged = merge_variants({"猪肉": 3, "猪肉价格": 2, "次新股": 2, "次新股活跃": 2, "欧拉": 2, "欧拉汽车": 2,
                             "茅台": 3, "贵州茅台": 2}, word_freq=freq)
    assert merged["猪肉"] == [] and merged["猪肉价格"] == []  # 猪肉 + 价格: a phrase about pork
    assert merged["次新股"] == [] and merged["次新股活跃"] == []
    assert merged["欧拉汽车"] == ["欧拉"]  # 汽车 ends company names
    assert merged["贵州茅台"] == ["茅台"]  # 贵州 is not common enough to make a phrase


def test_a_common_word_is_never_the_alias_of_a_learned_tag():
    # 中国 would carry 中国铝业 onto every post that mentions China.
    posts = [Article("中国铝业发布公告。中国铝业回应。"), Article("中国经济增长。"), Article("中国铝业股价上涨。"),
             Article("中国外贸稳定。")]
    tags = {0: ["中国铝业", "中国"], 1: ["中国"], 2: ["中国铝业"], 3: ["外贸"]}
    it = iter(range(4))
    v = learn_vocabulary_from_keywords(posts, min_count=1, suggest=lambda a, k: tags[next(it)])
    assert "中国" not in v.tags["中国铝业"].aliases


def test_the_most_used_form_is_canonical_when_the_full_name_is_rare():
    assert merge_variants({"茅台": 10, "贵州茅台": 2}) == {"茅台": ["贵州茅台"]}


def _posts() -> list[Article]:
    bodies = [
        "阿里巴巴发布季度财报，营收增长8%。", "阿里宣布回购股份。", "阿里巴巴与合作伙伴签约。",
        "茅台上调出厂价。", "贵州茅台发布年报。", "贵州茅台宣布分红。",
        "临江港吞吐量创新高。",
    ]
    return [Article(text=b, tags=("东财滚动新闻",)) for b in bodies]


def _fake_suggest(article: Article, k: int) -> list[str]:
    words = ("阿里巴巴", "阿里", "贵州茅台", "茅台", "临江港", "财报")
    out = []
    for w in words:
        if w in article.text and not any(w in o for o in out):
            out.append(w)
    return out[:k]


def test_learn_from_keywords_merges_variants_and_keeps_feeds():
    vocab = learn_vocabulary_from_keywords(_posts(), suggest=_fake_suggest)
    assert vocab.tags["阿里巴巴"].count == 3 and vocab.tags["阿里巴巴"].aliases[0] == "阿里"
    assert vocab.tags["贵州茅台"].count == 3 and "茅台" in vocab.tags["贵州茅台"].aliases
    assert "阿里" not in vocab.tags and "茅台" not in vocab.tags
    assert "临江港" not in vocab.tags  # used once: below min_count=2
    assert vocab.is_feed("东财滚动新闻")
    assert vocab.find("阿里发布新品。") == {"阿里巴巴": (1, 0)}


def test_vocabulary_round_trip(tmp_path):
    vocab = learn_vocabulary_from_keywords(_posts(), suggest=_fake_suggest)
    path = vocab.save(tmp_path / "vocab.txt")
    back = TagVocabulary.load(path)
    assert {t: (i.count, i.aliases, i.feed) for t, i in back.tags.items()} == \
        {t: (i.count, i.aliases, i.feed) for t, i in vocab.tags.items()}
    assert isinstance(back.tags["阿里巴巴"], TagInfo)


def test_a_learned_vocabulary_gives_one_tag_string(kx):
    vocab = learn_vocabulary_from_keywords(_posts(), suggest=_fake_suggest)
    tags = kx.suggest_tags(Article(text="阿里宣布回购不超过50亿元股份。阿里称将用于员工激励。"), k=5, vocabulary=vocab)
    assert tags[0] == "阿里巴巴"
    assert "阿里" not in tags


def _write(folder: Path, name: str, title: str, body: str) -> None:
    folder.joinpath(name).write_text(
        f'---\nlayout: post\ntitle: "{title}"\ntags: 东财滚动新闻\n---\n\n{body}\n', encoding="utf-8"
    )


def test_cli_tags_learn_from_an_archive_with_only_feed_tags(tmp_path, capsys):
    posts = tmp_path / "posts"
    posts.mkdir()
    for i, body in enumerate([
        "贵州茅台发布年报，净利润增长15%。贵州茅台表示将继续分红。",
        "茅台上调部分产品出厂价，茅台称此举不影响零售价。",
        "贵州茅台宣布分红方案，每股派现20元。",
        "茅台酒销量创新高，茅台经销商库存下降。",
    ]):
        _write(posts, f"2024-01-0{i + 1}-p{i}.md", body.split("，")[0], body)
    out = tmp_path / "vocab.txt"
    assert cli_main(["tags", "learn", str(posts), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "(from keywords)" in printed
    vocab = TagVocabulary.load(out)
    assert vocab.is_feed("东财滚动新闻")
    assert "茅台" in vocab.tags["贵州茅台"].aliases


def test_the_tag_rules_have_one_home_and_the_old_names_still_resolve():
    import importlib

    from newsnlp.keywords import candidates, extractor, tags, vocabulary

    assert editor_tag_ok is tags.editor_tag_ok and market_tags is tags.market_tags
    assert vocabulary.is_feed_label is tags.is_feed_label and vocabulary.org_aliases is tags.org_aliases
    assert importlib.import_module("newsnlp.keywords").normalize_tag is tags.normalize_tag
    # 0.1 private names of the single keywords module, used by scripts and tests.
    assert extractor._norm_key is candidates.norm_key and extractor._Cand is candidates.Candidate
    assert extractor._TOO_BROAD is tags.TOO_BROAD and "中国" in extractor._TOO_BROAD
    with pytest.raises(AttributeError, match="no attribute '_no_such_rule'"):
        extractor._no_such_rule


def test_the_generated_archive_is_tagged_consistently_with_the_learned_vocabulary(tmp_path):
    # benchmarks/tag_consistency.py: every entity under its one canonical form (美联储 for 联储 too).
    from benchmarks.tag_consistency import ENTITIES, consistency, generate_archive
    from newsnlp.keywords.idf import iter_archive

    posts = generate_archive(tmp_path / "posts", posts=60)
    vocab = learn_vocabulary_from_keywords(iter_archive(tmp_path / "posts"))
    assert {c: vocab.tags[c].aliases for c, _ in ENTITIES if c in vocab.tags} == {
        "阿里巴巴": ["阿里"], "贵州茅台": ["茅台"], "美联储": ["联储"], "宁德时代": ["宁德"], "腾讯控股": ["腾讯"]}
    assert consistency(posts, vocabulary=vocab)["all"] == 100.0


def test_a_shared_piece_that_is_no_word_does_not_replace_the_phrase_tags():
    from newsnlp.keywords.vocabulary import _shrink_phrases

    # 港口监 opens both tags but names nothing; 美联储 opens both and is a word.
    posts = [["港口监管", "港口监管总局"], ["港口监管总局", "临江"]]
    assert _shrink_phrases(posts, is_word=lambda w: w in {"港口", "监管"}) == set()
    assert posts == [["港口监管", "港口监管总局"], ["港口监管总局", "临江"]]
    posts = [["美联储主席", "加息"], ["美联储会议纪要"]]
    assert _shrink_phrases(posts, is_word=lambda w: w == "美联储") == {"美联储"}
    assert posts == [["美联储", "加息"], ["美联储"]]


def _learn(texts: list[str], tags: list[list[str]], **kw) -> TagVocabulary:
    posts = [Article(t) for t in texts]
    by_text = dict(zip(texts, tags))
    return learn_vocabulary_from_keywords(posts, min_count=1, suggest=lambda a, k: by_text[a.text], **kw)


def test_a_short_form_written_only_inside_a_longer_word_is_no_alias():
    freq = {"马克思": 100, "马克": 50}
    inside = _learn(["马克龙访华。马克龙会见。", "马克龙发表讲话。", "马克思主义理论。", "学习马克思主义。"],
                    [["马克龙"], ["马克龙"], ["理论"], ["学习"]], word_freq=freq)
    assert inside.tags["马克龙"].aliases == []
    alone = _learn(["马克龙访华。马克龙会见。", "马克龙发表讲话。", "马克称将访华。", "马克表示欢迎。"],
                   [["马克龙"], ["马克龙"], ["访华"], ["欢迎"]], word_freq=freq)
    assert alone.tags["马克龙"].aliases == ["马克"]
    # A cut-off piece that is neither a dictionary word nor a tag of any post is no alias either.
    piece = _learn(["临江港口物流园开园。临江港口物流园招商。", "临江港口物流园扩建。", "临江港口物迎来新客户。",
                    "临江港口物价稳定。"], [["临江港口物流园"], ["临江港口物流园"], ["客户"], ["物价"]], word_freq={})
    assert piece.tags["临江港口物流园"].aliases == []


def test_a_learned_name_is_never_extended_by_a_particle():
    texts = ["海港振兴的目标明确。海港振兴的路径清晰。", "推进海港振兴的举措。海港振兴的成效。", "海港振兴的关键在人。"]
    vocab = _learn(texts, [["海港振兴"]] * 3, word_freq={})
    assert "海港振兴" in vocab.tags and "海港振兴的" not in vocab.tags


def test_learned_tags_are_marked_and_the_mark_survives_a_file(tmp_path):
    vocab = learn_vocabulary_from_keywords(_posts(), suggest=_fake_suggest)
    assert vocab.tags["阿里巴巴"].learned
    path = vocab.save(tmp_path / "vocab.txt")
    assert "阿里巴巴\tcount=3\taliases=阿里\tlearned" in path.read_text(encoding="utf-8").splitlines()
    assert TagVocabulary.load(path).tags["阿里巴巴"].learned
    assert not TagVocabulary(["阿里巴巴"]).tags["阿里巴巴"].learned


def test_a_learned_tag_competes_with_the_keywords_an_editor_tag_goes_first(kx):
    art = Article(title="临江港吞吐量创新高", text="临江港今年集装箱吞吐量创新高，临江港集装箱航线增至80条。临江港将扩建码头。"
                                                 "有分析师认为，增长势头将延续。")
    plain = kx.suggest_tags(art, k=5)
    assert "分析师" not in plain
    # An editor's vocabulary tag found in the post goes first.
    assert kx.suggest_tags(art, k=5, vocabulary=["分析师"])[0] == "分析师"
    # Learned from other posts' keywords, it is only a spelling: below the cut-off it stays out ...
    assert kx.suggest_tags(art, k=5, vocabulary=TagVocabulary([TagInfo("分析师", count=3, learned=True)])) == plain
    # ... and it spells the keyword it stands for, in that keyword's place.
    spelled = kx.suggest_tags(art, k=5, vocabulary=TagVocabulary([TagInfo("临江港口", count=3, aliases=["临江港"], learned=True)]))
    assert spelled == ["临江港口"] + plain[1:]


def test_a_short_tag_plus_a_general_word_is_a_sub_topic_not_a_variant():
    freq = {"分布式": 62, "巨头": 464, "贵州": 1202, "巴巴": 27}
    pos = {"分布式": "n", "巨头": "n", "贵州": "ns", "巴巴": "ns"}
    merged = merge_variants({"光伏": 3, "分布式光伏": 3, "对冲基金": 2, "对冲基金巨头": 3, "茅台": 3, "贵州茅台": 2,
                             "阿里": 4, "阿里巴巴": 5}, word_freq=freq, word_pos=pos)
    assert merged["光伏"] == [] and merged["分布式光伏"] == []  # distributed PV is a kind of PV
    assert merged["对冲基金"] == [] and merged["对冲基金巨头"] == []
    assert merged["贵州茅台"] == ["茅台"] and merged["阿里巴巴"] == ["阿里"]  # a place or name around it: a full name
    # Without parts of speech the general word is not recognised (巨头 is not common enough).
    assert merge_variants({"对冲基金": 2, "对冲基金巨头": 3}, word_freq=freq) == {"对冲基金巨头": ["对冲基金"]}
