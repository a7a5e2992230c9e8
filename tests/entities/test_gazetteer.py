"""Tests for the company gazetteer: the build script, the stock-code patterns, the extractor's use of them.

All texts and name lists are written here; the shipped gazetteer is only checked for shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsnlp.entities.extractor import EntityExtractor
from newsnlp.errors import ModelLoadError, ModelNotFoundError
from newsnlp.entities.gazetteer import Gazetteer, GazetteerEntry
from newsnlp.train import gazetteer as build

from test_entities import FakeTagger

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "gazetteer" / "companies.tsv"

ENTRIES = [
    GazetteerEntry("中国石化", "short", "600028", "", True),
    GazetteerEntry("新东方在线", "short", "", "", True),
    GazetteerEntry("华屹证券", "short", "601999", "华屹证券股份有限公司", True),
    GazetteerEntry("华屹证券股份有限公司", "full", "601999", "华屹证券股份有限公司", True),
    GazetteerEntry("云岫科技", "short", "300999", "杭州云岫科技股份有限公司", True),
    GazetteerEntry("杭州云岫科技股份有限公司", "full", "300999", "杭州云岫科技股份有限公司", True),
    GazetteerEntry("贵州茅台", "short", "600519", "", True),
    GazetteerEntry("恒宇", "short", "002998", "宁波恒宇电子股份有限公司", False),
    GazetteerEntry("苹果", "foreign", "AAPL", "", False),
]


def gaz() -> Gazetteer:
    return Gazetteer(ENTRIES)


def found(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.reason) for m in gaz().find(text)]


# ---------------------------------------------------------------------------- stock-code patterns


@pytest.mark.parametrize(
    "text, expected",
    [
        ("中国石化(600028)涨停。", [("中国石化", "code")]),
        ("中国石化（600028.SH）涨停。", [("中国石化", "code")]),
        ("此外，新东方在线（01797.HK）收涨。", [("新东方在线", "code")]),
        ("蔚然汽车(NIO.N)盘前上涨。", [("蔚然汽车", "code")]),  # not in the list: the code makes it a company
        ("其中星海药业（002007.SZ）大涨。", [("星海药业", "code")]),  # 其中 is not part of the name
        ("据悉中国石化(600028)公告。", [("中国石化", "code")]),  # the listing's name gives the extent
    ],
)
def test_stock_code_patterns(text, expected):
    assert found(text) == expected


def test_st_prefixes_and_company_endings():
    assert found("*ST宏达、ST恒宇停牌，ST股跌停。") == [("*ST宏达", "st"), ("ST恒宇", "st")]
    # A name not free on its own (two characters, a common word) counts with a company ending.
    assert found("恒宇股份发布公告，苹果公司跟进；恒宇和苹果没有出现。") == [("恒宇股份", "suffix"), ("苹果公司", "suffix")]


def test_free_names_and_offsets():
    text = "华屹证券分析师认为，云岫科技订单饱满。"
    matches = gaz().find(text)
    assert [(m.text, m.start, m.end, m.reason) for m in matches] == [
        ("华屹证券", 0, 4, "name"), ("云岫科技", 10, 14, "name")]
    assert matches[1].full_name == "杭州云岫科技股份有限公司"
    assert all(text[m.start : m.end] == m.text for m in matches)
    with pytest.raises(TypeError, match="text must be a str"):
        gaz().find(None)


# ---------------------------------------------------------------------------- extractor


def extractor(words=None) -> EntityExtractor:
    return EntityExtractor(FakeTagger(words or {}), gazetteer=gaz())


def test_extractor_lists_coded_companies_without_the_code():
    text = "港股方面，新东方在线(01797.HK)涨近5%，中国石化（600028）小幅上涨。"
    # The model read the code into the name: the span is cut before the bracket.
    e = extractor({"新东方在线(01797.HK)": ("ORG", "company")})(text)
    assert [o.name for o in e.organisations] == ["新东方在线", "中国石化"]
    assert [(m.text, m.start) for m in e.mentions if m.label == "ORG"] == [("新东方在线", 5), ("中国石化", 25)]


def test_short_name_links_to_full_name_from_the_gazetteer():
    text = "杭州云岫科技股份有限公司发布公告。云岫科技表示，订单饱满。"
    e = extractor()(text)
    assert [(o.name, [s.text for s in o.mentions]) for o in e.organisations] == [
        ("杭州云岫科技股份有限公司", ["杭州云岫科技股份有限公司", "云岫科技"])]
    # 茅台 for 贵州茅台 when the article has both
    e = extractor({"茅台": ("ORG", "company")})("贵州茅台午后拉升，茅台股价创新高。")
    assert [o.name for o in e.organisations] == ["贵州茅台"]


def test_a_model_person_inside_a_company_name_is_dropped():
    e = extractor({"云岫": ("PERSON", None)})("云岫科技涨停。")
    assert [o.name for o in e.organisations] == ["云岫科技"] and e.persons == ()


def test_media_attributions_are_not_organisations():
    words = {"星海日报": ("ORG", "organisation"), "华屹证券": ("ORG", "company"), "央视网": ("ORG", "organisation"),
             "中证网": ("ORG", "organisation")}
    text = "央视网消息：华屹证券发布公告。\n据星海日报报道，公司订单增长。（中证网）"
    e = extractor(words)(text)
    assert [o.name for o in e.organisations] == ["华屹证券"]
    # A name that fills the closing source bracket is dropped even when no list knows it (a mention still).
    e = extractor({"远山财讯": ("ORG", "company")})("公司订单增长。（远山财讯）")
    assert e.organisations == ()


def test_extractor_without_gazetteer_still_reads_codes():
    e = EntityExtractor(FakeTagger({}))("蔚然汽车(NIO.N)盘前上涨。")
    assert [o.name for o in e.organisations] == ["蔚然汽车"]
    with pytest.raises(TypeError, match="gazetteer must be"):
        EntityExtractor(FakeTagger({}), gazetteer=["中国石化"])


# ---------------------------------------------------------------------------- build script and file


def _write_lists(root: Path) -> None:
    listed = root / "listed_companies_cn"
    foreign = root / "foreign_companies_zh"
    listed.mkdir()
    foreign.mkdir()
    rows = [
        {"short_name": "*ST云岫", "short_name_base": "云岫", "full_name": "杭州云岫科技股份有限公司", "code": "300999",
         "extended_short_name": None},
        {"short_name": "华屹证券A", "short_name_base": "华屹证券", "full_name": None, "code": "601999",
         "extended_short_name": "华屹证券股份"},
        {"short_name": "农产品", "short_name_base": "农产品", "full_name": "深圳农产品股份有限公司", "code": "000061"},
    ]
    (listed / "listed_companies_cn.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    (foreign / "foreign_companies_zh.jsonl").write_text(
        json.dumps({"short_name": "星桥电子", "alt_names": ["星橋電子"], "code": "(private)"}, ensure_ascii=False), encoding="utf-8")


def test_build_writes_a_loadable_gazetteer(tmp_path):
    _write_lists(tmp_path)
    assert build.main(["--data-dir", str(tmp_path), "--out", str(tmp_path / "out")]) == 0
    lines = (tmp_path / "out" / "companies.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name\tkind\tcode\tfull_name\tfree"
    rows = {tuple(line.split("\t")[:2]): line.split("\t") for line in lines[1:]}
    assert rows[("云岫", "short")] == ["云岫", "short", "300999", "杭州云岫科技股份有限公司", "0"]  # two characters
    assert rows[("华屹证券股份", "extended")][4] == "1"
    assert rows[("农产品", "short")][4] == "0"  # a frequent common word in jieba's dictionary
    assert rows[("星橋電子", "foreign")][2] == ""  # "(private)" is a note, not a code
    g = Gazetteer.load(tmp_path / "out")
    assert g.full_of["云岫"] == "杭州云岫科技股份有限公司" and len(g) == 8


def test_build_and_load_errors(tmp_path, capsys):
    assert build.main(["--data-dir", str(tmp_path)]) == 2
    assert "listed_companies_cn" in capsys.readouterr().err
    with pytest.raises(ModelNotFoundError, match="python -m newsnlp.train.gazetteer"):
        Gazetteer.load(tmp_path / "nowhere")
    bad = tmp_path / "companies.tsv"
    bad.write_text("a\tb\n", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="not a newsnlp gazetteer"):
        Gazetteer.load(bad)


@pytest.mark.skipif(not SHIPPED.is_file(), reason="models/gazetteer not built")
def test_shipped_gazetteer_shape():
    g = Gazetteer.load()
    assert len(g) > 7000
    assert all(e.kind in {"short", "extended", "full", "foreign"} for e in g.entries.values())
    assert not any(e.free and len(e.name) < 3 for e in g.entries.values())
