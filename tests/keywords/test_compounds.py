"""Tag-only candidates of policy news (newsnlp.keywords.compounds) and how suggest_tags uses them."""

from __future__ import annotations

import pytest

from newsnlp.article import Article
from newsnlp.keywords.compounds import class_names, law_names, topic_compounds
from newsnlp.keywords.extractor import KeywordExtractor


@pytest.fixture
def kx(shipped_keywords) -> KeywordExtractor:
    return shipped_keywords


PORT = Article(
    title="临江召开港口物流发展大会",
    text="大会指出，港口物流发展势头良好。临江将加快港口物流发展，推动经济发展和社会发展。经济发展稳中向好。"
         "会上还提到海洋渔业转型。",
)
BILLS = Article(
    title="常委会审议多部法律草案",
    text="会议听取了关于中华人民共和国湿地保护法修订草案的说明，审议了海洋渔业法草案和临江航道管理条例草案。"
         "委员们认为，湿地保护法修订草案已较成熟。",
)
TYPHOON = Article(
    title="台风“海葵”登陆临江",
    text="今年第5号台风“海葵”今天登陆临江。受台风影响，临江沿海出现强降雨。海葵登陆后强度减弱，台风预警仍在持续。"
         "各地防汛防台工作有序开展。",
)
CRISIS = Article(
    title="两国领导人会谈",
    text="双方就中东危机交换了意见。中东危机持续外溢，中东局势牵动各方。双方同意推动中东危机政治解决。"
         "中东和平进程需要国际社会支持。",
)


def test_topic_compounds_are_the_longest_recurring_noun_and_topic_head(kx):
    doc = kx.analyse(PORT)
    found = topic_compounds(doc, stopwords=kx.scorer.stopwords, word_freq=kx.scorer.word_freq)
    # 港口物流发展 three times (物流发展 only inside it); 经济发展 and 社会发展 have a modifier too
    # common to browse by (经济, 社会); 海洋渔业转型 is written once.
    assert [(c.text, c.count, c.parts, c.in_title) for c in found] == [("港口物流发展", 3, ("港口", "物流", "发展"), True)]
    # Without the dictionary frequencies the broad modifier is not recognised.
    assert {c.text for c in topic_compounds(doc, stopwords=kx.scorer.stopwords)} == {"港口物流发展", "经济发展"}
    # Once is not enough by default.
    assert [c.text for c in topic_compounds(kx.analyse(Article("临江推进港口物流发展。")),
                                            stopwords=kx.scorer.stopwords)] == []


def test_a_topic_compound_already_a_candidate_is_that_candidate(kx):
    doc = kx.analyse(CRISIS)
    found = topic_compounds(doc, stopwords=kx.scorer.stopwords, word_freq=kx.scorer.word_freq)
    assert [(c.text, c.count) for c in found] == [("中东危机", 3)]


def test_law_names_are_read_from_their_bills(kx):
    laws = law_names(kx.analyse(BILLS))
    assert [c.text for c in laws] == ["湿地保护法", "海洋渔业法", "临江航道管理条例"]
    assert laws[0].surfaces == ("中华人民共和国湿地保护法修订草案", "湿地保护法修订草案")
    assert {c.entity for c in laws} == {"programme"}
    # No bill, no law: a law mentioned on its own is left to the keyword candidates.
    assert law_names(kx.analyse(Article("会议表决通过了修订后的湿地保护法。"))) == []


def test_class_names_join_the_class_word_and_the_quoted_name(kx):
    assert class_names(kx.analyse(TYPHOON)) == {"海葵": "台风海葵"}
    assert class_names(kx.analyse(Article("超强台风“海燕”逼近。"))) == {"海燕": "台风海燕"}
    assert class_names(kx.analyse(Article("“海葵”号科考船返航。"))) == {}


def test_suggest_tags_prefers_the_topic_compound_to_its_pieces(kx):
    assert kx.suggest_tags(CRISIS, k=5) == ["中东危机", "国领导人", "双方同意", "危机政治", "中东局势"]
    tags = kx.suggest_tags(PORT, k=5)
    assert "港口物流发展" in tags and "港口物流" not in tags
    # extract_keywords is unchanged: the compounds are tag candidates only.
    assert "港口物流" in [k.text for k in kx.extract(PORT, top_k=5)]


def test_suggest_tags_names_the_laws_not_the_bills(kx):
    tags = kx.suggest_tags(BILLS, k=5)
    assert tags == ["海洋渔业法", "法律草案", "湿地保护法", "临江航道管理条例", "常委会"]
    assert "草案" in [k.text for k in kx.extract(BILLS, top_k=5)]  # a keyword, never a tag


def test_suggest_tags_writes_the_storm_with_its_class_word(kx):
    tags = kx.suggest_tags(TYPHOON, k=5)
    assert tags[0] == "台风海葵"
    assert "海葵" not in tags and "台风" not in tags


def test_a_topic_compound_inside_a_tag_already_taken_is_not_suggested_again(kx):
    from newsnlp.keywords.tags import choose_tags
    from newsnlp.types import Keyword

    art = Article(title="临江奋力建设社会主义现代化港城",
                  text="临江提出，奋力建设社会主义现代化港城。社会主义现代化港城建设全面起势，社会主义现代化港城的框架已经形成。"
                       "社会主义现代化港城综合实力跃升，社会主义现代化新征程开局良好。")
    doc = kx.analyse(art)
    # 社会主义现代化 (5 times) is a topic compound; it takes the score of 现代化, the piece it carries.
    assert [c.text for c in topic_compounds(doc, stopwords=kx.scorer.stopwords, word_freq=kx.scorer.word_freq)] \
        == ["社会主义现代化"]
    keywords = [Keyword("社会主义现代化港城", 0.9), Keyword("现代化", 0.8), Keyword("临江", 0.5)]
    given = list(keywords)
    tags = choose_tags(art, doc, keywords, k=5, scorer=kx.scorer, ranked=lambda: [])
    # The longer tag, taken first, carries 4 of its 5 uses: the compound is not a second tag.
    assert tags == ["社会主义现代化港城", "临江"]
    assert keywords == given  # the caller's keywords are left as they were
