"""Reading articles: posts, plain text, records and every kind of bad input."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from newsnlp import Article, ArticleError, ArticleWarning, read_article
from newsnlp.article import as_article

FIXTURES = Path(__file__).parent / "fixtures"
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "seed"


def test_jekyll_post_fields_and_clean_body():
    a = read_article(FIXTURES / "post_basic.md")
    assert a.title == "海曙区总工会：户外劳动者驿站扩容"
    assert a.date == "2023-06-01 08:30:00 +0800"
    assert a.categories == ("zhongguofazhanwang",)
    assert a.tags == ("中国发展网新闻",)
    assert a.url == "http://news.example.com/2023/06/01/haishu.html"
    assert a.meta["source"] == "示例日报"
    assert a.id == "post_basic"
    assert a.path == str(FIXTURES / "post_basic.md")
    assert a.text.split("\n") == [
        "5月31日，海曙区总工会召开驿站建设推进会。区总工会主席林海涛说：“今年新增驿站20家。”",
        "会议要求各街道在6月底前完成选址&建设，做到“能喝水、能充电、能歇脚”。",
    ]


def test_navigation_and_source_link_never_in_text():
    a = read_article(FIXTURES / "post_basic.md")
    assert "返回" not in a.text and "http" not in a.text and "<" not in a.text
    assert "文章来源" not in a.text


def test_crlf_and_tag_list():
    a = read_article(FIXTURES / "post_crlf.md")
    assert a.title == "换行测试"
    assert a.tags == ("工会", "宁波")
    assert a.text == "第一段。\n第二段。"
    assert "\r" not in a.text


def test_markdown_body():
    a = read_article(FIXTURES / "post_markdown.md")
    assert a.tags == ("科技", "人工智能")
    assert a.text.split("\n") == [
        "小标题",
        "这是第一段，含有链接和换行。",
        "第二段 with English words continued here.",
    ]


def test_utf8_bom_and_gbk_fallback(tmp_path):
    post = '---\ntitle: "编码"\n---\n<p>宁波市总工会。</p>\n'
    bom = tmp_path / "bom.md"
    bom.write_bytes(b"\xef\xbb\xbf" + post.encode("utf-8"))
    assert read_article(bom).title == "编码"
    gbk = tmp_path / "gbk.md"
    gbk.write_bytes(post.encode("gbk"))
    with pytest.warns(ArticleWarning, match="GB18030"):
        a = read_article(gbk)
    assert (a.title, a.text) == ("编码", "宁波市总工会。")


def test_undecodable_bytes_error_says_how_to_fix(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x80\x80\x80\xff\xfe\xff\x81")
    with pytest.raises(ArticleError, match=r"bad\.md: cannot decode as UTF-8.*convert the file to UTF-8"):
        read_article(bad)


def test_missing_front_matter_warns_and_reads_body(tmp_path):
    p = tmp_path / "nofm.md"
    p.write_text("<p>只有正文。</p>", encoding="utf-8")
    with pytest.warns(ArticleWarning, match="no YAML front matter"):
        a = read_article(p)
    assert a.text == "只有正文。" and a.title is None


def test_malformed_front_matter_warns_and_keeps_simple_keys(tmp_path):
    p = tmp_path / "bad_fm.md"
    p.write_text('---\ntitle: "未闭合的引号\ndate: 2024-01-02\ntags: [a, b\n---\n<p>正文还在。</p>', encoding="utf-8")
    with pytest.warns(ArticleWarning, match="malformed YAML front matter"):
        a = read_article(p)
    assert a.text == "正文还在。"
    assert a.date == "2024-01-02"


def test_unclosed_front_matter_warns(tmp_path):
    p = tmp_path / "open.md"
    p.write_text("---\ntitle: x\n<p>正文。</p>", encoding="utf-8")
    with pytest.warns(ArticleWarning, match="never closed"):
        a = read_article(p)
    assert "正文。" in a.text


def test_empty_title_and_empty_body(tmp_path):
    p = tmp_path / "empty.md"
    p.write_text('---\ntitle: ""\n---\n', encoding="utf-8")
    a = read_article(p)
    assert a.title is None
    assert a.text == ""


def test_file_name_starting_with_dash(tmp_path):
    p = tmp_path / "-dash.md"
    p.write_text("---\ntitle: 破折号\n---\n正文。", encoding="utf-8")
    assert read_article(p).title == "破折号"


def test_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ArticleError, match="is a directory.*newsnlp tag"):
        read_article(tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "nope.md")


@pytest.mark.parametrize("bad", [42, 3.5, None, ["a"], object()])
def test_non_text_argument_is_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        read_article(bad)


def test_plain_text_string():
    a = read_article("宁波市总工会召开会议。\n会议部署全年工作。")
    assert a == Article(text="宁波市总工会召开会议。\n会议部署全年工作。")


def test_str_naming_an_existing_file_is_read_as_path():
    a = read_article(str(FIXTURES / "post_basic.md"))
    assert a.title == "海曙区总工会：户外劳动者驿站扩容"


def test_as_article_never_treats_str_as_path():
    assert as_article(str(FIXTURES / "post_basic.md")).text == str(FIXTURES / "post_basic.md")


def test_record_with_custom_keys():
    a = read_article({"doc_id": 7, "headline": "标题", "content": "正文。", "tags": "甲 乙"},
                     text_key="content", title_key="headline", id_key="doc_id")
    assert (a.id, a.title, a.text, a.tags) == ("7", "标题", "正文。", ("甲", "乙"))


def test_record_without_text_key_lists_fields():
    with pytest.raises(ArticleError, match=r"no 'text' field \(fields: body, title\).*text_key="):
        read_article({"body": "x", "title": "t"})


def test_bytes_input():
    assert read_article("<p>字节。</p>".encode("utf-8")).text == "字节。"


def test_editor_credit_goes_to_meta():
    a = read_article("<p>正文一句。</p><p>（责任编辑：王五）</p>")
    assert a.text == "正文一句。" and a.meta["editor"] == "王五"


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="../shared/data/seed not present")
def test_seed_post_reads_cleanly():
    path = next(SEED_DIR.iterdir())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = read_article(path)
    assert a.title and a.date and a.tags and a.url and a.url.startswith("http")
    assert a.meta["source"]
    paragraphs = a.text.split("\n")
    assert len(paragraphs) >= 5
    assert not any(ch in a.text for ch in "<>") and "返回" not in a.text and "文章来源" not in a.text
