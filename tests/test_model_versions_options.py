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
