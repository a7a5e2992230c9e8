"""Archive data given to the Analyzer (user dictionary, tag vocabulary, entity lexicon) is part of
the records' model versions, so changing it makes older records stale and `newsnlp tag` redoes them."""

from __future__ import annotations

from newsnlp import Analyzer
from newsnlp.batch import model_versions


def test_each_option_file_is_identified_by_its_content(tmp_path):
    first, second, same = tmp_path / "a.tsv", tmp_path / "b.tsv", tmp_path / "c.tsv"
    first.write_text("宁波银行\tORG\t3\t\n", encoding="utf-8")
    second.write_text("宁波港\tORG\t2\t\n", encoding="utf-8")
    same.write_text("宁波银行\tORG\t3\t\n", encoding="utf-8")
    base = model_versions(Analyzer())
    assert not {"user_dict", "tag_vocabulary", "entity_lexicon"} & set(base)
    for option in ("user_dict", "tag_vocabulary", "entity_lexicon"):
        a = model_versions(Analyzer(**{option: str(first)}))
        b = model_versions(Analyzer(**{option: str(second)}))
        c = model_versions(Analyzer(**{option: str(same)}))
        assert a[option].startswith("sha256:") and len(a[option]) == len("sha256:") + 16
        assert a[option] != b[option]
        assert a[option] == c[option]  # same bytes under another name: the same results
        assert {k: v for k, v in a.items() if k != option} == base


def test_in_memory_tables_and_lists_of_files(tmp_path):
    one, two = tmp_path / "1.txt", tmp_path / "2.txt"
    one.write_text("新就业形态 5\n", encoding="utf-8")
    two.write_text("春风行动 3\n", encoding="utf-8")
    pair = model_versions(Analyzer(user_dict=[str(one), str(two)]))["user_dict"]
    swapped = model_versions(Analyzer(user_dict=[str(two), str(one)]))["user_dict"]
    assert pair != swapped
    tags = model_versions(Analyzer(tag_vocabulary=["港股", "茅台"]))["tag_vocabulary"]
    assert tags == model_versions(Analyzer(tag_vocabulary=("港股", "茅台")))["tag_vocabulary"]
    assert tags != model_versions(Analyzer(tag_vocabulary=["港股"]))["tag_vocabulary"]


def test_the_configuration_is_recorded_and_the_defaults_add_nothing(tmp_path):
    from newsnlp.config import AnalyzerConfig

    base = model_versions(Analyzer())
    assert "config" not in base and model_versions(Analyzer(device="cpu", summary_batch_size=2)) == base
    changed = model_versions(Analyzer(top_k=3, max_chars=60, num_beams=2, place_head="msra"))
    assert changed["config"] == {"summary": {"max_chars": 60, "num_beams": 2}, "keywords": {"top_k": 3},
                                 "entities": {"place_head": "msra"}}
    assert {k: v for k, v in changed.items() if k != "config"} == base
    table = tmp_path / "idf.tsv"
    table.write_text("驿站\t1\n", encoding="utf-8")
    with_idf = model_versions(Analyzer(idf=str(table), gazetteer=None))
    assert with_idf["idf"].startswith("sha256:") and with_idf["gazetteer"] == "none"
    assert model_versions(Analyzer(config=AnalyzerConfig.from_kwargs(top_k=3)))["config"] == {"keywords": {"top_k": 3}}


def test_tag_archive_records_carry_the_configuration(tmp_path):
    import json

    from newsnlp import tag_archive

    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 会议\n---\n宁波市总工会召开会议，部署全年工作。\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    tag_archive(posts, out, workers=1, analyzer=Analyzer(top_k=2, tags_k=1), progress=False)
    record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert record["versions"]["config"] == {"keywords": {"top_k": 2, "tags_k": 1}}
    assert len(record["keywords"]) <= 2 and len(record["tags"]) <= 1
    report = tag_archive(posts, out, workers=1, analyzer=Analyzer(top_k=2, tags_k=1), progress=False)
    assert report.processed == 0  # same options: the record is current
    report = tag_archive(posts, out, workers=1, analyzer=Analyzer(top_k=3), progress=False)
    assert report.processed == 1 and report.refreshed == 1  # other options: stale, redone
