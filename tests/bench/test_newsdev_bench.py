"""Tests for benchmarks/newsdev_entities.py: the scoring rules of ../shared/data/README.md on cases written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.newsdev_entities import load_newsdev, match_counts, prf, score

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_names_compare_normalised_without_quotes():
    tp, n_pred, n_gold, fps, misses = match_counts(["“十四五”规划", "ＡＢＣ银行"], ["十四五规划", "abc银行", "星海集团"])
    assert (tp, n_pred, n_gold, fps, misses) == (2, 2, 3, [], ["星海集团"])


def test_a_gold_short_form_matches_a_prediction_resolved_to_a_place():
    assert match_counts(["宁波市政府"], ["市政府"])[0] == 1
    assert match_counts(["宁波市发改委"], ["发改委"])[0] == 1  # the prefix ends with 市
    assert match_counts(["宁波发改委"], ["发改委"])[0] == 0  # 宁波 is not a place ending in 省/市/县/区/州
    assert match_counts(["宁波市政府"], ["市政府"], short_forms=False)[0] == 0
    # one to one: an exact match is never taken by a resolved short form
    assert match_counts(["宁波市政府", "市政府"], ["市政府"])[:3] == (1, 2, 1)


def test_score_per_part_and_prf():
    records = [
        {"id": "a", "source": "finews", "organisations": ["星海集团"], "officials": [{"name": "李谦"}], "programmes": []},
        {"id": "b", "source": "xwlb", "organisations": [], "officials": [], "programmes": ["工惠保"]},
    ]
    preds = [
        {"organisations": ["星海集团", "中证网"], "officials": ["李谦"], "programmes": []},
        {"organisations": [], "officials": [], "programmes": ["“工惠保”"]},
    ]
    s = score(records, preds)
    assert {k: s["finews"]["organisations"][k] for k in ("p", "r", "f1")} == {"p": 50.0, "r": 100.0, "f1": 66.7}
    assert s["finews"]["organisations"]["errors"] == [{"id": "a", "false_positives": ["中证网"], "missed": []}]
    assert s["xwlb"]["programmes"]["f1"] == 100.0 and s["finews"]["programmes"]["f1"] == 0.0
    assert prf(0, 0, 0)["f1"] == 0.0


def test_load_newsdev(tmp_path):
    with pytest.raises(FileNotFoundError, match="newsdev/"):
        load_newsdev(tmp_path)
    if not (DATA / "newsdev" / "labels.jsonl").is_file():
        pytest.skip("../shared/data/newsdev is not here")
    records = load_newsdev(DATA)
    assert len(records) == 84 and {r["source"] for r in records} == {"finews", "xwlb"}


# --------------------------------------------------------------------------- report sections (issue 13/14)

def _small_newsdev(root: Path) -> Path:
    """Four invented records, two per part, in the newsdev layout (no post files: text is read)."""
    import json

    records = [
        {"id": "a.md", "source": "finews", "title": "临江科技午后涨停", "text": "临江科技午后涨停，成交放量。临江科技主营港口设备。",
         "summary": "临江科技午后涨停。", "keywords": ["临江科技", "A股", "涨停"]},
        {"id": "b.md", "source": "finews", "title": "星海银行发布年报", "text": "星海银行发布年报，净利润增长一成。星海银行拟派发股息。",
         "summary": "星海银行发布年报。", "keywords": ["星海银行", "年报"]},
        {"id": "c", "source": "xwlb", "title": "临江新区建设绿色港口", "text": "临江新区建设绿色港口。临江新区港口岸电覆盖率达到九成。",
         "summary": "临江新区建设绿色港口。", "keywords": ["临江新区", "港口岸电"]},
        {"id": "d", "source": "xwlb", "title": "星海市推进乡村振兴", "text": "星海市推进乡村振兴，发展特色产业。星海市特色产业带动增收。",
         "summary": "星海市推进乡村振兴。", "keywords": ["乡村振兴", "特色产业"]},
    ]
    folder = root / "newsdev"
    folder.mkdir(parents=True)
    (folder / "labels.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return root


def _result() -> dict:
    row = {"rouge1": 50.0, "rouge2": 40.0, "rougeL": 45.0, "chars": 80.0}
    tags = {"suggest_tags": 40.0, "extract_keywords": 30.0, "jieba_tfidf": 10.0, "suggest_tags_vocabulary": 35.0}
    part = {"n": 2, "summaries": {"newsnlp": row, "lead1": {**row, "rougeL": 30.0}, "lead3": {**row, "rougeL": 44.0},
                                  "reference": {"chars": 100.0}},
            "tags": tags, "tags_even": {**tags, "suggest_tags": 50.0}, "tags_odd": {**tags, "suggest_tags": 30.0}}
    return {"parts": {"finews": part, "xwlb": part}}


def test_summary_and_tag_blocks_are_in_sample_report_sections():
    from benchmarks.newsdev_summaries import summary_blocks, tag_block
    from benchmarks.report import table_markdown

    blocks = summary_blocks(_result())
    assert [b.key for b in blocks] == ["newsdev-summaries-finews", "newsdev-summaries-xwlb"]
    assert all(b.section == "Summaries" and "in-sample: rules tuned on these records" in b.title for b in blocks)
    rows = {r.system: r for r in blocks[0].rows}
    assert rows["newsnlp.summarize (default)"].values == {"rouge1": 0.5, "rouge2": 0.4, "rougeL": 0.45, "chars": 80.0}
    assert rows["Lead-3"].values["rougeL"] == 0.44 and rows["editor's summary"].kind == "reference"
    table = "\n".join(table_markdown(blocks[0]))
    assert "| newsnlp.summarize (default) | model | **50.0** | **40.0** | **45.0** | 80.0 |" in table

    block = tag_block(_result())
    assert block.section == "Keywords and tags" and "in-sample" in block.title
    assert [r.system for r in block.rows] == ["newsnlp.suggest_tags", "newsnlp.suggest_tags + learned vocabulary",
                                              "newsnlp.extract_keywords", "jieba TF-IDF"]
    values = block.rows[0].values
    assert (values["finews"], values["finews_even"], values["finews_odd"], values["xwlb"]) == (0.4, 0.5, 0.3, 0.4)
    # Without a vocabulary run the row is left out, not shown empty.
    res = _result()
    for part in res["parts"].values():
        for name in ("tags", "tags_even", "tags_odd"):
            part[name] = {k: v for k, v in part[name].items() if k != "suggest_tags_vocabulary"}
    assert "newsnlp.suggest_tags + learned vocabulary" not in [r.system for r in tag_block(res).rows]


def test_entity_blocks_one_per_part():
    from benchmarks.newsdev_entities import entity_blocks

    records = [{"id": "a", "source": "finews", "organisations": ["星海集团"], "officials": [], "programmes": []},
               {"id": "b", "source": "xwlb", "organisations": [], "officials": [{"name": "李谦"}], "programmes": []}]
    preds = [{"organisations": ["星海集团", "中证网"], "officials": [], "programmes": []},
             {"organisations": [], "officials": ["李谦"], "programmes": []}]
    blocks = entity_blocks(score(records, preds))
    assert [b.key for b in blocks] == ["newsdev-entities-finews", "newsdev-entities-xwlb"]
    assert all(b.section == "Entities" and "in-sample" in b.title for b in blocks)
    v = blocks[0].rows[0].values
    assert (v["organisations_p"], v["organisations_r"], round(v["organisations_f1"], 3)) == (0.5, 1.0, 0.667)
    assert blocks[1].rows[0].values["officials_f1"] == 1.0


def test_run_scores_parts_and_halves_with_a_learned_vocabulary(tmp_path):
    from benchmarks.newsdev_summaries import halves, run

    assert halves([3, 5, 8, 9, 11]) == {"all": [3, 5, 8, 9, 11], "even": [3, 8, 11], "odd": [5, 9]}
    res = run(_small_newsdev(tmp_path), summarize=lambda a: a.title + "。", learn_vocabulary=True)
    assert res["n"] == 4 and [o["id"] for o in res["outputs"]] == ["a.md", "b.md", "c", "d"]
    for part in ("finews", "xwlb"):
        p = res["parts"][part]
        assert p["n"] == 2 and p["summaries"]["newsnlp"]["rougeL"] == 100.0  # the title is the reference here
        assert set(p["tags"]) == set(p["tags_even"]) == set(p["tags_odd"]) == {
            "suggest_tags", "extract_keywords", "jieba_tfidf", "suggest_tags_vocabulary"}
    assert "A股" in res["outputs"][0]["tags"]  # 涨停: an A-share flash


def test_benchmark_run_adds_the_newsdev_sections(tmp_path):
    from benchmarks.run import Harness, build_parser

    harness = Harness(build_parser().parse_args(["--data-dir", str(_small_newsdev(tmp_path))]))
    harness._newsdev_blocks("summaries: newsdev", "summary_blocks")
    harness._newsdev_blocks("tags: newsdev", "tag_block")
    assert [b.key for b in harness.blocks] == ["newsdev-summaries-finews", "newsdev-summaries-xwlb", "newsdev-tags"]
    # No newsdev folder: nothing added, nothing raised.
    empty = Harness(build_parser().parse_args(["--data-dir", str(tmp_path / "none")]))
    empty._newsdev_blocks("tags: newsdev", "tag_block")
    assert empty.blocks == []
