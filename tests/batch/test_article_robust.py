"""Wrong content counted as success (issue 12, cases 7-11 and 15): each now read right, refused or warned about."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from newsnlp.article import decode_bytes, detect_encoding, language_note, parse_post
from newsnlp.batch import DatasetMapper, read_results, tag_archive
from newsnlp.errors import ArticleError, ArticleWarning, LanguageWarning
from newsnlp.frontmatter import find_front_matter, update_front_matter
from test_batch import REPO, StubAnalyzer, post

BIG5_TEXT = "寧波市政府召開常務會議，審議通過了關於進一步優化營商環境的實施意見。會議強調，各部門要加強協調。"
GBK_TEXT = "宁波市政府召开常务会议，审议通过了关于进一步优化营商环境的实施意见。会议强调，各部门要加强协调。"


# --------------------------------------------------------------------------- case 7

def test_empty_front_matter_then_a_markdown_rule_keeps_the_body():
    raw = "---\n---\n第一段正文。\n\n---\n\n第二段正文。\n"
    a = parse_post(raw, path="x.md")
    assert a.text == "第一段正文。\n第二段正文。"
    fm = find_front_matter(raw)
    assert (fm.data, fm.start, fm.end) == ({}, 4, 4)
    assert update_front_matter(raw, {"summary": "第一段正文。"}) == "---\nsummary: 第一段正文。\n---\n第一段正文。\n\n---\n\n第二段正文。\n"


def test_write_back_of_an_empty_front_matter_post_summarises_its_first_paragraph(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "p.md"
    path.write_text("---\n---\n宁波市总工会召开会议。会议部署了工作。\n\n---\n\n附记。\n", encoding="utf-8")
    tag_archive(root, tmp_path / "o.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False,
                write_front_matter=True, fields="summary")
    assert path.read_text(encoding="utf-8") == (
        "---\nsummary: 宁波市总工会召开会议。\n---\n宁波市总工会召开会议。会议部署了工作。\n\n---\n\n附记。\n")


# --------------------------------------------------------------------------- case 8

def test_big5_is_told_from_gb18030_and_said():
    with pytest.warns(ArticleWarning, match=r"decoded as Big5 \(Traditional Chinese\)"):
        assert decode_bytes(BIG5_TEXT.encode("big5"), source="t.md") == BIG5_TEXT
    with pytest.warns(ArticleWarning, match="decoded as GB18030"):
        assert decode_bytes(GBK_TEXT.encode("gbk"), source="s.md") == GBK_TEXT
    assert detect_encoding(BIG5_TEXT.encode("big5")) == "cp950"
    assert detect_encoding(GBK_TEXT.encode("gb18030")) == "gb18030"
    assert GBK_TEXT.encode("gbk").decode("cp950", errors="ignore") != GBK_TEXT  # a real ambiguity, decided by content


@pytest.mark.parametrize(
    "data, expected, forbidden",
    [
        (GBK_TEXT.encode("utf-16-le"), r"NUL bytes .*UTF-16 text without a BOM.*iconv -f UTF-16LE", "BIG5"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", r"NUL bytes .*a binary file", "BIG5"),
        (("宁波市总工会召开会议。" * 2).encode() + "杭州发放消费券。".encode("gbk"), r"mixes encodings: \d+ characters are UTF-8 .* the first at offset 66 ",
         "BIG5"),
        (b"\x80\x80\x80\xff\xfe\xff\x81", r"cannot decode as UTF-8 .*GB18030/GBK or Big5", "BIG5"),
    ],
)
def test_undecodable_bytes_say_what_they_look_like(data, expected, forbidden):
    with pytest.raises(ArticleError, match=expected) as info:
        decode_bytes(data, source="bad.md")
    assert forbidden not in str(info.value)


def test_utf16_with_a_bom_is_read():
    with pytest.warns(ArticleWarning, match="decoded as UTF-16"):
        assert decode_bytes(GBK_TEXT.encode("utf-16")) == GBK_TEXT


def test_big5_posts_in_a_batch_run_get_the_right_text_and_a_note(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    (root / "big5.md").write_bytes(post("寧波", BIG5_TEXT).encode("big5"))
    tag_archive(root, tmp_path / "o.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False)
    (rec,) = read_results(tmp_path / "o.jsonl")
    assert rec["summary"] == BIG5_TEXT.split("。")[0] + "。"
    assert any("decoded as Big5" in w for w in rec["warnings"])
    assert any("Traditional Chinese" in w and "opencc" in w for w in rec["warnings"])


def test_big5_write_back_stays_big5(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "big5.md"
    path.write_bytes(post("寧波", BIG5_TEXT).encode("big5"))
    tag_archive(root, tmp_path / "o.jsonl", workers=1, analyzer=StubAnalyzer(), progress=False,
                write_front_matter=True, fields="summary")
    assert path.read_bytes().decode("big5") == post("寧波", BIG5_TEXT).replace(
        "---\n<p>", f"summary: {BIG5_TEXT.split('。')[0]}。\n---\n<p>")


# --------------------------------------------------------------------------- case 9

def test_html_doctype_is_dropped_and_title_used():
    page = ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>宁波页面标题</title></head>\n"
            "<body><p>宁波市总工会召开会议。</p><p>会议部署了工作。</p></body></html>\n")
    a = parse_post(page, path="page.html")
    assert a.title == "宁波页面标题"
    assert a.text == "宁波市总工会召开会议。\n会议部署了工作。"
    assert parse_post("---\ntitle: 前言标题\n---\n" + page).title == "前言标题"  # front matter wins


# --------------------------------------------------------------------------- case 10

def test_a_mapper_called_without_batched_says_so():
    mapper = DatasetMapper(StubAnalyzer())
    with pytest.raises(TypeError, match=r"got one example .*batched=True"):
        mapper({"text": "宁波市总工会召开会议。"})
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"text": ["宁波市总工会召开会议。"]})
    with pytest.raises(TypeError, match="batched=True"):
        ds.map(mapper)


# --------------------------------------------------------------------------- case 11

def test_english_and_traditional_chinese_are_warned_about():
    with pytest.warns(LanguageWarning, match=r"mostly not Chinese \(\d+ Latin letters"):
        parse_post("The Ningbo Federation of Trade Unions held a meeting on services for workers this week.")
    with pytest.warns(LanguageWarning, match="looks like Traditional Chinese"):
        parse_post(BIG5_TEXT)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parse_post(GBK_TEXT)
        parse_post("宁波 GDP 增长 5.5%，CPI 持平。宁波市统计局发布数据。")  # some Latin is normal
    assert language_note("短") is None


# --------------------------------------------------------------------------- case 5

def test_dataset_map_with_num_proc_after_analysing_in_the_parent_does_not_hang(tmp_path):
    pytest.importorskip("datasets")
    script = tmp_path / "m.py"
    script.write_text(
        "from datasets import Dataset\n"
        "from newsnlp.batch import make_dataset_mapper\n"
        "ds = Dataset.from_dict({'text': ['宁波市总工会召开全委会议，主席李谦出席。会议部署了全年工作。'] * 4})\n"
        "m = make_dataset_mapper()\n"
        "a = ds.map(m, batched=True, batch_size=2)['organisations']\n"
        "b = ds.map(m, batched=True, batch_size=2, num_proc=2)['organisations']\n"
        "assert a == b, (a, b)\n"
        "print('OK', b[0])\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.endswith("_NUM_THREADS")}
    env["PYTHONPATH"] = str(REPO)
    env["HF_DATASETS_CACHE"] = str(tmp_path / "hf")
    try:
        res = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail("Dataset.map(num_proc=2) hung after the parent had analysed")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "OK" in res.stdout


# --------------------------------------------------------------------------- case 15

def test_hand_written_values_are_kept_unless_overwrite(tmp_path):
    root = tmp_path / "posts"
    root.mkdir()
    path = root / "p.md"
    path.write_text(post("宁波", "宁波市总工会召开会议。会议部署了工作。", extra="summary: 编辑写的摘要\ntags: [工会, 宁波]\n"),
                    encoding="utf-8")
    out = tmp_path / "o.jsonl"
    first = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True,
                        fields="summary,tags,keywords")
    text = path.read_text(encoding="utf-8")
    assert "summary: 编辑写的摘要\ntags: [工会, 宁波]\n" in text and "keywords:\n- 宁波\n- 工会\n" in text
    assert first.kept_by_hand == 2 and "2 hand-written value(s) kept (--overwrite replaces them)" in first.summary_line()
    # newsnlp's own value is newsnlp's to update when the analysis changes
    path.write_text(text.replace("会议部署了工作。", "会议部署了全年工作。"), encoding="utf-8")
    tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True,
                fields="summary,tags,keywords")
    assert "summary: 编辑写的摘要\n" in path.read_text(encoding="utf-8")
    forced = tag_archive(root, out, workers=1, analyzer=StubAnalyzer(), progress=False, write_front_matter=True,
                         fields="summary,tags", overwrite=True, force=True)
    assert forced.kept_by_hand == 0
    text = path.read_text(encoding="utf-8")
    assert "summary: 宁波市总工会召开会议。\n" in text and "tags:\n- 宁波\n" in text
