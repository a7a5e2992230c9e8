"""Tests for benchmarks/newsdev_entities.py: the scoring rules of ../shared/data/README.md on cases written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.newsdev_entities import load_newsdev, match_counts, prf, score

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


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
